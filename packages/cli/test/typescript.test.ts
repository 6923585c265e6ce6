import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExplainedStatement } from '../src/commands/explain.js';
import { mayHoldSites } from '../src/input/extract-ts.js';
import { repoRoot, runCli, runJson } from './run-cli.js';

const DIR = 'fixtures/cli-ts';
const PAYMENTS = 'fixtures/cli-ts/src/payments.ts';
const CRLF = 'fixtures/cli-ts/src/crlf.ts';
const MANIFEST = readFileSync(join(repoRoot, 'fixtures/demo/limitless.yaml'), 'utf8');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-ts-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A fresh directory with the demo manifest and the given files. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [path, content] of Object.entries({ 'limitless.yaml': MANIFEST, ...files })) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('SQL in TypeScript files', () => {
  it('the CRLF fixture really has CRLF line endings', () => {
    expect(readFileSync(join(repoRoot, CRLF), 'utf8')).toContain('\r\n    FROM ledger_entries\r\n');
  });

  it('reports at the exact line and column of the TypeScript file (JSON)', async () => {
    const { code, report } = await runJson([DIR]);
    expect(code).toBe(1);
    const positions = report.files.map((f) => [f.path, f.sites, f.diagnostics.map((d) => [d.ruleId, d.line, d.column, d.endLine, d.endColumn])]);
    expect(positions).toEqual([
      [
        CRLF,
        { analysed: 2, unknown: 0 },
        [
          ['no-session-pinning', 6, 5, 6, 26],
          ['require-shard-key', 8, 10, 8, 24],
        ],
      ],
      ['fixtures/cli-ts/src/db.ts', { analysed: 0, unknown: 0 }, []],
      [
        PAYMENTS,
        { analysed: 3, unknown: 1 },
        [
          // pool.query({ text: '… FROM transactions …' }): inside the string literal.
          ['require-shard-key', 10, 44, 10, 56],
          // Two lines below the first ${…} of a multi-line template.
          ['no-sequence-ordering', 20, 15, 20, 36],
        ],
      ],
      ['fixtures/cli-ts/src/report.sql', undefined, [['require-shard-key', 2, 22, 2, 30]]],
    ]);
    expect(report.summary).toMatchObject({ files: 4, statements: 6, errors: 4, warnings: 1, embedded: { files: 3, analysed: 5, unknown: 1 } });
  });

  it('prints code frames of the TypeScript lines and counts the sites (stylish)', async () => {
    const { code, stdout, stderr } = await runCli([DIR]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(stdout).toContain(
      `  ${CRLF}:8:10  error  \`ledger_entries\` has no equality on its shard key \`account_id\`, so this statement runs on every shard.  require-shard-key\n` +
        '    8 |     FROM ledger_entries\n' +
        '      |          ^^^^^^^^^^^^^^\n',
    );
    expect(stdout).toContain(
      `  ${PAYMENTS}:10:44  error  \`transactions\` has no equality on its shard key \`account_id\`, so this statement runs on every shard.  require-shard-key\n` +
        "    10 |   return pool.query({ text: 'SELECT * FROM transactions WHERE merchant_id = $1', values: [merchantId] });\n" +
        '       |                                            ^^^^^^^^^^^^\n',
    );
    expect(stdout).toContain(`  ${PAYMENTS}:20:15  warning  `);
    expect(stdout).toContain('    20 |      ORDER BY t.transaction_id DESC\n       |               ^^^^^^^^^^^^^^^^^^^^^\n');
    expect(stdout).toMatch(/\n6 statements in 4 files \(0 parse errors\)\n6 SQL sites in 3 TS\/JS files: 5 analysed, 1 unknown\n$/);
  });

  it('finds what the ESLint plugin finds, at the same places (fixtures/ts-app, as in its e2e test)', async () => {
    const { report } = await runJson(['fixtures/ts-app/src']);
    const handler = report.files.find((f) => f.path.endsWith('account-activity.ts'));
    expect(handler?.diagnostics.map((d) => [d.ruleId, d.line, d.column, d.endLine, d.endColumn])).toEqual([
      ['no-session-pinning', 17, 21, 17, 42],
      ['no-sequence-ordering', 29, 105, 29, 124],
      ['require-shard-key', 35, 12, 35, 21],
      ['no-cross-shard-join', 35, 12, 35, 21],
      ['require-shard-key', 44, 80, 44, 92],
    ]);
    // The two fragments of search() and the statement that splices them in get no verdict.
    expect(handler?.sites).toEqual({ analysed: 6, unknown: 3 });
  });

  it('lints one TypeScript file given by name', async () => {
    const { code, report } = await runJson([PAYMENTS]);
    expect(code).toBe(1);
    expect(report.files.map((f) => f.path)).toEqual([PAYMENTS]);
    expect(report.summary.embedded).toEqual({ files: 1, analysed: 3, unknown: 1 });
  });

  it('turns each ${…} into a bind parameter: an interpolated shard key pins the statement', async () => {
    const dir = project('bind', {
      'q.ts': 'const id = 1;\nexport const q = sql`SELECT * FROM transactions WHERE account_id = ${id}`;\nexport const r = sql`SELECT * FROM transactions WHERE merchant_id = ${id}`;\n',
    });
    const { report } = await runJson(['q.ts'], { cwd: dir });
    expect(report.files[0]?.diagnostics.map((d) => [d.ruleId, d.line, d.column])).toEqual([['require-shard-key', 3, 36]]);
  });

  it('counts dynamic SQL as unknown and gives it no verdict', async () => {
    const dir = project('unknown', {
      'u.ts': [
        'const table = "accounts";',
        'pool.query(buildQuery());',
        'const where = cond ? sql`AND amount > ${min}` : sql``;',
        'pool.query(sql`SELECT * FROM transactions WHERE account_id = ${id} ${where}`);',
        'pool.query(sql`SELECT * FROM ${table}`);',
        '',
      ].join('\n'),
    });
    const { code, report } = await runJson(['u.ts'], { cwd: dir });
    expect(code).toBe(0);
    expect(report.files[0]?.diagnostics).toEqual([]);
    // The call, the two fragments, the statement using them, and the interpolated table name.
    expect(report.files[0]?.sites).toEqual({ analysed: 0, unknown: 5 });
    expect(report.files[0]?.statements).toBe(0);
  });

  it('uses the manifest’s embedded_sql tags and calls; `!pattern` leaves out a built-in one', async () => {
    const manifest = `${MANIFEST}\nembedded_sql: { tags: [q, "!sql"], calls: ["db.run", "!**.query"] }\n`.replace(/\nembedded_sql:[^\n]*\n {2}tags:[^\n]*\n {2}calls:[^\n]*\n/, '\n');
    const dir = project('custom', {
      'limitless.yaml': manifest,
      'c.ts': 'q`SELECT * FROM accounts`;\ndb.run("SELECT * FROM accounts");\nsql`SELECT * FROM accounts`;\npool.query("SELECT * FROM accounts");\n',
    });
    const { report } = await runJson(['c.ts'], { cwd: dir });
    expect(report.files[0]?.sites).toEqual({ analysed: 2, unknown: 0 });
    expect(report.files[0]?.diagnostics.map((d) => d.line)).toEqual([1, 2]);
  });

  it('parses .tsx, .js, .mjs and .cjs files, JSX included', async () => {
    const query = 'pool.query("SELECT * FROM accounts")';
    const dir = project('kinds', {
      'a.tsx': `export const A = () => <div>{String(${query})}</div>;\nconst n = <T,>(x: T) => x;\n`,
      'b.js': `export const B = () => <p>{${query}}</p>;\n`,
      'c.mjs': `export default ${query};\n`,
      'd.cjs': `module.exports = ${query};\n`,
      'e.mts': `export const e: Promise<unknown> = ${query};\n`,
      'types.d.ts': 'declare const x: number;\n',
    });
    const { code, report } = await runJson(['.'], { cwd: dir });
    expect(code).toBe(1);
    expect(report.files.map((f) => [f.path, f.sites?.analysed, f.diagnostics.length])).toEqual([
      ['a.tsx', 1, 1],
      ['b.js', 1, 1],
      ['c.mjs', 1, 1],
      ['d.cjs', 1, 1],
      ['e.mts', 1, 1],
    ]);
  });

  it('skips a TypeScript file that does not parse, naming the parser message and position: exit 2', async () => {
    const dir = project('broken', {
      'ok.ts': 'pool.query("SELECT 1");\n',
      'broken.ts': 'const a = 1;\nexport function f( {\n  return pool.query("SELECT 1");\n}\n',
    });
    const { code, stdout, stderr } = await runCli(['.'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toBe("limitless-lint: broken.ts: not parsed as TypeScript/JavaScript: Expected `:` but found `Identifier` (line 3, column 10); its SQL is not linted\n");
    expect(stdout).toContain('1 statement in 1 file (0 parse errors); 1 path not linted');
  });

  it('does not parse a file without any tag or call name: it cannot hold SQL', async () => {
    expect(mayHoldSites('export const x = 1;', { tags: ['sql'], calls: ['*.query'] })).toBe(false);
    expect(mayHoldSites('db.query(text)', { tags: ['sql'], calls: ['*.query'] })).toBe(true);
    expect(mayHoldSites('Prisma.sql`x`', { tags: ['Prisma.sql'], calls: [] })).toBe(true);
    expect(mayHoldSites('anything', { tags: ['sql'], calls: ['db.*'] })).toBe(true);
    const dir = project('no-sites', { 'flow.js': '// @flow\nfunction f(x: ?number) {}\n' });
    const { code, report } = await runJson(['flow.js'], { cwd: dir });
    expect(code).toBe(0);
    expect(report.files[0]?.sites).toEqual({ analysed: 0, unknown: 0 });
  });

  it('reports parse errors of embedded SQL at their position in the file', async () => {
    const dir = project('sql-error', { 'e.ts': 'pool.query(\n  "SELEC * FROM accounts"\n);\n' });
    const { code, report } = await runJson(['e.ts'], { cwd: dir });
    expect(code).toBe(1);
    expect(report.files[0]?.diagnostics.map((d) => [d.ruleId, d.line, d.column, d.endColumn])).toEqual([['parse-error', 2, 4, 9]]);
    expect(report.summary.parseErrors).toBe(1);
  });
});

describe('explain on TypeScript files', () => {
  it('gives each statement of each site its route at its position in the file, and unknown sites as unknown', async () => {
    const { code, stdout } = await runCli(['explain', '--format', 'json', PAYMENTS]);
    expect(code).toBe(0);
    const explained = JSON.parse(stdout) as ExplainedStatement[];
    expect(explained.map((s) => [s.line, s.column, s.route, s.unknownReason])).toEqual([
      [5, 22, 'single-shard', undefined],
      [10, 30, 'all-shards', undefined],
      [16, 5, 'single-shard', undefined],
      [27, 21, 'unknown', 'non-literal-sql'],
    ]);
    expect(explained[2]?.sql).toContain('WHERE t.account_id = $1\n       AND t.created_at > $2');
    expect(explained[3]?.sql).toBe('pool.query(text, [accountId])');
  });

  it('prints text with file:line:column of the TypeScript file', async () => {
    const { code, stdout } = await runCli(['explain', CRLF]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${CRLF}:6:5\n  SET statement_timeout = 5000\n  none fan-out 0\n`);
    expect(stdout).toContain(`${CRLF}:7:25\n  SELECT * FROM ledger_entries WHERE entry_id = $1\n  all-shards fan-out 16\n`);
  });
});
