import { createHash } from 'node:crypto';
import type { Diagnostic, StatementReport } from '@limitless-lint/core';
import type { FileResult } from '../run/lint-result.js';

/** The version of the key below; bump it (`limitlessLint/v2`) if what goes into it ever changes. */
export const FINGERPRINT_VERSION = 'v1';

/**
 * A stable identity for each diagnostic of a file (parallel to `file.diagnostics`), built without
 * line numbers so that it survives edits elsewhere in the file: a SHA-256 (hex) of
 *
 * - `scope` (empty for SARIF, whose consumers match results per file; the path for GitLab, which
 *   matches fingerprints across the whole report),
 * - the rule id,
 * - the statement's fingerprint (pg_query's: equal for statements that differ only in constants and
 *   layout; core's hash of the whitespace-normalised text for a statement that does not parse), or,
 *   for a finding outside any statement (a suppression comment), its whitespace-normalised text,
 * - the occurrence index of that (rule, statement fingerprint) pair among the file's diagnostics,
 *   in source order: two equal statements, or two findings of one rule in one statement, differ.
 *
 * Moving a statement (blank lines, other statements above it) keeps its keys; editing it, or
 * adding an equal statement with the same finding above it, changes them. Needs the statements'
 * fingerprints (`lintFiles(…, { statements: true })`); without them, each statement is keyed by
 * its finding's own text, which is less stable.
 */
export function findingFingerprints(file: FileResult, scope = ''): string[] {
  const byIndex = statementsByIndex(file.statements);
  const seen = new Map<string, number>();
  return file.diagnostics.map((d) => {
    const statement = statementKey(file, byIndex, d);
    const pair = `${d.ruleId}\0${statement}`;
    const occurrence = seen.get(pair) ?? 0;
    seen.set(pair, occurrence + 1);
    return createHash('sha256').update(`${scope}\0${pair}\0${occurrence}`).digest('hex');
  });
}

function statementsByIndex(statements: readonly StatementReport[] | undefined): (index: number) => StatementReport | undefined {
  if (!statements) return () => undefined;
  return (index) => {
    const direct = statements[index];
    return direct?.index === index ? direct : statements.find((s) => s.index === index);
  };
}

function statementKey(file: FileResult, byIndex: (index: number) => StatementReport | undefined, d: Diagnostic): string {
  const fingerprint = d.statement === undefined ? undefined : byIndex(d.statement)?.fingerprint;
  if (fingerprint !== undefined) return `statement:${fingerprint}`;
  const text = file.lines?.text.slice(d.span.start, d.span.end) ?? '';
  return `text:${text.replace(/\s+/g, ' ').trim()}`;
}
