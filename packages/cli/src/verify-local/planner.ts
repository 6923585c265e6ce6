/**
 * PostgreSQL's own planner as a second opinion, embedded (PGlite: PostgreSQL compiled to WebAssembly, no
 * server). Each statement is PREPAREd against the local schema (schema.ts), so PostgreSQL resolves its
 * parameter types, casts and overloads exactly as a server would; then `EXPLAIN (VERBOSE, COSTS OFF)
 * EXECUTE` with made-up values for the parameters shows the partitions (= shards) the plan keeps after
 * plan-time and run-time pruning (pruned ones are gone, counted under `Subplans Removed`). An INSERT's
 * rows are routed only when it runs: it is executed inside a transaction that is rolled back, and the
 * partitions that received rows are read back.
 *
 * PGlite is imported here only, and this module only from the `verify --local` command: nothing else
 * pays for loading it.
 */
import type { ParameterType, ParameterTypeRow } from '../live/sample-values.js';
import { PARAMETER_TYPES_SQL, parameterTypeOf, sampleValue, sqlLiteral } from '../live/sample-values.js';
import type { LocalSchema } from './schema.js';
import { PARTITION_SUFFIX } from './schema.js';

/** What the planner says about one statement. */
export type PlanResult =
  | {
      readonly ok: true;
      /** Shard numbers (partition remainders) each sharded table touches, by `schema.name` key. */
      readonly partitions: ReadonlyMap<string, ReadonlySet<number>>;
      /**
       * Tables every scan of which is filtered by a column of an outer row (a correlated subquery, a
       * parameterized nested loop): PostgreSQL prunes them once per outer row, when executing, which
       * EXPLAIN without ANALYZE cannot show. Their partition counts say nothing.
       */
      readonly atExecution: ReadonlySet<string>;
      /** Whether pruning happened at run time (`Subplans Removed`), not only when planning. */
      readonly runtimePruning: boolean;
      /** The values bound to `$1`, `$2` … (variant 0). */
      readonly parameters: readonly (string | null)[];
      /** The plan (variant 0), one line per element. */
      readonly lines: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/** The parts of PGlite this module uses. */
interface Db {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  close(): Promise<void>;
}

/** Parameter values are made up twice, differently, so that distinct values can show distinct shards. */
const VARIANTS = [0, 7];

const SCAN = /\b(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Tid Scan|Tid Range Scan|Sample Scan)(?: Backward)?(?: using \S+)? on ((?:"(?:[^"]|"")*"|[^\s."]+)\.(?:"(?:[^"]|"")*"|[^\s."]+))/g;

export class LocalPlanner {
  private counter = 0;

  private constructor(
    private readonly db: Db,
    /** Partition as EXPLAIN VERBOSE prints it (`public.accounts__shard_3`) → its table and shard. */
    private readonly partitionsByName: ReadonlyMap<string, { readonly table: string; readonly shard: number }>,
    /** Sharded tables as a query names them (`"public"."accounts"`), for reading back INSERTed rows. */
    private readonly shardedNames: ReadonlyMap<string, string>,
  ) {}

