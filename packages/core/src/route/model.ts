import type { Node, RangeVar } from 'libpg-query';
import type { CatalogueTable } from '../catalogue/catalogue.js';
import type { Volatility } from './function-volatility.js';
import type { ValueType } from './value-types.js';

/** What a relation occurrence is, for routing. `catalog` is a system catalog read on the router. */
export type RelMode = 'sharded' | 'reference' | 'standard' | 'unknown' | 'catalog' | 'none';

/** One relation occurrence in a statement: a table, a CTE or derived-table reference, a function… */
export interface Rel {
  readonly id: number;
  readonly block: Block;
  readonly kind: 'table' | 'cte' | 'derived' | 'function';
  /** Name that qualifies its columns: the alias, or the relation name. */
  readonly refName: string;
  /** Schema as written, for `schema.table.column` references (only without an alias). */
  readonly schemaName?: string;
  /** `schema.name` resolved against the manifest, or the name as written. */
  readonly display: string;
  /** The table, from the catalogue (manifest ⊕ replayed DDL). */
  readonly table?: CatalogueTable;
  readonly mode: RelMode;
  /** Offset of the reference in the analysed text. */
  readonly offset: number;
  readonly access: 'read' | 'write';
  /** Output columns when known exactly (derived tables, CTEs with explicit targets). */
  readonly columns?: ReadonlySet<string>;
  /** For derived tables and CTE references: the modes of the tables inside. */
  readonly innerModes?: ReadonlySet<RelMode>;
  /** For derived tables and CTE references: the query block whose output it is (lineage.ts). */
  readonly source?: RelSource;
  /** The RangeVar that names it (tables and CTE references). */
  readonly node?: RangeVar;
}

/**
 * The query behind a derived table or CTE reference, with the column aliases it is given. In a WITH
 * RECURSIVE the block is set once the CTE's body is built: references made before (in its own body,
 * in an earlier CTE's) see it then.
 */
export interface RelSource {
  block: Block | undefined;
  /** `AS s (a, b)` / `WITH c (a, b)`: the first output columns renamed, in order. */
  readonly aliases: readonly string[];
}

/** One select-list entry of a query block. */
export interface OutputColumn {
  /** Its output name (`?column?` for an unnamed expression); undefined for `*`. */
  readonly name: string | undefined;
  /** The column it passes on: a column reference, possibly under casts (`bare` when none). */
  readonly col: Col | undefined;
  readonly bare: boolean;
  /** `*` or `t.*`: the relations it expands. */
  readonly star?: readonly Rel[];
}

/** What a query block outputs: its select list, or (a set operation) the rows of its branches. */
export type BlockOutput =
  | { readonly kind: 'select'; readonly columns: readonly OutputColumn[] }
  | { readonly kind: 'setop'; readonly branches: readonly Block[] };

/** An INSERT the route analysis met (top level, in a CTE, under EXPLAIN …): its target and its rows. */
export interface InsertSite {
  readonly target: Rel;
  /** The INSERT's column list; empty when the statement gives none. */
  readonly columns: readonly string[];
  /** Its VALUES or SELECT (absent for DEFAULT VALUES). */
  readonly source: Node | undefined;
  readonly block: Block;
}

/** A query block: one FROM/WHERE level (a SELECT, an UPDATE, a subquery …). */
export interface Block {
  readonly id: number;
  readonly parent: Block | undefined;
  readonly label: string;
  readonly rels: Rel[];
  readonly facts: ScopedFact[];
  /** Columns merged by `JOIN … USING (c)`, resolved to their left-hand relation. */
  readonly merged: Map<string, Rel>;
  readonly ctes: Map<string, CteDef>;
  /** Its output (set once the block is built); undefined for VALUES, DML without RETURNING, utility blocks. */
  output: BlockOutput | undefined;
  /** The query node it is (a SelectStmt, InsertStmt … body), if any. */
  node: object | undefined;
}

export interface CteDef {
  readonly name: string;
  readonly columns?: ReadonlySet<string>;
  /** Modes of the tables its body reads or writes. */
  readonly modes?: ReadonlySet<RelMode>;
  /** Its body's block, once built (not inside the body of a WITH RECURSIVE). */
  readonly source?: RelSource;
}

export interface Col {
  readonly rel: Rel;
  readonly column: string;
}

/** A value a shard-key column can be compared with: a constant, a bind parameter, or an expression of those. */
export interface Value {
  /** Identity: equal keys are equal values (same constant, same parameter). */
  readonly key: string;
  /** How the value reads in a message. */
  readonly text: string;
  readonly volatility: Volatility;
  /** Its type (value-types.ts): `unknown` for an untyped literal or parameter, undefined when it cannot be told. */
  readonly type: ValueType;
}

/** What one predicate says about columns. */
export type Fact =
  | { readonly kind: 'eqValue'; readonly col: Col; readonly value: Value; readonly offset: number }
  | { readonly kind: 'eqCol'; readonly a: Col; readonly b: Col; readonly offset: number }
  /** `IN (…)`, `= ANY(…)`, an `OR` of equalities: `count` values, unknown when undefined. */
  | {
      readonly kind: 'multi';
      readonly col: Col;
      readonly count: number | undefined;
      readonly keys: readonly string[] | undefined;
      readonly text: string;
      readonly offset: number;
      /** Set when the column is one of several restricted by one list of rows: at most `count` tuples in all. */
      readonly bound?: { readonly id: number; readonly count: number };
    }
  /** A predicate on the column that cannot prune hash partitions (range, LIKE, <>, cast …). */
  | { readonly kind: 'unusable'; readonly col: Col; readonly why: string; readonly offset: number };

/** A fact and the relations whose rows it restricts (`all`: every relation of its block). */
export interface ScopedFact {
  readonly fact: Fact;
  readonly appliesTo: ReadonlySet<number> | 'all';
}

export function appliesTo(scoped: ScopedFact, rel: Rel): boolean {
  return scoped.appliesTo === 'all' || scoped.appliesTo.has(rel.id);
}

/** A function call found in the statement, with what we know of its volatility. */
export interface FunctionUse {
  readonly name: string;
  readonly offset: number;
  /** `distributed`: declared in the manifest's functions.distributed; `unknown`: a user function. */
  readonly volatility: Volatility | 'mixed' | 'distributed' | 'unknown';
}

/** The alias of a table occurrence, when its reference name is not the table's own name. */
export function aliasOf(rel: Rel): string | undefined {
  return rel.refName === rel.display || rel.refName === rel.display.split('.').pop() ? undefined : rel.refName;
}

/** How a table occurrence reads in a message: `transactions`, or `transactions t` when it has an alias. */
export function relLabel(rel: Rel): string {
  const alias = aliasOf(rel);
  return alias === undefined ? rel.display : `${rel.display} ${alias}`;
}

/**
 * The model of one statement, built in the route analysis's one walk: its query blocks and relation
 * occurrences, linked to their parse-tree nodes. Columns resolve with facts.ts `resolveColumn` (the
 * one resolver) and trace back to table columns with lineage.ts `origins`.
 */
export interface StatementModel {
  readonly blocks: readonly Block[];
  /** The block of a query node: a SelectStmt, InsertStmt, UpdateStmt, DeleteStmt or MergeStmt body. */
  blockOf(node: object): Block | undefined;
  /** The relation (table or CTE reference) a RangeVar names. */
  relOf(node: RangeVar): Rel | undefined;
}
