import type { LearnedColumn, LearnedTable, TableMode } from '@limitless-lint/core';
import { tableKey } from '@limitless-lint/core';
import { CliError } from '../util/errors.js';
import type { LiveConnection } from './connection.js';
import { parseDistributionKey, parseKeyList } from './distribution-key.js';

/** A distributed function as the catalog describes it; `shardKeyArgs` is missing when it could not be read. */
export interface CatalogFunction {
  readonly schema: string;
  readonly name: string;
  readonly shardKeyArgs?: readonly string[];
  /** Key (`schema.name`) of the sharded table it is collocated with. */
  readonly collocateWith?: string;
}

/** What `schema pull` read from a database: enough to write `limitless.yaml`. */
export interface CatalogSnapshot {
  readonly database: string;
  /** `current_schemas(false)`: where unqualified names resolve; `[public]` when empty. */
  readonly searchPath: readonly string[];
  /** False when the tables were written as standard by `--assume-standard`. */
  readonly limitless: boolean;
  readonly tables: ReadonlyMap<string, LearnedTable>;
  /** Shard count, when the catalog tells it, and from where. */
  readonly shards?: { readonly count: number; readonly source: string };
  /** `schema.name` of user functions that are IMMUTABLE in every overload (and no other schema has a non-immutable one of that name). */
  readonly immutable: readonly string[];
  /** Names left out of `immutable` because some overload is not IMMUTABLE. */
  readonly mixedVolatility: readonly string[];
  readonly distributed: readonly CatalogFunction[];
  /** Rows of rds_aurora.limitless_distributed_sequence, when the view exists. */
  readonly distributedSequences?: number;
  /** Things the user should know (an unreadable distribution key …), one sentence each. */
  readonly notes: readonly string[];
}

/** The message for a server without the Limitless catalog (asked for in the issue, word for word). */
export const NOT_LIMITLESS =
  'not an Aurora Limitless database: schema rds_aurora has no limitless_tables view; use --assume-standard to write every table as standard';

