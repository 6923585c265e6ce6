import { sep } from 'node:path';
import type { Severity } from '@limitless-lint/core';
import { findingFingerprints } from './finding-fingerprints.js';
import type { Reporter } from './reporter.js';

/** GitLab's scale is info, minor, major, critical, blocker; `critical` and `blocker` are not used. */
export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** One Code Quality issue: the fields GitLab reads, nothing else. */
export interface GitlabIssue {
  /** What is wrong (the diagnostic's message). */
  readonly description: string;
  /** The rule id. */
  readonly check_name: string;
  /** Unique in the report and independent of line numbers (see {@link findingFingerprints}). */
  readonly fingerprint: string;
  readonly severity: GitlabSeverity;
  readonly location: { readonly path: string; readonly lines: { readonly begin: number } };
}

/** Errors rank above warnings in the merge-request widget; infos stay `info`. */
const SEVERITY: Readonly<Record<Severity, GitlabSeverity>> = { error: 'major', warning: 'minor', info: 'info' };

/**
 * GitLab Code Quality (`--format gitlab`): a JSON array of {@link GitlabIssue}, one per diagnostic
 * in file and source order, for `artifacts: reports: codequality`. The fingerprint is the first
 * 32 hex digits of a SHA-256 of the path, the rule, the statement's fingerprint and the occurrence
 * (GitLab treats equal fingerprints as one finding, so the path is part of it). Paths that could
 * not be linted are not issues: they are on stderr, and the exit code is 2.
 */
export const gitlab: Reporter = function* (result) {
  let first = true;
  yield '[';
  for (const file of result.files) {
    if (!file.lines || file.diagnostics.length === 0) continue;
    const path = sep === '\\' ? file.path.replace(/\\/g, '/') : file.path;
    const fingerprints = findingFingerprints(file, path);
    for (const [k, d] of file.diagnostics.entries()) {
      const issue: GitlabIssue = {
        description: d.message,
        check_name: d.ruleId,
        fingerprint: (fingerprints[k] as string).slice(0, 32),
        severity: SEVERITY[d.severity],
        location: { path, lines: { begin: file.lines.positionAt(d.span.start).line } },
      };
      yield `${first ? '\n' : ',\n'}${JSON.stringify(issue)}`;
      first = false;
    }
  }
  yield first ? ']\n' : '\n]\n';
};
