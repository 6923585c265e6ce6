/**
 * The manifest's schema as DDL for an embedded PostgreSQL (docs/verify-local.md): every sharded table
 * hash-partitioned on its shard key with one partition per shard (`MODULUS` = the shard count, capped),
 * so that partition pruning shows which shards a plan touches; reference, standard and unknown tables as
 * plain tables.
 */
import type { LearnedTable, Manifest } from '@limitless-lint/core';

/** At most this many partitions per sharded table: enough to tell one, a few and all shards apart. */
export const MAX_PARTITIONS = 32;

/** The type of a shard-key or sequence column no manifest or DDL gives a type: Limitless keys are mostly integers. */
export const DEFAULT_KEY_TYPE = 'bigint';

/** Suffix of a partition's name: `accounts__shard_3` holds shard 3 of `accounts`. */
export const PARTITION_SUFFIX = '__shard_';

export interface LocalSchema {
  /** The statements that create it, in order. */
  readonly ddl: readonly string[];
  /** Partitions (= shards) per sharded table. */
  readonly modulus: number;
  /** Sharded tables by `schema.name` key. */
  readonly sharded: ReadonlySet<string>;
  /** Where each column's type came from, for the report: `manifest`, `ddl` or `default`. */
  readonly typeSources: ReadonlyMap<string, 'manifest' | 'ddl' | 'default'>;
}

/**
 * A column that neither the manifest nor the DDL gives a type: typed from its name (`*_id` bigint,
 * `*_at` timestamptz …), else text. Only for columns that no comparison with a shard key involves.
 */
export function guessType(column: string): string {
  if (/[a-z]Id$/.test(column)) return 'bigint';
  if (/(^|_)(id|count|qty|quantity|amount|balance|total|units|no|number|version|priority|seq|n)$/.test(column)) return 'bigint';
  if (/(^|_)(at|on|date|time|ts)$/.test(column) || /^(created|updated|deleted|expires)/.test(column)) return 'timestamptz';
  if (/^(is|has)_|(^|_)(enabled|active|flag)$/.test(column)) return 'boolean';
  return 'text';
}

/** Names are already normalised (what PostgreSQL stores): quoting them always is exact, keywords included. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** DDL types as the replay records them (without type modifiers) → a type that takes any such value. */
const SERIAL: Readonly<Record<string, string>> = {
  char: 'bpchar',
  bit: 'varbit', serial: 'integer', serial4: 'integer', bigserial: 'bigint', serial8: 'bigint', smallserial: 'smallint', serial2: 'smallint' };

/**
 * @param learned tables the DDL of the given files creates (their column types).
 * @param extra tables and columns the statements name that neither the manifest nor the DDL has
 *   (`schema.name` key → column names): created as plain tables, or as extra columns.
 */
export function localSchema(manifest: Manifest, learned: ReadonlyMap<string, LearnedTable>, extra: ReadonlyMap<string, ReadonlySet<string>>, maxPartitions = MAX_PARTITIONS): LocalSchema {
  const modulus = Math.max(1, Math.min(manifest.shards, maxPartitions));
  const ddl: string[] = [];
  const sharded = new Set<string>();
  const typeSources = new Map<string, 'manifest' | 'ddl' | 'default'>();
  const schemas = new Set<string>();
  const keys = new Set([...manifest.tables.keys(), ...learned.keys(), ...extra.keys()]);
  for (const key of [...keys].sort()) {
    const info = manifest.tables.get(key);
    const ddlTable = learned.get(key);
    const schema = info?.schema ?? ddlTable?.schema ?? key.slice(0, key.indexOf('.'));
    const name = info?.name ?? ddlTable?.name ?? key.slice(key.indexOf('.') + 1);
    const mode = info?.mode ?? ddlTable?.mode ?? 'standard';
    const shardKey = info?.shardKey ?? ddlTable?.shardKey ?? [];
    const columns = new Map<string, string>();
    const setType = (column: string, type: string, source: 'manifest' | 'ddl' | 'default') => {
      if (columns.has(column) && source === 'default') return;
      columns.set(column, type);
      typeSources.set(`${key}.${column}`, source);
    };
    // A key column named like text (`region`, `slug`) is text; any other is the default key type.
    for (const column of [...shardKey, ...(info?.sequenceColumns ?? [])]) setType(column, guessType(column) === 'text' && !/id$/i.test(column) ? 'text' : DEFAULT_KEY_TYPE, 'default');
    for (const column of extra.get(key) ?? []) setType(column, guessType(column), 'default');
    for (const c of ddlTable?.columns ?? []) if (c.type !== '') setType(c.name, SERIAL[c.type] ?? c.type, 'ddl');
    for (const [column, type] of info?.columns ?? []) setType(column, type, 'manifest');
    if (schema !== 'public' && !schemas.has(schema)) {
      schemas.add(schema);
      ddl.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
    }
    const qualified = `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
    const body = [...columns].map(([c, t]) => `${quoteIdentifier(c)} ${t}`).join(', ');
    if (mode === 'sharded' && shardKey.length > 0) {
      sharded.add(key);
      ddl.push(`CREATE TABLE ${qualified} (${body}) PARTITION BY HASH (${shardKey.map(quoteIdentifier).join(', ')})`);
      for (let i = 0; i < modulus; i++) {
        ddl.push(`CREATE TABLE ${quoteIdentifier(schema)}.${quoteIdentifier(`${name}${PARTITION_SUFFIX}${i}`)} PARTITION OF ${qualified} FOR VALUES WITH (MODULUS ${modulus}, REMAINDER ${i})`);
      }
    } else {
      ddl.push(`CREATE TABLE ${qualified} (${body})`);
    }
  }
  return { ddl, modulus, sharded, typeSources };
}
