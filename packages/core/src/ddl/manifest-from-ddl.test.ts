import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { parseManifest } from '../manifest/parse.js';
import type { Manifest, TableInfo } from '../manifest/types.js';
import { loadParser } from '../sql/parser.js';
import { parseStatements } from '../sql/statements.js';
import { parse as parseYaml } from 'yaml';
import { manifestFromDdl, yamlComment, yamlScalar } from './manifest-from-ddl.js';
import type { LearnedTable } from './replay.js';
import { DdlReplay } from './replay.js';

const DEMO = fileURLToPath(new URL('../../../../fixtures/demo/', import.meta.url));

beforeAll(() => loadParser());

/** A manifest's tables without where they are declared (the only field that differs between files). */
function tablesOf(manifest: Manifest): Map<string, Omit<TableInfo, 'declaredAt'>> {
  return new Map([...manifest.tables].map(([key, { declaredAt: _at, ...rest }]) => [key, rest]));
}

function parsed(text: string): Manifest {
  const result = parseManifest(text);
  if (!result.ok) throw new Error(`generated manifest does not parse: ${result.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join('; ')}\n${text}`);
  return result.manifest;
}

function learned(sql: string, searchPath?: readonly string[]): ReadonlyMap<string, LearnedTable> {
  const replay = new DdlReplay(searchPath);
  for (const s of parseStatements(sql).statements) replay.step(s);
  return replay.tables;
}

