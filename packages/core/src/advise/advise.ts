import type { LearnedTable } from '../ddl/replay.js';
import { parseQualifiedName } from '../manifest/names.js';
import type { Manifest } from '../manifest/types.js';
import { analyzeRoute } from '../route/analyze-route.js';
import { DEFAULT_SHARDS } from '../route/pinning.js';
import type { ResolvedConstraints, TableOption } from './candidates.js';
import { cmp, findCandidates, uniqueChanges } from './candidates.js';
import type { Prepared, Unit } from './prepare.js';
import { manifestOf, prepareStatements } from './prepare.js';
import type { AnalysedOutcome, Outcome } from './search.js';
import { Evaluator, Leaderboard, outcomeOf, searchExhaustive, searchGreedy, tableInfo } from './search.js';
import type {
  Advice,
  AdviceScore,
  AdviseConstraints,
  AdviseOptions,
  AdviseSchema,
  AdviseSource,
  AdvisedManifest,
  AdvisedTable,
  ScoredKind,
  StatementOutcome,
  TableRationale,
  UniqueChange,
  WorkloadRow,
} from './types.js';
import { EXHAUSTIVE_LIMIT, KEYS_PER_TABLE } from './types.js';

/** Bad input for the advisor (a constraint naming an unknown table or column …). */
export class AdviseError extends Error {}

/** Rounds of local improvement at most, per start of the greedy search. */
export const MAX_ROUNDS = 20;

const KINDS: readonly ScoredKind[] = ['single-shard', 'single-shard-routed', 'multi-shard', 'all-shards', 'reference', 'standard', 'router', 'unknown'];

/**
 * Proposes manifests for `schema`: shard keys, collocation groups and reference tables, ranked by how
 * the route analyzer routes the application's statements under each (see docs/advise.md). The same
 * input always gives the same answer.
 *
 * @throws {AdviseError} when a constraint names a table or column the schema does not have.
 */
export function advise(schema: AdviseSchema, sources: readonly AdviseSource[], options: AdviseOptions = {}): Advice {
  const shards = options.constraints?.shards ?? DEFAULT_SHARDS;
  const constraints = resolveConstraints(schema, options.constraints);
  const prepared = prepareStatements(schema, sources, options.workload, shards);
  const candidates = findCandidates(schema, prepared.units, constraints, options.keysPerTable ?? KEYS_PER_TABLE);
  const ev = new Evaluator(schema, prepared.units, candidates, shards);
  const top = options.top ?? 5;
  const board = new Leaderboard(top);
  const space = ev.options.reduce((p, o) => p * o.length, 1);
  const limit = options.exhaustiveLimit ?? EXHAUSTIVE_LIMIT;
  let mode: 'exhaustive' | 'greedy';
  if (space <= limit) {
    mode = 'exhaustive';
    searchExhaustive(ev, board);
  } else {
    mode = 'greedy';
    const dominantStart = Int32Array.from(
      ev.options.map((list) => {
        const d = list.findIndex((o) => o.domain !== undefined && o.domain === candidates.dominant);
        if (d >= 0) return d;
        const r = list.findIndex((o) => o.mode === 'reference');
        return r >= 0 ? r : 0;
      }),
    );
    const firstStart = new Int32Array(ev.tables.length);
    const starts = dominantStart.every((o) => o === 0) ? [dominantStart] : [dominantStart, firstStart];
    const domainMoves = candidates.domains
      .filter((d) => d.tables > 1)
      .map((d) =>
        ev.options.flatMap((list, t) => {
          const o = list.findIndex((x) => x.domain === d.id);
          return o >= 0 && !(list[o] as TableOption).fixed ? [[t, o] as const] : [];
        }),
      )
      .filter((m) => m.length > 1);
    searchGreedy(ev, board, starts, domainMoves, MAX_ROUNDS);
  }

  const manifests: AdvisedManifest[] = board.best.map((entry, i) => {
    const placed = ev.tables.map((t, k) => ({ table: t, option: (ev.options[k] as readonly TableOption[])[entry.assignment[k] as number] as TableOption }));
    const tables = collocationTargets(placed.map(({ table, option }) => advisedTable(schema.tables.get(table) as LearnedTable, option)));
    const manifest = manifestOf(
      placed.map(({ table, option }) => tableInfo(schema.tables.get(table) as LearnedTable, option)),
      schema.searchPath,
      shards,
    );
    const outcomes = prepared.units.map((u) => outcomeOf(analyzeRoute(u.statement, manifest), shards));
    return { rank: i + 1, tables, score: scoreOf(prepared.units, outcomes, placed.flatMap((p) => p.option.uniqueChanges)) };
  });
  const best = board.best[0];
  const bestManifest = best
    ? manifestOf(
        ev.tables.map((t, k) => tableInfo(schema.tables.get(t) as LearnedTable, (ev.options[k] as readonly TableOption[])[best.assignment[k] as number] as TableOption)),
        schema.searchPath,
        shards,
      )
    : manifestOf([], schema.searchPath, shards);
  const bestOutcomes = prepared.units.map((u) => outcomeOf(analyzeRoute(u.statement, bestManifest), shards));
  const fixed = new Set(ev.tables.filter((_, k) => (ev.options[k] as readonly TableOption[]).every((o) => o.fixed)));

  return {
    shards,
    manifests,
    outcomes: statementOutcomes(prepared.units, bestOutcomes),
    rationale: rationaleOf(schema, prepared.units, bestOutcomes, bestManifest, fixed),
    search: {
      mode,
      space,
      evaluated: ev.evaluated,
      routed: ev.routed,
      options: new Map(ev.tables.map((t, k) => [t, (ev.options[k] as readonly TableOption[]).map(optionLabel)])),
    },
    statements: { scored: prepared.units.length, skipped: prepared.skipped, weighted: prepared.weighted },
    domains: candidates.domains
      .filter((d) => d.tables > 1)
      .map((d) => ({ root: d.root, column: d.rootColumn, tables: d.tables, filters: d.filters }))
      .sort((a, b) => b.filters - a.filters || b.tables - a.tables || cmp(a.root, b.root)),
  };
}

