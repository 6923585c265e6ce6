import { resolve } from 'node:path';
import type { Manifest, RouteKind, StatementReport } from '@limitless-lint/core';
import { analyzeSql, LineIndex } from '@limitless-lint/core';
import type { ChangeSet } from './changed-since.js';
import { changeOf } from './changed-since.js';
import { lintScript } from '../input/extract-ts.js';
import { languageOf } from '../input/files.js';
import { showFile } from './git.js';
import type { LintResult } from '../run/lint-result.js';
import { printable } from '../reporters/printable.js';
import type { ManifestFor } from '../input/resolve-manifests.js';
import { oneLine } from '../util/text.js';

/**
 * How local each route is, for the locality diff: a change to a higher rank is **worse**. One shard
 * on the fast path is best; then one shard without the fast path; then the routes that run on one
 * shard chosen by the system (reference reads, standard tables); a bounded set of shards; the
 * router (joins across groups, work pulled up from the shards); every shard; and last `unknown`,
 * where the analysis could not vouch for anything. `none` (no table: `BEGIN`, `SET`, `SELECT 1`)
 * costs no shard work at all. Between routes of the same rank, a larger fan-out is worse (a
 * reference-table write fans out to every shard, a read to one).
 */
export const ROUTE_RANK: Readonly<Record<RouteKind, number>> = {
  none: 0,
  'single-shard': 1,
  'single-shard-routed': 2,
  reference: 3,
  standard: 3,
  'multi-shard': 4,
  router: 5,
  'all-shards': 6,
  unknown: 7,
};

/** A statement's route as the diff shows it. */
export interface RouteAt {
  /** 1-based line of the statement's first character. */
  readonly line: number;
  /** `unknown` for a statement that does not parse. */
  readonly route: RouteKind;
  readonly fanout: number;
}

export type LocalityChangeKind = 'worse' | 'better' | 'new';

/** One statement whose locality changed on the branch, or that the branch added. */
export interface LocalityChange {
  readonly kind: LocalityChangeKind;
  /** As displayed (relative to the working directory when below it). */
  readonly file: string;
  /** Absent for a new statement. */
  readonly before?: RouteAt;
  readonly after: RouteAt;
  /** The statement's text on one line, whitespace collapsed, cut to {@link SQL_PREVIEW} characters. */
  readonly sql: string;
}

/** The locality diff of a run against a git revision. */
export interface LocalityDiff {
  /** The revision as given (`--compare-to`). */
  readonly ref: string;
  /** The merge base the branch is compared with. */
  readonly base: string;
  /** Worse first (worst route first), then better, then new (worst first); by file and line within. */
  readonly changes: readonly LocalityChange[];
  /** New statements that touch no table (`BEGIN`, `SET` …): counted, not listed. */
  readonly newWithoutTables: number;
  /** Statements of the merge base's versions that have no counterpart any more. */
  readonly removed: number;
  /** Statements whose route (and fan-out) stayed as they were, in the files the branch changed. */
  readonly unchanged: number;
  /** Files compared: linted files that the branch changed or added. */
  readonly files: number;
}

const SQL_PREVIEW = 120;

/**
 * Compares the route of every statement in the linted files that the branch changed with the same
 * statement at the merge base (`git show base:path`, following renames; both versions analysed
 * with the current manifest, so the diff shows what the SQL changes did). Statements are paired
 * by fingerprint first (equal up to constants and layout: moved or re-valued statements stay
 * paired), then, between statements paired in order, by position (an edited statement is paired
 * with the one it replaced), then by kind and tables (a statement moved and edited). Needs
 * `FileResult.statements`.
 */
