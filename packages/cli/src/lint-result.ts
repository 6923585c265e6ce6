import type { AnalyzeStats, Diagnostic, LineIndex } from '@limitless-lint/core';

/** What linting one file gave. */
export interface FileResult {
  /** The file as displayed: relative to the working directory when below it. */
  readonly path: string;
  readonly stats: AnalyzeStats;
  /** In source order. */
  readonly diagnostics: readonly Diagnostic[];
  /** Positions in the file's text; kept only when there are diagnostics to place (code frames). */
  readonly lines: LineIndex | undefined;
}

/** A file or directory that could not be linted, and why. */
export interface SkippedPath {
  readonly path: string;
  readonly reason: string;
}

/** Everything one run found: the input of every reporter. */
export interface LintResult {
  readonly files: readonly FileResult[];
  readonly skipped: readonly SkippedPath[];
}

/** Totals over a {@link LintResult}. */
export interface LintSummary {
  /** Files linted. */
  readonly files: number;
  /** Files and directories that could not be linted. */
  readonly skipped: number;
  readonly statements: number;
  /** Statements PostgreSQL could not parse. */
  readonly parseErrors: number;
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
}

/** Counts statements and diagnostics by severity. */
export function summarize(result: LintResult): LintSummary {
  let statements = 0;
  let parseErrors = 0;
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const file of result.files) {
    statements += file.stats.statements;
    parseErrors += file.stats.parseErrors;
    for (const d of file.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
    }
  }
  return { files: result.files.length, skipped: result.skipped.length, statements, parseErrors, errors, warnings, infos };
}

/** The same result with only error diagnostics (`--quiet`). */
export function onlyErrors(result: LintResult): LintResult {
  return {
    ...result,
    files: result.files.map((file) => ({ ...file, diagnostics: file.diagnostics.filter((d) => d.severity === 'error') })),
  };
}
