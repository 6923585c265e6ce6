import type { Diagnostic, LineIndex } from '@limitless-lint/core';
import type { LintSummary } from '../run/lint-result.js';
import { summarize } from '../run/lint-result.js';
import { plural } from '../util/text.js';
import { printable } from './printable.js';
import type { Reporter } from './reporter.js';

/**
 * One line per finding, `path:line:column: severity: message [rule-id]` (the form of GCC, squawk's
 * `gcc` and ESLint's `unix`, which editors' error parsers and grep read), in file and source order,
 * then one summary line. No colour, no code frame, no note or help: `--format stylish` has them.
 */
export const compact: Reporter = function* (result) {
  for (const file of result.files) {
    if (!file.lines) continue;
    for (const d of file.diagnostics) yield `${findingLine(file.path, file.lines, d)}\n`;
  }
  yield `${summaryLine(summarize(result))}\n`;
};

/**
 * A finding on one line. A path that starts with `:` or `#` is written `./…`, so that no line can
 * start a GitHub workflow command (`::error …`) or look like a comment.
 */
export function findingLine(path: string, lines: LineIndex, d: Diagnostic): string {
  const { line, column } = lines.positionAt(d.span.start);
  const safePath = /^[:#]/.test(path) ? `./${path}` : path;
  return `${printable(safePath)}:${line}:${column}: ${d.severity}: ${printable(d.message)} [${d.ruleId}]`;
}

/** `limitless-lint: 3 problems (2 errors, 1 warning, 0 info); 9 statements in 2 files (0 parse errors)`. */
export function summaryLine(s: LintSummary): string {
  const problems = s.errors + s.warnings + s.infos;
  const verdict = problems === 0 ? 'no problems' : `${plural(problems, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info', 'info')})`;
  let coverage = `${plural(s.statements, 'statement')} in ${plural(s.files, 'file')} (${plural(s.parseErrors, 'parse error')})`;
  if (s.skipped > 0) coverage += `; ${plural(s.skipped, 'path')} not linted`;
  return `limitless-lint: ${verdict}; ${coverage}`;
}
