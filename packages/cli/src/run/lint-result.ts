import type { AnalyzeStats, Diagnostic, LineIndex, SkippedText, StatementReport } from '@limitless-lint/core';

/** What linting one file gave. */
export interface FileResult {
  /** The file as displayed: relative to the working directory when below it. */
  readonly path: string;
  readonly stats: AnalyzeStats;
  /** For SQL files: the text not analysed, by cause (core's `AnalyzeResult.skipped`). */
  readonly notAnalysed?: SkippedText;
  /** In source order. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Positions in the file's text; kept when there are diagnostics to place (code frames), and
   * whenever `statements` is.
   */
  readonly lines: LineIndex | undefined;
  /**
   * Every statement's span, route and fingerprint (`diagnostic.statement` is its `index`): only
   * when asked for (`lintFiles(…, { statements: true })`, for baselines, changed-only runs, SARIF
   * fingerprints and the locality diff).
   */
  readonly statements?: readonly StatementReport[];
  /**
   * For a TypeScript or JavaScript file: its SQL sites (tagged templates, query calls), analysed or
   * unknown (SQL that cannot be determined statically: no verdict, never a false one).
   */
  readonly sites?: { readonly analysed: number; readonly unknown: number };
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
  /** The working directory that relative `path`s are relative to (SARIF's `%SRCROOT%`). */
  readonly cwd?: string;
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
  /**
   * SQL text not analysed, by cause (psql meta-commands and COPY data skipped, COPY data without a `\.`
   * line, statements parsed but not analysed); only when there was some.
   */
  readonly notAnalysed?: { readonly metaCommands: number; readonly metaCommandChars: number; readonly copyDataBlocks: number; readonly copyDataChars: number; readonly unterminatedCopyData: number; readonly unanalysable: number };
  /** SQL embedded in TypeScript/JavaScript: files linted and their sites; only when such files were linted. */
  readonly embedded?: { readonly files: number; readonly analysed: number; readonly unknown: number };
}

/** Counts statements and diagnostics by severity. */
export function summarize(result: LintResult): LintSummary {
  let statements = 0;
  let parseErrors = 0;
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let embedded: { files: number; analysed: number; unknown: number } | undefined;
  const notAnalysed = { metaCommands: 0, metaCommandChars: 0, copyDataBlocks: 0, copyDataChars: 0, unterminatedCopyData: 0, unanalysable: 0 };
  for (const file of result.files) {
    notAnalysed.metaCommands += file.stats.metaCommands;
    notAnalysed.copyDataBlocks += file.stats.copyDataBlocks;
    if (file.notAnalysed) {
      notAnalysed.metaCommandChars += file.notAnalysed.metaCommandChars;
      notAnalysed.copyDataChars += file.notAnalysed.copyDataChars;
      notAnalysed.unterminatedCopyData += file.notAnalysed.unterminatedCopyData;
      notAnalysed.unanalysable += file.notAnalysed.unanalysable;
    }
    if (file.sites) {
      embedded ??= { files: 0, analysed: 0, unknown: 0 };
      embedded.files++;
      embedded.analysed += file.sites.analysed;
      embedded.unknown += file.sites.unknown;
    }
    statements += file.stats.statements;
    parseErrors += file.stats.parseErrors;
    for (const d of file.diagnostics) {
      if (d.severity === 'error') errors++;
      else if (d.severity === 'warning') warnings++;
      else infos++;
    }
  }
  const some = Object.values(notAnalysed).some((n) => n > 0);
  return { files: result.files.length, skipped: result.skipped.length, statements, parseErrors, errors, warnings, infos, ...(some && { notAnalysed }), ...(embedded && { embedded }) };
}

/** The same result with only error diagnostics (`--quiet`). */
export function onlyErrors(result: LintResult): LintResult {
  return {
    ...result,
    files: result.files.map((file) => ({ ...file, diagnostics: file.diagnostics.filter((d) => d.severity === 'error') })),
  };
}