export async function localityDiff(result: LintResult, changes: ChangeSet, manifestFor: ManifestFor, cwd: string, flag: string): Promise<LocalityDiff> {
  const listed: LocalityChange[] = [];
  let newWithoutTables = 0;
  let removed = 0;
  let unchanged = 0;
  let files = 0;
  for (const file of result.files) {
    const absolute = resolve(cwd, file.path);
    const change = changeOf(changes, absolute);
    if (!change || !file.statements || !file.lines) continue;
    if (change.oldPath !== undefined && change.ranges.length === 0 && change.deletions.length === 0) continue;
    files++;
    let before: readonly StatementReport[] = [];
    let beforeLines: LineIndex | undefined;
    if (change.oldPath !== undefined) {
      const old = await showFile(changes.root, changes.base, change.oldPath, flag);
      if (old) {
        const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(old);
        before = statementsOf(text, absolute, manifestFor(absolute));
        beforeLines = new LineIndex(text);
      }
    }
    const after = file.statements;
    const pairs = pairStatements(before, after, statementShape);
    removed += before.length - pairs.filter(([b]) => b !== undefined).length;
    for (const [b, a] of pairs) {
      const now = routeAt(a, file.lines);
      const sql = oneLine(file.lines.text.slice(a.span.start, a.span.end), SQL_PREVIEW);
      if (b === undefined) {
        if (now.route === 'none') newWithoutTables++;
        else listed.push({ kind: 'new', file: file.path, after: now, sql });
        continue;
      }
      const then = routeAt(b, beforeLines as LineIndex);
      const order = compareRoutes(then, now);
      if (order === 0) unchanged++;
      else listed.push({ kind: order > 0 ? 'worse' : 'better', file: file.path, before: then, after: now, sql });
    }
  }
  return { ref: changes.ref, base: changes.base, changes: sortChanges(listed), newWithoutTables, removed, unchanged, files };
}

/**
 * The statements of a file's old version, analysed as the file is linted: a SQL file as a whole, a
 * TypeScript/JavaScript file by its SQL sites (a version that does not parse has none). Routes only:
 * no rules run.
 */
function statementsOf(text: string, file: string, manifest: Manifest | undefined): readonly StatementReport[] {
  const options = { fingerprints: true, rules: [], ...(manifest && { manifest }) };
  if (languageOf(file) === 'sql') return analyzeSql(text, options).statements;
  const linted = lintScript(text, file, options);
  return 'error' in linted ? [] : linted.statements;
}

/** The kind of statement and the tables it touches, for pairing edited statements that moved. */
function statementShape(s: StatementReport): string | undefined {
  const tables = [...new Set(s.route?.tables.map((t) => t.table) ?? [])].sort();
  return tables.length === 0 ? undefined : `${s.kind} ${tables.join(' ')}`;
}

/** Positive when `after` is less local than `before` (see {@link ROUTE_RANK}), negative when more, 0 when alike. */
export function compareRoutes(before: Pick<RouteAt, 'route' | 'fanout'>, after: Pick<RouteAt, 'route' | 'fanout'>): number {
  return ROUTE_RANK[after.route] - ROUTE_RANK[before.route] || after.fanout - before.fanout;
}

function routeAt(statement: StatementReport, lines: LineIndex): RouteAt {
  const { line } = lines.positionAt(statement.span.start);
  return { line, route: statement.route?.kind ?? 'unknown', fanout: statement.route?.fanout ?? 0 };
}


const KIND_ORDER: Readonly<Record<LocalityChangeKind, number>> = { worse: 0, better: 1, new: 2 };

function sortChanges(changes: LocalityChange[]): LocalityChange[] {
  return changes.sort(
    (x, y) =>
      KIND_ORDER[x.kind] - KIND_ORDER[y.kind] ||
      (x.kind === 'better' ? 0 : ROUTE_RANK[y.after.route] - ROUTE_RANK[x.after.route]) ||
      (x.file < y.file ? -1 : x.file > y.file ? 1 : 0) ||
      x.after.line - y.after.line,
  );
}

/**
 * Pairs the statements of two versions of a file: every `after` statement with its `before`
 * counterpart, or `undefined` when it is new. First by fingerprint (the i-th occurrence of a
 * fingerprint before with the i-th after), then, in each stretch between pairs that kept their
 * order (the longest increasing run of them), the statements left unpaired on both sides in order
 * of position: an edited statement whose fingerprint changed is paired with the one it replaced.
 * Statements still unpaired are paired by `shape` when given (the same kind of statement on the
 * same tables), in order: a statement both moved and edited.
 */
