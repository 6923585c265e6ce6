import type { LearnedTable } from '../ddl/replay.js';
import type { TableInfo } from '../manifest/types.js';
import type { RouteAnalysis } from '../route/analyze-route.js';
import { analyzeRoute } from '../route/analyze-route.js';
import type { Candidates, TableOption } from './candidates.js';
import { cmp } from './candidates.js';
import type { Unit } from './prepare.js';
import { manifestOf } from './prepare.js';
import type { AdviseSchema, ScoredKind } from './types.js';

/** A statement's route under one assignment, reduced to what the score needs. */
export interface Outcome {
  readonly kind: ScoredKind;
  readonly fanout: number;
  /** Shard work per call (1 … shards). */
  readonly cost: number;
  readonly referenceWrite: boolean;
  readonly crossGroup: boolean;
}

/** An outcome with the analysis behind it (for reasons and rationale). */
export interface AnalysedOutcome extends Outcome {
  readonly analysis: RouteAnalysis;
}

/**
 * Shard work per call of a route: 1 on one shard; the fan-out for multi-shard; the shard count for
 * all-shards, router, a write to a reference table (every copy), standard tables (they all live on one
 * shard, which every such statement queues on), and what the analyzer cannot decide.
 */
export function outcomeOf(analysis: RouteAnalysis, shards: number): AnalysedOutcome {
  const route = analysis.route;
  const kind = route.kind === 'none' ? 'unknown' : route.kind;
  const referenceWrite = analysis.rels.some((r) => r.mode === 'reference' && r.access === 'write');
  let cost: number;
  switch (kind) {
    case 'single-shard':
    case 'single-shard-routed':
      cost = 1;
      break;
    case 'reference':
      cost = referenceWrite ? shards : 1;
      break;
    case 'multi-shard':
      cost = Math.max(1, Math.min(route.fanout, shards));
      break;
    default:
      cost = shards;
  }
  const groups = new Set(analysis.rels.filter((r) => r.mode === 'sharded').map((r) => r.table?.collocationGroup ?? r.table?.key));
  const crossGroup = groups.size > 1 && kind !== 'single-shard' && kind !== 'single-shard-routed';
  return { kind, fanout: route.fanout, cost, referenceWrite, crossGroup, analysis };
}

/** The order in which ties are broken: less work, fewer unique keys to change, fewer groups, fewer reference tables, then by name. */
export interface Rank {
  readonly work: number;
  readonly uniques: number;
  readonly groups: number;
  readonly references: number;
  readonly signature: string;
}

export function compareRank(a: Rank, b: Rank): number {
  const tolerance = 1e-9 * Math.max(1, a.work, b.work);
  if (Math.abs(a.work - b.work) > tolerance) return a.work - b.work;
  return a.uniques - b.uniques || a.groups - b.groups || a.references - b.references || cmp(a.signature, b.signature);
}

/**
 * Scores assignments (one option per table) incrementally: a statement's route depends only on the
 * places of the tables it uses, so each statement keeps a memo from those places to its outcome, and
 * a move re-scores only the statements that use a moved table. Each statement is parsed once
 * (`Unit.statement`) and only routed again.
 */
export class Evaluator {
  readonly tables: readonly string[];
  readonly options: readonly (readonly TableOption[])[];
  private readonly infos: readonly (readonly TableInfo[])[];
  private readonly unitTables: readonly Int32Array[];
  readonly unitsOf: readonly Int32Array[];
  private readonly memo: Map<string, Outcome>[];
  readonly totalWeight: number;
  routed = 0;
  evaluated = 0;

  /** Current assignment and state. */
  readonly assignment: Int32Array;
  private readonly current: Outcome[];
  private sum = 0;

  constructor(
    private readonly schema: AdviseSchema,
    readonly units: readonly Unit[],
    candidates: Candidates,
    readonly shards: number,
  ) {
    this.tables = [...candidates.options.keys()];
    const index = new Map(this.tables.map((t, i) => [t, i]));
    this.options = this.tables.map((t) => candidates.options.get(t) as readonly TableOption[]);
    this.infos = this.tables.map((t, i) => (this.options[i] as readonly TableOption[]).map((o) => tableInfo(schema.tables.get(t) as LearnedTable, o)));
    this.unitTables = units.map((u) => Int32Array.from(u.tables.map((t) => index.get(t) as number)));
    const by: number[][] = this.tables.map(() => []);
    units.forEach((u, k) => {
      for (const t of this.unitTables[k] as Int32Array) (by[t] as number[]).push(k);
    });
    this.unitsOf = by.map((list) => Int32Array.from(list));
    this.memo = units.map(() => new Map());
    this.totalWeight = units.reduce((s, u) => s + u.info.weight, 0);
    this.assignment = new Int32Array(this.tables.length);
    this.current = units.map((_, k) => this.outcome(k, this.assignment));
    this.sum = this.recount();
  }

