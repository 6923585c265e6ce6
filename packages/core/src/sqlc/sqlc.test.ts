import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyzeOptions, AnalyzeResult } from '../analyze.js';
import { analyzeSql } from '../analyze.js';
import { parseManifest } from '../manifest/parse.js';
import type { Manifest } from '../manifest/types.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const fixture = (path: string) => readFileSync(new URL(`../../../../fixtures/sqlc/${path}`, import.meta.url), 'utf8');

function manifest(): Manifest {
  const r = parseManifest(fixture('limitless.yaml'));
  if (!r.ok) throw new Error('bad fixture manifest');
  return r.manifest;
}

/** Per query: its route, fan-out and the rules that report it. */
function verdicts(result: AnalyzeResult): Record<string, [string | undefined, number | undefined, string[]]> {
  return Object.fromEntries(
    result.statements.map((s) => [s.query?.name ?? `#${s.index}`, [s.route?.kind, s.route?.fanout, result.diagnostics.filter((d) => d.statement === s.index).map((d) => d.ruleId)]]),
  );
}

const lint = (file: string, options: AnalyzeOptions = {}) => analyzeSql(fixture(file), { manifest: manifest(), ...options });

describe('sqlc query files (fixtures/sqlc)', () => {
  const expected: Record<string, Record<string, [string, number, string[]]>> = {
    'accounts.sql': {
      GetAccount: ['single-shard', 1, []],
      ListAccountsByPlan: ['all-shards', 8, ['require-shard-key']],
      // sqlc.embed(u) is u.*; both tables pinned through the join on the shard key.
      GetUserWithAccount: ['single-shard', 1, []],
      RenameAccount: ['single-shard', 1, []],
      UsersByEmail: ['all-shards', 8, ['require-shard-key']],
    },
    'invoices.sql': {
      ListInvoices: ['single-shard', 1, []],
      InvoicesByIds: ['multi-shard', 8, ['require-shard-key']],
      // sqlc.slice is a list: never one shard.
      InvoicesIn: ['multi-shard', 8, ['require-shard-key']],
      // :copyfrom and :batch* run the statement for many parameter rows: the union of their shards.
      InsertInvoices: ['multi-shard', 8, ['no-multi-shard-write']],
      CloseInvoice: ['multi-shard', 8, ['require-shard-key', 'no-multi-shard-write']],
      GetInvoices: ['multi-shard', 8, ['require-shard-key']],
      // … unless the shard key is a constant.
      InsertHouseInvoice: ['single-shard', 1, []],
      CountInvoices: ['single-shard', 1, []],
    },
  };

  it.each(Object.keys(expected))('queries/%s: routes and findings per query', (file) => {
    expect(verdicts(lint(`queries/${file}`))).toEqual(expected[file]);
  });

  it.each(Object.keys(expected))('numbered/%s: the same queries with $n parameters get the same verdicts', (file) => {
    expect(verdicts(lint(`numbered/${file}`))).toEqual(verdicts(lint(`queries/${file}`)));
  });

  it('read as plain PostgreSQL, the placeholders would change verdicts (what the sqlc reading fixes)', () => {
    const plain = verdicts(lint('queries/accounts.sql', { sqlc: false }));
    expect(plain['#0']?.[0]).not.toBe('single-shard');
  });

  it('names the query and its parameters in reports, reasons and messages', () => {
    const r = lint('queries/invoices.sql');
    const copy = r.statements.find((s) => s.query?.name === 'InsertInvoices');
    expect(copy?.query).toEqual({ name: 'InsertInvoices', command: 'copyfrom' });
    expect(copy?.parameters?.map((p) => [p.number, p.written])).toEqual([
      [1, '@account_id'],
      [2, '@invoice_id'],
      [3, '@currency'],
      [4, '@amount'],
    ]);
    expect(copy?.route?.reasons[0]).toBe('invoices: account_id = @account_id, with many values (sqlc :copyfrom loads many parameter rows with one COPY) → up to all 8 shards');
    expect(copy?.route?.reasons).toContain('sqlc query InsertInvoices (:copyfrom); parameters @account_id = $1, @invoice_id = $2, @currency = $3, @amount = $4');
    const finding = r.diagnostics.find((d) => d.statement === copy?.index);
    expect(finding?.message).toMatch(/^InsertInvoices: This INSERT into `invoices` has account_id = @account_id, with many values/);
  });

  it('keeps exact positions: a finding underlines the text as written', () => {
    const text = fixture('queries/accounts.sql');
    const r = lint('queries/accounts.sql');
    const finding = r.diagnostics.find((d) => d.ruleId === 'require-shard-key');
    expect(text.slice(finding?.span.start, finding?.span.end)).toBe('accounts');
    for (const s of r.statements) expect(text.slice(s.span.start, s.span.end)).toMatch(/^(SELECT|UPDATE)/);
  });
});

