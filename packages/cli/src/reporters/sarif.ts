import { isAbsolute, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic, LineIndex, RuleLevel, RuleMeta, Severity, Span } from '@limitless-lint/core';
import { docsUrl, rules } from '@limitless-lint/core';
import type { LintResult } from '../run/lint-result.js';
import { summarize } from '../run/lint-result.js';
import { packageVersion } from '../version.js';
import { FINGERPRINT_VERSION, findingFingerprints } from './finding-fingerprints.js';
import type { Reporter } from './reporter.js';
import { SEVERITIES } from './severities.js';
import { plural } from '../util/text.js';

/**
 * GitHub code scanning keeps at most 25,000 results of a run (and displays the top 5,000 by
 * severity); beyond that the upload is rejected. We keep the worst 25,000 and say so.
 */
export const SARIF_MAX_RESULTS = 25_000;

/** The key of our own entry in `partialFingerprints` (see {@link findingFingerprints}). */
export const SARIF_FINGERPRINT_KEY = `limitlessLint/${FINGERPRINT_VERSION}`;

const INFORMATION_URI = 'https://github.com/limitless-lint/limitless-lint';
const SRCROOT = '%SRCROOT%';

/** The SARIF 2.1.0 subset we write (https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly [SarifRun];
}

export interface SarifRun {
  readonly tool: { readonly driver: SarifDriver };
  readonly originalUriBaseIds?: Readonly<Record<string, { readonly uri: string }>>;
  readonly columnKind: 'utf16CodeUnits';
  readonly results: readonly SarifResult[];
  readonly invocations: readonly [SarifInvocation];
  readonly properties: { readonly limitlessLint: SarifRunSummary };
}

export interface SarifDriver {
  readonly name: 'limitless-lint';
  readonly version: string;
  readonly semanticVersion: string;
  readonly informationUri: string;
  readonly rules: readonly SarifRule[];
  readonly notifications: readonly { readonly id: string; readonly shortDescription: SarifText }[];
}

export interface SarifText {
  readonly text: string;
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifText;
  readonly fullDescription: SarifText;
  readonly helpUri: string;
  readonly help: { readonly text: string; readonly markdown: string };
  readonly defaultConfiguration: { readonly enabled?: false; readonly level: SarifLevel };
  readonly properties: { readonly category: string; readonly tags: readonly string[] };
}

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface SarifArtifactLocation {
  readonly uri: string;
  readonly uriBaseId?: string;
}

export interface SarifPhysicalLocation {
  readonly artifactLocation: SarifArtifactLocation;
  readonly region?: SarifRegion;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifText;
  readonly locations: readonly [{ readonly physicalLocation: SarifPhysicalLocation }];
  readonly relatedLocations?: readonly { readonly id: number; readonly physicalLocation: SarifPhysicalLocation; readonly message: SarifText }[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly fixes?: readonly SarifFix[];
  /** The stable message id, and why it matters (the rendered note). */
  readonly properties: { readonly messageId: string; readonly note?: string };
}

export interface SarifFix {
  readonly description: SarifText;
  readonly artifactChanges: readonly [
    {
      readonly artifactLocation: SarifArtifactLocation;
      readonly replacements: readonly { readonly deletedRegion: SarifRegion; readonly insertedContent: SarifText }[];
    },
  ];
}

export interface SarifInvocation {
  readonly executionSuccessful: boolean;
  readonly toolExecutionNotifications: readonly SarifNotification[];
}

export interface SarifNotification {
  readonly descriptor: { readonly id: NotificationId };
  readonly level: 'error' | 'warning' | 'note';
  readonly message: SarifText;
  readonly locations?: readonly [{ readonly physicalLocation: { readonly artifactLocation: SarifArtifactLocation } }];
}

/** Coverage figures of the run (the same as the JSON report's summary). */
export interface SarifRunSummary {
  readonly files: number;
  readonly skipped: number;
  readonly statements: number;
  readonly parseErrors: number;
  readonly results: number;
  readonly resultsOmitted: number;
}

type NotificationId = 'not-linted' | 'parse-errors' | 'results-omitted';

const NOTIFICATIONS: readonly { readonly id: NotificationId; readonly shortDescription: SarifText }[] = [
  { id: 'not-linted', shortDescription: { text: 'A file or directory could not be linted.' } },
  { id: 'parse-errors', shortDescription: { text: 'Statements PostgreSQL could not parse were not analysed.' } },
  { id: 'results-omitted', shortDescription: { text: 'The run found more results than a SARIF upload to GitHub may hold; the least severe were left out.' } },
];

