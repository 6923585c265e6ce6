import type { CreateStmt } from 'libpg-query';
import type { LearnedColumn, LearnedTable, SchemaState } from '../ddl/replay.js';
import { learnCreateTable } from '../ddl/replay.js';
import type { Manifest } from '../manifest/types.js';
import type { RuleContext } from './types.js';

/**
 * The table this CREATE TABLE creates under the session settings in force (as the replay records it),
 * if it creates one. Several rules ask about the same statement: the answer is kept per statement tree
 * and schema state.
 */
export function createdTable(context: RuleContext, c: CreateStmt): LearnedTable | undefined {
  const known = created.get(c);
  if (known && known.schema === context.schema && known.manifest === context.manifest) return known.table;
  const table = learnedFromCreate(context, c);
  created.set(c, { schema: context.schema, manifest: context.manifest, table });
  return table;
}

const created = new WeakMap<CreateStmt, { readonly schema: SchemaState; readonly manifest: Manifest | undefined; readonly table: LearnedTable | undefined }>();

function learnedFromCreate(context: RuleContext, c: CreateStmt): LearnedTable | undefined {
  const table = learnCreateTable(c, context.statement, context.schema.settings, context.schema.tables, context.catalogue.searchPath);
  // CREATE TABLE IF NOT EXISTS of a table that exists does nothing.
  if (table && c.if_not_exists && context.schema.tables.has(table.key)) return undefined;
  // Without a shard key of its own, a collocated table takes its target's; the manifest knows targets the DDL did not show.
  if (table?.mode === 'sharded' && table.shardKey.length === 0 && table.collocateWith) {
    const target = context.catalogue.byKey(table.collocateWith);
    if (target?.mode === 'sharded') return { ...table, shardKey: target.shardKey };
  }
  return table;
}

/**
 * The column a shard-key name (verbatim from an array literal) denotes: the column of that exact name,
 * else the one column whose name differs only in case (whether Limitless folds the array elements is
 * undocumented, so neither spelling is held against the user here).
 */
export function matchColumn(shardKeyColumn: string, columns: readonly string[]): string | undefined {
  if (columns.includes(shardKeyColumn)) return shardKeyColumn;
  const folded = columns.filter((c) => c.toLowerCase() === shardKeyColumn.toLowerCase());
  return folded.length === 1 ? folded[0] : undefined;
}

/** The learned column a shard-key name denotes, if any. */
export function shardKeyColumn(table: LearnedTable, shardKeyName: string): LearnedColumn | undefined {
  const name = matchColumn(shardKeyName, table.columns.map((c) => c.name));
  return name === undefined ? undefined : table.columns.find((c) => c.name === name);
}

/** `bigserial` and `bigint` are the same type for a shard key; so are `serial`/`integer` and `smallserial`/`smallint`. */
export function baseType(type: string): string {
  const serials: Record<string, string> = { serial: 'integer', serial4: 'integer', bigserial: 'bigint', serial8: 'bigint', smallserial: 'smallint', serial2: 'smallint' };
  return serials[type] ?? type;
}

/** `a, b` for messages. */
export function columnList(columns: readonly string[]): string {
  return columns.join(', ');
}

/** Whether a CREATE TABLE takes columns from elsewhere (INHERITS, LIKE), which the statement does not show. */
export function inheritsColumns(c: CreateStmt): boolean {
  return (c.inhRelations?.length ?? 0) > 0 || (c.tableElts ?? []).some((e) => 'TableLikeClause' in e);
}

/** A table key as messages show it: without the schema when that is the first of the search path. */
export function shortName(context: RuleContext, key: string): string {
  const first = context.catalogue.searchPath[0] ?? 'public';
  return key.startsWith(`${first}.`) ? key.slice(first.length + 1) : key;
}
