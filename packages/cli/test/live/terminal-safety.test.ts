import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../run-cli.js';

// Control characters that a terminal would act on: everything below space but the line break,
// DEL and the C1 range. explain and audit must show them as pictures (printable, as the lint
// reporters do), so that SQL, file names and workload texts cannot recolour, retitle or clear the
// terminal, nor start a line of their own.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
const ESC_TITLE = '\u001b]0;pwned\u0007';
const DEMO = join(repoRoot, 'fixtures/demo/limitless.yaml');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'limitless-lint-terminal-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('explain', () => {
  it('shows control characters of SQL, names and file names as pictures', async () => {
    const file = `q${ESC_TITLE}.sql`;
    writeFileSync(join(dir, file), `SELECT * FROM "acc${ESC_TITLE}ounts" WHERE note = '\u001b[2J\u009b31m';\nSELECT * FROM accounts WHERE account_id = 1 AND "x\ny" = 2;\n`);
    const run = await runCli(['explain', '--config', DEMO, file], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain('q␛]0;pwned␇.sql:1:1\n');
    expect(run.stdout).toContain(`  SELECT * FROM "acc␛]0;pwned␇ounts" WHERE note = '␛[2J�31m'\n`);
    expect(run.stdout).toContain('    - acc␛]0;pwned␇ounts: not in the manifest');
    // The line break inside a quoted name does not start a line of its own.
    expect(run.stdout).toContain('\n  SELECT * FROM accounts WHERE account_id = 1 AND "x y" = 2\n');
  });
});

describe('GitHub workflow commands in untrusted text', () => {
  // The runner reads `::command::` at a line's start after white space, and `##[command]` anywhere.
  const COMMAND_LINE = /^\s*::|##\[/m;

  it.each([
    ['explain', ['explain'], true],
    ['the stylish report', ['--format', 'stylish'], true],
    ['the compact report', ['--format', 'compact'], false],
  ])('%s cannot start one from a file name or the SQL', async (_name, args, showsSql) => {
    const file = '::error file=a.sql::pwned.sql';
    writeFileSync(join(dir, file), `  ::warning::x\n;\nSELECT * FROM accounts WHERE note = '##[error]pwned';\n`);
    const run = await runCli([...args, '--config', DEMO, file], { cwd: dir });
    expect(run.stdout).toMatch(/(꞉:|\.\/::)error file=a.sql::pwned.sql/);
    expect(run.stdout + run.stderr).not.toMatch(COMMAND_LINE);
    if (showsSql) expect(run.stdout).toContain("'##⁅error]pwned'");
  });
});

describe('audit', () => {
  const file = `stats${ESC_TITLE}.csv`;
  beforeAll(() => {
    const rows = [
      `"SELECT * FROM ""acc${ESC_TITLE}ounts"" WHERE account_id = 1",5,1`,
      // A line break in a name must not let the rest start a line (a GitHub workflow command here).
      `"SELECT * FROM ""a\n::error file=x.sql::injected"" WHERE b = 1",2,1`,
    ];
    writeFileSync(join(dir, file), `query,calls,total_exec_time\n${rows.join('\n')}\n`);
  });

  it.each(['stylish', 'markdown'])('prints %s reports with control characters of the workload as pictures', async (format) => {
    const run = await runCli(['audit', '--config', DEMO, '--format', format, file], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(RAW_CONTROL);
    expect(run.stdout).toContain('acc␛]0;pwned␇ounts');
    expect(run.stdout).toContain('stats␛]0;pwned␇.csv (csv)');
    expect(run.stdout).not.toMatch(/^\s*::error/m);
  });

  it('keeps the texts as they are in JSON', async () => {
    const run = await runCli(['audit', '--config', DEMO, '--format', 'json', file], { cwd: dir });
    const report = JSON.parse(run.stdout) as { statements: { query: string }[] };
    expect(report.statements.map((s) => s.query)).toContain(`SELECT * FROM "acc${ESC_TITLE}ounts" WHERE account_id = $1`);
  });
});
