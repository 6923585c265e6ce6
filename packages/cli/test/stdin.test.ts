import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/reporters/json.js';
import { repoRoot, runCli } from './run-cli.js';

const MANIFEST = readFileSync(join(repoRoot, 'fixtures/demo/limitless.yaml'), 'utf8');
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-stdin-'));
  mkdirSync(join(tmp, 'db'));
  writeFileSync(join(tmp, 'db', 'limitless.yaml'), MANIFEST);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

async function json(args: readonly string[], stdin: string | Uint8Array): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const run = await runCli(['--format', 'json', ...args], { cwd: tmp, stdin });
  return { code: run.code, report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

describe('standard input', () => {
  it('lints SQL read from - as <stdin>, with the manifest of the working directory (none here: exit 2, or --no-manifest)', async () => {
    const refused = await runCli(['-'], { cwd: tmp, stdin: 'SELECT * FROM accounts;\n' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^limitless-lint: no manifest \(limitless\.yaml\) found for 1 file: <stdin>\n.*limitless-lint init --from-ddl/s);
    const { code, report } = await json(['-', '--no-manifest'], 'SET search_path = app;\nSELECT * FROM accounts;\n');
    expect(code).toBe(0);
    expect(report.files.map((f) => [f.path, f.statements, f.diagnostics.map((d) => d.ruleId)])).toEqual([['<stdin>', 2, ['no-session-pinning']]]);
  });

  it('--stdin-filename decides the manifest (by its directory) and the language', async () => {
    const sql = await json(['-', '--stdin-filename', 'db/queries/q.sql'], 'SELECT 1;\nSELECT * FROM accounts WHERE owner_name = $1;\n');
    expect(sql.code).toBe(1);
    expect(sql.report.files.map((f) => [f.path, f.diagnostics.map((d) => [d.ruleId, d.line, d.column])])).toEqual([
      [join('db', 'queries', 'q.sql'), [['require-shard-key', 2, 15]]],
    ]);
    const ts = await json(['-', '--stdin-filename', 'db/app.ts'], 'const rows = await pool.query(sql`\n  SELECT * FROM accounts WHERE owner_name = ${name}`);\n');
    expect(ts.code).toBe(1);
    expect(ts.report.files.map((f) => [f.path, f.sites, f.diagnostics.map((d) => [d.ruleId, d.line, d.column])])).toEqual([
      [join('db', 'app.ts'), { analysed: 1, unknown: 0 }, [['require-shard-key', 2, 17]]],
    ]);
  });

  it('applies the include/exclude patterns to the --stdin-filename', async () => {
    const { code, report, stderr } = await json(['-', '--stdin-filename', 'gen/x.sql', '--exclude', 'gen'], 'SELECT 1;');
    expect(code).toBe(0);
    expect(report.files).toEqual([]);
    expect(stderr).toBe(`limitless-lint: ${join('gen', 'x.sql')}: matches an exclude pattern, not linted\n`);
  });

  it('checks the bytes as for a file: binary input is not linted (exit 2)', async () => {
    const { code, stderr } = await runCli(['-', '--stdin-filename', 'db/q.sql'], { cwd: tmp, stdin: Buffer.from([0x53, 0x00, 0x01]) });
    expect(code).toBe(2);
    expect(stderr).toBe(`limitless-lint: ${join('db', 'q.sql')}: binary file, not linted\n`);
  });

  it('refuses - with other paths, and --stdin-filename without -', async () => {
    const both = await runCli(['-', 'db'], { cwd: tmp, stdin: '' });
    expect(both).toMatchObject({ code: 2, stderr: 'limitless-lint: - (standard input) cannot be combined with other paths\n' });
    const name = await runCli(['--stdin-filename', 'x.sql', 'db'], { cwd: tmp });
    expect(name).toMatchObject({ code: 2, stderr: 'limitless-lint: --stdin-filename names what standard input stands for: give - as the path to read it\n' });
  });

  it('explain reads SQL from - too', async () => {
    const { code, stdout } = await runCli(['explain', '--format', 'json', '-'], { cwd: join(tmp, 'db'), stdin: 'SELECT * FROM accounts WHERE account_id = 7;' });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject([{ file: '<stdin>', line: 1, column: 1, route: 'single-shard' }]);
  });

  it('reads the process standard input in the built binary', () => {
    const bin = join(repoRoot, 'packages/cli/bin/limitless-lint.js');
    expect(existsSync(join(repoRoot, 'packages/cli/dist/main.js')), 'build first: npx tsc -b').toBe(true);
    const child = spawnSync(process.execPath, [bin, '-', '--stdin-filename', 'db/q.sql'], { cwd: tmp, input: 'SELECT * FROM accounts WHERE account_id = 1;\nSELEC 1;\n', encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect(child.stdout).toContain(`${join('db', 'q.sql')}:2:1  error  PostgreSQL cannot parse this statement`);
  });
});
