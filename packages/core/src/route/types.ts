/**
 * How Aurora Limitless will execute a statement (docs/architecture.md); `analyzeRoute` decides
 * how parts combine (the most distributed wins).
 */
export type RouteKind =
  | 'none'
  | 'single-shard'
  | 'reference'
  | 'standard'
  | 'single-shard-routed'
  | 'multi-shard'
  | 'router'
  | 'all-shards'
  | 'unknown';

export const ROUTE_KINDS: readonly RouteKind[] = [
  'single-shard',
  'single-shard-routed',
  'multi-shard',
  'all-shards',
  'reference',
  'standard',
  'router',
  'none',
  'unknown',
];

/** One table occurrence in a statement and what the analysis concluded about it. */
export interface TableAccess {
  /** `schema.name` as resolved against the manifest (or as written when unknown). */
  readonly table: string;
  readonly alias?: string;
  readonly mode: 'sharded' | 'reference' | 'standard' | 'catalog' | 'unknown';
  /** Offset of the reference in the analysed text. */
  readonly offset: number;
  readonly access: 'read' | 'write';
  /** For sharded tables: one shard (`pinned`), a bounded set (`multi`), or every shard (`all`). */
  readonly pinning?: 'pinned' | 'multi' | 'all';
}

export interface Route {
  readonly kind: RouteKind;
  /** Number of shards the statement touches: 1, k, or the manifest's shard count; 0 for `none`. */
  readonly fanout: number;
  /** Short sentences a person can act on, most important first. */
  readonly reasons: readonly string[];
  readonly tables: readonly TableAccess[];
}
