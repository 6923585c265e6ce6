import type { RuleLevel } from '../diagnostic.js';

export type TableMode = 'sharded' | 'reference' | 'standard';

/** A table as PostgreSQL names it: both parts already normalised (unquoted folded to lower case). */
export interface QualifiedName {
  readonly schema: string;
  readonly name: string;
}

export interface TableInfo {
  /** `schema.name`, each part normalised; the key of {@link Manifest.tables}. */
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  readonly mode: TableMode;
  /** Shard-key columns, normalised; empty unless `mode` is `sharded`. */
  readonly shardKey: readonly string[];
  /** Key of the table this one is collocated with, as written in the manifest (resolved). */
  readonly collocateWith?: string;
  /**
   * Collocation group: the key of the root table of its `collocate_with` chain. Sharded tables in the
   * same group are stored together by shard-key value; every other sharded table is its own group.
   */
  readonly collocationGroup?: string;
  /** Columns whose values come from a (distributed) sequence, normalised. */
  readonly sequenceColumns: readonly string[];
  /**
   * Declared column types (`columns: { account_id: bigint }`), normalised name → PostgreSQL type name
   * (`bigint`, `text`, `uuid` …); absent when the manifest gives none.
   */
  readonly columns?: ReadonlyMap<string, string>;
  /** Where the table is declared in the manifest file (for messages). */
  readonly declaredAt?: ManifestLocation;
}

export interface DistributedFunction {
  /** Function name, normalised, optionally `schema.name`. */
  readonly name: string;
  readonly shardKeyArgs: readonly string[];
  readonly collocateWith?: string;
}

export interface EmbeddedSqlConfig {
  /** Template tags whose templates hold SQL, e.g. `sql`, `SQL`, `Prisma.sql`. */
  readonly tags: readonly string[];
  /** Call patterns whose first argument holds SQL, e.g. `*.query`. */
  readonly calls: readonly string[];
}

export interface ManifestLocation {
  readonly file?: string;
  readonly line: number;
  readonly column: number;
}

/** The validated, normalised content of `limitless.yaml`. A plain value. */
export interface Manifest {
  /** Absolute path of the file it was read from, when it was read from one. */
  readonly file?: string;
  /** Shard count, used as the fan-out of an all-shards statement. */
  readonly shards: number;
  /** Normalised schema names, in order. */
  readonly searchPath: readonly string[];
  readonly tables: ReadonlyMap<string, TableInfo>;
  /** What a table missing from the manifest gets: a level for the `unknown-table` rule. */
  readonly unknownTables: RuleLevel;
  readonly functions: {
    readonly immutable: readonly string[];
    readonly distributed: readonly DistributedFunction[];
  };
  /** Per-rule level, optionally with options: `{ level, ...options }`. */
  readonly rules: Readonly<Record<string, RuleConfig>>;
  readonly embeddedSql: EmbeddedSqlConfig;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface RuleConfig {
  readonly level: RuleLevel;
  readonly options: Readonly<Record<string, unknown>>;
}

/** One thing wrong with a manifest, with where it is. */
export interface ManifestProblem {
  readonly file?: string;
  readonly line: number;
  readonly column: number;
  /** Key path, e.g. `tables.transactions.shard_key`. */
  readonly path: string;
  readonly message: string;
  /** "did you mean …" text, when a close match exists. */
  readonly suggestion?: string;
}