/**
 * Scores an existing manifest the way `advise` scores its candidates (for comparison: the manifest a
 * project has, against the proposal).
 */
export function scoreManifest(schema: AdviseSchema, sources: readonly AdviseSource[], manifest: Manifest, options: { readonly workload?: readonly WorkloadRow[] } = {}): { readonly score: AdviceScore; readonly outcomes: readonly StatementOutcome[] } {
  const prepared: Prepared = prepareStatements(schema, sources, options.workload, manifest.shards);
  const outcomes = prepared.units.map((u) => outcomeOf(analyzeRoute(u.statement, manifest), manifest.shards));
  const changes = [...manifest.tables.values()].flatMap((t) => {
    const learned = schema.tables.get(t.key);
    return learned && t.mode === 'sharded' ? uniqueChanges(learned, t.shardKey) : [];
  });
  return { score: scoreOf(prepared.units, outcomes, changes), outcomes: statementOutcomes(prepared.units, outcomes) };
}

function scoreOf(units: readonly Unit[], outcomes: readonly Outcome[], changes: readonly UniqueChange[]): AdviceScore {
  const shares = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ScoredKind, number>;
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<ScoredKind, number>;
  let total = 0;
  let sum = 0;
  let local = 0;
  let referenceWrites = 0;
  let crossGroupJoins = 0;
  units.forEach((u, k) => {
    const o = outcomes[k] as Outcome;
    const w = u.info.weight;
    total += w;
    sum += w * o.cost;
    shares[o.kind] += w;
    counts[o.kind]++;
    if (o.cost === 1) local += w;
    if (o.referenceWrite) referenceWrites++;
    if (o.crossGroup) crossGroupJoins++;
  });
  for (const k of KINDS) shares[k] = total > 0 ? shares[k] / total : 0;
  return { work: total > 0 ? sum / total : 0, shares, counts, referenceWrites, crossGroupJoins, uniqueChanges: changes, local: total > 0 ? local / total : 0 };
}

function statementOutcomes(units: readonly Unit[], outcomes: readonly AnalysedOutcome[]): StatementOutcome[] {
  return units.map((u, k) => {
    const o = outcomes[k] as AnalysedOutcome;
    const scatterTables = o.analysis.rels.filter((r) => r.mode === 'sharded' && o.analysis.pins.get(r.id)?.state !== 'pinned').map((r) => r.display);
    return { statement: u.info, kind: o.kind, fanout: o.fanout, reasons: o.analysis.route.reasons, scatterTables: [...new Set(scatterTables)] };
  });
}

