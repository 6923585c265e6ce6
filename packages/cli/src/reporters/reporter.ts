import type { LintResult } from '../run/lint-result.js';

export interface ReporterOptions {
  /** Whether ANSI colours may be used (already decided: see useColor in commands/options.ts). */
  readonly color: boolean;
}

/**
 * Renders a run's result as the text for stdout, in chunks to be written in order: a report of
 * hundreds of thousands of diagnostics is never built as one string.
 */
export type Reporter = (result: LintResult, options: ReporterOptions) => Iterable<string>;
