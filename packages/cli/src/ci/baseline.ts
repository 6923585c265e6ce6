import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic } from '@limitless-lint/core';
import { ruleGroupOf } from '@limitless-lint/core';
import { writeFileAtomicSync } from '../util/atomic-write.js';
import { describeFsError } from '../util/describe-fs-error.js';
import { CliError } from '../util/errors.js';
import type { FileResult, LintResult } from '../run/lint-result.js';

/**
 * One known finding (or several alike): the first `count` findings of `rule` in statements with
 * this `fingerprint` in `file` are hidden. No line numbers, so moving or reformatting a statement,
 * or changing its constants, keeps it matched.
 */
export interface BaselineEntry {
  /** Relative to the baseline file's directory, with `/` separators. */
  readonly file: string;
  readonly rule: string;
  /**
   * pg_query's fingerprint of the statement (equal across constants and layout); `text:…` for a
   * statement that does not parse; `message:…` for a finding that belongs to no statement.
   */
  readonly fingerprint: string;
  /** At least 1. */
  readonly count: number;
}

/** The baseline file: `version` changes only if the meaning of a field changes. */
export interface BaselineFile {
  readonly version: 1;
  /** Sorted by file, rule, fingerprint: a stable diff in review. */
  readonly entries: readonly BaselineEntry[];
}

/** A baseline read from disk, with where it is. */
export interface Baseline {
  /** Absolute path of the baseline file. */
  readonly path: string;
  readonly entries: readonly BaselineEntry[];
}

/** What applying a baseline to a run gave. */
export interface BaselineOutcome {
  /** The run without the known findings. */
  readonly result: LintResult;
  /** Findings hidden. */
  readonly hidden: number;
  /**
   * Entries (or the part of their count) that matched nothing: fixed, or changed beyond
   * recognition. Only files linted in this run, and files that no longer exist, are checked.
   */
  readonly stale: readonly BaselineEntry[];
}

/**
 * Reads a baseline file; a file that does not exist is an empty baseline when `missingOk` (for
 * `--update-baseline`), an error otherwise.
 *
 * @throws {CliError} when the file is missing (unless `missingOk`), unreadable or not a baseline.
 */
