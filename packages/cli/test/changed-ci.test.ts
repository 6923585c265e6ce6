import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANIFEST, GIT_TEST_ENV, GitRepo } from './changed-git-repo.js';
import { repoRoot, runCli } from './run-cli.js';

const action = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
const ciDoc = readFileSync(join(repoRoot, 'docs/ci.md'), 'utf8');
const workflow = readFileSync(join(repoRoot, 'docs/examples/github-workflow.yml'), 'utf8');

/** The `run: |` script of the action's step with this `id`. */
function stepScript(id: string): string {
  const lines = action.split('\n');
  const start = lines.findIndex((l) => l.trim() === `id: ${id}`);
  expect(start, `step ${id}`).toBeGreaterThan(0);
  const run = lines.findIndex((l, i) => i > start && l.trim() === 'run: |');
  const indent = (lines[run] ?? '').search(/\S/) + 2;
  const body: string[] = [];
  for (const line of lines.slice(run + 1)) {
    if (line.trim() !== '' && line.search(/\S/) < indent) break;
    body.push(line.slice(indent));
  }
  return body.join('\n');
}

describe('action.yml and the CI docs', () => {
  it('declares every input it uses', () => {
    const section = action.slice(action.indexOf('\ninputs:\n'), action.indexOf('\noutputs:\n'));
    const declared = new Set([...section.matchAll(/^ {2}([a-z][a-z-]*):$/gm)].map((m) => m[1]));
    const used = new Set([...action.matchAll(/inputs\.([a-z][a-z-]*)/g)].map((m) => m[1]));
    expect(declared.size).toBe(11);
    expect([...used].filter((u) => !declared.has(u))).toEqual([]);
    expect([...declared].filter((d) => !used.has(d))).toEqual([]);
  });

  it('uses only options that limitless-lint has', async () => {
    const { stdout } = await runCli(['--help']);
    const known = new Set([...stdout.matchAll(/--[a-z][a-z-]+/g)].map((m) => m[0]));
    const notOptions = new Set(['--yes', '--frozen-lockfile', '--find-renames', '--unified', '--others', '--noprofile', '--norc']);
    for (const [name, text] of [['action.yml', action], ['docs/ci.md', ciDoc], ['github-workflow.yml', workflow]] as const) {
      const used = [...text.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((m) => m[0]).filter((o) => !notOptions.has(o));
      expect(used.filter((o) => !known.has(o)), name).toEqual([]);
    }
  });

  it('documents the workflow that is in docs/examples', () => {
    const body = workflow.split('\n').filter((l) => !l.startsWith('#')).join('\n').trim();
    expect(ciDoc).toContain(body);
  });

  it('asks for the permission and the history it needs', () => {
    expect(workflow).toMatch(/security-events: write/);
    expect(workflow).toMatch(/fetch-depth: 0/);
    expect(action).toContain('uses: github/codeql-action/upload-sarif@');
  });
});

describe("the action's scripts, run as GitHub runs them (bash -eo pipefail)", () => {
  let repo: GitRepo;
  const bin = join(repoRoot, 'packages/cli/bin/limitless-lint.js');

  beforeAll(() => {
    repo = new GitRepo('action');
    repo.write({
      'limitless.yaml': DEMO_MANIFEST,
      'db/queries.sql': 'SELECT * FROM accounts WHERE account_id = $1;\n\nSELECT * FROM transactions WHERE merchant_id = $1;\n',
    }).commit('main');
    repo.git('checkout', '--quiet', '-b', 'pr');
    repo.write({ 'db/queries.sql': 'SELECT * FROM accounts WHERE status = $1;\n\nSELECT * FROM transactions WHERE merchant_id = $1;\n' });
    // The project's own limitless-lint, as `npm ci` installs it: this checkout's build.
    mkdirSync(join(repo.dir, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(repo.dir, 'node_modules/.bin/limitless-lint'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
    chmodSync(join(repo.dir, 'node_modules/.bin/limitless-lint'), 0o755);
    repo.write({ '.gitignore': 'node_modules/\n*.sarif\nsummary.md\noutput.txt\n' });
  });
  afterAll(() => repo.remove());

  function runStep(id: string, inputs: Record<string, string>): { status: number | null; stdout: string; stderr: string; output: string; summary: string } {
    expect(existsSync(join(repoRoot, 'packages/cli/dist/main.js')), 'build first: npx tsc -b').toBe(true);
    const output = join(repo.dir, 'output.txt');
    const summary = join(repo.dir, 'summary.md');
    writeFileSync(output, '');
    writeFileSync(summary, '');
    const child = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', stepScript(id)], {
      cwd: repo.dir,
      encoding: 'utf8',
      env: { ...process.env, ...GIT_TEST_ENV, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, LL_VERSION: 'latest', ...inputs },
    });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr, output: readFileSync(output, 'utf8'), summary: readFileSync(summary, 'utf8') };
  }

  const inputs = { LL_PATHS: 'db/', LL_CONFIG: '', LL_BASELINE: '', LL_MAX_WARNINGS: '' };

  it('the SARIF step writes the report, passes with findings, and names the file', () => {
    const run = runStep('sarif', { ...inputs, LL_SARIF: 'limitless-lint.sarif' });
    expect(run.status).toBe(0);
    expect(run.output).toBe('file=limitless-lint.sarif\n');
    const sarif = JSON.parse(readFileSync(join(repo.dir, 'limitless-lint.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results).toHaveLength(2);
  });

  it('the gate annotates only the changed statement, writes the summary with the locality diff, and fails', () => {
    const base = repo.git('rev-parse', 'main').trim();
    const run = runStep('gate', { ...inputs, LL_BASE: base });
    expect(run.status).toBe(1);
    expect(run.output).toBe('exit-code=1\n');
    expect(run.stdout).toMatch(/^::error file=db\/queries\.sql,line=1,/m);
    expect(run.stdout).not.toMatch(/line=3,/);
    expect(run.summary).toContain('## limitless-lint');
    expect(run.summary).toContain('**1 worse**, 0 better, 0 new');
    expect(run.summary).toContain('| single-shard (1 shard) | all-shards (16 shards) |');
  });

  it('the gate without a base (a push) checks the whole tree, and passes options through', () => {
    const run = runStep('gate', { ...inputs, LL_BASE: '', LL_MAX_WARNINGS: '0' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/line=1,/);
    expect(run.stdout).toMatch(/line=3,/);
    expect(run.summary).not.toContain('Locality diff');
  });

  it('the gate exits 2 when limitless-lint cannot run', () => {
    const run = runStep('gate', { ...inputs, LL_BASE: 'no-such-ref' });
    expect(run.status).toBe(2);
    expect(run.output).toBe('exit-code=2\n');
    expect(run.stderr).toContain("unknown git revision 'no-such-ref'");
  });
});
