/**
 * The static verdict against the planner's (docs/verify-local.md). The planner's partitions are shards;
 * a statement the analyzer pins to one shard must touch at most one partition of each table it pins, and
 * all of them the same shard. When it touches more, the static verdict is **unsafe** (it promised the fast
 * path); when the planner prunes where the analyzer did not, the verdict is **conservative**.
 */
import type { PlanResult } from './planner.js';

/** The static verdict of one statement, as `explain` reports it. */
export interface StaticVerdict {
  readonly route: string;
  readonly fanout: number;
  readonly tables: readonly { readonly table: string; readonly mode: string; readonly pinning?: string }[];
}

export type Agreement = 'agree' | 'unsafe' | 'conservative' | 'not-compared';

export interface Comparison {
  readonly agreement: Agreement;
  /** One sentence: what the planner did, against what the analyzer said. */
  readonly note: string;
  /** Distinct shards the plan touches across sharded tables (the partition count when any table is scanned whole). */
  readonly plannerShards?: number;
}

const SINGLE = new Set(['single-shard', 'single-shard-routed']);

export function compareVerdicts(verdict: StaticVerdict, plan: PlanResult, modulus: number): Comparison {
  if (!plan.ok) return { agreement: 'not-compared', note: `PostgreSQL did not plan it: ${plan.reason}` };
  const sharded = verdict.tables.filter((t) => t.mode === 'sharded');
  if (sharded.length === 0 || verdict.route === 'unknown') return { agreement: 'not-compared', note: `no sharded table to compare (${verdict.route})` };
  const all = new Set<number>();
  let wholeTable: string | undefined;
  for (const [table, shards] of plan.partitions) {
    if (plan.atExecution.has(table)) continue;
    shards.forEach((s) => all.add(s));
    if (shards.size === modulus && modulus > 1) wholeTable ??= table;
  }
  const touched = wholeTable ? modulus : all.size;
  const problems: string[] = [];
  for (const t of sharded) {
    const occurrences = sharded.filter((o) => o.table === t.table);
    const shards = plan.atExecution.has(t.table) ? 1 : (plan.partitions.get(t.table)?.size ?? 0);
    if (occurrences.every((o) => o.pinning === 'pinned') && shards > occurrences.length) {
      problems.push(`${t.table}: pinned by the analyzer, but the plan scans ${shards} of ${modulus} partitions`);
    }
  }
  const staticShards = SINGLE.has(verdict.route) ? 1 : Math.min(verdict.fanout, modulus);
  if (SINGLE.has(verdict.route) && all.size > 1) problems.push(`the plan touches ${all.size} different shards`);
  const unique = [...new Set(problems)];
  if (unique.length > 0) return { agreement: 'unsafe', note: `unsafe: ${verdict.route}, but ${unique.join('; ')}`, plannerShards: touched };
  if (verdict.route === 'multi-shard' && touched > staticShards && !sharded.some((t) => t.pinning === 'all')) {
    return { agreement: 'unsafe', note: `unsafe: multi-shard over ${staticShards}, but the plan touches ${touched} shards`, plannerShards: touched };
  }
  const staticAll = sharded.some((t) => t.pinning === 'all');
  if (verdict.route === 'all-shards' && !staticAll) {
    // Every shard for a reason the planner does not model: a write to a reference table (a copy on each shard) …
    return { agreement: 'not-compared', note: 'all-shards for a reason other than a sharded table (a reference-table write …); the planner does not model it', plannerShards: touched };
  }
  if (staticAll && !wholeTable) {
    return { agreement: 'conservative', note: `conservative: ${verdict.route}, but the planner prunes to ${touched} of ${modulus} partitions${plan.runtimePruning ? ' (at run time)' : ''}`, plannerShards: touched };
  }
  if (!staticAll && !SINGLE.has(verdict.route) && touched <= 1 && verdict.route === 'multi-shard') {
    return { agreement: 'conservative', note: `conservative: multi-shard over ${staticShards}, but the plan touches ${touched} shard (the values may hash alike)`, plannerShards: touched };
  }
  const perRow = plan.atExecution.size > 0 ? `; ${[...plan.atExecution].join(', ')} pruned per outer row when executing` : '';
  return { agreement: 'agree', note: `agrees: the plan touches ${touched} of ${modulus} partitions${plan.runtimePruning ? ' (pruned at run time)' : ''}${perRow}`, plannerShards: touched };
}