export function readBaseline(path: string, shown: string, missingOk: boolean): Baseline {
  if (!existsSync(path)) {
    if (missingOk) return { path, entries: [] };
    throw new CliError(`no such baseline file: ${shown} (write one with --update-baseline)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? `not JSON (${error.message})` : describeFsError(error);
    throw new CliError(`cannot read the baseline ${shown}: ${why}`);
  }
  const problem = baselineProblem(data);
  if (problem !== undefined) throw new CliError(`invalid baseline ${shown}: ${problem}`);
  return { path, entries: (data as BaselineFile).entries };
}

function baselineProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'expected an object { "version": 1, "entries": [...] }';
  const { version, entries } = data as { version?: unknown; entries?: unknown };
  if (version !== 1) return `unsupported version ${JSON.stringify(version)} (this limitless-lint reads version 1)`;
  if (!Array.isArray(entries)) return '"entries" must be an array';
  for (const [i, entry] of entries.entries()) {
    const e = entry as Partial<Record<keyof BaselineEntry, unknown>> | null;
    const ok =
      typeof e === 'object' && e !== null &&
      typeof e.file === 'string' && typeof e.rule === 'string' && typeof e.fingerprint === 'string' &&
      typeof e.count === 'number' && Number.isInteger(e.count) && e.count >= 1;
    if (!ok) return `entries[${i}] must be { "file": string, "rule": string, "fingerprint": string, "count": a whole number ≥ 1 }`;
  }
  return undefined;
}

/** The key of a finding: `file`, `rule` and `fingerprint` of an entry. */
function key(file: string, rule: string, fingerprint: string): string {
  return JSON.stringify([file, rule, fingerprint]);
}

/** A linted file's path as the baseline names it: relative to the baseline's directory, `/`-separated. */
export function baselinePath(baseline: string, file: FileResult, cwd: string): string {
  const absolute = resolve(cwd, file.path);
  const rel = relative(dirname(baseline), absolute);
  return isAbsolute(rel) ? absolute.split(sep).join('/') : rel.split(sep).join('/');
}

/**
 * The fingerprint a finding is known by: its statement's (which needs `FileResult.statements`), or
 * for a finding outside any statement (an unused suppression comment …) a hash of its message id and data.
 */
export function findingFingerprint(file: FileResult, d: Diagnostic, byIndex?: ReadonlyMap<number, string | undefined>): string {
  const fromStatement = d.statement === undefined ? undefined : (byIndex ?? fingerprintsByIndex(file)).get(d.statement);
  if (fromStatement !== undefined) return fromStatement;
  const hash = createHash('sha1').update(JSON.stringify([d.messageId, Object.entries(d.data).sort()])).digest('hex');
  return `message:${hash.slice(0, 16)}`;
}

function fingerprintsByIndex(file: FileResult): Map<number, string | undefined> {
  return new Map((file.statements ?? []).map((s) => [s.index, s.fingerprint]));
}

/**
 * Hides the known findings: for each (file, rule, fingerprint) the first `count` findings in
 * source order. Files linted in this run whose entries matched less than their count, and entries
 * of files that no longer exist, are stale.
 */
export function applyBaseline(result: LintResult, baseline: Baseline, cwd: string): BaselineOutcome {
  const allowance = new Map<string, number>();
  for (const e of baseline.entries) {
    const k = key(e.file, e.rule, e.fingerprint);
    allowance.set(k, (allowance.get(k) ?? 0) + e.count);
  }
  const linted = new Set<string>();
  let hidden = 0;
  const files = result.files.map((file) => {
    const path = baselinePath(baseline.path, file, cwd);
    linted.add(path);
    const byIndex = fingerprintsByIndex(file);
    const diagnostics = file.diagnostics.filter((d) => {
      const fingerprint = findingFingerprint(file, d, byIndex);
      // An entry of a group alias (a rule since split, e.g. no-unsupported-feature) hides its members' findings.
      const group = ruleGroupOf(d.ruleId);
      for (const k of [key(path, d.ruleId, fingerprint), ...(group ? [key(path, group, fingerprint)] : [])]) {
        const left = allowance.get(k) ?? 0;
        if (left === 0) continue;
        allowance.set(k, left - 1);
        hidden++;
        return false;
      }
      return true;
    });
    return diagnostics.length === file.diagnostics.length ? file : { ...file, diagnostics };
  });
  const stale: BaselineEntry[] = [];
  const gone = new Map<string, boolean>();
  for (const e of sortEntries(baseline.entries)) {
    const k = key(e.file, e.rule, e.fingerprint);
    const left = allowance.get(k) ?? 0;
    if (left === 0) continue;
    let checked = linted.has(e.file);
    if (!checked) {
      if (!gone.has(e.file)) gone.set(e.file, !existsSync(resolve(dirname(baseline.path), e.file)));
      checked = gone.get(e.file) === true;
    }
    if (!checked) continue;
    const count = Math.min(left, e.count);
    allowance.set(k, left - count);
    stale.push({ ...e, count });
  }
  return { result: { ...result, files }, hidden, stale };
}

/**
 * The baseline that knows every finding of this run: entries for the files linted now, plus the
 * entries of files not linted in this run that still exist (a run over part of the tree keeps the
 * rest). Stale entries are thereby pruned.
 */
export function baselineFor(result: LintResult, previous: Baseline, cwd: string): BaselineEntry[] {
  const counts = new Map<string, BaselineEntry>();
  const linted = new Set<string>();
  for (const file of result.files) {
    const path = baselinePath(previous.path, file, cwd);
    linted.add(path);
    const byIndex = fingerprintsByIndex(file);
    for (const d of file.diagnostics) {
      const fingerprint = findingFingerprint(file, d, byIndex);
      const k = key(path, d.ruleId, fingerprint);
      const entry = counts.get(k);
      counts.set(k, { file: path, rule: d.ruleId, fingerprint, count: (entry?.count ?? 0) + 1 });
    }
  }
  const kept = previous.entries.filter((e) => !linted.has(e.file) && existsSync(resolve(dirname(previous.path), e.file)));
  for (const e of kept) {
    const k = key(e.file, e.rule, e.fingerprint);
    const entry = counts.get(k);
    counts.set(k, { ...e, count: (entry?.count ?? 0) + e.count });
  }
  return sortEntries([...counts.values()]);
}

/** Sorted by file, rule, fingerprint (code-unit order, the same on every machine). */
export function sortEntries(entries: readonly BaselineEntry[]): BaselineEntry[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...entries].sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.fingerprint, b.fingerprint));
}

/**
 * The file's text: one entry per line, so that a review diff shows one line per finding added or
 * fixed, and a trailing newline.
 */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  if (entries.length === 0) return '{\n  "version": 1,\n  "entries": []\n}\n';
  const lines = entries.map((e) => `    ${JSON.stringify({ file: e.file, rule: e.rule, fingerprint: e.fingerprint, count: e.count })}`);
  return `{\n  "version": 1,\n  "entries": [\n${lines.join(',\n')}\n  ]\n}\n`;
}

/** Writes the baseline atomically (a temporary file renamed over it). */
export function writeBaseline(path: string, entries: readonly BaselineEntry[]): void {
  writeFileAtomicSync(path, [formatBaseline(entries)], 'the baseline');
}