  /** Starts an embedded PostgreSQL and creates the schema in it. */
  static async open(schema: LocalSchema): Promise<LocalPlanner> {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = (await PGlite.create()) as unknown as Db;
    try {
      for (const statement of schema.ddl) await db.exec(statement);
      // Collocated tables join shard by shard, as the Limitless router pushes a collocated join down:
      // with partition-wise joins PostgreSQL prunes the pairs of partitions like the router prunes shards.
      await db.exec('SET enable_partitionwise_join = on; SET enable_partitionwise_aggregate = on');
      const rows = (
        await db.query<{ printed: string; relname: string; parent: string }>(`
          SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS printed, c.relname,
                 pn.nspname || '.' || p.relname AS parent
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_inherits i ON i.inhrelid = c.oid JOIN pg_class p ON p.oid = i.inhparent
            JOIN pg_namespace pn ON pn.oid = p.relnamespace
           WHERE c.relispartition`)
      ).rows;
      const byName = new Map<string, { table: string; shard: number }>();
      for (const r of rows) byName.set(r.printed, { table: r.parent, shard: Number(r.relname.slice(r.relname.lastIndexOf(PARTITION_SUFFIX) + PARTITION_SUFFIX.length)) });
      const names = new Map<string, string>();
      for (const key of schema.sharded) {
        const dot = key.indexOf('.');
        names.set(key, `"${key.slice(0, dot).replaceAll('"', '""')}"."${key.slice(dot + 1).replaceAll('"', '""')}"`);
      }
      return new LocalPlanner(db, byName, names);
    } catch (error) {
      await db.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  /**
   * The partitions `sql` touches; `inserts`: it inserts rows (INSERT, MERGE, or in a WITH), so it is also
   * run (and rolled back) to see where they go. Never throws for a statement PostgreSQL rejects: `ok: false` says why. */
  async plan(sql: string, inserts: boolean): Promise<PlanResult> {
    const name = `limitless_local_${this.counter++}`;
    try {
      await this.db.exec(`PREPARE ${name} AS ${sql}`);
    } catch (error) {
      return { ok: false, reason: message(error) };
    }
    try {
      const types = (await this.db.query<ParameterTypeRow>(PARAMETER_TYPES_SQL, [name])).rows.sort((a, b) => a.ord - b.ord).map(parameterTypeOf);
      // Each variant is planned on its own; the one that touches the most shards is the answer.
      let partitions = new Map<string, Set<number>>();
      let runtimePruning = false;
      const atExecution = new Set<string>();
      let first: { lines: string[]; parameters: (string | null)[] } | undefined;
      for (const variant of VARIANTS) {
        const parameters = types.map((t: ParameterType, i) => sampleValue(t, i + 1, variant));
        const args = parameters.length > 0 ? `(${parameters.map(sqlLiteral).join(', ')})` : '';
        const explained = await this.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN (VERBOSE, COSTS OFF) EXECUTE ${name}${args}`);
        const lines = explained.rows.map((r) => r['QUERY PLAN']);
        first ??= { lines, parameters };
        const touched = new Map<string, Set<number>>();
        const parameterized = new Map<string, boolean>();
        lines.forEach((line, i) => {
          if (/Subplans Removed: [1-9]/.test(line)) runtimePruning = true;
          for (const m of line.matchAll(SCAN)) {
            const table = this.record(touched, m[1] as string);
            if (table) parameterized.set(table, (parameterized.get(table) ?? true) && filteredByOuterRow(lines, i, line.slice((m.index ?? 0) + m[0].length).trim()));
          }
        });
        for (const [table, byOuterRow] of parameterized) if (byOuterRow) atExecution.add(table);
        if (inserts) await this.written(`EXECUTE ${name}${args}`, touched);
        if (shardCount(touched) > shardCount(partitions)) partitions = touched;
      }
      return { ok: true, partitions, atExecution, runtimePruning, parameters: first?.parameters ?? [], lines: first?.lines ?? [] };
    } catch (error) {
      return { ok: false, reason: message(error) };
    } finally {
      await this.db.exec(`DEALLOCATE ${name}`).catch(() => undefined);
    }
  }

  /** Records a scanned partition; returns its table. */
  private record(partitions: Map<string, Set<number>>, printed: string): string | undefined {
    const partition = this.partitionsByName.get(printed);
    if (!partition) return undefined;
    const set = partitions.get(partition.table) ?? new Set<number>();
    set.add(partition.shard);
    partitions.set(partition.table, set);
    return partition.table;
  }

  /** Runs a write in a transaction that is rolled back, and records the partitions its rows went to. */
  private async written(execute: string, partitions: Map<string, Set<number>>): Promise<void> {
    await this.db.exec('BEGIN');
    try {
      await this.db.exec(execute);
      for (const quoted of this.shardedNames.values()) {
        const rows = (await this.db.query<{ p: string }>(`SELECT DISTINCT tableoid::regclass::text AS p FROM ${quoted}`)).rows;
        // regclass prints a name of the search path's schema (public) without its schema.
        for (const r of rows) this.record(partitions, r.p.includes('.') ? r.p : `public.${r.p}`);
      }
    } finally {
      await this.db.exec('ROLLBACK');
    }
  }
}

/**
 * Whether the scan at `lines[at]` (its alias `alias`) is filtered by an equality with another relation's
 * column: then its value comes from an outer row.
 */
function filteredByOuterRow(lines: readonly string[], at: number, alias: string): boolean {
  const indent = (lines[at] ?? '').search(/\S/);
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.search(/\S/) <= indent || line.trimStart().startsWith('->')) break;
    if (!/^\s*(Filter|Index Cond|Recheck Cond):/.test(line)) continue;
    for (const m of line.matchAll(/([\w$"]+)\.[\w$"]+ = ([\w$"]+)\.[\w$"]+/g)) {
      if ((m[1] === alias) !== (m[2] === alias)) return true;
    }
  }
  return false;
}

function shardCount(partitions: ReadonlyMap<string, ReadonlySet<number>>): number {
  const all = new Set<number>();
  let most = 0;
  for (const shards of partitions.values()) {
    shards.forEach((x) => all.add(x));
    most = Math.max(most, shards.size);
  }
  return all.size * 1000 + most;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