const LEVEL: Readonly<Record<Severity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

/**
 * SARIF 2.1.0 (`--format sarif`), for GitHub code scanning and other SARIF viewers: one run whose
 * driver lists every rule of the catalogue, one result per diagnostic with 1-based UTF-16 columns
 * (`columnKind`), paths relative to `%SRCROOT%` (the working directory), secondary labels as
 * `relatedLocations`, suggestions with edits as `fixes`, and our own line-independent
 * `partialFingerprints` (see {@link findingFingerprints}). Paths that could not be linted, parse
 * errors and omitted results are `toolExecutionNotifications`; the run is not `executionSuccessful`
 * when a path could not be linted (exit code 2). Streamed as one JSON document, one result a line.
 */
export const sarif: Reporter = function* (result) {
  const counts = countBySeverity(result);
  const keep = keptPerSeverity(counts, SARIF_MAX_RESULTS);
  const kept = SEVERITIES.reduce((n, s) => n + keep[s], 0);
  const found = SEVERITIES.reduce((n, s) => n + counts[s], 0);
  const descriptors = ruleDescriptors(result);
  const ruleIndex = new Map(descriptors.map((r, i) => [r.id, i]));
  const version = packageVersion();
  const driver: SarifDriver = {
    name: 'limitless-lint',
    version,
    semanticVersion: version,
    informationUri: INFORMATION_URI,
    rules: descriptors,
    notifications: NOTIFICATIONS,
  };
  const head = {
    tool: { driver },
    ...(result.cwd !== undefined && { originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(result.cwd) } } }),
    columnKind: 'utf16CodeUnits',
  };
  yield `{"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[${JSON.stringify(head).slice(0, -1)},"results":[`;
  const taken: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let first = true;
  for (const file of result.files) {
    if (!file.lines || file.diagnostics.length === 0) continue;
    const fingerprints = findingFingerprints(file);
    const artifact = artifactLocation(file.path);
    for (const [k, d] of file.diagnostics.entries()) {
      if (taken[d.severity] >= keep[d.severity]) continue;
      taken[d.severity]++;
      const entry = sarifResult(d, file.lines, artifact, ruleIndex.get(d.ruleId) ?? 0, fingerprints[k] as string);
      yield `${first ? '\n' : ',\n'}${JSON.stringify(entry)}`;
      first = false;
    }
  }
  const summary = summarize(result);
  const invocation: SarifInvocation = {
    executionSuccessful: result.skipped.length === 0,
    toolExecutionNotifications: notifications(result, summary.parseErrors, found, kept),
  };
  const properties: SarifRun['properties'] = {
    limitlessLint: {
      files: summary.files,
      skipped: summary.skipped,
      statements: summary.statements,
      parseErrors: summary.parseErrors,
      results: kept,
      resultsOmitted: found - kept,
    },
  };
  yield `\n],"invocations":[${JSON.stringify(invocation)}],"properties":${JSON.stringify(properties)}}]}\n`;
};

function countBySeverity(result: LintResult): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const file of result.files) {
    if (!file.lines) continue;
    for (const d of file.diagnostics) counts[d.severity]++;
  }
  return counts;
}

/** How many results of each severity fit in `max`, worst first (within a severity: the first found). */
function keptPerSeverity(counts: Readonly<Record<Severity, number>>, max: number): Record<Severity, number> {
  const keep: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  let room = max;
  for (const s of SEVERITIES) {
    keep[s] = Math.min(counts[s], room);
    room -= keep[s];
  }
  return keep;
}

function notifications(result: LintResult, parseErrors: number, found: number, kept: number): SarifNotification[] {
  const out: SarifNotification[] = result.skipped.map(({ path, reason }) => ({
    descriptor: { id: 'not-linted' },
    level: 'error',
    message: { text: `${path} was not linted: ${reason}` },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(path) } }],
  }));
  if (parseErrors > 0) {
    const files = result.files.filter((f) => f.stats.parseErrors > 0).length;
    out.push({
      descriptor: { id: 'parse-errors' },
      level: 'warning',
      message: { text: `${plural(parseErrors, 'statement')} in ${plural(files, 'file')} could not be parsed and ${parseErrors === 1 ? 'was' : 'were'} not analysed (see the parse-error results).` },
    });
  }
  if (kept < found) {
    out.push({
      descriptor: { id: 'results-omitted' },
      level: 'warning',
      message: {
        text: `limitless-lint found ${found} results; this log holds the ${kept} most severe (GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} per run) and omits ${found - kept}. Run --format json for all of them.`,
      },
    });
  }
  return out;
}

