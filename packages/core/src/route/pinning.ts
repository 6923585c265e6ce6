import type { Col, Fact, Rel, ScopedFact, Value } from './model.js';

/** How one sharded table occurrence is restricted by its statement's predicates. */
export type Pin =
  | {
      readonly state: 'pinned';
      /** Per shard-key column: the keys of the values it is equal to (any one of them). */
      readonly keys: readonly (readonly string[])[];
      /** Per shard-key column: how it is pinned, for messages (`account_id = $1`). */
      readonly texts: readonly string[];
      /** Pinned only through an outer query's value (a correlated subquery), known at execution time. */
      readonly correlated: boolean;
      /** The least safe volatility of the values (stable values prune at execution time only). */
      readonly stable: boolean;
    }
  | {
      readonly state: 'multi';
      /** Number of shard-key values (product over columns), undefined when unbounded (`= ANY($1)`). */
      readonly count: number | undefined;
      /** Identity of the value set, to recognise tables restricted by the same list. */
      readonly identity: string;
      readonly texts: readonly string[];
    }
  | {
      readonly state: 'all';
      /** Shard-key columns with no usable equality. */
      readonly missing: readonly string[];
      /** Predicates on the shard key that could not prune, with why. */
      readonly unusable: readonly { readonly column: string; readonly why: string; readonly offset: number }[];
      /** Other relations this one is joined to on non-shard-key columns. */
      readonly joinedOn: readonly { readonly column: string; readonly other: Col }[];
      /** Columns of other relations that an unpinned shard-key column is equated with. */
      readonly keyLinks: readonly { readonly column: string; readonly other: Col }[];
      /** The block's predicates would pin it, but only from an outer join's ON, which does not restrict the preserved side. */
      readonly onlyOuterJoinOn?: boolean;
    };

interface ClassInfo {
  values: Value[];
  multis: Extract<Fact, { kind: 'multi' }>[];
}

/**
 * Decides whether a sharded table occurrence prunes to one shard (docs/limitless/routing.md#single-shard-optimization, the AWS
 * transitivity rule): each shard-key column must be equal to a value, directly or through a chain
 * of explicit column equalities, using only predicates that restrict this occurrence's rows.
 */
export function pinOf(rel: Rel): Pin {
  const key = rel.table?.shardKey ?? [];
  // A sharded table without a shard key cannot be pinned (no manifest allows it; a defence).
  if (key.length === 0 && rel.table?.mode === 'sharded') return { state: 'all', missing: [], unusable: [], joinedOn: [], keyLinks: [] };
  const local = solve(rel, gather(rel, false));
  if (local.state === 'pinned' || key.length === 0) return local;
  const correlated = solve(rel, gather(rel, true));
  if (correlated.state === 'pinned') return { ...correlated, correlated: true };
  if (local.state === 'multi') return local;
  if (correlated.state === 'multi') return correlated;
  const unscoped = solve(rel, rel.block.facts.map((sf) => ({ fact: sf.fact, appliesTo: 'all' as const })));
  return unscoped.state === 'pinned' && local.state === 'all' ? { ...local, onlyOuterJoinOn: true } : local;
}

/**
 * The facts that restrict `rel`'s rows: those of its block that apply to it, and — closing over the
 * relations they mention — the facts that restrict those. With `crossBlocks`, relations of outer
 * blocks (correlated references) are followed too.
 */
function gather(rel: Rel, crossBlocks: boolean): ScopedFact[] {
  const seen = new Set<number>([rel.id]);
  const queue: Rel[] = [rel];
  const out: ScopedFact[] = [];
  const taken = new Set<ScopedFact>();
  // The block-wide facts of a block are taken with its first relation; later relations of the
  // same block add only their scoped facts, so a block of n joined relations costs O(n + facts),
  // not n × facts (a 1,000-table join took seconds when each relation re-read the whole list).
  const started = new Set<Rel['block']>();
  for (let head = 0; head < queue.length; head++) {
    const r = queue[head] as Rel;
    const first = !started.has(r.block);
    started.add(r.block);
    // Facts of outer blocks reach this relation only through correlated columns, whose relations
    // are queued in turn; a block's facts are read only for its own relations.
    for (const sf of factsApplyingTo(r, first)) {
      if (taken.has(sf)) continue;
      taken.add(sf);
      out.push(sf);
      // Only strict facts (equalities, IN lists) prove the other relation's row is present, so that
      // its own restrictions hold; IS NULL, OR with other columns … may keep null-padded rows.
      if (sf.fact.kind === 'unusable') continue;
      for (const col of colsOf(sf.fact)) {
        if (seen.has(col.rel.id) || (!crossBlocks && col.rel.block !== rel.block)) continue;
        seen.add(col.rel.id);
        queue.push(col.rel);
      }
    }
  }
  return out;
}

/**
 * A block's facts indexed by the relations they restrict: those that restrict every relation of the
 * block, and per relation id the scoped ones. Built once per block, so that gathering the facts of
 * each of n joined relations reads each fact once rather than n times (a 2,000-table join took a
 * minute when every queued relation rescanned every fact of its block).
 */
