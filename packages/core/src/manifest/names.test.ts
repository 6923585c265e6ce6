import { describe, expect, it } from 'vitest';
import { lookupTable, normalizeIdentifier, parseIdentifierChain, parseQualifiedName, tableKey } from './names.js';
import { parseManifest } from './parse.js';
import type { Manifest } from './types.js';

describe('normalizeIdentifier', () => {
  it.each([
    { raw: 'accounts', expected: 'accounts' },
    { raw: 'Accounts', expected: 'accounts' },
    { raw: 'ACCOUNT_ID$2', expected: 'account_id$2' },
    { raw: '"Accounts"', expected: 'Accounts' },
    { raw: '"my ""quoted"" name"', expected: 'my "quoted" name' },
    { raw: '"with.dot"', expected: 'with.dot' },
    // Only ASCII letters are folded, as PostgreSQL does in UTF-8 databases.
    { raw: 'ÄRGER', expected: 'Ärger' },
    // Truncated to 63 bytes, never inside a character.
    { raw: 'a'.repeat(70), expected: 'a'.repeat(63) },
    { raw: `"${'é'.repeat(40)}"`, expected: 'é'.repeat(31) },
  ])('$raw → $expected', ({ raw, expected }) => {
    expect(normalizeIdentifier(raw)).toBe(expected);
  });
});

describe('parseIdentifierChain', () => {
  it.each([
    { text: 'a', expected: ['a'] },
    { text: 'Billing.Accounts', expected: ['billing', 'accounts'] },
    { text: '"Billing"."Accounts"', expected: ['Billing', 'Accounts'] },
    { text: '"a.b".c', expected: ['a.b', 'c'] },
    { text: ' billing . "X" ', expected: ['billing', 'X'] },
    { text: 'db.billing.accounts', expected: ['db', 'billing', 'accounts'] },
  ])('$text', ({ text, expected }) => {
    expect(parseIdentifierChain(text)).toEqual(expected);
  });

  it.each(['', ' ', '1abc', 'a b', 'a.', '.a', 'a..b', '"unterminated', '""', '"a"b', 'a-b', 'a;'])('rejects %j', (text) => {
    expect(parseIdentifierChain(text)).toBeUndefined();
  });
});

describe('parseQualifiedName', () => {
  it.each([
    { text: 'accounts', searchPath: ['public'], expected: { schema: 'public', name: 'accounts' } },
    { text: 'Accounts', searchPath: ['app', 'public'], expected: { schema: 'app', name: 'accounts' } },
    { text: 'billing.accounts', searchPath: ['public'], expected: { schema: 'billing', name: 'accounts' } },
    { text: '"Billing"."Accounts"', searchPath: ['public'], expected: { schema: 'Billing', name: 'Accounts' } },
    { text: 'Billing."Accounts"', searchPath: ['public'], expected: { schema: 'billing', name: 'Accounts' } },
  ])('$text in $searchPath', ({ text, searchPath, expected }) => {
    expect(parseQualifiedName(text, searchPath)).toEqual(expected);
  });

  it.each(['db.billing.accounts', 'a b', ''])('rejects %j', (text) => {
    expect(parseQualifiedName(text, ['public'])).toBeUndefined();
  });
});

describe('tableKey', () => {
  it('joins normalised parts with a dot', () => {
    expect(tableKey('Billing', 'accounts')).toBe('Billing.accounts');
  });
});

describe('lookupTable', () => {
  const result = parseManifest(`search_path: [app, public]
tables:
  users: { mode: standard }
  public.users: { mode: reference }
  public.orders: { mode: standard }
  '"Audit"."Log"': { mode: standard }
`);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const manifest: Manifest = result.manifest;
  const keyOf = (schema: string | undefined, name: string) => lookupTable(manifest, schema, name)?.key;

  it('tries each search_path schema in order for an unqualified name', () => {
    expect(keyOf(undefined, 'users')).toBe('app.users');
    expect(keyOf(undefined, 'orders')).toBe('public.orders');
  });

  it('uses the schema when one is given', () => {
    expect(keyOf('public', 'users')).toBe('public.users');
    expect(keyOf('app', 'orders')).toBeUndefined();
    expect(keyOf('Audit', 'Log')).toBe('Audit.Log');
  });

  it('takes names already normalised, so case matters', () => {
    expect(keyOf(undefined, 'Users')).toBeUndefined();
    expect(keyOf('audit', 'log')).toBeUndefined();
  });

  it('returns undefined for a table not in the manifest', () => {
    expect(keyOf(undefined, 'missing')).toBeUndefined();
  });
});