/** Schemas that never hold user tables or functions. */
const SYSTEM_SCHEMAS = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'rds_aurora') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`;

/**
 * Reads the catalog of a Limitless router (docs/limitless/system-views.md#catalog): `rds_aurora.limitless_tables` (table
 * modes and `HASH (…)` distribution keys), `limitless_table_collocations`,
 * `limitless_table_collocation_distributions` (shard count), `limitless_distributed_functions`
 * (columns undocumented: read defensively), `limitless_distributed_sequence`, and from PostgreSQL's own
 * catalog the columns (sequence defaults, identity), primary and unique keys, and the volatility of
 * user functions. With `assumeStandard`, a server without the Limitless views is read as if every
 * table were standard.
 *
 * @throws {CliError} for a server without `rds_aurora.limitless_tables` (unless `assumeStandard`), or a failed query.
 */
export async function readCatalog(connection: LiveConnection, options: { readonly assumeStandard: boolean }): Promise<CatalogSnapshot> {
  const probe = await connection.query<{
    database: string;
    search_path: string[] | null;
    tables: boolean;
    collocations: boolean;
    distributions: boolean;
    functions: boolean;
    sequences: boolean;
  }>(
    `SELECT current_database() AS database,
            current_schemas(false)::text[] AS search_path,
            to_regclass('rds_aurora.limitless_tables') IS NOT NULL AS tables,
            to_regclass('rds_aurora.limitless_table_collocations') IS NOT NULL AS collocations,
            to_regclass('rds_aurora.limitless_table_collocation_distributions') IS NOT NULL AS distributions,
            to_regclass('rds_aurora.limitless_distributed_functions') IS NOT NULL AS functions,
            to_regclass('rds_aurora.limitless_distributed_sequence') IS NOT NULL AS sequences`,
    [],
    'probe the catalog',
  );
  const found = probe.rows[0];
  if (!found) throw new CliError('could not probe the catalog: no row');
  if (!found.tables && !options.assumeStandard) throw new CliError(NOT_LIMITLESS);
  const limitless = found.tables;
  const searchPath = found.search_path && found.search_path.length > 0 ? found.search_path : ['public'];
  const notes: string[] = [];
  const relations = await readRelations(connection);

  const tables = new Map<string, LearnedTable>();
  let shards: CatalogSnapshot['shards'];
  let distributedSequences: number | undefined;
  let distributed: CatalogFunction[] = [];

  if (limitless) {
    const rows = await connection.query<{ table_gid: string | null; schema_name: string; table_name: string; table_type: string | null; distribution_key: string | null }>(
      'SELECT table_gid::text AS table_gid, schema_name::text AS schema_name, table_name::text AS table_name, table_type::text AS table_type, distribution_key::text AS distribution_key FROM rds_aurora.limitless_tables',
      [],
      'read rds_aurora.limitless_tables',
    );
    const collocationOf = new Map<string, string>();
    if (found.collocations) {
      const collocations = await connection.query<{ collocation_id: string; schema_name: string; table_name: string }>(
        'SELECT collocation_id::text AS collocation_id, schema_name::text AS schema_name, table_name::text AS table_name FROM rds_aurora.limitless_table_collocations',
        [],
        'read rds_aurora.limitless_table_collocations',
      );
      for (const c of collocations.rows) collocationOf.set(tableKey(c.schema_name, c.table_name), c.collocation_id);
    } else {
      notes.push('rds_aurora.limitless_table_collocations is missing: every sharded table is written in a collocation group of its own');
    }

    // The root of each collocation group: the table created first (lowest table_gid), as the
    // manifest's collocate_with chains need one table that names no other.
    const order = (gid: string | null) => (gid !== null && /^\d+$/.test(gid) ? BigInt(gid) : BigInt(Number.MAX_SAFE_INTEGER));
    const sorted = [...rows.rows].sort((a, b) => {
      const byGid = order(a.table_gid) - order(b.table_gid);
      return byGid < 0n ? -1 : byGid > 0n ? 1 : tableKey(a.schema_name, a.table_name) < tableKey(b.schema_name, b.table_name) ? -1 : 1;
    });
    const rootOfGroup = new Map<string, string>();
    for (const row of sorted) {
      const key = tableKey(row.schema_name, row.table_name);
      const type = (row.table_type ?? '').toLowerCase();
      if (type !== 'sharded' && type !== 'reference' && type !== 'standard') {
        notes.push(`${key}: table_type ${JSON.stringify(row.table_type)} is not sharded, reference or standard; left out`);
        continue;
      }
      let shardKey: string[] = [];
      let collocateWith: string | undefined;
      if (type === 'sharded') {
        const parsed = parseDistributionKey(row.distribution_key);
        if (parsed) shardKey = parsed;
        else notes.push(`${key}: cannot read the distribution key ${JSON.stringify(row.distribution_key)}; the table is written as a comment — declare its shard key by hand`);
        const group = collocationOf.get(key);
        if (group !== undefined && shardKey.length > 0) {
          const root = rootOfGroup.get(group);
          if (root === undefined) rootOfGroup.set(group, key);
          else collocateWith = root;
        }
      }
      tables.set(key, learnedTable(row.schema_name, row.table_name, type, shardKey, collocateWith, relations.get(key)));
    }

    shards = await readShardCount(connection, found.distributions, tables);
    if (found.functions) distributed = await readDistributedFunctions(connection, tables, notes);
    if (found.sequences) {
      const sequences = await connection.query<{ n: number }>('SELECT count(*)::int AS n FROM rds_aurora.limitless_distributed_sequence', [], 'read rds_aurora.limitless_distributed_sequence');
      distributedSequences = sequences.rows[0]?.n ?? 0;
    }
  } else {
    for (const relation of relations.values()) {
      if (relation.kind !== 'r' && relation.kind !== 'p') continue;
      tables.set(relation.key, learnedTable(relation.schema, relation.name, 'standard', [], undefined, relation));
    }
  }

  const functions = await readImmutableFunctions(connection);
  return {
    database: found.database,
    searchPath,
    limitless,
    tables,
    ...(shards && { shards }),
    immutable: functions.immutable,
    mixedVolatility: functions.mixed,
    distributed,
    ...(distributedSequences !== undefined && { distributedSequences }),
    notes,
  };
}

interface Relation {
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  readonly kind: string;
  readonly columns: readonly LearnedColumn[];
  readonly primaryKey?: readonly string[];
  readonly uniques: readonly (readonly string[])[];
}

/** Columns, sequence defaults, identity columns, primary and unique keys of every user table (not partitions). */
async function readRelations(connection: LiveConnection): Promise<Map<string, Relation>> {
  const result = await connection.query<{
    schema: string;
    name: string;
    kind: string;
    columns: { name: string; type: string; identity: boolean; nextval: boolean }[] | null;
    keys: { type: string; columns: string[] }[] | null;
  }>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, c.relkind::text AS kind,
            (SELECT json_agg(json_build_object(
                        'name', a.attname,
                        'type', format_type(a.atttypid, NULL),
                        'identity', a.attidentity <> '',
                        'nextval', coalesce(pg_get_expr(d.adbin, d.adrelid) ~ 'nextval\\(', false))
                    ORDER BY a.attnum)
               FROM pg_attribute a
               LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
            (SELECT json_agg(json_build_object(
                        'type', CASE WHEN i.indisprimary THEN 'p' ELSE 'u' END,
                        'columns', (SELECT json_agg(a.attname ORDER BY k.ord)
                                      FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum)))
               FROM pg_index i
              WHERE i.indrelid = c.oid AND i.indisunique AND i.indexprs IS NULL AND i.indpred IS NULL
                AND NOT (0 = ANY (i.indkey::int2[]))) AS keys
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND NOT c.relispartition AND ${SYSTEM_SCHEMAS}
        AND c.relpersistence = 'p'
        AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')`,
    [],
    'read the tables, columns and keys',
  );
  const out = new Map<string, Relation>();
  for (const row of result.rows) {
    const key = tableKey(row.schema, row.name);
    const keys = row.keys ?? [];
    const primary = keys.find((k) => k.type === 'p');
    out.set(key, {
      key,
      schema: row.schema,
      name: row.name,
      kind: row.kind,
      columns: (row.columns ?? []).map((c) => ({ name: c.name, type: usualTypeName(c.type), sequence: c.nextval || c.identity, identity: c.identity, offset: 0 })),
      ...(primary && { primaryKey: primary.columns }),
      uniques: keys.filter((k) => k.type === 'u').map((k) => k.columns),
    });
  }
  return out;
}