interface FactIndex {
  readonly all: readonly ScopedFact[];
  readonly byRel: ReadonlyMap<number, readonly ScopedFact[]>;
  /** The number of facts indexed: a block's list may still grow while its statement is being built. */
  readonly size: number;
}

const factIndexes = new WeakMap<readonly ScopedFact[], FactIndex>();

function factsApplyingTo(rel: Rel, withBlockWide: boolean): readonly ScopedFact[] {
  const facts = rel.block.facts;
  let index = factIndexes.get(facts);
  if (index === undefined || index.size !== facts.length) {
    const all: ScopedFact[] = [];
    const byRel = new Map<number, ScopedFact[]>();
    for (const sf of facts) {
      if (sf.appliesTo === 'all') {
        all.push(sf);
        continue;
      }
      for (const id of sf.appliesTo) {
        const list = byRel.get(id);
        if (list) list.push(sf);
        else byRel.set(id, [sf]);
      }
    }
    index = { all, byRel, size: facts.length };
    factIndexes.set(facts, index);
  }
  const scoped = index.byRel.get(rel.id) ?? [];
  if (!withBlockWide) return scoped;
  return scoped.length === 0 ? index.all : inBlockOrder(index.all, scoped, facts);
}

/** Two sublists of `facts` merged back into the block's order (the first fact found names the pin). */
function inBlockOrder(a: readonly ScopedFact[], b: readonly ScopedFact[], facts: readonly ScopedFact[]): ScopedFact[] {
  const wanted = new Set([...a, ...b]);
  return facts.filter((sf) => wanted.has(sf));
}

/** The columns a fact is about. */
export function colsOf(f: Fact): Col[] {
  return f.kind === 'eqCol' ? [f.a, f.b] : [f.col];
}

const colKey = (c: Col) => `${c.rel.id}\u0000${c.column}`;

/** Shards of a shard group the manifest does not size (its schema's default). */
export const DEFAULT_SHARDS = 16;

/** The shard count that a manifest (or its absence) gives. */
export function shardCount(manifest: { readonly shards: number } | undefined): number {
  return manifest?.shards ?? DEFAULT_SHARDS;
}

/** How many of `shards` shards a bounded pin reaches (all of them when the bound is unknown). */
export function boundedFanout(count: number | undefined, shards: number): number {
  return count === undefined ? shards : Math.min(count, shards);
}

/** The collocation group of a sharded table: the key of its `collocate_with` root (itself when none). */
export function collocationGroup(rel: Rel): string {
  return rel.table?.collocationGroup ?? rel.table?.key ?? rel.display;
}

/** Whether two pins may share their shard-key values: per key column, some value in common. */
export function shareValues(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): boolean {
  return a.length === b.length && a.every((k, i) => k.some((x) => b[i]?.includes(x)));
}

/**
 * The equivalence classes that the column equalities among `facts` make (`a.x = b.y`, transitively):
 * a function from a column to its class, equal for columns known to be equal.
 */