  /** The outcome of statement `k` with tables placed as `assignment` says. */
  outcome(k: number, assignment: Int32Array): Outcome {
    const tables = this.unitTables[k] as Int32Array;
    let key = '';
    for (let i = 0; i < tables.length; i++) key += `${assignment[tables[i] as number]},`;
    const memo = this.memo[k] as Map<string, Outcome>;
    const hit = memo.get(key);
    if (hit) return hit;
    const infos: TableInfo[] = [];
    for (let i = 0; i < tables.length; i++) {
      const t = tables[i] as number;
      infos.push((this.infos[t] as readonly TableInfo[])[assignment[t] as number] as TableInfo);
    }
    const unit = this.units[k] as Unit;
    // Only the figures are kept: the memo holds one entry per statement and placement of its tables.
    const { kind, fanout, cost, referenceWrite, crossGroup } = outcomeOf(analyzeRoute(unit.statement, manifestOf(infos, this.schema.searchPath, this.shards)), this.shards);
    const result: Outcome = { kind, fanout, cost, referenceWrite, crossGroup };
    this.routed++;
    memo.set(key, result);
    return result;
  }

  private recount(): number {
    let sum = 0;
    this.units.forEach((u, k) => {
      sum += u.info.weight * (this.current[k] as Outcome).cost;
    });
    return sum;
  }

  /** Mean shard work per call of the current assignment. */
  get work(): number {
    return this.totalWeight > 0 ? this.sum / this.totalWeight : this.units.length > 0 ? 1 : 0;
  }

  /** The statements that use any of `tables`. */
  private affected(tables: readonly number[]): number[] {
    if (tables.length === 1) return [...(this.unitsOf[tables[0] as number] as Int32Array)];
    const set = new Set<number>();
    for (const t of tables) for (const k of this.unitsOf[t] as Int32Array) set.add(k);
    return [...set].sort((a, b) => a - b);
  }

  /** The rank the assignment would have after `moves` (table index → option index), without applying them. */
  try(moves: readonly (readonly [number, number])[]): Rank {
    this.evaluated++;
    const next = Int32Array.from(this.assignment);
    for (const [t, o] of moves) next[t] = o;
    let delta = 0;
    for (const k of this.affected(moves.map(([t]) => t))) {
      const w = (this.units[k] as Unit).info.weight;
      if (w === 0) continue;
      delta += w * (this.outcome(k, next).cost - (this.current[k] as Outcome).cost);
    }
    const sum = this.sum + delta;
    return this.rankOf(next, this.totalWeight > 0 ? sum / this.totalWeight : 0);
  }

  /** Applies `moves`. */
  apply(moves: readonly (readonly [number, number])[]): void {
    for (const [t, o] of moves) this.assignment[t] = o;
    for (const k of this.affected(moves.map(([t]) => t))) this.current[k] = this.outcome(k, this.assignment);
    // Summed afresh in statement order, so the figure never depends on the path the search took.
    this.sum = this.recount();
  }

  rank(): Rank {
    return this.rankOf(this.assignment, this.work);
  }

  rankOf(assignment: Int32Array, work: number): Rank {
    let uniques = 0;
    let references = 0;
    const groups = new Set<string>();
    const parts: string[] = [];
    for (let t = 0; t < assignment.length; t++) {
      const o = (this.options[t] as readonly TableOption[])[assignment[t] as number] as TableOption;
      uniques += o.uniqueChanges.length;
      if (o.mode === 'reference') references++;
      if (o.mode === 'sharded') groups.add(o.group ?? (this.tables[t] as string));
      parts.push(o.mode === 'sharded' ? o.shardKey.join('+') : o.mode === 'reference' ? '~ref' : '~std');
    }
    return { work, uniques, groups: groups.size, references, signature: parts.join(' ') };
  }

  /** The current outcome of every statement. */
  outcomes(): readonly Outcome[] {
    return this.current;
  }
}