/** `format_type`'s SQL-standard names as people write them (and as DDL replay records them). */
const USUAL_TYPE_NAMES: Readonly<Record<string, string>> = {
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'character varying': 'varchar',
  character: 'char',
  'bit varying': 'varbit',
};

function usualTypeName(type: string): string {
  const array = type.endsWith('[]');
  const base = array ? type.slice(0, -2) : type;
  return `${USUAL_TYPE_NAMES[base] ?? base}${array ? '[]' : ''}`;
}

function learnedTable(schema: string, name: string, mode: TableMode, shardKey: readonly string[], collocateWith: string | undefined, relation: Relation | undefined): LearnedTable {
  return {
    key: tableKey(schema, name),
    schema,
    name,
    mode,
    shardKey,
    ...(collocateWith !== undefined && { collocateWith }),
    columns: relation?.columns ?? [],
    ...(relation?.primaryKey && { primaryKey: relation.primaryKey }),
    uniques: relation?.uniques ?? [],
  };
}

/**
 * The shard count: distinct `subcluster_id`s of `rds_aurora.limitless_table_collocation_distributions`
 * (one hash range per shard, docs/limitless/tables.md#table-types), else the most `_fs` partitions of a sharded table.
 */
async function readShardCount(connection: LiveConnection, distributionsView: boolean, tables: ReadonlyMap<string, LearnedTable>): Promise<CatalogSnapshot['shards']> {
  if (distributionsView) {
    const result = await connection.query<{ n: number }>(
      'SELECT count(DISTINCT subcluster_id)::int AS n FROM rds_aurora.limitless_table_collocation_distributions',
      [],
      'read rds_aurora.limitless_table_collocation_distributions',
    );
    const n = result.rows[0]?.n ?? 0;
    if (n > 0) return { count: n, source: 'rds_aurora.limitless_table_collocation_distributions' };
  }
  const sharded = [...tables.values()].filter((t) => t.mode === 'sharded');
  if (sharded.length === 0) return undefined;
  const result = await connection.query<{ n: number | null }>(
    `SELECT max(parts)::int AS n FROM (
       SELECT count(*) AS parts
         FROM pg_inherits i
         JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE (n.nspname, p.relname) IN (SELECT s, t FROM unnest($1::text[], $2::text[]) AS u(s, t))
        GROUP BY i.inhparent) counts`,
    [sharded.map((t) => t.schema), sharded.map((t) => t.name)],
    'count the shard partitions',
  );
  const n = result.rows[0]?.n ?? 0;
  return n > 0 ? { count: n, source: 'the _fs partitions of the sharded tables' } : undefined;
}

