import { sep } from 'node:path';
import type { Diagnostic, LineIndex, Severity } from '@limitless-lint/core';
import type { FileResult, LintResult } from '../run/lint-result.js';
import { summarize } from '../run/lint-result.js';
import { findingLine, summaryLine } from './compact.js';
import { printable } from './printable.js';
import type { Reporter } from './reporter.js';
import { SEVERITIES } from './severities.js';
import { plural } from '../util/text.js';

/**
 * GitHub shows at most 10 annotations of each type per step (and 50 per job) and silently drops
 * the rest, so we emit at most this many of each severity, worst first.
 */
export const GITHUB_ANNOTATIONS_PER_SEVERITY = 10;

const COMMAND: Readonly<Record<Severity, string>> = { error: 'error', warning: 'warning', info: 'notice' };

/**
 * GitHub Actions workflow commands (`--format github`). First the annotations, worst first (errors,
 * then warnings, then notices for infos; within each, in file and line order), at most
 * {@link GITHUB_ANNOTATIONS_PER_SEVERITY} of each, each one
 * `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=<rule-id>::<message>` with the help on a
 * second line (columns only for single-line spans, as GitHub requires). Paths that could not be
 * linted come first, as errors. When annotations were left out, one `::notice` says how many.
 * Then, for the log, every finding of every file with findings in a collapsed group
 * (`::group::path: 2 errors, 1 warning`), one `path:line:column: severity: message [rule-id]` line
 * each, and a closing summary line.
 */
export const github: Reporter = function* (result) {
  const budget = annotationBudget(result);
  const left: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const { path, reason } of result.skipped) {
    if (budget.error > 0) {
      budget.error--;
      yield `::error ${properties({ file: slashes(path), title: 'limitless-lint' })}::${escapeData(`Not linted: ${printable(reason)}`)}\n`;
    } else left.error++;
  }
  for (const { file, lines, d } of worstFirst(result.files)) {
    if (budget[d.severity] > 0) {
      budget[d.severity]--;
      yield annotation(file.path, lines, d);
    } else left[d.severity]++;
  }
  const omitted = SEVERITIES.reduce((n, s) => n + left[s], 0);
  if (omitted > 0) {
    const counts = SEVERITIES.filter((s) => left[s] > 0).map((s) => plural(left[s], s, s === 'info' ? 'info' : undefined));
    yield `::notice title=limitless-lint::${escapeData(
      `${plural(omitted, 'more finding')} not annotated (${counts.join(', ')}): GitHub shows at most ${GITHUB_ANNOTATIONS_PER_SEVERITY} annotations of each type per step. Every finding is listed in this step's log; upload --format sarif to code scanning to see them all in the pull request.`,
    )}\n`;
  }
  for (const file of result.files) {
    if (!file.lines || file.diagnostics.length === 0) continue;
    yield `::group::${escapeData(`${printable(file.path)}: ${counts(file.diagnostics)}`)}\n`;
    for (const d of file.diagnostics) yield `${findingLine(file.path, file.lines, d)}\n`;
    yield '::endgroup::\n';
  }
  yield `${summaryLine(summarize(result))}\n`;
};

/**
 * How many annotations of each severity to emit: {@link GITHUB_ANNOTATIONS_PER_SEVERITY}, less one
 * notice when some will be left out, so that the notice saying so is not the one GitHub drops.
 */
function annotationBudget(result: LintResult): Record<Severity, number> {
  const found: Record<Severity, number> = { error: result.skipped.length, warning: 0, info: 0 };
  for (const file of result.files) if (file.lines) for (const d of file.diagnostics) found[d.severity]++;
  const max = GITHUB_ANNOTATIONS_PER_SEVERITY;
  const omits = SEVERITIES.some((s) => found[s] > max);
  return { error: max, warning: max, info: omits ? max - 1 : max };
}

interface Finding {
  readonly file: FileResult;
  readonly lines: LineIndex;
  readonly d: Diagnostic;
}

/** Every diagnostic, errors first, then warnings, then infos; each in file and source order. */
function* worstFirst(files: readonly FileResult[]): Generator<Finding> {
  for (const severity of SEVERITIES) {
    for (const file of files) {
      const lines = file.lines;
      if (!lines) continue;
      for (const d of file.diagnostics) if (d.severity === severity) yield { file, lines, d };
    }
  }
}

function annotation(path: string, lines: LineIndex, d: Diagnostic): string {
  const start = lines.positionAt(d.span.start);
  const end = lines.positionAt(d.span.end);
  // GitHub takes columns only when the annotation starts and ends on the same line.
  const columns: Record<string, string> = start.line === end.line ? { col: String(start.column), endColumn: String(end.column) } : {};
  const props = properties({ file: slashes(path), line: String(start.line), endLine: String(end.line), ...columns, title: d.ruleId });
  const message = d.help === undefined ? printable(d.message) : `${printable(d.message)}\nhelp: ${printable(d.help)}`;
  return `::${COMMAND[d.severity]} ${props}::${escapeData(message)}\n`;
}

function counts(diagnostics: readonly Diagnostic[]): string {
  const n: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) n[d.severity]++;
  return SEVERITIES.filter((s) => n[s] > 0)
    .map((s) => plural(n[s], s, s === 'info' ? 'info' : undefined))
    .join(', ');
}

/** A workflow command's message: `%`, CR and LF are percent-encoded (actions/toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also `:` and `,` (actions/toolkit `escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** GitHub expects `/` in paths, also on Windows runners. */
function slashes(path: string): string {
  return sep === '\\' ? path.replace(/\\/g, '/') : path;
}

function properties(props: Readonly<Record<string, string>>): string {
  return Object.entries(props)
    .map(([key, value]) => `${key}=${escapeProperty(value)}`)
    .join(',');
}