export function columnClasses(facts: readonly ScopedFact[]): (col: Col) => string {
  const parent = new Map<string, string>();
  // Union-find with path compression: a chain of n equalities stays near-linear, not quadratic.
  const find = (k: string): string => {
    let r = k;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r) as string;
    for (let c = k; c !== r; ) {
      const next = parent.get(c) as string;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  for (const { fact } of facts) {
    if (fact.kind !== 'eqCol') continue;
    const a = find(colKey(fact.a));
    const b = find(colKey(fact.b));
    if (a !== b) parent.set(a, b);
  }
  return (col) => find(colKey(col));
}

function solve(rel: Rel, facts: readonly ScopedFact[]): Pin {
  const classOf = columnClasses(facts);

  const classes = new Map<string, ClassInfo>();
  const info = (c: Col) => {
    const root = classOf(c);
    let ci = classes.get(root);
    if (!ci) classes.set(root, (ci = { values: [], multis: [] }));
    return ci;
  };
  for (const { fact } of facts) {
    if (fact.kind === 'eqValue') info(fact.col).values.push(fact.value);
    else if (fact.kind === 'multi') info(fact.col).multis.push(fact);
  }

  const key = rel.table?.shardKey ?? [];
  const keys: string[][] = [];
  const texts: string[] = [];
  const multiTexts: string[] = [];
  const identity: string[] = [];
  let count: number | undefined = 1;
  const bounds: (Extract<Fact, { kind: 'multi' }>['bound'])[] = [];
  let stable = false;
  const missing: string[] = [];
  const listed: { column: string; text: string }[] = [];
  for (const column of key) {
    const ci = classes.get(classOf({ rel, column }));
    const direct = facts.find((f) => f.fact.kind === 'eqValue' && f.fact.col.rel === rel && f.fact.col.column === column);
    if (ci && ci.values.length > 0) {
      keys.push([...new Set(ci.values.map((v) => v.key))]);
      const via = direct ? undefined : linkText(rel, column, facts);
      const v = ci.values[0] as Value;
      texts.push(via ? `${column} = ${v.text} (through ${via})` : `${column} = ${v.text}`);
      multiTexts.push(`${column} = ${v.text}`);
      identity.push(v.key);
      if (ci.values.every((x) => x.volatility !== 'immutable')) stable = true;
      continue;
    }
    if (ci && ci.multis.length > 0) {
      const best = ci.multis.reduce((a, b) => ((b.count ?? Infinity) < (a.count ?? Infinity) ? b : a));
      count = count === undefined || best.count === undefined ? undefined : count * best.count;
      bounds.push(best.bound);
      multiTexts.push(`${column} ${best.text}`);
      listed.push({ column, text: `${column} ${best.text}` });
      identity.push(`${best.offset}:${best.text}`);
      continue;
    }
    missing.push(column);
  }
  if (missing.length === 0 && multiTexts.length === texts.length) {
    return { state: 'pinned', keys, texts, correlated: false, stable };
  }
  // Columns restricted by one row list (`(a, b) IN ((1, 2), (3, 4))`) take at most that many value tuples.
  const first = bounds[0];
  if (first && bounds.length > 1 && bounds.every((b) => b && b.id === first.id)) count = count === undefined ? first.count : Math.min(count, first.count);
  // With a compound key, PostgreSQL's hash pruning needs every key column in each OR arm (or row of a
  // row list): `tenant_id IN (1, 2) AND region = 'eu'` prunes nothing (docs/limitless/routing.md).
  const together = bounds.length === key.length && !!first && bounds.every((b) => b && b.id === first.id);
  if (missing.length === 0 && key.length > 1 && !together) {
    const why = `is in a list of values (${listed.map((l) => l.text).join(', ')}) that does not give every column of the compound shard key (${key.join(', ')}) together, so PostgreSQL cannot prune hash partitions — write (${key.join(', ')}) IN ((…), (…))`;
    return { state: 'all', missing: listed.map((l) => l.column), unusable: listed.map(({ column }) => ({ column, why, offset: 0 })), joinedOn: [], keyLinks: [] };
  }
  if (missing.length === 0) return { state: 'multi', count, identity: identity.join('|'), texts: multiTexts };

  const unusable = facts.flatMap(({ fact }) =>
    fact.kind === 'unusable' && fact.col.rel === rel && missing.includes(fact.col.column) ? [{ column: fact.col.column, why: fact.why, offset: fact.offset }] : [],
  );
  const joinedOn = facts.flatMap(({ fact }) => {
    if (fact.kind !== 'eqCol') return [];
    if (fact.a.rel === rel && fact.b.rel !== rel && !key.includes(fact.a.column)) return [{ column: fact.a.column, other: fact.b }];
    if (fact.b.rel === rel && fact.a.rel !== rel && !key.includes(fact.b.column)) return [{ column: fact.b.column, other: fact.a }];
    return [];
  });
  const keyLinks = facts.flatMap(({ fact }) => {
    if (fact.kind !== 'eqCol') return [];
    if (fact.a.rel === rel && fact.b.rel !== rel && missing.includes(fact.a.column)) return [{ column: fact.a.column, other: fact.b }];
    if (fact.b.rel === rel && fact.a.rel !== rel && missing.includes(fact.b.column)) return [{ column: fact.b.column, other: fact.a }];
    return [];
  });
  return { state: 'all', missing, unusable, joinedOn, keyLinks };
}

/** The first explicit column equality that links `rel.column` to another relation, for messages. */
function linkText(rel: Rel, column: string, facts: readonly ScopedFact[]): string | undefined {
  for (const { fact } of facts) {
    if (fact.kind !== 'eqCol') continue;
    const [mine, other] = fact.a.rel === rel && fact.a.column === column ? [fact.a, fact.b] : fact.b.rel === rel && fact.b.column === column ? [fact.b, fact.a] : [];
    if (mine && other) return `${mine.rel.refName}.${mine.column} = ${other.rel.refName}.${other.column}`;
  }
  return undefined;
}

/**
 * The AWS fix for an unpinned sharded occurrence (docs/limitless/routing.md#single-shard-optimization): an explicit shard-key equality to a
 * pinned occurrence of the same collocation group and key arity in the same block — preferably the
 * one it is already joined to, so the fix reads as a completed join condition.
 */
export function shardKeyPartner(
  rel: Rel,
  pin: Extract<Pin, { state: 'all' }>,
  rels: readonly Rel[],
  pins: ReadonlyMap<number, Pin>,
): { readonly partner: Rel; readonly predicate: string } | undefined {
  const key = rel.table?.shardKey ?? [];
  const qualifies = (o: Rel) =>
    o !== rel &&
    o.block === rel.block &&
    o.mode === 'sharded' &&
    pins.get(o.id)?.state === 'pinned' &&
    o.table?.collocationGroup === rel.table?.collocationGroup &&
    o.table?.shardKey.length === key.length;
  const partner = pin.joinedOn.map((j) => j.other.rel).find(qualifies) ?? rels.find(qualifies);
  if (!partner) return undefined;
  const predicate = key.map((k, i) => `${rel.refName}.${k} = ${partner.refName}.${partner.table?.shardKey[i] ?? k}`).join(' AND ');
  return { partner, predicate };
}
