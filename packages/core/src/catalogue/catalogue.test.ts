import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import type { LearnedTable } from '../ddl/replay.js';
import { loadParser } from '../sql/parser.js';
import { testManifest } from '../../test/rule-tester.js';
import { TableCatalogue } from './catalogue.js';

beforeAll(() => loadParser());

const widgets = readFileSync(fileURLToPath(new URL('../../../../fixtures/catalogue/widgets.sql', import.meta.url)), 'utf8');

function findings(sql: string, knownTables?: ReadonlyMap<string, LearnedTable>) {
  const result = analyzeSql(sql, { manifest: testManifest(), cache: false, ...(knownTables && { knownTables }) });
  return { routes: result.statements.map((s) => s.route?.kind), rules: result.diagnostics.map((d) => d.ruleId) };
}

function learned(key: string, mode: LearnedTable['mode'], shardKey: string[], columns: [string, string, boolean][] = []): LearnedTable {
  const [schema = '', name = ''] = key.split('.');
  return { key, schema, name, mode, shardKey, columns: columns.map(([n, type, sequence]) => ({ name: n, type, sequence, identity: false, offset: 0 })), uniques: [] };
}

describe('table catalogue: manifest ⊕ replayed DDL', () => {
  it('gives one answer for a table the script creates sharded (fixtures/catalogue/widgets.sql)', () => {
    const { routes, rules } = findings(widgets);
    // The SELECT reads every shard of a sharded table, ordered by a distributed-sequence column; it is not unknown.
    expect(routes.at(-1)).toBe('all-shards');
    expect(rules).not.toContain('unknown-table');
    expect(rules.filter((r) => r === 'no-sequence-ordering')).toHaveLength(1);
  });

  it('routes the created table by its shard key', () => {
    const { routes, rules } = findings(`${widgets}\nSELECT name FROM widgets WHERE id = $1;`);
    expect(routes.at(-1)).toBe('single-shard');
    expect(rules).not.toContain('unknown-table');
  });

  it('lets the manifest win for the tables it lists: a plain CREATE TABLE does not make a sharded table standard', () => {
    const sql = 'CREATE TABLE accounts (account_id bigint, owner_name text);\nSELECT * FROM accounts WHERE owner_name = $1;';
    expect(findings(sql).routes.at(-1)).toBe('all-shards');
  });

  it('knows tables of other files’ DDL that the manifest does not list, below this text’s own DDL', () => {
    const known = new Map([['public.gadgets', learned('public.gadgets', 'sharded', ['gadget_id'], [['gadget_id', 'bigserial', true]])]]);
    expect(findings('SELECT * FROM gadgets WHERE gadget_id = $1', known)).toEqual({ routes: ['single-shard'], rules: [] });
    expect(findings('SELECT * FROM gadgets ORDER BY gadget_id', known).rules).toEqual(['require-shard-key', 'no-sequence-ordering']);
    expect(findings("SET rds_aurora.limitless_create_table_mode = 'reference';\nDROP TABLE gadgets;\nCREATE TABLE gadgets (gadget_id bigint);\nSELECT * FROM gadgets", known).routes.at(-1)).toBe('reference');
  });

  it('merges column knowledge: the DDL’s sequence columns and types join the manifest’s', () => {
    const manifest = testManifest();
    const tables = new Map([['public.accounts', learned('public.accounts', 'standard', [], [['account_id', 'bigint', false], ['opened_seq', 'bigserial', true]])]]);
    const catalogue = new TableCatalogue(manifest, tables);
    const accounts = catalogue.lookup(undefined, 'accounts');
    expect(accounts).toMatchObject({ source: 'manifest', mode: 'sharded', shardKey: ['account_id'] });
    expect(accounts?.sequenceColumns).toContain('opened_seq');
    expect(accounts && catalogue.columnType(accounts, 'account_id')).toBe('bigint');
    expect(catalogue.lookup('public', 'nowhere')).toBeUndefined();
  });

  it('follows a created table’s collocation to the manifest’s group', () => {
    const tables = new Map([['public.notes', { ...learned('public.notes', 'sharded', ['account_id']), collocateWith: 'public.transactions' }]]);
    const notes = new TableCatalogue(testManifest(), tables).lookup(undefined, 'notes');
    expect(notes).toMatchObject({ source: 'ddl', collocationGroup: 'public.accounts' });
  });
});

describe('tables whose placement the text does not determine are routed as unknown', () => {
  const MODE = 'SET rds_aurora.limitless_create_table_mode';
  const KEY = 'SET rds_aurora.limitless_create_table_shard_key';
  it.each([
    ['created with no mode set in the text (the server or role decides)', 'CREATE TABLE t (id int);\nSELECT * FROM t;', 'unknown'],
    ['created after RESET (back to the role or database default)', `${MODE} = 'sharded';\nRESET rds_aurora.limitless_create_table_mode;\nCREATE TABLE t (id int);\nSELECT * FROM t;`, 'unknown'],
    ['created under a mode from a psql variable', `${MODE} = :mode;\nCREATE TABLE t (id int, v int);\nSELECT * FROM t WHERE v = 3;`, 'unknown'],
    ['created sharded with an empty shard key', `${MODE} = 'sharded';\n${KEY} = '{}';\nCREATE TABLE t (id int);\nDELETE FROM t;`, 'unknown'],
    ['converted to sharded with an empty key', "CREATE TABLE t (id int);\nCALL rds_aurora.limitless_alter_table_type_sharded('t', ARRAY[]::text[]);\nDELETE FROM t;", 'unknown'],
    ['converted to sharded with a key that is not a constant', "CREATE TABLE t (id int);\nCALL rds_aurora.limitless_alter_table_type_sharded('t', ARRAY[$1]);\nDELETE FROM t WHERE id = 1;", 'unknown'],
    // Placed by the text itself: routed by it.
    ['created under SET mode standard', `${MODE} = 'standard';\nCREATE TABLE t (id int);\nSELECT * FROM t;`, 'standard'],
    ['created sharded with a key', `${MODE} = 'sharded';\n${KEY} = '{"id"}';\nCREATE TABLE t (id int);\nDELETE FROM t WHERE id = 1;`, 'single-shard'],
    ['converted to sharded with a constant key', "CREATE TABLE t (id int);\nCALL rds_aurora.limitless_alter_table_type_sharded('t', ARRAY['id']);\nDELETE FROM t WHERE id = 1;", 'single-shard'],
  ])('%s: %s', (_name, sql, route) => {
    expect(findings(sql).routes.at(-1)).toBe(route);
  });
});
