import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { LineIndex } from '../line-index.js';
import { parseManifest } from '../manifest/parse.js';
import type { Manifest } from '../manifest/types.js';
import { loadParser } from './parser.js';
import { rewritePlaceholders } from './placeholders.js';

beforeAll(() => loadParser());

const fixture = (path: string) => readFileSync(new URL(`../../../../fixtures/psql/${path}`, import.meta.url), 'utf8');

function manifest(): Manifest {
  const r = parseManifest(fixture('limitless.yaml'));
  if (!r.ok) throw new Error('bad fixture manifest');
  return r.manifest;
}

/** Per statement: its line, kind and route; per finding: its line, rule and message id. */
function lint(file: string) {
  const text = fixture(file);
  const lines = new LineIndex(text);
  const r = analyzeSql(text, { manifest: manifest() });
  return {
    statements: r.statements.map((s) => [lines.positionAt(s.span.start).line, s.kind, s.route?.kind]),
    findings: r.diagnostics.map((d) => [lines.positionAt(d.span.start).line, d.ruleId, d.messageId]),
    stats: r.stats,
    skipped: r.skipped,
    messages: r.diagnostics.map((d) => d.message),
  };
}

describe('psql scripts (fixtures/psql)', () => {
  it('migrate.sql: variables are parameters or identifiers, meta-commands and COPY data are counted', () => {
    const r = lint('migrate.sql');
    expect(r.statements).toEqual([
      [6, 'TransactionStmt', 'none'],
      [8, 'SelectStmt', 'single-shard'], // :account, a value
      [10, 'UpdateStmt', 'single-shard'], // :'status' and :account
      [12, 'DeleteStmt', 'all-shards'],
      [14, 'unanalysable', 'unknown'], // :"schema" is an identifier
      [16, 'unanalysable', 'unknown'],
      [18, 'CopyStmt', 'reference'],
      [23, 'SelectStmt', 'single-shard'], // ${tenant} and {{ invoice }}, values
      [25, 'unanalysable', 'unknown'], // ${schema}.fn(): SQL text, not a value
      [27, 'TransactionStmt', 'none'],
    ]);
    expect(r.findings).toEqual([
      [12, 'require-shard-key', 'missingShardKey'],
      [12, 'no-multi-shard-write', 'allShards'],
      [14, 'unanalysable', 'placeholder'],
      [16, 'unanalysable', 'placeholder'],
      [18, 'no-reference-table-write', 'referenceWrite'],
      [25, 'unanalysable', 'placeholder'],
    ]);
    expect(r.stats).toMatchObject({ statements: 10, parseErrors: 0, metaCommands: 3, copyDataBlocks: 1 });
    expect(r.skipped).toEqual({ metaCommandChars: 48, copyDataChars: 25, unterminatedCopyData: 0, unanalysable: 3 });
  });

  it('unterminated-copy.sql: a warning names the line from which the data swallowed the rest', () => {
    const r = lint('unterminated-copy.sql');
    expect(r.statements).toEqual([[2, 'CopyStmt', 'reference']]);
    expect(r.findings).toContainEqual([2, 'unanalysable', 'unterminatedCopy']);
    expect(r.messages.find((m) => m.startsWith('COPY'))).toMatch(/from line 3 to the end of the text \(line 8\)/);
    expect(r.skipped).toMatchObject({ unterminatedCopyData: 1, copyDataChars: 67 });
  });
});

describe('placeholders in statements', () => {
  it('an unanalysable finding is suppressed like a rule', () => {
    const sql = '-- limitless-lint-ignore unanalysable: templated\nCREATE SCHEMA :schema;\nCREATE SCHEMA :other;';
    const r = analyzeSql(sql);
    expect(r.diagnostics.map((d) => [d.ruleId, d.messageId, d.span.start])).toEqual([['unanalysable', 'placeholder', sql.indexOf(':other')]]);
  });

  it('a statement that parses as written is not rewritten (a slice is not a variable)', () => {
    const r = analyzeSql('SELECT (ARRAY[1,2,3])[1:n] FROM t, LATERAL (SELECT 2 AS n) x;');
    expect(r.statements.map((s) => [s.kind, s.parameters])).toEqual([['SelectStmt', undefined]]);
  });

  it('a syntax error elsewhere stays a parse-error, at its position', () => {
    const sql = 'SELECT * FROM accounts WHERE account_id = :id AND AND x;';
    const r = analyzeSql(sql);
    expect(r.diagnostics.map((d) => [d.ruleId, d.span.start])).toEqual([['parse-error', sql.indexOf('AND x')]]);
  });
});

describe('rewritePlaceholders', () => {
  it.each([
    ['sqlc', 'SELECT @a, @bb', 'SELECT $1, $2 '],
    ['sqlc', "SELECT sqlc.arg(x), sqlc.narg('x')", `SELECT $1${' '.repeat(9)}, $1${' '.repeat(12)}`],
    ['sqlc', 'SELECT sqlc.embed(t) FROM t', 'SELECT t.*           FROM t'],
    ['sqlc', "SELECT '@a', \"@a\", $$@a$$ -- @a\n, @a", "SELECT '@a', \"@a\", $$@a$$ -- @a\n, $1"],
    ['sqlc', 'SELECT a @> b, @@x, 1 @ 2', 'SELECT a @> b, @@x, 1 @ 2'],
    ['psql', "SELECT :a, :'b', :\"c\", x::int", "SELECT $1, $2  , \":c\", x::int"],
    ['psql', 'SELECT ${a}, {{ b }}', `SELECT $1  , $2${' '.repeat(5)}`],
    ['psql', "SELECT ':a' -- :a", "SELECT ':a' -- :a"],
  ] as const)('%s: %j', (dialect, sql, expected) => {
    const r = rewritePlaceholders(sql, dialect);
    expect(r.text).toBe(expected);
    expect(r.text.length).toBe(sql.length);
  });

  it('records every occurrence of a parameter with its position', () => {
    const r = rewritePlaceholders('WHERE a = @id OR b = @id', 'sqlc');
    expect(r.parameters).toEqual([{ number: 1, name: 'id', written: '@id', spans: [{ start: 10, end: 13 }, { start: 21, end: 24 }] }]);
  });
});

describe('configurable template placeholders', () => {
  const sql = 'SELECT * FROM accounts WHERE account_id = __TENANT__;';
  const m = () => manifest();

  it('a pattern given in the options makes its placeholders parameters', () => {
    const r = analyzeSql(sql, { manifest: m(), templatePlaceholders: [/__([A-Z_]+?)__/] });
    expect(r.statements.map((s) => [s.kind, s.route?.kind, s.parameters?.map((p) => p.written)])).toEqual([['SelectStmt', 'single-shard', ['__TENANT__']]]);
  });

  it('without it, the statement is what PostgreSQL reads (a comparison of two columns), and the cache keeps the two apart', () => {
    analyzeSql(sql, { manifest: m(), templatePlaceholders: [/__([A-Z_]+?)__/] });
    expect(analyzeSql(sql, { manifest: m() }).statements.map((s) => [s.kind, s.route?.kind])).toEqual([['SelectStmt', 'all-shards']]);
  });

  it('a configured placeholder where a name goes makes the statement unanalysable', () => {
    const r = analyzeSql('SELECT * FROM __SCHEMA__.accounts WHERE account_id = 1;', { manifest: m(), templatePlaceholders: [/__([A-Z_]+?)__/] });
    expect(r.statements.map((s) => [s.kind, s.route?.kind])).toEqual([['unanalysable', 'unknown']]);
  });
});
