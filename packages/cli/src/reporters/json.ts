import type { Diagnostic, LineIndex, Severity } from '@limitless-lint/core';
import type { LintSummary, SkippedPath } from '../run/lint-result.js';
import { summarize } from '../run/lint-result.js';
import type { Reporter } from './reporter.js';

/**
 * The machine-readable report (`--format json`), documented in docs/cli.md. `version` changes only
 * when a field is removed or changes meaning; new fields may be added within a version.
 */
export interface JsonReport {
  readonly version: 1;
  /** Every file linted, in the order linted, including files without diagnostics. */
  readonly files: readonly JsonFile[];
  /** Files and directories that could not be linted (also reported on stderr). */
  readonly skipped: readonly SkippedPath[];
  readonly summary: LintSummary;
}

export interface JsonFile {
  /** Relative to the working directory when below it, absolute otherwise. */
  readonly path: string;
  readonly statements: number;
  /** TypeScript/JavaScript files only: their SQL sites, analysed or unknown (no verdict). */
  readonly sites?: { readonly analysed: number; readonly unknown: number };
  readonly diagnostics: readonly JsonDiagnostic[];
}

/** A diagnostic with 1-based positions; columns count UTF-16 code units; the end is exclusive. */
export interface JsonDiagnostic {
  readonly ruleId: string;
  readonly messageId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly note?: string;
  readonly help?: string;
  readonly docsUrl: string;
}

/** One JSON document on one line: see {@link JsonReport}. Streamed, one diagnostic at a time. */
export const json: Reporter = function* (result) {
  yield '{"version":1,"files":[';
  for (const [i, { path, stats, diagnostics, lines, sites }] of result.files.entries()) {
    const siteCounts = sites ? `"sites":${JSON.stringify({ analysed: sites.analysed, unknown: sites.unknown })},` : '';
    yield `${i > 0 ? ',' : ''}{"path":${JSON.stringify(path)},"statements":${stats.statements},${siteCounts}"diagnostics":[`;
    if (lines) {
      for (const [k, d] of diagnostics.entries()) yield `${k > 0 ? ',' : ''}${JSON.stringify(jsonDiagnostic(lines, d))}`;
    }
    yield ']}';
  }
  yield `],"skipped":${JSON.stringify(result.skipped)},"summary":${JSON.stringify(summarize(result))}}\n`;
};

function jsonDiagnostic(lines: LineIndex, d: Diagnostic): JsonDiagnostic {
  const start = lines.positionAt(d.span.start);
  const end = lines.positionAt(d.span.end);
  return {
    ruleId: d.ruleId,
    messageId: d.messageId,
    severity: d.severity,
    message: d.message,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    ...(d.note !== undefined && { note: d.note }),
    ...(d.help !== undefined && { help: d.help }),
    docsUrl: d.docsUrl,
  };
}