function rationaleOf(schema: AdviseSchema, units: readonly Unit[], outcomes: readonly AnalysedOutcome[], manifest: Manifest, fixed: ReadonlySet<string>): Map<string, TableRationale> {
  const out = new Map<string, TableRationale>();
  for (const key of [...schema.tables.keys()].sort()) {
    const mode = manifest.tables.get(key)?.mode ?? 'standard';
    let statements = 0;
    let pinned = 0;
    let writes = 0;
    const scatter: { name: string; weight: number; index: number }[] = [];
    units.forEach((u, k) => {
      const o = outcomes[k] as AnalysedOutcome;
      const rels = o.analysis.rels.filter((r) => r.table?.key === key);
      if (rels.length === 0) return;
      statements++;
      const written = rels.some((r) => r.access === 'write');
      if (written) writes++;
      const ok = mode === 'sharded' ? rels.every((r) => o.analysis.pins.get(r.id)?.state === 'pinned') : mode === 'reference' ? !written : o.cost === 1;
      if (ok) pinned++;
      else scatter.push({ name: u.info.name, weight: u.info.weight, index: u.index });
    });
    scatter.sort((a, b) => b.weight - a.weight || a.index - b.index);
    out.set(key, { table: key, statements, pinned, writes, scatter: [...new Set(scatter.map((s) => s.name))], fixed: fixed.has(key) });
  }
  return out;
}

function advisedTable(t: LearnedTable, option: TableOption): AdvisedTable {
  if (option.mode !== 'sharded') return { key: t.key, mode: option.mode, shardKey: [] };
  const group = option.group ?? t.key;
  return { key: t.key, mode: 'sharded', shardKey: option.shardKey, ...(group !== t.key && { collocateWith: group }), group };
}

/**
 * Names each group by a table that is sharded in it: the domain's root when it is, else the group's
 * first table (a manifest can only collocate with a sharded table).
 */
function collocationTargets(tables: readonly AdvisedTable[]): AdvisedTable[] {
  const members = new Map<string, string[]>();
  for (const t of tables) if (t.mode === 'sharded' && t.group) members.set(t.group, [...(members.get(t.group) ?? []), t.key]);
  const target = new Map([...members].map(([group, keys]) => [group, keys.includes(group) ? group : ([...keys].sort()[0] as string)]));
  return tables.map((t) => {
    if (t.mode !== 'sharded' || !t.group) return t;
    const root = target.get(t.group) as string;
    const { collocateWith: _old, ...rest } = t;
    return { ...rest, group: root, ...(root !== t.key && { collocateWith: root }) };
  });
}

function optionLabel(o: TableOption): string {
  return o.mode === 'sharded' ? `sharded(${o.shardKey.join(', ')})` : o.mode;
}

function resolveConstraints(schema: AdviseSchema, c: AdviseConstraints | undefined): ResolvedConstraints {
  const resolve = (written: string): string => {
    const q = parseQualifiedName(written, schema.searchPath);
    if (q) {
      const direct = `${q.schema}.${q.name}`;
      if (schema.tables.has(direct)) return direct;
      if (!written.includes('.')) {
        for (const s of schema.searchPath) if (schema.tables.has(`${s}.${q.name}`)) return `${s}.${q.name}`;
      }
    }
    throw new AdviseError(`${written}: no such table in the schema`);
  };
  const fix = new Map<string, readonly string[]>();
  for (const [written, key] of c?.fix ?? []) {
    const table = resolve(written);
    const columns = key.map((k) => k.trim());
    const info = schema.tables.get(table) as LearnedTable;
    for (const col of columns) if (!info.columns.some((x) => x.name === col)) throw new AdviseError(`${written}: no column ${col} (columns: ${info.columns.map((x) => x.name).join(', ')})`);
    if (columns.length === 0) throw new AdviseError(`${written}: an empty shard key`);
    fix.set(table, columns);
  }
  const reference = new Set((c?.reference ?? []).map(resolve));
  const standard = new Set((c?.standard ?? []).map(resolve));
  for (const t of reference) {
    if (fix.has(t)) throw new AdviseError(`${t}: both fixed as sharded and declared reference`);
    if (standard.has(t)) throw new AdviseError(`${t}: both reference and standard`);
  }
  for (const t of standard) if (fix.has(t)) throw new AdviseError(`${t}: both fixed as sharded and declared standard`);
  return { fix, reference, standard };
}
