/**
 * How an `EXPLAIN (VERBOSE, COSTS OFF)` plan on a Limitless router says a statement runs
 * (docs/limitless/system-views.md#explain): the `Single Shard Optimized` footer means the single-shard fast path; otherwise the shard
 * partitions (`<table>_fs00001` …) the plan scans or modifies tell how many shards it touches.
 */
export type PlanRouteKind = 'none' | 'single-shard' | 'single-shard-routed' | 'multi-shard' | 'all-shards' | 'unknown';

export interface PlanVerdict {
  readonly kind: PlanRouteKind;
  /** Shards touched: distinct `_fsNNNNN` numbers, or 1 for a plan on unpartitioned relations only; 0 for none. */
  readonly fanout: number;
  /** The plan has the `Single Shard Optimized` footer. */
  readonly singleShardOptimized: boolean;
  /** Shard partitions named by the plan, e.g. `public.accounts_fs00003`, in order of appearance. */
  readonly partitions: readonly string[];
  /** Other relations the plan reads or writes (reference, standard, or a sharded table's parent). */
  readonly relations: readonly string[];
  /** Shards named by `Remote Plans from Shard postgres_sN:` sections (with `shard_plans` in rds_aurora.limitless_explain_options). */
  readonly remoteShards: readonly string[];
  /** `Query Identifier: …`, to match the statement with limitless_stat_statements. */
  readonly queryId?: string;
  /** One sentence: what in the plan gave the verdict. */
  readonly evidence: string;
}

export interface PlanContext {
  /** Shard count: a plan over this many shards (or more) is `all-shards`. */
  readonly shards: number;
  /**
   * Keys (`schema.name`) of the sharded tables. A sharded table named in a plan without any of its
   * partitions (an INSERT's target, whose rows are routed when it runs) leaves the fan-out unknown.
   */
  readonly shardedTables?: ReadonlySet<string>;
  /** False when the server does not print the footer (not a Limitless router, or the option is off). */
  readonly footerSupported?: boolean;
}

const FOOTER = /^\s*Single Shard Optimized\s*$/m;
const QUERY_ID = /^\s*Query Identifier:\s*(-?\d+)\s*$/m;
const REMOTE_SHARD = /^\s*Remote Plans? from Shard\s+([^\s:]+)\s*:?\s*$/gm;
/**
 * A plan node that reads or writes a relation: `Seq Scan on s.t a`, `Index Scan using i on t`, `Async
 * Foreign Scan on t_fs00001 t_1`, `Update on t`, `Foreign Update on t_fs00002`. Function, values, CTE
 * and subquery scans name no table; a Bitmap Index Scan names an index.
 */
