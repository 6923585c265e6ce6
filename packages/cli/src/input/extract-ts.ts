import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { AnalyzeOptions, AnalyzeStats, Diagnostic, EmbeddedSqlOptions, Manifest, SiteAnalysis, SqlSite, StatementReport } from '@limitless-lint/core';
import { analyzeSqlSite, embeddedOptions, findSqlSites, LITERAL_ONLY_NAMES, scriptNestingProblem, SITE_NAMES } from '@limitless-lint/core';
import type { parseSync as ParseSync } from 'oxc-parser';

type Program = Parameters<typeof findSqlSites>[0];

type OxcParse = typeof ParseSync;
let oxcParse: OxcParse | undefined;

/** oxc's parser (a native module), loaded on first use: a run over SQL files only never needs it. */
function parser(): OxcParse {
  oxcParse ??= (createRequire(import.meta.url)('oxc-parser') as { parseSync: OxcParse }).parseSync;
  return oxcParse;
}

/**
 * Whether a text can hold a SQL site at all: every site's tag or callee ends with the last segment of
 * some pattern (`sql`, `query`, `$queryRaw`), so a file that contains none of them is not parsed. A
 * pattern whose last segment is a wildcard matches any name: then every file is parsed. The generic
 * names of the built-in calls (`raw`, `execute`, `one` …) count only with a SQL keyword in the file,
 * since their sites need literal SQL.
 */
export function mayHoldSites(text: string, options: Pick<EmbeddedSqlOptions, 'tags' | 'calls'>): boolean {
  for (const pattern of [...SITE_NAMES, ...options.tags, ...options.calls]) {
    if (pattern.startsWith('!')) continue;
    const last = pattern.slice(pattern.lastIndexOf('.') + 1);
    if (last.includes('*') || last === '' || text.includes(last)) return true;
  }
  return LITERAL_ONLY_NAMES.some((name) => text.includes(name)) && SQL_KEYWORD.test(text);
}

/** A word that starts or marks a statement (whatever the case), for {@link mayHoldSites}. */
const SQL_KEYWORD = /\b(?:select|insert|update|delete|with|create|alter|drop|truncate|begin|commit|rollback|merge|copy|call|lock|vacuum|analyze|grant|revoke)\b/i;

/** A script's syntax error, at an offset of its text. */
export interface ScriptSyntaxError {
  readonly message: string;
  readonly offset: number;
}

/**
 * Parses a TypeScript or JavaScript text: the file name's extension decides TypeScript or JavaScript
 * and JSX (`.tsx`, `.jsx`, and `.js`/`.mjs`/`.cjs` as TypeScript reads them). A text nested too
 * deeply for the parser's native stack is refused unparsed (its error says where), since the
 * parser would take the whole process down with it.
 */
export function parseScript(text: string, fileName: string): { readonly program: Program } | { readonly error: ScriptSyntaxError } {
  const tooDeep = scriptNestingProblem(text);
  if (tooDeep) return { error: tooDeep };
  const ext = extname(fileName).toLowerCase();
  // TypeScript syntax everywhere (as TypeScript reads .js files too), JSX where the extension allows it.
  const lang = ext === '.tsx' || ext === '.jsx' || ext === '.js' || ext === '.mjs' || ext === '.cjs' ? 'tsx' : 'ts';
  try {
    const result = parser()(fileName, text, { lang, sourceType: 'unambiguous', range: true });
    const first = result.errors.find((e) => e.severity === 'Error');
    if (first) {
      const offset = first.labels[0]?.start ?? 0;
      return { error: { message: first.message, offset } };
    }
    return { program: result.program as unknown as Program };
  } catch (error) {
    return { error: { message: error instanceof Error ? error.message : String(error), offset: 0 } };
  }
}

/** The SQL sites of a script, in source order, or its syntax error. Texts that cannot hold one are not parsed. */
export function scriptSites(text: string, fileName: string, manifest: Manifest | undefined): { readonly sites: readonly SqlSite[] } | { readonly error: ScriptSyntaxError } {
  const options = embeddedOptions(manifest, text);
  if (!mayHoldSites(text, options)) return { sites: [] };
  const parsed = parseScript(text, fileName);
  if ('error' in parsed) return parsed;
  return { sites: findSqlSites(parsed.program as Parameters<typeof findSqlSites>[0], options) };
}

/** SQL sites of a script: analysed, and unknown (their SQL cannot be determined statically). */
export interface SiteCounts {
  readonly analysed: number;
  readonly unknown: number;
}

/** What linting the SQL embedded in one script gave, every position an offset into the script. */
export interface ScriptLint {
  /** Summed over the analysed sites. */
  readonly stats: AnalyzeStats;
  /** Sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  /** Every statement of every analysed site, numbered across the file (`diagnostic.statement`), spans in the script. */
  readonly statements: readonly StatementReport[];
  readonly sites: SiteCounts;
}

/**
 * Lints the SQL of every site of a script: each analysed site with core, its diagnostics carried over
 * to offsets of the script (labels and suggestion edits too; a suggestion whose edits do not all land
 * in a literal keeps its message only). Unknown sites are only counted: they get no verdict.
 */
export function lintScript(text: string, fileName: string, options: AnalyzeOptions): ScriptLint | { readonly error: ScriptSyntaxError } {
  const found = scriptSites(text, fileName, options.manifest);
  if ('error' in found) return found;
  const stats = { statements: 0, parsed: 0, parseErrors: 0, metaCommands: 0, copyDataBlocks: 0, emptyStatements: 0 };
  const diagnostics: Diagnostic[] = [];
  const statements: StatementReport[] = [];
  let unknown = 0;
  /** Index of the current site's first statement across the file. */
  let first = 0;
  for (const site of found.sites) {
    const analysis = analyzeSqlSite(site, options);
    if (analysis.kind === 'unknown') {
      unknown++;
      continue;
    }
    for (const key of Object.keys(stats) as (keyof AnalyzeStats)[]) stats[key] += analysis.result.stats[key];
    let next = first;
    for (const s of analysis.result.statements) {
      statements.push({ ...s, index: first + s.index, span: sourceSpan(analysis, s.span) });
      next = Math.max(next, first + s.index + 1);
    }
    for (const d of analysis.diagnostics) diagnostics.push(sourceDiagnostic(analysis, d.diagnostic, d.range, first));
    first = next;
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return { stats, diagnostics, statements, sites: { analysed: found.sites.length - unknown, unknown } };
}

type Analysed = Extract<SiteAnalysis, { kind: 'analysed' }>;

function sourceSpan(analysis: Analysed, span: { readonly start: number; readonly end: number }): { start: number; end: number } {
  const [start, end] = analysis.site.toSourceRange(span);
  return { start, end };
}

function sourceDiagnostic(analysis: Analysed, d: Diagnostic, range: readonly [number, number], firstStatement: number): Diagnostic {
  const { site } = analysis;
  return {
    ...d,
    span: { start: range[0], end: range[1] },
    labels: d.labels.map((l) => ({ ...l, span: sourceSpan(analysis, l.span) })),
    suggestions: d.suggestions.map((s) => {
      const edits = s.edits.map((e) => site.map.toSourceEdit(e));
      const mapped = edits.every((e) => e !== undefined) ? edits.map((e) => ({ span: { start: e.range[0], end: e.range[1] }, text: e.text })) : [];
      return { message: s.message, edits: mapped };
    }),
    ...(d.statement !== undefined && { statement: firstStatement + d.statement }),
  };
}
