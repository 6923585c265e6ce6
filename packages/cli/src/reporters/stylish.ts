import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import type { Diagnostic, LineIndex, Severity } from '@limitless-lint/core';
import { summarize } from '../run/lint-result.js';
import type { LintSummary } from '../run/lint-result.js';
import { codeFrame } from './code-frame.js';
import { printable } from './printable.js';
import type { Reporter } from './reporter.js';
import { plural } from '../util/text.js';

/**
 * For people at a terminal. Per file with problems: a header with its path, then per diagnostic
 * `path:line:column  severity  message  rule-id`, a code frame with the span underlined, secondary
 * labels, `note:`, `help:` and `suggestion:` lines, and the docs link. Ends with a summary of
 * problems and one of statements.
 */
export const stylish: Reporter = function* (result, { color }) {
  const c = new Chalk({ level: color ? 1 : 0 });
  for (const file of result.files) {
    if (!file.lines || file.diagnostics.length === 0) continue;
    const path = printable(file.path);
    yield `${c.underline(path)}\n`;
    for (const diagnostic of file.diagnostics) yield `${renderDiagnostic(c, path, file.lines, diagnostic).join('\n')}\n\n`;
  }
  yield `${renderSummary(c, summarize(result)).join('\n')}\n`;
};

function severityColor(c: ChalkInstance, severity: Severity): ChalkInstance {
  if (severity === 'error') return c.red;
  return severity === 'warning' ? c.yellow : c.blue;
}

function renderDiagnostic(c: ChalkInstance, path: string, lines: LineIndex, d: Diagnostic): string[] {
  const { line, column } = lines.positionAt(d.span.start);
  const paint = severityColor(c, d.severity);
  const out = [`  ${path}:${line}:${column}  ${paint(d.severity)}  ${printable(d.message)}  ${c.dim(d.ruleId)}`];
  const frame = { gutter: c.dim, marker: paint };
  out.push(...codeFrame(lines, d.span, frame).map(indent));
  for (const label of d.labels) {
    const at = lines.positionAt(label.span.start);
    out.push(indent(c.dim(`${path}:${at.line}:${at.column}`)));
    out.push(...codeFrame(lines, label.span, { gutter: c.dim, marker: c.cyan }, { char: '-', message: label.message }).map(indent));
  }
  if (d.note !== undefined) out.push(indent(`${c.bold('note:')} ${printable(d.note)}`));
  if (d.help !== undefined) out.push(indent(`${c.bold.green('help:')} ${printable(d.help)}`));
  for (const suggestion of d.suggestions) out.push(indent(`${c.bold('suggestion:')} ${printable(suggestion.message)}`));
  out.push(indent(c.dim(`docs: ${d.docsUrl}`)));
  return out;
}

function indent(line: string): string {
  return `    ${line}`;
}

function renderSummary(c: ChalkInstance, s: LintSummary): string[] {
  const problems = s.errors + s.warnings + s.infos;
  const counts = [plural(s.errors, 'error'), plural(s.warnings, 'warning')];
  if (s.infos > 0) counts.push(`${s.infos} info`);
  const verdict =
    problems === 0
      ? c.green('✔ no problems')
      : (s.errors > 0 ? c.red : c.yellow).bold(`✖ ${plural(problems, 'problem')} (${counts.join(', ')})`);
  let coverage = `${plural(s.statements, 'statement')} in ${plural(s.files, 'file')} (${plural(s.parseErrors, 'parse error')})`;
  if (s.skipped > 0) coverage += `; ${plural(s.skipped, 'path')} not linted`;
  const lines = [verdict, c.dim(coverage)];
  if (s.embedded) {
    const { files, analysed, unknown } = s.embedded;
    lines.push(c.dim(`${plural(analysed + unknown, 'SQL site')} in ${files} TS/JS ${files === 1 ? 'file' : 'files'}: ${analysed} analysed, ${unknown} unknown`));
  }
  return lines;
}