describe('manifestFromDdl', () => {
  it('reproduces the tables of the demo manifest from the demo migrations', () => {
    const files = readdirSync(`${DEMO}migrations`).filter((f) => f.endsWith('.sql')).sort();
    let known: ReadonlyMap<string, LearnedTable> = new Map();
    for (const f of files) known = analyzeSql(readFileSync(`${DEMO}migrations/${f}`, 'utf8'), { knownTables: known }).learnedTables;
    const text = manifestFromDdl(known, { sources: files.map((f) => `migrations/${f}`) });
    const demo = parseManifest(readFileSync(`${DEMO}limitless.yaml`, 'utf8'));
    if (!demo.ok) throw new Error('the demo manifest does not parse');
    expect(tablesOf(parsed(text))).toEqual(tablesOf(demo.manifest));
    expect(text).toContain('#   migrations/0001_reference_tables.sql');
  });

  it('writes a non-integer shard key type', () => {
    const text = manifestFromDdl(learned("SET rds_aurora.limitless_create_table_mode = 'sharded'; SET rds_aurora.limitless_create_table_shard_key = '{\"slug\"}'; CREATE TABLE tenants (slug text, n bigint);"), {});
    expect(parsed(text).tables.get('public.tenants')?.columns?.get('slug')).toBe('text');
  });

  it('writes the demo manifest in order: reference, sharded by collocation group, standard', () => {
    const files = readdirSync(`${DEMO}migrations`).sort();
    const sql = files.map((f) => readFileSync(`${DEMO}migrations/${f}`, 'utf8')).join('\n');
    const text = manifestFromDdl(learned(sql), { shards: 16 });
    const order = [...text.matchAll(/^ {2}(\w+):$/gm)].map((m) => m[1]);
    expect(order).toEqual(['countries', 'currencies', 'accounts', 'ledger_entries', 'payment_methods', 'transactions', 'merchants', 'audit_log', 'feature_flags']);
    expect(text).toContain('shards: 16                      # shard count, used for fan-out figures');
    expect(text).toContain('unknown_tables: warn');
  });

  const roundTrips: { name: string; sql: string; searchPath?: readonly string[]; tables: Record<string, Partial<TableInfo>> }[] = [
    {
      name: 'names that need quoting',
      sql: `BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded'; SET LOCAL rds_aurora.limitless_create_table_shard_key = '{"Tenant", "on"}';
            CREATE TABLE "Orders" ("Tenant" bigint, "on" int, "Id" bigserial); COMMIT;`,
      tables: { 'public.Orders': { mode: 'sharded', shardKey: ['Tenant', 'on'], sequenceColumns: ['Id'] } },
    },
    {
      name: 'tables outside the first search-path schema, collocated across schemas',
      sql: `BEGIN; SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded'; SET LOCAL rds_aurora.limitless_create_table_shard_key = '{"id"}';
            CREATE TABLE billing.accounts (id bigint); SET LOCAL rds_aurora.limitless_create_table_collocate_with = 'billing.accounts';
            CREATE TABLE invoices (id bigint); COMMIT; CREATE TABLE archive.log (n serial);`,
      tables: {
        'billing.accounts': { mode: 'sharded', shardKey: ['id'] },
        'public.invoices': { mode: 'sharded', collocateWith: 'billing.accounts', collocationGroup: 'billing.accounts' },
        'archive.log': { mode: 'standard', sequenceColumns: ['n'] },
      },
    },
    {
      name: 'a collocation chain keeps its root',
      sql: `CREATE TABLE a (k int); CREATE TABLE b (k int); CREATE TABLE c (k int);
            CALL rds_aurora.limitless_alter_table_type_sharded('a', ARRAY['k']);
            CALL rds_aurora.limitless_alter_table_type_sharded('b', ARRAY['k'], 'a');
            CALL rds_aurora.limitless_alter_table_type_sharded('c', ARRAY['k'], 'b');`,
      tables: { 'public.c': { collocateWith: 'public.b', collocationGroup: 'public.a' } },
    },
    {
      name: 'a collocation the manifest would reject is left as a comment',
      sql: `CREATE TABLE r (k int PRIMARY KEY); CALL rds_aurora.limitless_alter_table_type_reference('r');
            CREATE TABLE s (k int); CALL rds_aurora.limitless_alter_table_type_sharded('s', ARRAY['k'], 'r');
            CALL rds_aurora.limitless_alter_table_type_sharded('t', ARRAY['k'], 'missing');`,
      tables: { 'public.r': { mode: 'reference' }, 'public.s': { mode: 'sharded', shardKey: ['k'], collocationGroup: 'public.s' }, 'public.t': { mode: 'sharded', collocationGroup: 'public.t' } },
    },
  ];
  it.each(roundTrips)('round-trips $name', ({ sql, searchPath, tables }) => {
    const ddl = learned(sql, searchPath);
    const manifest = parsed(manifestFromDdl(ddl, searchPath ? { searchPath } : {}));
    for (const [key, expected] of Object.entries(tables)) expect(manifest.tables.get(key), key).toMatchObject(expected);
    expect([...manifest.tables.keys()].sort()).toEqual([...ddl.keys()].sort());
  });

  it('comments out a sharded table created without a shard key', () => {
    const text = manifestFromDdl(learned("SET rds_aurora.limitless_create_table_mode = 'sharded'; CREATE TABLE t (id int);"));
    expect(text).toContain('  # t: { mode: sharded, shard_key: [] }');
    expect(parsed(text).tables.size).toBe(0);
  });

  it('writes an empty manifest for no tables', () => {
    const text = manifestFromDdl(new Map(), { shards: 4, searchPath: ['app'] });
    expect(text).toContain('tables: {}');
    expect(parsed(text)).toMatchObject({ shards: 4, searchPath: ['app'] });
  });
});

describe('yamlScalar and yamlComment', () => {
  // Names a catalog may hold: line breaks, quotes, YAML indicators, control characters, U+2028.
  const NAMES = ['accounts', 'true', 'line\nbreak', "it's", 'say "hi"', '# not a comment', 'key: value', 'back\\slash', 'tab\there', 'esc\u001b[31mred', 'bell\u0007', 'del\u007f', 'c1\u009b', 'ls\u2028ps\u2029', '\ufeffbom', ' spaced ', '-', ''];

  it.each(NAMES)('%j reads back unchanged, on one line, without raw control characters', (name) => {
    const scalar = yamlScalar(name);
    expect(parseYaml(`key: ${scalar}  # ${yamlComment(name)}\n`)).toEqual({ key: name });
    expect(parseYaml(`- ${scalar}\n`)).toEqual([name]);
    // eslint-disable-next-line no-control-regex
    expect(`${scalar} ${yamlComment(name)}`).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/);
  });
});
