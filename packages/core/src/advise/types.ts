import type { LearnedTable } from '../ddl/replay.js';
import type { RouteKind } from '../route/types.js';

/** A foreign key the DDL declares: `table (columns) REFERENCES references (referencedColumns)`. Keys are `schema.name`. */
export interface ForeignKey {
  readonly table: string;
  readonly columns: readonly string[];
  readonly references: string;
  /** The referenced columns; the referenced table's primary key when the DDL names none. */
  readonly referencedColumns: readonly string[];
}

/** What the advisor knows of the schema: the tables (columns, keys) and the foreign keys between them. */
export interface AdviseSchema {
  readonly tables: ReadonlyMap<string, LearnedTable>;
  readonly foreignKeys: readonly ForeignKey[];
  /** Normalised schema names, in order (default `[public]`). */
  readonly searchPath: readonly string[];
}

/** A SQL text of the application: a `.sql` file, or one SQL site of a TypeScript file. */
export interface AdviseSource {
  readonly sql: string;
  /** Where it comes from, for messages (a path as the user should see it). */
  readonly file?: string;
  /** 1-based line of the text's first character in `file` (default 1). */
  readonly line?: number;
  /** A name for the statement (when the text holds one); otherwise a `-- name: X` comment or `file:line` names it. */
  readonly name?: string;
}

/** One row of a workload (pg_stat_statements, or a log): a normalised statement and how often it ran. */
export interface WorkloadRow {
  readonly query: string;
  readonly calls: number;
  readonly totalTimeMs?: number;
}

/** What the user decides, which the search does not change. Table names as written (resolved with the search path). */
export interface AdviseConstraints {
  /** Tables sharded on the given key (`--fix accounts=account_id`). */
  readonly fix?: ReadonlyMap<string, readonly string[]>;
  /** Tables declared reference (`--reference currencies`). */
  readonly reference?: readonly string[];
  /** Tables kept standard. */
  readonly standard?: readonly string[];
  /** Shard count used for fan-out figures (default 16). */
  readonly shards?: number;
}

export interface AdviseOptions {
  readonly constraints?: AdviseConstraints;
  /** The workload: statements and their calls; with it, every share is weighted by calls. */
  readonly workload?: readonly WorkloadRow[];
  /** How many manifests to rank (default 5). */
  readonly top?: number;
  /** Largest search space explored exhaustively (default {@link EXHAUSTIVE_LIMIT}); above it the search is greedy. */
  readonly exhaustiveLimit?: number;
  /** Candidate shard-key columns kept per table (default {@link KEYS_PER_TABLE}). */
  readonly keysPerTable?: number;
}

/** Largest number of manifests the advisor scores one by one; beyond, it searches greedily. */
export const EXHAUSTIVE_LIMIT = 20_000;
/** Candidate shard-key columns per table, best first. */
export const KEYS_PER_TABLE = 3;

/** A table of a proposed manifest. */
export interface AdvisedTable {
  readonly key: string;
  readonly mode: 'sharded' | 'reference' | 'standard';
  readonly shardKey: readonly string[];
  /** The root of its collocation group, when it is not the root itself. */
  readonly collocateWith?: string;
  /** Root of its collocation group (itself for a root). */
  readonly group?: string;
}

/** A unique key (or primary key) that does not contain the proposed shard key: it has to change. */
export interface UniqueChange {
  readonly table: string;
  readonly columns: readonly string[];
  readonly primaryKey: boolean;
  readonly shardKey: readonly string[];
}

/** Route kinds counted in a score. */
export type ScoredKind = Exclude<RouteKind, 'none'>;

/** How a manifest serves the statements. */
export interface AdviceScore {
  /**
   * Mean shard work per call: 1 when every statement runs on one shard, the shard count when every
   * one runs on all shards (or queues on the one shard of the standard tables). Lower is better.
   */
  readonly work: number;
  /** Weighted share (0…1) of the statements per route kind. */
  readonly shares: Readonly<Record<ScoredKind, number>>;
  /** Statements per route kind (not weighted). */
  readonly counts: Readonly<Record<ScoredKind, number>>;
  /** Statements that write a reference table (each write updates every shard's copy). */
  readonly referenceWrites: number;
  /** Statements joining sharded tables of different collocation groups that do not run on one shard. */
  readonly crossGroupJoins: number;
  readonly uniqueChanges: readonly UniqueChange[];
  /** Weighted share (0…1) that runs on one shard (single-shard, single-shard-routed, reference reads). */
  readonly local: number;
}

/** One statement the advisor scored. */
export interface AdvisedStatement {
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly sql: string;
  /** Its weight: calls in the workload, or 1 without one. */
  readonly weight: number;
  /** Calls in the workload (when one was given and it matched). */
  readonly calls?: number;
}

/** A statement's route under one manifest. */
export interface StatementOutcome {
  readonly statement: AdvisedStatement;
  readonly kind: ScoredKind;
  readonly fanout: number;
  readonly reasons: readonly string[];
  /** Tables whose occurrences are not all pinned to one shard (sharded), with their modes. */
  readonly scatterTables: readonly string[];
}

/** Why a table got its place in a manifest, for the comment above it. */
export interface TableRationale {
  readonly table: string;
  /** Statements that use the table. */
  readonly statements: number;
  /** Of those, statements where every occurrence is pinned by its shard key (sharded) / reads (reference). */
  readonly pinned: number;
  /** Statements that write it. */
  readonly writes: number;
  /** Names of the statements where it is not pinned (sharded) or that write it (reference), heaviest first. */
  readonly scatter: readonly string[];
  /** Written as the user asked (`--fix`, `--reference`, `--standard`). */
  readonly fixed: boolean;
}

/** A ranked manifest. */
export interface AdvisedManifest {
  readonly rank: number;
  readonly tables: readonly AdvisedTable[];
  readonly score: AdviceScore;
}

/** What `advise` found. */
export interface Advice {
  readonly shards: number;
  /** Best first. */
  readonly manifests: readonly AdvisedManifest[];
  /** Under the best manifest: every statement's route. */
  readonly outcomes: readonly StatementOutcome[];
  /** Under the best manifest: why each table is where it is. */
  readonly rationale: ReadonlyMap<string, TableRationale>;
  readonly search: {
    readonly mode: 'exhaustive' | 'greedy';
    /** Number of manifests in the search space (product of the options per table). */
    readonly space: number;
    /** Manifests scored. */
    readonly evaluated: number;
    /** Statement routes computed (the rest came from the memo). */
    readonly routed: number;
    readonly options: ReadonlyMap<string, readonly string[]>;
  };
  readonly statements: {
    /** Statements scored (DML on known tables). */
    readonly scored: number;
    /** Statements left out, by reason. */
    readonly skipped: Readonly<Record<string, number>>;
    readonly weighted: boolean;
  };
  /** Key candidates: the column domains linked by foreign keys and joins, largest first. */
  readonly domains: readonly { readonly root: string; readonly column: string; readonly tables: number; readonly filters: number }[];
}
