import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson } from './run-cli.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[/;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-cli-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh directory under the test's temporary directory, with the given files. */
function project(name: string, files: Record<string, string | Uint8Array>): string {
  const dir = join(tmp, name);
  // Every project has a manifest (the lint refuses files without one) unless it brings its own.
  mkdirSync(dir, { recursive: true });
  if (!('limitless.yaml' in files)) writeFileSync(join(dir, 'limitless.yaml'), 'shards: 16\n');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('parse errors', () => {
  it('reports both syntax errors at PostgreSQL position and message, lints the rest, exits 1', async () => {
    const { code, stdout, stderr } = await runCli(['fixtures/cli/parse-errors/two-errors.sql']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const first = 'fixtures/cli/parse-errors/two-errors.sql:6:1  error  PostgreSQL cannot parse this statement: syntax error at or near "SELEC".  parse-error';
    const second = 'fixtures/cli/parse-errors/two-errors.sql:14:18  error  PostgreSQL cannot parse this statement: syntax error at or near "AND".  parse-error';
    expect(stdout).toContain(`  ${first}\n    6 | SELEC 2 AS two;\n      | ^^^^^\n`);
    expect(stdout).toContain(`  ${second}\n    14 |  WHERE g > 0 AND AND g < 3;\n       |                  ^^^\n`);
    expect(stdout).toMatch(/\n {4}note: .+\n {4}help: .+\n {4}docs: https:\/\/\S+\/parse-error\.md\n/);
    expect(stdout).toMatch(/✖ 2 problems \(2 errors, 0 warnings\)\n6 statements in 1 file \(2 parse errors\)\n$/);
  });

  it('gives the same positions in the JSON report', async () => {
    const { code, report } = await runJson(['fixtures/cli/parse-errors']);
    expect(code).toBe(1);
    const diagnostics = report.files[0]?.diagnostics ?? [];
    expect(diagnostics.map((d) => [d.ruleId, d.line, d.column, d.endLine, d.endColumn])).toEqual([
      ['parse-error', 6, 1, 6, 6],
      ['parse-error', 14, 18, 14, 21],
    ]);
    expect(diagnostics[0]?.message).toContain('syntax error at or near "SELEC"');
  });
});

describe('without a manifest', () => {
  /** A directory with no limitless.yaml at or above it (the temporary directory's own). */
  function bare(name: string, files: Record<string, string>): string {
    const dir = join(tmp, name);
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    return dir;
  }

  it('stops before linting (exit 2), naming the files, init, --no-manifest and docs/manifest.md (before: exit 0, unknown-table warnings)', async () => {
    const dir = bare('no-manifest', { 'sql/a.sql': 'SELECT * FROM accounts;\n', 'sql/b.sql': 'SELECT 1;\n', 'sql/c.sql': 'SELECT 2;\n', 'sql/d.sql': 'SELECT 3;\n' });
    const { code, stdout, stderr } = await runCli(['sql'], { cwd: dir });
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      [
        `limitless-lint: no manifest (limitless.yaml) found for 4 files: ${join('sql', 'a.sql')}, ${join('sql', 'b.sql')}, ${join('sql', 'c.sql')} and 1 more`,
        '  The manifest declares your tables (sharded, reference, standard) and shard keys; routes are judged from it.',
        '  Write one from your migrations:  limitless-lint init --from-ddl migrations/',
        '  or name one for every file:      limitless-lint --config path/to/limitless.yaml …',
        '  or lint without one:             limitless-lint --no-manifest …  (only the rules that need no manifest)',
        '  See https://github.com/limitless-lint/limitless-lint/blob/main/docs/manifest.md',
        '',
      ].join('\n'),
    );
  });

  it('--no-manifest runs only the rules that need no manifest, and says so', async () => {
    const sql = [
      '-- limitless-lint-ignore require-shard-key: a rule that is off is not proven unused',
      'SELECT * FROM accounts;',
      'SET search_path = app;',
      'CREATE TEMPORARY TABLE scratch (id int);',
      'SELEC 1;',
      '',
    ].join('\n');
    const dir = bare('no-manifest-flag', { 'q.sql': sql, 'other/limitless.yaml': 'shards: many\n', 'other/r.sql': 'SELECT 1;\n' });
    const { code, report } = await runJson(['--no-manifest', '.'], { cwd: dir });
    expect(code).toBe(1);
    const found = report.files.flatMap((f) => f.diagnostics.map((d) => `${f.path}:${d.line} ${d.ruleId}`));
    // The invalid manifest below is not read either.
    expect(found).toEqual(['q.sql:3 no-session-pinning', 'q.sql:4 no-session-pinning', 'q.sql:4 no-unsupported-ddl', 'q.sql:5 parse-error']);
    const run = await runCli(['--no-manifest', 'q.sql'], { cwd: dir });
    expect(run.stderr).toBe('limitless-lint: --no-manifest: routes are not judged; the routing rules and unknown-table are off\n');
    expect(await runCli(['--no-manifest', '--config', 'other/limitless.yaml', 'q.sql'], { cwd: dir })).toMatchObject({
      code: 2,
      stderr: 'limitless-lint: --no-manifest and --config exclude each other: lint with a manifest, or without one\n',
    });
  });
});

describe('exit codes', () => {
  it('exits 0 on a clean file', async () => {
    const { code, stdout, stderr } = await runCli(['fixtures/cli/clean/ok.sql']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe('✔ no problems\n3 statements in 1 file (0 parse errors)\n');
  });

  it('exits 0 on an empty file: 0 statements', async () => {
    const dir = project('empty', { 'empty.sql': '' });
    const { code, stdout } = await runCli(['empty.sql'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain('0 statements in 1 file (0 parse errors)');
  });

  it('exits 2 with one line for a path that does not exist', async () => {
    const { code, stdout, stderr } = await runCli(['fixtures/cli/clean/ok.sql', 'no/such/file.sql']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe('limitless-lint: no such file or directory: no/such/file.sql\n');
  });

  it('shows control characters in a path it cannot find as pictures, never raw', async () => {
    const { code, stderr } = await runCli(['fixtures/cli/clean/ok.sql', 'no/\x1b]0;owned\x07\nfile.sql']);
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: no such file or directory: no/\u241b]0;owned\u2407\u240afile.sql\n');
  });

  it('exits 2 for a directory without SQL files', async () => {
    const { code, stderr } = await runCli(['fixtures/cli/no-sql']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'limitless-lint: no SQL files found in fixtures/cli/no-sql (looked for *.sql and TypeScript/JavaScript files below it, skipping node_modules and dot-directories)\n',
    );
  });

  it('exits 2 with commander message for an unknown option', async () => {
    const { code, stdout, stderr } = await runCli(['--bogus', 'fixtures/cli/clean']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe("error: unknown option '--bogus'\n");
  });

  it('exits 2 for a bad --max-warnings or --format value', async () => {
    const warnings = await runCli(['--max-warnings', 'many', 'fixtures/cli/clean']);
    expect(warnings.code).toBe(2);
    expect(warnings.stderr).toContain("error: option '--max-warnings <n>' argument 'many' is invalid.");
    const format = await runCli(['--format', 'xml', 'fixtures/cli/clean']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Allowed choices are stylish, compact, json, sarif, github, gitlab, junit.');
  });
});

describe('files that cannot be linted', () => {
  it('reports a binary file on stderr, lints the others, exits 2', async () => {
    const dir = project('binary', { 'a.sql': 'SELECT 1;\n', 'b.sql': Buffer.from([0x53, 0x45, 0x00, 0x01, 0xff]) });
    const { code, stdout, stderr } = await runCli(['.'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: b.sql: binary file, not linted\n');
    expect(stdout).toContain('1 statement in 1 file (0 parse errors); 1 path not linted');
  });

  it('reports a file that is not UTF-8 with the position of its first bad byte, exits 2', async () => {
    const latin1 = Buffer.concat([Buffer.from("SELECT 1;\nSELECT 'caf"), Buffer.from([0xe9]), Buffer.from("';\n")]);
    const dir = project('latin1', { 'latin1.sql': latin1 });
    const { code, stderr } = await runCli(['latin1.sql'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: latin1.sql: not valid UTF-8 (first bad byte at line 2, column 12)\n');
  });

  it('keeps a byte-order mark for the splitter and accepts UTF-8 text', async () => {
    const dir = project('bom', { 'bom.sql': '\ufeffSELECT 1;\nSELECT \'café\';\n' });
    const { code, stdout } = await runCli(['bom.sql'], { cwd: dir });
    expect(code).toBe(0);
    expect(stdout).toContain('2 statements in 1 file');
  });

  it('reports a dangling symbolic link to a .sql file, exits 2', async () => {
    const dir = project('dangling', { 'ok.sql': 'SELECT 1;\n' });
    symlinkSync(join(dir, 'missing.sql'), join(dir, 'broken.sql'));
    const { code, stderr } = await runCli(['.'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: broken.sql: not read: no such file or directory (a dangling symbolic link?)\n');
  });
});

describe('finding files', () => {
  it('walks directories in sorted order, skipping node_modules and dot-directories', async () => {
    const dir = project('walk', {
      'b.sql': 'SELECT 1;',
      'a.SQL': 'SELECT 1;',
      'sub/c.sql': 'SELECT 1;',
      'sub/notes.txt': 'not SQL',
      'node_modules/pkg/x.sql': 'SELECT 1;',
      '.git/y.sql': 'SELECT 1;',
    });
    const { code, report } = await runJson(['.'], { cwd: dir });
    expect(code).toBe(0);
    expect(report.files.map((f) => f.path)).toEqual(['a.SQL', 'b.sql', join('sub', 'c.sql')]);
  });

  it('lints a file given on the command line whatever its name, and each file once', async () => {
    const dir = project('explicit', { 'query.txt': 'SELECT 1;', 'q.sql': 'SELECT 2;' });
    const { report } = await runJson(['query.txt', 'q.sql', '.', 'q.sql'], { cwd: dir });
    expect(report.files.map((f) => f.path)).toEqual(['query.txt', 'q.sql']);
  });

  it('survives a symbolic link loop', async () => {
    const dir = project('loop', { 'a/x.sql': 'SELECT 1;' });
    symlinkSync(dir, join(dir, 'a', 'back'));
    const { code, report } = await runJson(['.'], { cwd: dir });
    expect(code).toBe(0);
    expect(report.files.map((f) => f.path)).toEqual([join('a', 'x.sql')]);
  });
});

describe('manifests', () => {
  it('refuses an invalid manifest found above the files: exit 2, with the problem position', async () => {
    const { code, stdout, stderr } = await runCli(['fixtures/cli/bad-manifest']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      'limitless-lint: invalid manifest fixtures/cli/bad-manifest/limitless.yaml (1 problem):\n' +
        '  fixtures/cli/bad-manifest/limitless.yaml:5:11: `shraded` is not one of `sharded`, `reference`, `standard` (at tables.accounts.mode) — did you mean `sharded`?\n',
    );
  });

  it('uses --config for every file', async () => {
    // The invalid manifest next to the file is not read: the demo's applies.
    const { code, stdout } = await runCli(['--config', 'fixtures/demo/limitless.yaml', 'fixtures/cli/bad-manifest/query.sql']);
    expect(code).toBe(0);
    expect(stdout).toContain('1 statement in 1 file (0 parse errors)');
  });

  it('exits 2 when the --config file does not exist', async () => {
    const { code, stderr } = await runCli(['--config', 'nope.yaml', 'fixtures/cli/clean']);
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: no such file or directory: nope.yaml (the --config manifest)\n');
  });
});

describe('output', () => {
  it('--format json: a versioned report with every file, diagnostics with positions, and a summary', async () => {
    const { code, report } = await runJson(['fixtures/cli/clean', 'fixtures/cli/parse-errors']);
    expect(code).toBe(1);
    expect(Object.keys(report)).toEqual(['version', 'files', 'skipped', 'summary']);
    expect(report.version).toBe(1);
    expect(report.files.map((f) => [f.path, f.statements, f.diagnostics.length])).toEqual([
      ['fixtures/cli/clean/ok.sql', 3, 0],
      ['fixtures/cli/parse-errors/two-errors.sql', 6, 2],
    ]);
    expect(report.files[1]?.diagnostics[0]).toEqual({
      ruleId: 'parse-error',
      messageId: 'syntaxError',
      severity: 'error',
      message: 'PostgreSQL cannot parse this statement: syntax error at or near "SELEC".',
      line: 6,
      column: 1,
      endLine: 6,
      endColumn: 6,
      note: expect.any(String) as string,
      help: expect.any(String) as string,
      docsUrl: expect.stringMatching(/\/parse-error\.md$/) as string,
    });
    expect(report.skipped).toEqual([]);
    expect(report.summary).toEqual({ files: 2, skipped: 0, statements: 9, parseErrors: 2, errors: 2, warnings: 0, infos: 0 });
  });

  it('colours a terminal, and --no-color, NO_COLOR or a pipe turn colour off', async () => {
    const args = ['fixtures/cli/parse-errors'];
    expect((await runCli(args, { tty: true })).stdout).toMatch(ANSI);
    expect((await runCli(['--no-color', ...args], { tty: true })).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).not.toMatch(ANSI);
    expect((await runCli(args, { tty: false })).stdout).not.toMatch(ANSI);
  });

  it('decides colour as supports-color does: flags, then FORCE_COLOR, NO_COLOR, a terminal, TERM=dumb', async () => {
    const args = ['fixtures/cli/parse-errors'];
    const coloured = async (options: Parameters<typeof runCli>[1], flags: string[] = []) => ANSI.test((await runCli([...flags, ...args], options)).stdout);
    const cases: [Parameters<typeof runCli>[1], string[], boolean][] = [
      [{ tty: false }, ['--color'], true],
      [{ tty: true, env: { FORCE_COLOR: '1' } }, ['--no-color'], false],
      [{ tty: false, env: { FORCE_COLOR: '1' } }, [], true],
      [{ tty: false, env: { FORCE_COLOR: '' } }, [], true],
      [{ tty: true, env: { FORCE_COLOR: '0' } }, [], false],
      [{ tty: true, env: { FORCE_COLOR: 'false' } }, [], false],
      [{ tty: true, env: { FORCE_COLOR: '1', NO_COLOR: '1' } }, [], true],
      [{ tty: true, env: { NO_COLOR: '' } }, [], true],
      [{ tty: true, env: { TERM: 'dumb' } }, [], false],
      [{ tty: true, env: { TERM: 'dumb' } }, ['--color'], true],
      [{ tty: true, env: { TERM: 'xterm-256color' } }, [], true],
    ];
    const got = await Promise.all(cases.map(async ([options, flags]) => coloured(options, flags)));
    expect(got).toEqual(cases.map((c) => c[2]));
  });

  it('prints no control characters from the linted file', async () => {
    const dir = project('escape', { 'escape.sql': 'SELEC \x1b[31m 1;\n' });
    const { stdout } = await runCli(['escape.sql'], { cwd: dir, tty: false });
    expect(stdout).not.toMatch(ANSI);
    expect(stdout).toContain('1 | SELEC ␛[31m 1;');
  });

  it('expands tabs the same way in the code line and the underline', async () => {
    const dir = project('tabs', { 'tabs.sql': 'SELECT 1\tAS a,\t2 AS b FORM t;\n' });
    const { stdout } = await runCli(['tabs.sql'], { cwd: dir });
    expect(stdout).toContain('tabs.sql:1:23  error');
    expect(stdout).toContain('    1 | SELECT 1    AS a,   2 AS b FORM t;\n      |                            ^^^^\n');
  });

  it('--help lists the options and examples', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const option of ['--config <file>', '--format <format>', '--no-color', '--quiet', '--max-warnings <n>', '--version']) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('Examples:\n  $ limitless-lint ');
    expect(stdout).toContain('Exit codes:');
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runCli(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