describe('sqlc placeholders in statements', () => {
  const m = () => manifest();
  const route = (sql: string, options: AnalyzeOptions = { sqlc: true }) => analyzeSql(sql, { manifest: m(), ...options }).statements.map((s) => [s.route?.kind, s.route?.fanout]);

  it.each([
    ['@name', 'SELECT * FROM accounts WHERE account_id = @id', [['single-shard', 1]]],
    ['sqlc.arg(name)', 'SELECT * FROM accounts WHERE account_id = sqlc.arg(id)', [['single-shard', 1]]],
    ["sqlc.arg('name')", "SELECT * FROM accounts WHERE account_id = sqlc.arg('id')", [['single-shard', 1]]],
    ['sqlc.narg with a cast', 'SELECT * FROM accounts WHERE account_id = sqlc.narg(id)::bigint', [['single-shard', 1]]],
    ['the same name is the same value', 'SELECT * FROM accounts a JOIN users u ON u.user_id = a.account_id WHERE a.account_id = @id AND u.account_id = @id', [['single-shard', 1]]],
    ['different names are different values', 'SELECT * FROM accounts a JOIN users u ON u.user_id = a.account_id WHERE a.account_id = @id AND u.account_id = @other', [['router', 2]]],
    ['an @ operator is not a placeholder', "SELECT * FROM accounts WHERE account_id = 1 AND @ -2 = 2 AND '{1}'::int[] @> '{1}'", [['single-shard', 1]]],
    ['@ in strings and comments is text', "SELECT * FROM accounts WHERE name = '@id' /* @id */ AND account_id = 3", [['single-shard', 1]]],
    ['sqlc.slice is a list', 'SELECT * FROM accounts WHERE account_id IN (sqlc.slice(ids))', [['multi-shard', 8]]],
  ])('%s', (_name, sql, expected) => {
    expect(route(sql)).toEqual(expected);
  });

  it('recognises a sqlc file by its annotations alone (the default)', () => {
    expect(route('-- name: A :one\nSELECT * FROM accounts WHERE account_id = @id;', {})).toEqual([['single-shard', 1]]);
    expect(route('SELECT * FROM accounts WHERE account_id = @id;', {})).not.toEqual([['single-shard', 1]]);
  });

  it('gives short names one-digit numbers when first-occurrence numbers would not fit', () => {
    const names = 'abcdefghij'.split('');
    const sql = `SELECT * FROM accounts WHERE ${names.map((n) => `name <> @${n}xx`).join(' AND ')} AND account_id = @k`;
    const r = analyzeSql(sql, { manifest: m(), sqlc: true });
    expect(r.statements[0]?.route?.kind).toBe('single-shard');
    expect(r.statements[0]?.parameters?.find((p) => p.name === 'k')?.number).toBeLessThan(10);
  });

  it('a statement seen with two annotations is not confused by the statement cache', () => {
    const sql = 'INSERT INTO invoices (account_id, invoice_id, currency, amount) VALUES (@a, @b, @c, @d)';
    const one = analyzeSql(`-- name: X :exec\n${sql};`, { manifest: m() });
    const many = analyzeSql(`-- name: Y :copyfrom\n${sql};`, { manifest: m() });
    expect(one.statements[0]?.route?.kind).toBe('single-shard');
    expect(many.statements[0]?.route?.kind).toBe('multi-shard');
  });
});
