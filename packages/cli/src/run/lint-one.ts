import type { AnalyzeStats, Diagnostic, LearnedTable, Manifest, SkippedText, StatementReport } from '@limitless-lint/core';
import { analyzeSql, LineIndex, sqlcConfigFor } from '@limitless-lint/core';
import { AnalyzerCrash } from '../util/errors.js';
import type { SiteCounts } from '../input/extract-ts.js';
import { lintScript } from '../input/extract-ts.js';
import type { Language } from '../input/files.js';
import { MANIFEST_FREE_OVERRIDES } from './manifest-free.js';
import type { ReadResult } from '../input/read-file.js';
import { readSqlFileSync } from '../input/read-file.js';

/** One file to lint, with everything its analysis depends on: the same in the main thread and in a worker. */
export interface LintJob {
  /** Absolute path (or the stand-in path of standard input). */
  readonly file: string;
  /** As displayed. */
  readonly path: string;
  readonly language: Language;
  /** Without one (`--no-manifest`), only the rules that need no manifest run. */
  readonly manifest: Manifest | undefined;
  /** Tables the linted DDL declares, as this file is to see them. */
  readonly knownTables: ReadonlyMap<string, LearnedTable>;
  /** Keep every statement's report, with its fingerprint (`FileResult.statements`). */
  readonly statements: boolean;
  /** The file's text (or why it cannot be linted) when already read; otherwise the file is read. */
  readonly read?: ReadResult;
  /** The largest file read, in bytes. */
  readonly limit: number;
  /** `--sqlc`: a SQL file is a sqlc query file; otherwise when a sqlc.yaml lists it, or by its annotations. */
  readonly sqlc?: boolean;
}

/**
 * What linting one file gave, as plain data (it crosses from a worker to the main thread). `text` is
 * kept only when positions will be needed (diagnostics to place, statements to keep): the main thread
 * builds the file's `LineIndex` from it.
 */
export type LintOutcome =
  | {
      readonly kind: 'linted';
      readonly path: string;
      readonly stats: AnalyzeStats;
      /** For SQL files: the text not analysed, by cause. */
      readonly notAnalysed?: SkippedText;
      readonly diagnostics: readonly Diagnostic[];
      readonly statements?: readonly StatementReport[];
      /** For TypeScript/JavaScript files: its SQL sites. */
      readonly sites?: SiteCounts;
      readonly text?: string;
    }
  | { readonly kind: 'skipped'; readonly path: string; readonly reason: string };

/**
 * Reads and lints one file: a SQL file with core, a TypeScript/JavaScript file's SQL sites with the
 * shared embedded-SQL extractor. A file that cannot be read as UTF-8 text, or a script that does not
 * parse, is skipped with a reason. The SQL parser must be loaded.
 *
 * @throws {AnalyzerCrash} when the analyzer throws (a bug).
 */
export function lintOne(job: LintJob): LintOutcome {
  const { path } = job;
  const read = job.read ?? readSqlFileSync(job.file, job.limit);
  if (!read.ok) return { kind: 'skipped', path, reason: read.reason };
  const { text } = read;
  const options = {
    fileName: path,
    knownTables: job.knownTables,
    ...(job.manifest ? { manifest: job.manifest } : { ruleOverrides: MANIFEST_FREE_OVERRIDES }),
    // Routes are kept only when the run reads them (baselines, --changed-since, the locality diff).
    ...(job.statements ? { fingerprints: true } : { routes: false }),
  };
  try {
    if (job.language === 'ts') {
      const linted = lintScript(text, job.file, options);
      if ('error' in linted) {
        const { line, column } = new LineIndex(text).positionAt(linted.error.offset);
        return { kind: 'skipped', path, reason: `not parsed as TypeScript/JavaScript: ${linted.error.message} (line ${line}, column ${column}); its SQL is not linted` };
      }
      return outcome(path, text, linted.stats, linted.diagnostics, job.statements ? linted.statements : undefined, linted.sites);
    }
    const sqlc = job.sqlc === true || sqlcConfigFor(job.file) !== undefined;
    const analysis = analyzeSql(text, sqlc ? { ...options, sqlc } : options);
    const diagnostics = [...analysis.diagnostics].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    return outcome(path, text, analysis.stats, diagnostics, job.statements ? analysis.statements : undefined, undefined, analysis.skipped);
  } catch (error) {
    throw new AnalyzerCrash(path, error);
  }
}

/**
 * The diagnostics with one `internal-error` per statement: when the analyzer fails on a statement,
 * the route analysis and the rules can each fail on it, and it is one failure to report and count.
 */
function oneInternalErrorPerStatement(diagnostics: readonly Diagnostic[]): readonly Diagnostic[] {
  if (!diagnostics.some((d) => d.ruleId === INTERNAL_ERROR)) return diagnostics;
  const failed = new Set<number | string>();
  return diagnostics.filter((d) => {
    if (d.ruleId !== INTERNAL_ERROR) return true;
    const key = d.statement ?? `at ${d.span.start}`;
    if (failed.has(key)) return false;
    failed.add(key);
    return true;
  });
}

/** The id of the diagnostic core reports when the analyzer fails on a statement (a bug). */
export const INTERNAL_ERROR = 'internal-error';

function outcome(
  path: string,
  text: string,
  stats: AnalyzeStats,
  all: readonly Diagnostic[],
  statements: readonly StatementReport[] | undefined,
  sites: SiteCounts | undefined,
  notAnalysed?: SkippedText,
): LintOutcome {
  const diagnostics = oneInternalErrorPerStatement(all);
  return {
    kind: 'linted',
    path,
    stats,
    ...(notAnalysed && { notAnalysed }),
    diagnostics,
    ...(statements && { statements }),
    ...(sites && { sites }),
    ...((diagnostics.length > 0 || statements) && { text }),
  };
}
