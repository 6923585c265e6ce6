import type { Diagnostic, LineIndex } from '@limitless-lint/core';
import { summarize } from '../run/lint-result.js';
import type { Reporter } from './reporter.js';

/**
 * JUnit XML (`--format junit`), for CI systems that render test reports (GitLab, Jenkins, Azure
 * Pipelines, CircleCI). One `<testsuite>` per linted file, named by its path; in it one
 * `<testcase>` per diagnostic, named `<rule-id> at <line>:<column>`, each a `<failure>` whose
 * `type` is the rule id and whose `message` is the diagnostic's message, with the position,
 * severity, note, help and docs link as its text — JUnit has no severities, so warnings and infos
 * are failed test cases too (the exit code still follows the rules' levels). A clean file has one
 * passing test case, `no problems`. A path that could not be linted is a suite whose one test case
 * is an `<error>`.
 */
export const junit: Reporter = function* (result) {
  const summary = summarize(result);
  const failures = summary.errors + summary.warnings + summary.infos;
  const clean = result.files.filter((f) => f.diagnostics.length === 0).length;
  const tests = failures + clean + result.skipped.length;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="limitless-lint" tests="${tests}" failures="${failures}" errors="${result.skipped.length}">\n`;
  for (const file of result.files) {
    const path = attr(file.path);
    if (!file.lines || file.diagnostics.length === 0) {
      yield `  <testsuite name="${path}" tests="1" failures="0" errors="0" skipped="0">\n`;
      yield `    <testcase classname="${path}" name="no problems" file="${path}"/>\n`;
      yield '  </testsuite>\n';
      continue;
    }
    const n = file.diagnostics.length;
    yield `  <testsuite name="${path}" tests="${n}" failures="${n}" errors="0" skipped="0">\n`;
    for (const d of file.diagnostics) yield testcase(file.path, file.lines, d);
    yield '  </testsuite>\n';
  }
  for (const { path, reason } of result.skipped) {
    yield `  <testsuite name="${attr(path)}" tests="1" failures="0" errors="1" skipped="0">\n`;
    yield `    <testcase classname="${attr(path)}" name="not linted" file="${attr(path)}">\n`;
    yield `      <error type="not-linted" message="${attr(reason)}">${text(`${path}: ${reason}`)}</error>\n`;
    yield '    </testcase>\n  </testsuite>\n';
  }
  yield '</testsuites>\n';
};

function testcase(path: string, lines: LineIndex, d: Diagnostic): string {
  const { line, column } = lines.positionAt(d.span.start);
  const body = [`${path}:${line}:${column}: ${d.severity}: ${d.message} [${d.ruleId}]`];
  if (d.note !== undefined) body.push(`note: ${d.note}`);
  if (d.help !== undefined) body.push(`help: ${d.help}`);
  body.push(`docs: ${d.docsUrl}`);
  return (
    `    <testcase classname="${attr(path)}" name="${attr(`${d.ruleId} at ${line}:${column}`)}" file="${attr(path)}" line="${line}">\n` +
    `      <failure type="${attr(d.ruleId)}" message="${attr(d.message)}">${text(body.join('\n'))}</failure>\n` +
    '    </testcase>\n'
  );
}

/**
 * Characters XML 1.0 does not allow at all (C0 controls but tab, LF and CR; lone surrogates;
 * U+FFFE, U+FFFF) become U+FFFD: a file's text must not make the report unreadable.
 */
function legal(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Element text: `&`, `<` and `>` escaped. */
function text(value: string): string {
  return legal(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; tabs and line breaks are kept as character references. */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