function sarifResult(d: Diagnostic, lines: LineIndex, artifact: SarifArtifactLocation, ruleIndex: number, fingerprint: string): SarifResult {
  const fixes = d.suggestions
    .filter((s) => s.edits.length > 0)
    .map(
      (s): SarifFix => ({
        description: { text: s.message },
        artifactChanges: [
          { artifactLocation: artifact, replacements: s.edits.map((e) => ({ deletedRegion: region(lines, e.span), insertedContent: { text: e.text } })) },
        ],
      }),
    );
  return {
    ruleId: d.ruleId,
    ruleIndex,
    level: LEVEL[d.severity],
    message: { text: d.help === undefined ? d.message : `${d.message}\nhelp: ${d.help}` },
    locations: [{ physicalLocation: { artifactLocation: artifact, region: region(lines, d.span) } }],
    ...(d.labels.length > 0 && {
      relatedLocations: d.labels.map((label, i) => ({
        id: i + 1,
        physicalLocation: { artifactLocation: artifact, region: region(lines, label.span) },
        message: { text: label.message },
      })),
    }),
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: fingerprint },
    ...(fixes.length > 0 && { fixes }),
    // The help is in the message (GitHub shows only the message); the docs link is the rule's helpUri.
    properties: { messageId: d.messageId, ...(d.note !== undefined && { note: d.note }) },
  };
}

/** SARIF regions are 1-based and their end column is exclusive, as our positions. */
function region(lines: LineIndex, span: Span): SarifRegion {
  const start = lines.positionAt(span.start);
  const end = lines.positionAt(span.end);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

/**
 * A displayed path as a SARIF artifact location: below the working directory, a relative URI
 * reference (segments percent-encoded, `/`-separated) against `%SRCROOT%`; elsewhere, a `file:` URI.
 */
function artifactLocation(path: string): SarifArtifactLocation {
  if (isAbsolute(path)) return { uri: pathToFileURL(path).href };
  return { uri: path.split(sep === '\\' ? /[\\/]/ : '/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The catalogue, then any rule id found in the results but not in it (`internal-error`). */
function ruleDescriptors(result: LintResult): SarifRule[] {
  const descriptors = rules.map((r) => ruleDescriptor(r.meta));
  const known = new Set(descriptors.map((r) => r.id));
  for (const file of result.files) {
    for (const d of file.diagnostics) {
      if (known.has(d.ruleId)) continue;
      known.add(d.ruleId);
      descriptors.push(unknownRuleDescriptor(d));
    }
  }
  return descriptors;
}

function ruleDescriptor(meta: RuleMeta): SarifRule {
  const url = docsUrl(meta.id);
  const note = generic(meta.note);
  const help = generic(meta.help);
  return {
    id: meta.id,
    name: pascalCase(meta.id),
    shortDescription: { text: `${meta.description}.` },
    fullDescription: { text: `${meta.description}. ${note}` },
    helpUri: url,
    help: {
      text: `${meta.description}.\n\nWhy it matters on Limitless: ${note}\n\nWhat to do: ${help}\n\nDocumentation: ${url}`,
      markdown: `${meta.description}.\n\n**Why it matters on Limitless:** ${note}\n\n**What to do:** ${help}\n\n[Documentation of \`${meta.id}\`](${url})`,
    },
    defaultConfiguration: levelConfiguration(meta.defaultLevel),
    properties: { category: meta.category, tags: ['limitless', meta.category] },
  };
}

/** A rule id outside the catalogue, e.g. `internal-error` (the analyzer failed on a statement). */
function unknownRuleDescriptor(d: Diagnostic): SarifRule {
  const text = `Findings reported as ${d.ruleId}.`;
  return {
    id: d.ruleId,
    name: pascalCase(d.ruleId),
    shortDescription: { text },
    fullDescription: { text },
    helpUri: d.docsUrl,
    help: { text: `Documentation: ${d.docsUrl}`, markdown: `[Documentation](${d.docsUrl})` },
    defaultConfiguration: { level: LEVEL[d.severity] },
    properties: { category: 'housekeeping', tags: ['limitless', 'housekeeping'] },
  };
}

function levelConfiguration(level: RuleLevel): SarifRule['defaultConfiguration'] {
  switch (level) {
    case 'off':
      return { enabled: false, level: 'none' };
    case 'info':
      return { level: 'note' };
    case 'warn':
      return { level: 'warning' };
    case 'error':
      return { level: 'error' };
  }
}

/** A rule's note or help template without a finding: `{{column}}` becomes `‹column›`. */
function generic(template: string): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, '‹$1›');
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, c: string) => c.toUpperCase());
}
