import type { AnalyzeOptions, AnalyzeResult } from '../analyze.js';
import { analyzeSql } from '../analyze.js';
import type { Diagnostic } from '../diagnostic.js';
import type { RuleOverrides } from '../rules/engine.js';
import { resolveRules } from '../rules/engine.js';
import { rules as allRules } from '../rules/index.js';
import { parseRaw } from '../sql/parser.js';
import type { ParameterSegment, SourceEdit, SourceRange } from './sql-source-map.js';
import type { AnalysableSqlSite, SqlSite, UnknownSqlReason } from './types.js';

export interface SourceLabel {
  readonly range: SourceRange;
  readonly message: string;
}

export interface SourceSuggestion {
  readonly message: string;
  readonly edits: readonly SourceEdit[];
}

/** A diagnostic of embedded SQL, with its positions carried over to the source file. */
export interface EmbeddedDiagnostic {
  /** As core reported it: spans are offsets into the site's SQL text. */
  readonly diagnostic: Diagnostic;
  readonly range: SourceRange;
  readonly labels: readonly SourceLabel[];
  /** The suggestions whose every edit lies within the text of one literal; the others are dropped. */
  readonly suggestions: readonly SourceSuggestion[];
}

export type SiteAnalysis =
  | {
      readonly kind: 'analysed';
      readonly site: AnalysableSqlSite;
      readonly result: AnalyzeResult;
      /** Sorted by position. */
      readonly diagnostics: readonly EmbeddedDiagnostic[];
    }
  | {
      readonly kind: 'unknown';
      readonly site: SqlSite;
      readonly reason: UnknownSqlReason;
      readonly message: string;
      readonly at: SourceRange;
    };

/**
 * Analyses one SQL site and maps its diagnostics back to the source. A site whose SQL is unknown stays
 * unknown. So does one where PostgreSQL's syntax error sits at a `${…}`: a bind
 * parameter is valid wherever a value is, so the expression must be SQL text (an identifier, a
 * fragment held in a variable) and the statement is dynamic; reporting a syntax error would be false.
 */
export function analyzeSqlSite(site: SqlSite, options: AnalyzeOptions = {}): SiteAnalysis {
  if (site.kind === 'unknown') return { kind: 'unknown', site, reason: site.reason, message: site.message, at: site.at };
  const catalogue = options.rules ?? allRules;
  const wantsParseErrors = resolveRules(catalogue, options.manifest, options.ruleOverrides).has('parse-error');
  const parameters = site.map.parameters();
  const overrides = parameters.length > 0 && !wantsParseErrors ? withParseErrors(options.ruleOverrides) : options.ruleOverrides;
  const result = analyzeSql(site.sql, { ...options, ...(overrides ? { ruleOverrides: overrides } : {}) });
  const culprit = parameters.length > 0 ? textParameter(site, result.diagnostics) : undefined;
  if (culprit) {
    return {
      kind: 'unknown',
      site,
      reason: 'interpolation-not-a-value',
      message: `PostgreSQL cannot parse this statement with \`\${…}\` as the bind parameter $${culprit.number}: it inserts SQL text (an identifier or a fragment), so the statement cannot be determined statically.`,
      at: [culprit.sourceStart, culprit.sourceEnd],
    };
  }
  const diagnostics = result.diagnostics.filter((d) => wantsParseErrors || d.ruleId !== 'parse-error').map((d) => mapDiagnostic(site, d));
  return { kind: 'analysed', site, result, diagnostics };
}

/**
 * The interpolation that must be SQL text when a statement with interpolations does not parse: the
 * one the syntax error points at, or else one whose replacement by a name or by nothing makes the
 * text parse (`select ${schema}.fn()` fails at `(`, yet parses as `select x.fn()`). A syntax error
 * that no interpolation explains (`SELEC …`) stays a parse error. Either way one outcome for every
 * site that interpolates where a value cannot go.
 */
function textParameter(site: AnalysableSqlSite, diagnostics: readonly Diagnostic[]): ParameterSegment | undefined {
  const errors = diagnostics.filter((d) => d.ruleId === 'parse-error');
  if (errors.length === 0) return undefined;
  const parameters = site.map.parameters();
  for (const d of errors) {
    const at = parameters.find((p) => d.span.start >= p.sqlStart && d.span.start < p.sqlEnd);
    if (at) return at;
  }
  for (const replacement of ['x', '']) {
    for (const p of parameters) {
      const variant = site.sql.slice(0, p.sqlStart) + replacement + site.sql.slice(p.sqlEnd);
      if (parseRaw(variant).ok) return p;
    }
  }
  return undefined;
}

function mapDiagnostic(site: AnalysableSqlSite, diagnostic: Diagnostic): EmbeddedDiagnostic {
  const suggestions: SourceSuggestion[] = [];
  for (const suggestion of diagnostic.suggestions) {
    const edits = suggestion.edits.map((e) => site.map.toSourceEdit(e));
    if (edits.length > 0 && edits.every((e) => e !== undefined)) suggestions.push({ message: suggestion.message, edits: edits as SourceEdit[] });
  }
  return {
    diagnostic,
    range: site.toSourceRange(diagnostic.span),
    labels: diagnostic.labels.map((l) => ({ range: site.toSourceRange(l.span), message: l.message })),
    suggestions,
  };
}

const forced = new WeakMap<object, RuleOverrides>();
const NO_OVERRIDES = {};

/**
 * The overrides plus `parse-error` on, one object per overrides object: resolved rules (and the
 * statement cache that goes with them) are found by the overrides' identity first.
 */
function withParseErrors(overrides: RuleOverrides | undefined): RuleOverrides {
  const key = overrides ?? NO_OVERRIDES;
  let result = forced.get(key);
  if (!result) forced.set(key, (result = { ...overrides, 'parse-error': 'error' }));
  return result;
}