/**
 * User functions IMMUTABLE in every overload, without extension members; a name that has a
 * non-immutable overload anywhere is left out, since the manifest names functions without argument
 * types (and without a schema, an unqualified call matches any of them).
 */
async function readImmutableFunctions(connection: LiveConnection): Promise<{ immutable: string[]; mixed: string[] }> {
  const result = await connection.query<{ schema: string; name: string; immutable: boolean; some_immutable: boolean; name_everywhere_immutable: boolean }>(
    `WITH user_functions AS (
       SELECT n.nspname::text AS schema, p.proname::text AS name, p.provolatile
         FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE ${SYSTEM_SCHEMAS} AND p.prokind IN ('f', 'w')
          AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e'))
     SELECT schema, name,
            bool_and(provolatile = 'i') AS immutable,
            bool_or(provolatile = 'i') AS some_immutable,
            (SELECT bool_and(o.provolatile = 'i') FROM user_functions o WHERE o.name = f.name) AS name_everywhere_immutable
       FROM user_functions f
      GROUP BY schema, name
      ORDER BY schema, name`,
    [],
    'read the volatility of user functions',
  );
  const immutable: string[] = [];
  const mixed: string[] = [];
  for (const row of result.rows) {
    const name = `${row.schema}.${row.name}`;
    if (row.immutable && row.name_everywhere_immutable) immutable.push(name);
    else if (row.some_immutable) mixed.push(name);
  }
  return { immutable, mixed };
}

/** Column names that may hold each fact in rds_aurora.limitless_distributed_functions, most likely first. */
const FUNCTION_COLUMNS = {
  oid: ['local_oid', 'function_oid', 'func_oid', 'proc_oid', 'funcid', 'procid', 'oid'],
  name: ['function_name', 'func_name', 'proname', 'function', 'distributed_function', 'routine_name', 'name'],
  signature: ['function_signature', 'signature', 'prototype', 'function_prototype', 'regprocedure'],
  schema: ['schema_name', 'function_schema', 'func_schema', 'nspname', 'routine_schema', 'schema'],
  shardKey: ['distribution_key', 'shard_key', 'shard_keys', 'shard_key_args', 'shard_key_arguments', 'distribution_args', 'distribution_arguments', 'distribution_columns', 'key_args'],
  table: ['collocated_table_name', 'collocated_table', 'collocate_with', 'collocated_with', 'colocated_with', 'collocation_table', 'collocating_table', 'table_name'],
  tableSchema: ['collocated_schema_name', 'collocated_table_schema', 'collocation_schema', 'table_schema'],
} as const;

/**
 * Reads `rds_aurora.limitless_distributed_functions`, whose columns are not documented
 * (docs/limitless/system-views.md#catalog, docs/limitless/README.md#open-questions): each fact is looked for under several plausible column names (an oid resolved through
 * pg_proc, or a name or prototype such as `func(integer, integer)`; the shard-key arguments as an
 * array, an array literal or `HASH (…)`; the collocated table). What cannot be read is reported, not guessed.
 */