/** The manifest entry of a table placed as `option` says. */
export function tableInfo(t: LearnedTable, option: TableOption): TableInfo {
  const sequenceColumns = t.columns.filter((c) => c.sequence).map((c) => c.name);
  if (option.mode !== 'sharded') return { key: t.key, schema: t.schema, name: t.name, mode: option.mode, shardKey: [], sequenceColumns };
  const group = option.group ?? t.key;
  return {
    key: t.key,
    schema: t.schema,
    name: t.name,
    mode: 'sharded',
    shardKey: option.shardKey,
    ...(group !== t.key && { collocateWith: group }),
    collocationGroup: group,
    sequenceColumns,
  };
}

/** The best assignments found, best first, at most `limit`, each once. */
export class Leaderboard {
  private readonly entries: { rank: Rank; assignment: Int32Array }[] = [];
  private readonly seen = new Set<string>();
  constructor(private readonly limit: number) {}

  offer(rank: Rank, assignment: Int32Array): void {
    if (this.seen.has(rank.signature)) return;
    const worst = this.entries[this.entries.length - 1];
    if (this.entries.length >= this.limit && worst && compareRank(rank, worst.rank) >= 0) return;
    this.seen.add(rank.signature);
    this.entries.push({ rank, assignment: Int32Array.from(assignment) });
    this.entries.sort((a, b) => compareRank(a.rank, b.rank));
    if (this.entries.length > this.limit) {
      const dropped = this.entries.pop();
      if (dropped) this.seen.delete(dropped.rank.signature);
    }
  }

  get best(): readonly { readonly rank: Rank; readonly assignment: Int32Array }[] {
    return this.entries;
  }
}

/** Every assignment, depth first; each step moves one table, so only its statements are routed again. */
export function searchExhaustive(ev: Evaluator, board: Leaderboard): void {
  const n = ev.tables.length;
  const visit = (t: number): void => {
    if (t === n) {
      ev.evaluated++;
      board.offer(ev.rank(), ev.assignment);
      return;
    }
    const count = (ev.options[t] as readonly TableOption[]).length;
    for (let o = 0; o < count; o++) {
      if (ev.assignment[t] !== o) ev.apply([[t, o]]);
      visit(t + 1);
    }
  };
  visit(0);
}

/**
 * Greedy with local improvement, from each start: sweeps over the tables, moving each to its best
 * option given the others (coordinate descent), then tries moving every table of a key domain onto it
 * at once (a collocation group forms only when its tables move together); until a round improves
 * nothing, at most `maxRounds` rounds.
 */
export function searchGreedy(ev: Evaluator, board: Leaderboard, starts: readonly Int32Array[], domainMoves: readonly (readonly (readonly [number, number])[])[], maxRounds: number): void {
  for (const start of starts) {
    const moves: [number, number][] = [];
    start.forEach((o, t) => {
      if (ev.assignment[t] !== o) moves.push([t, o]);
    });
    if (moves.length > 0) ev.apply(moves);
    let rank = ev.rank();
    board.offer(rank, ev.assignment);
    for (let round = 0; round < maxRounds; round++) {
      let improved = false;
      for (let t = 0; t < ev.tables.length; t++) {
        const count = (ev.options[t] as readonly TableOption[]).length;
        let best: { rank: Rank; o: number } | undefined;
        for (let o = 0; o < count; o++) {
          if (o === ev.assignment[t]) continue;
          const r = ev.try([[t, o]]);
          board.offer(r, withMove(ev.assignment, [[t, o]]));
          if (!best || compareRank(r, best.rank) < 0) best = { rank: r, o };
        }
        if (best && compareRank(best.rank, rank) < 0) {
          ev.apply([[t, best.o]]);
          rank = ev.rank();
          improved = true;
        }
      }
      for (const move of domainMoves) {
        const needed = move.filter(([t, o]) => ev.assignment[t] !== o);
        if (needed.length === 0) continue;
        const r = ev.try(needed);
        board.offer(r, withMove(ev.assignment, needed));
        if (compareRank(r, rank) < 0) {
          ev.apply(needed);
          rank = ev.rank();
          improved = true;
        }
      }
      if (!improved) break;
    }
  }
}

function withMove(assignment: Int32Array, moves: readonly (readonly [number, number])[]): Int32Array {
  const next = Int32Array.from(assignment);
  for (const [t, o] of moves) next[t] = o;
  return next;
}