const RELATION_NODE =
  /^(?:->\s+)?(?:Parallel |Async )?(?:Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan|Tid Scan|Tid Range Scan|Sample Scan|Foreign Scan|Custom Scan(?: \([^)]*\))?|Update|Insert|Delete|Merge|Foreign Update|Foreign Delete|Foreign Insert)(?: Backward)?(?: using (?:"(?:[^"]|"")*"|\S+))? on ((?:"(?:[^"]|"")*"|[^\s".]+)(?:\.(?:"(?:[^"]|"")*"|[^\s".]+))?)/;
const SHARD_PARTITION = /_fs(\d+)"?$/;

/**
 * Reads an EXPLAIN text (one plan line per row, as psql or `EXPLAIN` returns it). Lines inside
 * `Remote SQL:` and under `Remote Plans from Shard` are the shard's business and are not read as the
 * router's nodes.
 */
export function classifyPlan(planText: string, context: PlanContext): PlanVerdict {
  const lines = planText.replace(/\r\n?/g, '\n').split('\n');
  const singleShardOptimized = FOOTER.test(planText);
  const queryId = QUERY_ID.exec(planText)?.[1];
  const remoteShards = [...planText.matchAll(REMOTE_SHARD)].map((m) => m[1] as string);

  const partitions: string[] = [];
  const relations: string[] = [];
  let skipBelow: number | undefined;
  for (const raw of lines) {
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === '') continue;
    if (skipBelow !== undefined) {
      if (indent > skipBelow) continue;
      skipBelow = undefined;
    }
    if (/^Remote SQL:/.test(line) || /^Remote Plans? from Shard/.test(line)) {
      skipBelow = indent;
      continue;
    }
    const match = RELATION_NODE.exec(line);
    if (!match) continue;
    const name = match[1] as string;
    if (SHARD_PARTITION.test(name)) {
      if (!partitions.includes(name)) partitions.push(name);
    } else if (!relations.includes(name)) relations.push(name);
  }

  const shardNumbers = new Set(partitions.map((p) => Number(SHARD_PARTITION.exec(p)?.[1])));
  const base = { singleShardOptimized, partitions, relations, remoteShards, ...(queryId !== undefined && { queryId }) };
  if (singleShardOptimized) {
    return { ...base, kind: 'single-shard', fanout: 1, evidence: 'the plan ends with Single Shard Optimized' };
  }
  const routedParents = relations.filter((r) => context.shardedTables?.has(qualified(r)) && !partitions.some((p) => parentOf(p) === qualified(r)));
  if (routedParents.length > 0 && shardNumbers.size === 0) {
    return {
      ...base,
      kind: 'unknown',
      fanout: context.shards,
      evidence: `the plan names sharded ${routedParents.join(', ')} but none of its shard partitions (rows are routed to shards when the statement runs)`,
    };
  }
  if (shardNumbers.size === 0) {
    if (relations.length === 0) return { ...base, kind: 'none', fanout: 0, evidence: 'the plan reads no table' };
    return { ...base, kind: 'single-shard-routed', fanout: 1, evidence: `the plan reads only ${relations.join(', ')} (no shard partition), without Single Shard Optimized` };
  }
  const list = summarize(partitions);
  if (shardNumbers.size === 1) {
    return { ...base, kind: 'single-shard-routed', fanout: 1, evidence: `one shard: ${list}, without Single Shard Optimized` };
  }
  const kind = shardNumbers.size >= context.shards ? 'all-shards' : 'multi-shard';
  return { ...base, kind, fanout: shardNumbers.size, evidence: `${shardNumbers.size} of ${context.shards} shards: ${list}` };
}

/** `public.accounts_fs00002` → `public.accounts`. */
function parentOf(partition: string): string {
  return qualified(partition).replace(/_fs\d+"?$/, '');
}

/** A relation name from a plan, unquoted, with `public.` when unqualified (VERBOSE plans qualify names). */
function qualified(name: string): string {
  const parts = name.match(/"(?:[^"]|"")*"|[^.]+/g) ?? [name];
  const unquoted = parts.map((p) => (p.startsWith('"') ? p.slice(1, -1).replaceAll('""', '"') : p));
  return unquoted.length === 1 ? `public.${unquoted[0]}` : unquoted.join('.');
}

/** At most four partition names, then how many more. */
function summarize(partitions: readonly string[]): string {
  return partitions.length <= 4 ? partitions.join(', ') : `${partitions.slice(0, 3).join(', ')} and ${partitions.length - 3} more`;
}

/** How close to one shard a route is, for comparing a static route with a plan. */
const LEVEL: Readonly<Record<Exclude<PlanRouteKind, 'unknown'>, number>> = { none: 0, 'single-shard': 1, 'single-shard-routed': 2, 'multi-shard': 3, 'all-shards': 4 };

export type VerifyOutcome = 'agrees' | 'more-local' | 'more-distributed' | 'not-comparable';

export interface Comparison {
  readonly outcome: VerifyOutcome;
  /** One sentence for people. */
  readonly note: string;
}

/**
 * Compares a static route (core's `Route.kind` and fan-out) with a plan verdict. Each static route
 * allows a range of plans: `multi-shard` also allows one shard (the sample values may hash to the
 * same shard); `router` allows anything off the fast path; `reference` reads and `standard` one shard.
 * A reference-table write, `unknown` and a plan whose fan-out is unknown cannot be compared. Without
 * the footer (`footerSupported: false`), `single-shard` and `single-shard-routed` both mean one shard.
 */
export function compareWithPlan(route: string, routeFanout: number, shards: number, plan: PlanVerdict, footerSupported: boolean): Comparison {
  if (route === 'unknown') return { outcome: 'not-comparable', note: 'the static route is unknown; the plan is shown for information' };
  if (plan.kind === 'unknown') return { outcome: 'not-comparable', note: 'not comparable: the plan does not show which shards the statement reaches' };
  if (route === 'reference' && routeFanout > 1) {
    return { outcome: 'not-comparable', note: 'a reference-table write: the plan names the table, Limitless writes its copy on every shard' };
  }
  const allowed = allowedLevels(route, routeFanout, shards);
  if (!allowed) return { outcome: 'not-comparable', note: `no plan shape is known for route ${route}` };
  let level = LEVEL[plan.kind];
  // Without the footer, a one-shard plan may or may not be single-shard optimized.
  if (!footerSupported && plan.kind === 'single-shard-routed' && allowed.includes(LEVEL['single-shard'])) level = LEVEL['single-shard'];
  if (allowed.includes(level)) return { outcome: 'agrees', note: agreementNote(route, plan, footerSupported) };
  const min = Math.min(...allowed);
  return level < min
    ? { outcome: 'more-local', note: `the plan is more local than ${route}: the static analysis was conservative here` }
    : { outcome: 'more-distributed', note: `the plan is more distributed than ${route}: the static verdict is wrong here (please report it)` };
}

function allowedLevels(route: string, fanout: number, shards: number): number[] | undefined {
  switch (route) {
    case 'none':
      return [LEVEL.none];
    case 'single-shard':
      return [LEVEL['single-shard']];
    case 'single-shard-routed':
      return [LEVEL['single-shard-routed']];
    case 'multi-shard':
      return [LEVEL['single-shard'], LEVEL['single-shard-routed'], LEVEL['multi-shard'], ...(fanout >= shards ? [LEVEL['all-shards']] : [])];
    case 'all-shards':
      return [LEVEL['all-shards']];
    case 'reference':
    case 'standard':
      return [LEVEL['single-shard'], LEVEL['single-shard-routed']];
    case 'router':
      return [LEVEL['single-shard-routed'], LEVEL['multi-shard'], LEVEL['all-shards']];
    default:
      return undefined;
  }
}

function agreementNote(route: string, plan: PlanVerdict, footerSupported: boolean): string {
  if (route === 'multi-shard' && plan.fanout <= 1) return 'agrees: the sample values fell on one shard';
  if (!footerSupported && plan.kind === 'single-shard-routed' && route === 'single-shard') return 'agrees on one shard (this server does not print Single Shard Optimized)';
  return 'agrees';
}