async function readDistributedFunctions(connection: LiveConnection, tables: ReadonlyMap<string, LearnedTable>, notes: string[]): Promise<CatalogFunction[]> {
  const result = await connection.query<Record<string, unknown>>('SELECT * FROM rds_aurora.limitless_distributed_functions', [], 'read rds_aurora.limitless_distributed_functions');
  const columns = result.fields.map((f) => f.name);
  const described = interpretFunctionRows(columns, result.rows);
  const oids = described.flatMap((d) => (d.oid !== undefined ? [d.oid] : []));
  const byOid = new Map<string, { schema: string; name: string }>();
  if (oids.length > 0) {
    const procs = await connection.query<{ oid: string; schema: string; name: string }>(
      'SELECT p.oid::text AS oid, n.nspname::text AS schema, p.proname::text AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.oid = ANY ($1::oid[])',
      [oids],
      'resolve the distributed functions',
    );
    for (const p of procs.rows) byOid.set(p.oid, { schema: p.schema, name: p.name });
  }
  const out: CatalogFunction[] = [];
  for (const d of described) {
    const resolved = d.oid !== undefined ? byOid.get(d.oid) : undefined;
    const name = resolved?.name ?? d.name;
    const schema = resolved?.schema ?? d.schema ?? 'public';
    if (name === undefined) {
      notes.push(`a row of rds_aurora.limitless_distributed_functions names no function I can read (columns: ${columns.join(', ')}); declare it under functions.distributed by hand`);
      continue;
    }
    const label = `${schema}.${name}`;
    if (!d.shardKeyArgs) notes.push(`${label}: cannot read its shard-key arguments from rds_aurora.limitless_distributed_functions (columns: ${columns.join(', ')}); it is written as a comment`);
    let collocateWith: string | undefined;
    if (d.table !== undefined) {
      const key = d.table.includes('.') ? d.table : tableKey(d.tableSchema ?? schema, d.table);
      if (tables.get(key)?.mode === 'sharded') collocateWith = key;
      else notes.push(`${label}: collocated with ${key}, which is not a sharded table here`);
    }
    out.push({ schema, name, ...(d.shardKeyArgs && { shardKeyArgs: d.shardKeyArgs }), ...(collocateWith !== undefined && { collocateWith }) });
  }
  return out;
}

interface FunctionRow {
  readonly oid?: string;
  readonly schema?: string;
  readonly name?: string;
  readonly shardKeyArgs?: string[];
  readonly table?: string;
  readonly tableSchema?: string;
}

/** Interprets rows of rds_aurora.limitless_distributed_functions whatever their columns (exported for tests). */
export function interpretFunctionRows(columns: readonly string[], rows: readonly Record<string, unknown>[]): FunctionRow[] {
  const lower = new Map(columns.map((c) => [c.toLowerCase(), c]));
  const column = (candidates: readonly string[]) => candidates.map((c) => lower.get(c)).find((c) => c !== undefined);
  const text = (row: Record<string, unknown>, candidates: readonly string[]): string | undefined => {
    const c = column(candidates);
    const value = c === undefined ? undefined : row[c];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
  };
  return rows.map((row) => {
    const oidText = text(row, FUNCTION_COLUMNS.oid);
    const oid = oidText !== undefined && /^\d+$/.test(oidText) ? oidText : undefined;
    let name = text(row, FUNCTION_COLUMNS.name);
    let schema = text(row, FUNCTION_COLUMNS.schema);
    const signature = text(row, FUNCTION_COLUMNS.signature);
    // A prototype `schema.func(integer, integer)`, as given to limitless_distribute_function, or a qualified name.
    const qualified = (name ?? signature)?.replace(/\(.*$/s, '').trim();
    if (qualified !== undefined) {
      const parts = qualified.split('.').map((p) => p.replace(/^"(.*)"$/, '$1'));
      name = parts[parts.length - 1];
      if (parts.length > 1) schema = parts[0];
    }
    const shardKeyColumn = column(FUNCTION_COLUMNS.shardKey);
    const shardKeyArgs = shardKeyColumn === undefined ? undefined : parseKeyList(row[shardKeyColumn]);
    const tableSchema = text(row, FUNCTION_COLUMNS.tableSchema);
    const tableName = text(row, FUNCTION_COLUMNS.table);
    const table = tableName?.replace(/"/g, '');
    return {
      ...(oid !== undefined && { oid }),
      ...(schema !== undefined && { schema }),
      ...(name !== undefined && name !== '' && { name }),
      ...(shardKeyArgs && { shardKeyArgs }),
      ...(table !== undefined && { table }),
      ...(tableSchema !== undefined && { tableSchema }),
    };
  });
}
