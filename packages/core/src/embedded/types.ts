import type { TSESTree } from '@typescript-eslint/types';
import type { Span } from '../diagnostic.js';
import type { SourceRange, SqlSourceMap } from './sql-source-map.js';

/** Where to look for SQL in a JavaScript or TypeScript file. */
export interface EmbeddedSqlOptions {
  /** Template tags whose templates hold SQL (`sql`, `SQL`, `Prisma.sql`); `*` and `**` as in {@link calls}. */
  readonly tags: readonly string[];
  /**
   * Call patterns whose first argument holds SQL: dotted names where `*` matches one name segment and
   * `**` any number of them (`*.query` matches `pool.query`; `**.query` also `this.db.query`).
   */
  readonly calls: readonly string[];
  /**
   * The full text of the file the nodes were parsed from. Needed because parsers normalise the raw
   * text of templates differently (espree turns CRLF into LF, typescript-estree does not): offsets
   * are computed from the source itself.
   */
  readonly sourceText: string;
}

/** Why a site's SQL cannot be determined statically. */
export type UnknownSqlReason =
  /** The SQL argument of a query call is not a literal (a variable, a call, a spread). */
  | 'non-literal-sql'
  /** A `${…}` inserts a SQL fragment (a nested tagged template, `sql.join`, a conditional fragment, a fragment variable). */
  | 'dynamic-fragment'
  /** The tagged template is itself a fragment (`AND account_id = ${id}`), not a whole statement. */
  | 'fragment'
  /** A tagged template with an invalid escape sequence: it has no cooked value. */
  | 'invalid-escape'
  /** PostgreSQL cannot parse the statement with a `${…}` as a bind parameter: the value is SQL text, not a value. */
  | 'interpolation-not-a-value'
  /** A syntax tree the extractor does not understand (defensive; please report). */
  | 'unsupported-syntax';

interface SiteBase {
  /** A tagged template (`tag`) or a query call (`call`). */
  readonly origin: 'tag' | 'call';
  /** The dotted name of the tag or callee that made it a site: `sql`, `pool.query`. */
  readonly name: string;
  readonly node: TSESTree.TaggedTemplateExpression | TSESTree.CallExpression;
  /** The node's range in the source file. */
  readonly range: SourceRange;
}

/** A site whose SQL text is known, with a map back to the source. */
export interface AnalysableSqlSite extends SiteBase {
  readonly kind: 'sql';
  /** The SQL text: the literals' cooked values, each `${expr}` written as a bind parameter `$n`. */
  readonly sql: string;
  readonly map: SqlSourceMap;
  /** Source offset of a SQL offset ({@link SqlSourceMap.toSourceOffset}). */
  toSourceOffset(sqlOffset: number): number;
  /** Source range of a SQL span ({@link SqlSourceMap.toSourceRange}). */
  toSourceRange(span: Span): SourceRange;
}

/** A site whose SQL cannot be determined statically: it gets no verdict at all. */
export interface UnknownSqlSite extends SiteBase {
  readonly kind: 'unknown';
  readonly reason: UnknownSqlReason;
  /** One sentence for people. */
  readonly message: string;
  /** The part of the source responsible (the argument, the `${…}`), within {@link range}. */
  readonly at: SourceRange;
}

export type SqlSite = AnalysableSqlSite | UnknownSqlSite;