export function pairStatements<T extends { readonly fingerprint?: string }>(before: readonly T[], after: readonly T[], shape?: (s: T) => string | undefined): [T | undefined, T][] {
  const partner: (number | undefined)[] = new Array<number | undefined>(after.length).fill(undefined);
  const queues = new Map<string, number[]>();
  for (const [i, s] of before.entries()) {
    if (s.fingerprint === undefined) continue;
    const queue = queues.get(s.fingerprint);
    if (queue) queue.push(i);
    else queues.set(s.fingerprint, [i]);
  }
  for (const [j, s] of after.entries()) {
    const i = s.fingerprint === undefined ? undefined : queues.get(s.fingerprint)?.shift();
    if (i !== undefined) partner[j] = i;
  }
  // Anchors: the longest run of pairs whose before-indices increase with the after-indices.
  const anchors = longestIncreasing(partner);
  const taken = new Set(partner.filter((i): i is number => i !== undefined));
  const anchorAt = [...anchors, after.length];
  let fromBefore = 0;
  let fromAfter = 0;
  for (const j of anchorAt) {
    const limit = j < after.length ? (partner[j] as number) : before.length;
    const freeBefore: number[] = [];
    for (let i = fromBefore; i < limit; i++) if (!taken.has(i)) freeBefore.push(i);
    for (let k = fromAfter; k < j; k++) {
      if (partner[k] !== undefined) continue;
      const i = freeBefore.shift();
      if (i === undefined) break;
      partner[k] = i;
      taken.add(i);
    }
    fromBefore = limit + 1;
    fromAfter = j + 1;
  }
  // Last, a statement that was moved and edited: paired with an unpaired one of the same shape.
  if (shape) {
    const free = new Map<string, number[]>();
    for (const [i, s] of before.entries()) {
      const k = taken.has(i) ? undefined : shape(s);
      if (k === undefined) continue;
      const queue = free.get(k);
      if (queue) queue.push(i);
      else free.set(k, [i]);
    }
    for (const [j, s] of after.entries()) {
      if (partner[j] !== undefined) continue;
      const k = shape(s);
      const i = k === undefined ? undefined : free.get(k)?.shift();
      if (i !== undefined) partner[j] = i;
    }
  }
  return after.map((s, j) => {
    const i = partner[j];
    return [i === undefined ? undefined : before[i], s];
  });
}

/** Indices `j` of the longest subsequence of defined `values[j]` that strictly increases (patience sorting). */
function longestIncreasing(values: readonly (number | undefined)[]): number[] {
  const tails: number[] = [];
  const previous = new Array<number>(values.length).fill(-1);
  for (const [j, v] of values.entries()) {
    if (v === undefined) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((values[tails[mid] as number] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[j] = tails[lo - 1] as number;
    tails[lo] = j;
  }
  const out: number[] = [];
  for (let j = tails[tails.length - 1] ?? -1; j >= 0; j = previous[j] as number) out.push(j);
  return out.reverse();
}

/**
 * The locality diff for a terminal or a CI log: a heading line with the counts, one line per
 * statement that got worse, better or is new (`file:line  before → after  SQL`), and a closing line.
 */
export function formatLocalityDiff(diff: LocalityDiff): string {
  const short = diff.base.slice(0, 12);
  if (diff.files === 0) return `Locality diff against ${printable(diff.ref)} (merge base ${short}): no linted file changed\n`;
  const count = (kind: LocalityChangeKind): number => diff.changes.filter((c) => c.kind === kind).length;
  const lines = [`Locality diff against ${printable(diff.ref)} (merge base ${short}): ${count('worse')} worse, ${count('better')} better, ${count('new') + diff.newWithoutTables} new`];
  for (const c of diff.changes) {
    const routes = c.before ? `${c.before.route} → ${c.after.route} (fan-out ${c.before.fanout} → ${c.after.fanout})` : `${c.after.route} (fan-out ${c.after.fanout})`;
    lines.push(`  ${c.kind.padEnd(6)}  ${printable(c.file)}:${c.after.line}  ${routes}  ${printable(c.sql)}`);
  }
  const rest = [`${diff.unchanged} unchanged`, `${diff.removed} removed`];
  if (diff.newWithoutTables > 0) rest.push(`${diff.newWithoutTables} new without tables`);
  lines.push(`  ${diff.files} changed ${diff.files === 1 ? 'file' : 'files'} compared: ${rest.join(', ')}`);
  return `${lines.join('\n')}\n`;
}
