import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { BaselineFile } from '../src/ci/baseline.js';
import { formatBaseline, sortEntries } from '../src/ci/baseline.js';
import { DEMO_MANIFEST } from './changed-git-repo.js';
import type { JsonReport } from '../src/reporters/json.js';
import { repoRoot, runCli } from './run-cli.js';

const QUERIES = `-- Payment queries.
SELECT account_id, owner_name FROM accounts WHERE account_id = $1;

SELECT transaction_id, amount FROM transactions WHERE merchant_id = 17;

UPDATE currencies SET name = 'Euro' WHERE code = 'EUR';

SELECT transaction_id FROM transactions WHERE merchant_id = 17;
SELECT transaction_id FROM transactions WHERE merchant_id = 18;
`;

const REPORTS = 'SELECT count(*) FROM ledger_entries;\n';

const root = mkdtempSync(join(tmpdir(), 'limitless-lint-baseline-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dir: string;
let n = 0;
beforeEach(() => {
  dir = join(root, `p${n++}`);
  write({ 'limitless.yaml': DEMO_MANIFEST, 'sql/queries.sql': QUERIES, 'sql/reports.sql': REPORTS });
});

function write(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

type Found = [path: string, line: number, rule: string];

async function findings(args: string[]): Promise<{ code: number; found: Found[]; stderr: string }> {
  const run = await runCli(['--format', 'json', ...args], { cwd: dir });
  const report = JSON.parse(run.stdout) as JsonReport;
  return { code: run.code, stderr: run.stderr, found: report.files.flatMap((f) => f.diagnostics.map((d): Found => [f.path, d.line, d.ruleId])) };
}

function baseline(path = 'limitless-lint-baseline.json'): BaselineFile {
  return JSON.parse(readFileSync(join(dir, path), 'utf8')) as BaselineFile;
}

describe('--update-baseline', () => {
  it('writes every finding, keyed by file, rule and statement fingerprint with counts, sorted, one entry per line', async () => {
    const { code, stdout, stderr } = await runCli(['--update-baseline', 'sql'], { cwd: dir });
    expect(code).toBe(0);
    expect(stderr).toBe('limitless-lint: wrote the baseline limitless-lint-baseline.json: 4 entries for 5 problems\n');
    expect(stdout).toBe('✔ no problems\n6 statements in 2 files (0 parse errors)\n');
    const text = readFileSync(join(dir, 'limitless-lint-baseline.json'), 'utf8');
    const file = JSON.parse(text) as BaselineFile;
    expect(file.version).toBe(1);
    // Sorted by fingerprint within a file and rule, so the two require-shard-key entries of queries.sql come in hash order.
    expect(file.entries.map((e) => [e.file, e.rule, e.count]).sort()).toEqual([
      ['sql/queries.sql', 'no-reference-table-write', 1],
      ['sql/queries.sql', 'require-shard-key', 1],
      ['sql/queries.sql', 'require-shard-key', 2], // merchant_id = 17 and = 18: one fingerprint
      ['sql/reports.sql', 'require-shard-key', 1],
    ]);
    expect(file.entries).toEqual(sortEntries(file.entries));
    expect(file.entries.every((e) => /^[0-9a-f]{16}$/.test(e.fingerprint))).toBe(true);
    expect(text).toBe(formatBaseline(file.entries));
    expect(text.split('\n').filter((l) => l.startsWith('    {"file":'))).toHaveLength(4);
    expect(text).not.toMatch(/"line"/);
  });

  it('writes atomically: no temporary file is left, and a second run gives the same bytes', async () => {
    await runCli(['--update-baseline', '--baseline', 'ci/baseline.json', 'sql'], { cwd: dir });
    const first = readFileSync(join(dir, 'ci/baseline.json'), 'utf8');
    await runCli(['--update-baseline', '--baseline', 'ci/baseline.json', 'sql'], { cwd: dir });
    expect(readFileSync(join(dir, 'ci/baseline.json'), 'utf8')).toBe(first);
    expect(readdirSync(join(dir, 'ci'))).toEqual(['baseline.json']);
    expect(baseline('ci/baseline.json').entries[0]?.file).toBe('../sql/queries.sql');
  });

  it('prunes stale entries, and keeps those of files not linted in this run', async () => {
    await runCli(['--update-baseline', 'sql'], { cwd: dir });
    write({ 'sql/queries.sql': QUERIES.replace("UPDATE currencies SET name = 'Euro' WHERE code = 'EUR';", '') });
    const { stderr } = await runCli(['--update-baseline', 'sql/queries.sql'], { cwd: dir });
    expect(stderr).toBe('limitless-lint: wrote the baseline limitless-lint-baseline.json: 3 entries for 4 problems; 1 stale entry pruned\n');
    expect(baseline().entries.map((e) => [e.file, e.rule])).toEqual([
      ['sql/queries.sql', 'require-shard-key'],
      ['sql/queries.sql', 'require-shard-key'],
      ['sql/reports.sql', 'require-shard-key'],
    ]);
  });

  it('drops the entries of files that no longer exist', async () => {
    await runCli(['--update-baseline', 'sql'], { cwd: dir });
    rmSync(join(dir, 'sql/reports.sql'));
    await runCli(['--update-baseline', 'sql'], { cwd: dir });
    expect(baseline().entries.map((e) => e.file)).toEqual(['sql/queries.sql', 'sql/queries.sql', 'sql/queries.sql']);
  });
});

describe('--baseline', () => {
  beforeEach(async () => {
    await runCli(['--update-baseline', 'sql'], { cwd: dir });
  });

  it('hides exactly the known findings', async () => {
    const { code, found, stderr } = await findings(['--baseline', 'limitless-lint-baseline.json', 'sql']);
    expect({ code, found }).toEqual({ code: 0, found: [] });
    expect(stderr).toBe('limitless-lint: 5 known problems hidden by the baseline limitless-lint-baseline.json\n');
  });

  it('hides findings of the rules no-unsupported-feature was split into with entries written under that id', async () => {
    write({ 'sql/ddl.sql': 'CREATE TEMP TABLE scratch (id bigint);\nLISTEN payments;\n' });
    await runCli(['--update-baseline', 'sql'], { cwd: dir });
    const entries = baseline().entries;
    expect(entries.filter((e) => e.file === 'sql/ddl.sql').map((e) => e.rule)).toEqual(['no-session-pinning', 'no-session-pinning', 'no-unsupported-ddl', 'no-unsupported-dml']);
    // A baseline written before the split names the group alias.
    const old = entries.map((e) => (e.rule.startsWith('no-unsupported-') ? { ...e, rule: 'no-unsupported-feature' } : e));
    writeFileSync(join(dir, 'old-baseline.json'), formatBaseline(sortEntries(old)));
    const { code, found, stderr } = await findings(['--baseline', 'old-baseline.json', 'sql']);
    expect({ code, found }).toEqual({ code: 0, found: [] });
    expect(stderr).toBe('limitless-lint: 9 known problems hidden by the baseline old-baseline.json\n');
  });

  it('reports a new finding, and only it', async () => {
    write({ 'sql/queries.sql': `${QUERIES}\nSELECT * FROM accounts WHERE status = $1;\n` });
    const { code, found } = await findings(['--baseline', 'limitless-lint-baseline.json', 'sql']);
    expect({ code, found }).toEqual({ code: 1, found: [['sql/queries.sql', 11, 'require-shard-key']] });
  });

  it('survives moved lines and edited constants', async () => {
    const moved = [
      '-- Payment queries, reordered and re-valued.',
      '',
      '',
      "UPDATE currencies SET name = 'Euro (EUR)' WHERE code = 'EUR';",
      'SELECT transaction_id FROM transactions WHERE merchant_id = 99;',
      '',
      'SELECT account_id, owner_name',
      '  FROM accounts',
      ' WHERE account_id = $1;',
      'SELECT transaction_id,   amount FROM transactions',
      '        WHERE merchant_id = 2024;',
      'SELECT transaction_id FROM transactions WHERE merchant_id = 100;',
      '',
    ].join('\n');
    write({ 'sql/queries.sql': moved });
    const { code, found, stderr } = await findings(['--baseline', 'limitless-lint-baseline.json', 'sql']);
    expect({ code, found }).toEqual({ code: 0, found: [] });
    expect(stderr).toBe('limitless-lint: 5 known problems hidden by the baseline limitless-lint-baseline.json\n');
  });

  it('hides only `count` findings of a key: a third equal statement is reported', async () => {
    write({ 'sql/queries.sql': `${QUERIES}SELECT transaction_id FROM transactions WHERE merchant_id = 19;\n` });
    const { code, found } = await findings(['--baseline', 'limitless-lint-baseline.json', 'sql']);
    expect({ code, found }).toEqual({ code: 1, found: [['sql/queries.sql', 10, 'require-shard-key']] });
  });

  it('does not hide the same statement in another file', async () => {
    write({ 'sql/other.sql': 'SELECT count(*) FROM ledger_entries;\n' });
    const { found } = await findings(['--baseline', 'limitless-lint-baseline.json', 'sql']);
    expect(found).toEqual([['sql/other.sql', 1, 'require-shard-key']]);
  });

  it('reports stale entries on stderr with a count, and exits 0 unless --fail-on-stale-baseline', async () => {
    write({ 'sql/queries.sql': QUERIES.replace('merchant_id = 18', 'account_id = 18') });
    const fingerprint = baseline().entries.find((e) => e.count === 2)?.fingerprint ?? '';
    const run = await runCli(['--baseline', 'limitless-lint-baseline.json', 'sql'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      [
        'limitless-lint: 4 known problems hidden by the baseline limitless-lint-baseline.json',
        'limitless-lint: the baseline limitless-lint-baseline.json has 1 stale entry (1 problem no longer found); run with --update-baseline to prune it',
        `  sql/queries.sql: require-shard-key ×1 (${fingerprint})`,
        '',
      ].join('\n'),
    );
    const strict = await runCli(['--baseline', 'limitless-lint-baseline.json', '--fail-on-stale-baseline', 'sql'], { cwd: dir });
    expect(strict.code).toBe(1);
  });

  it('does not call the entries of files outside this run stale', async () => {
    const run = await runCli(['--baseline', 'limitless-lint-baseline.json', '--fail-on-stale-baseline', 'sql/reports.sql'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('limitless-lint: 1 known problem hidden by the baseline limitless-lint-baseline.json\n');
  });

  it('calls the entries of a deleted file stale', async () => {
    rmSync(join(dir, 'sql/reports.sql'));
    const run = await runCli(['--baseline', 'limitless-lint-baseline.json', 'sql'], { cwd: dir });
    expect(run.stderr).toContain('has 1 stale entry (1 problem no longer found)');
    expect(run.stderr).toContain('  sql/reports.sql: require-shard-key ×1');
  });

  it('applies before --quiet and --max-warnings: hidden warnings do not count', async () => {
    const { code } = await findings(['--baseline', 'limitless-lint-baseline.json', '--max-warnings', '0', 'sql']);
    expect(code).toBe(0);
  });
});

describe('baseline errors: exit 2 with one line', () => {
  it('a missing file', async () => {
    const { code, stdout, stderr } = await runCli(['--baseline', 'nope.json', 'sql'], { cwd: dir });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe('limitless-lint: no such baseline file: nope.json (write one with --update-baseline)\n');
  });

  it('not JSON', async () => {
    write({ 'b.json': '{ "version": 1, ' });
    const { code, stderr } = await runCli(['--baseline', 'b.json', 'sql'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^limitless-lint: cannot read the baseline b\.json: not JSON \(.+\)\n$/);
  });

  it('another version, or a bad entry', async () => {
    write({ 'b.json': '{ "version": 2, "entries": [] }' });
    expect((await runCli(['--baseline', 'b.json', 'sql'], { cwd: dir })).stderr).toBe(
      'limitless-lint: invalid baseline b.json: unsupported version 2 (this limitless-lint reads version 1)\n',
    );
    write({ 'b.json': '{ "version": 1, "entries": [{ "file": "a.sql", "rule": "x", "fingerprint": "f", "count": 0 }] }' });
    expect((await runCli(['--baseline', 'b.json', 'sql'], { cwd: dir })).stderr).toBe(
      'limitless-lint: invalid baseline b.json: entries[0] must be { "file": string, "rule": string, "fingerprint": string, "count": a whole number ≥ 1 }\n',
    );
  });

  it('--fail-on-stale-baseline without --baseline', async () => {
    const { code, stderr } = await runCli(['--fail-on-stale-baseline', 'sql'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: --fail-on-stale-baseline needs --baseline <file>\n');
  });
});

describe('--output-file', () => {
  it('writes the report to the file, creating its directory, and nothing to stdout', async () => {
    const { code, stdout } = await runCli(['--format', 'json', '--output-file', 'out/report.json', 'sql'], { cwd: dir });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8')) as { summary: { errors: number } };
    expect(report.summary.errors).toBe(4);
    expect(readdirSync(join(dir, 'out'))).toEqual(['report.json']);
  });

  it.runIf(process.platform !== 'win32')('writes through a symbolic link, keeping the link and the file mode', async () => {
    write({ 'reports/real.json': 'old' });
    chmodSync(join(dir, 'reports/real.json'), 0o640);
    symlinkSync('reports/real.json', join(dir, 'report.json'));
    symlinkSync('report.json', join(dir, 'chained.json'));
    const { code } = await runCli(['--format', 'json', '-o', 'chained.json', 'sql'], { cwd: dir });
    expect(code).toBe(1);
    expect(lstatSync(join(dir, 'chained.json')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'report.json')).isSymbolicLink()).toBe(true);
    expect(statSync(join(dir, 'reports/real.json')).mode & 0o777).toBe(0o640);
    expect((JSON.parse(readFileSync(join(dir, 'reports/real.json'), 'utf8')) as { summary: { errors: number } }).summary.errors).toBe(4);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['real.json']);
    // A dangling link: the file it names is created.
    symlinkSync('reports/new.json', join(dir, 'dangling.json'));
    await runCli(['--format', 'json', '-o', 'dangling.json', 'sql'], { cwd: dir });
    expect(lstatSync(join(dir, 'dangling.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'reports/new.json'), 'utf8')).toContain('"version":1');
  });

  it.runIf(process.platform !== 'win32')('removes its temporary file when SIGINT or SIGTERM interrupts the write, and ends by the signal', () => {
    const atomic = join(repoRoot, 'packages/cli/dist/util/atomic-write.js');
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const out = join(dir, `${signal}.json`);
      // A report of 2 MB whose first batch raises the signal: it is handled at the next batch.
      const script = `import { writeFileAtomic } from ${JSON.stringify(pathToFileURL(atomic).href)};
        function* chunks() { for (let i = 0; i < 2000; i++) { if (i === 100) process.kill(process.pid, ${JSON.stringify(signal)}); yield 'x'.repeat(1000); } }
        await writeFileAtomic(${JSON.stringify(out)}, chunks(), 'the report');
        console.log('not interrupted');`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
      expect({ signal: child.signal, stdout: child.stdout }).toEqual({ signal, stdout: '' });
      expect(readdirSync(dir).filter((name) => name.includes(signal))).toEqual([]);
    }
  });

  it('exits 2 with one line when the file cannot be written', async () => {
    write({ blocker: 'a file where a directory should be' });
    const { code, stderr } = await runCli(['--output-file', 'blocker/report.txt', 'sql'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^limitless-lint: cannot write the --output-file report .+blocker\/report\.txt: .+\n$/);
  });
});
