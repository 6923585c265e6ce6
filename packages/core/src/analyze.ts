import { createHash } from 'node:crypto';
import { MAX_CACHED_STATEMENT_LENGTH, moveDiagnostic, moveRoute, ownString, statementCache, statementContext } from './analysis-cache.js';
import type { Diagnostic, Span } from './diagnostic.js';
import type { LearnedTable } from './ddl/replay.js';
import { DdlReplay, isReplayNeutral, mayReplayChange } from './ddl/replay.js';
import { TableCatalogue } from './catalogue/catalogue.js';
import type { StatementModel } from './route/model.js';
import type { Manifest } from './manifest/types.js';
import type { ParameterVariation, RouteAnalysis } from './route/analyze-route.js';
import { analyzeRoute } from './route/analyze-route.js';
import { shardCount } from './route/pinning.js';
import type { Route } from './route/types.js';
import type { ActiveRule, RuleOverrides } from './rules/engine.js';
import { makeDiagnostic, resolveRules, runRules } from './rules/engine.js';
import { allRules as everyRule, rules as catalogueRules } from './rules/index.js';
import type { Suppression } from './rules/suppressions.js';
import { parseSuppressions } from './rules/suppressions.js';
import type { RuleModule } from './rules/types.js';
import { LineIndex } from './line-index.js';
import type { SqlcAnnotation, SqlcCommand } from './sqlc/annotations.js';
import { hasSqlcAnnotations, manyRowsWhy, sqlcAnnotation } from './sqlc/annotations.js';
import { MAX_TREE_DEPTH, exceedsTreeDepth } from './sql/depth.js';
import type { PlaceholderParameter } from './sql/placeholders.js';
import { mayHavePlaceholders, nameParameters, rewritePlaceholders } from './sql/placeholders.js';
import type { SplitResult, SplitStatement } from './sql/split.js';
import { splitStatements } from './sql/split.js';
import { fingerprint, parseRaw } from './sql/parser.js';
import { Statement, parsePiece, statementsOf } from './sql/statements.js';

const NO_RULES: readonly RuleModule[] = [];
/** The ids of every rule of this version (unpinned). */
const RULE_IDS: ReadonlySet<string> = new Set(everyRule.map((r) => r.meta.id));

export interface AnalyzeOptions {
  /** The schema manifest; without one, every table is unknown. */
  readonly manifest?: Manifest;
  /** For messages only. */
  readonly fileName?: string;
  /** Rule levels and options on top of the manifest's `rules:`. */
  readonly ruleOverrides?: RuleOverrides;
  /** Tables learned from DDL elsewhere (migrations): their sequence columns count too. */
  readonly knownTables?: ReadonlyMap<string, LearnedTable>;
  /** The rule catalogue to run (default: all rules). */
  readonly rules?: readonly RuleModule[];
  /**
   * Compute each statement's fingerprint (pg_query's, as pganalyze uses: equal for statements that
   * differ only in constants and layout) — for baselines and SARIF. Costs a second parse per statement.
   */
  readonly fingerprints?: boolean;
  /**
   * Reuse the analysis of a statement text seen before with the same configuration and schema state
   * (default true): in another file, another SQL site, or an earlier lint of the same file. Only
   * `false` analyses every statement afresh (for measurements).
   */
  readonly cache?: boolean;
  /**
   * Read the text as a sqlc query file (docs/sqlc.md): `@name` and `sqlc.arg(name)` … are bind
   * parameters, and `-- name: X :kind` annotations name the queries. `'auto'` (the default): when
   * the text has such an annotation.
   */
  readonly sqlc?: boolean | 'auto';
  /**
   * A statement that does not parse as written is parsed again with psql variables (`:name`,
   * `:'name'`, `:"name"`) and template placeholders (`${name}`, `{{name}}`) as bind parameters or
   * identifiers (default true).
   */
  readonly psqlVariables?: boolean;
  /**
   * More template placeholders for that second parse, besides `${name}` and `{{name}}`: each pattern
   * matches one placeholder, its first capture group names it (`/__([A-Z_]+)__/`, `/%\(([a-z_]+)\)s/`).
   */
  readonly templatePlaceholders?: readonly RegExp[];
  /**
   * Keep each statement's route (and query name and parameters) in `statements` (default true).
   * `false` leaves each report its index, span, kind and fingerprint: for callers that need the
   * findings and the counts only, so that a file of hundreds of thousands of statements does not
   * hold every route until its end (650 bytes a statement, against about 100).
   */
  readonly routes?: boolean;
}

/** The sqlc query a statement is (from its `-- name:` annotation). */
export interface QueryInfo {
  readonly name: string;
  /** `one`, `many`, `exec`, `copyfrom`, `batchexec` … */
  readonly command: SqlcCommand;
}

/** A placeholder rewritten to a bind parameter: `$number` stands for `written`. */
export interface ParameterInfo {
  readonly number: number;
  readonly name: string;
  readonly written: string;
  /** sqlc.slice: a list of values. */
  readonly list?: boolean;
}

/** What the analysis found for one statement. A plain, serialisable value. */
export interface StatementReport {
  readonly index: number;
  readonly span: Span;
  /** The statement's parse-tree node type (`SelectStmt`, `InsertStmt` …), or `parse-error`. */
  readonly kind: string;
  /** How Limitless routes it; absent for statements that did not parse. */
  readonly route?: Route;
  /** pg_query fingerprint, when asked for (`fingerprints: true`); for unparsable statements, of the whitespace-normalised text. */
  readonly fingerprint?: string;
  /** The sqlc query the statement is, when annotated. */
  readonly query?: QueryInfo;
  /** Placeholders read as bind parameters (sqlc, psql variables, templates), by number. */
  readonly parameters?: readonly ParameterInfo[];
}

/** Text that was not analysed, by cause: every character of a file is a statement, a comment or one of these. */
export interface SkippedText {
  /** Characters of psql meta-command lines (`\set`, `\connect` …). */
  readonly metaCommandChars: number;
  /** Characters of `COPY … FROM stdin` data. */
  readonly copyDataChars: number;
  /** COPY data with no `\.` line, which ran to the end of the text. */
  readonly unterminatedCopyData: number;
  /** Statements that parsed but were not analysed (`unanalysable` findings: nesting too deep, a placeholder where SQL text goes). */
  readonly unanalysable: number;
}

export interface AnalyzeStats {
  readonly statements: number;
  readonly parsed: number;
  readonly parseErrors: number;
  readonly metaCommands: number;
  readonly copyDataBlocks: number;
  readonly emptyStatements: number;
}

/**
 * What `analyzeSql` returns. Read-only: its routes, reasons and findings may be shared with the
 * statement cache, and with the results of other texts.
 */
export interface AnalyzeResult {
  readonly statements: readonly StatementReport[];
  /** Sorted by position. Suppressed findings are removed. */
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: AnalyzeStats;
  /** What was skipped, and why (nothing is lost silently). */
  readonly skipped: SkippedText;
  /** Tables the file's DDL created or converted (for `init --from-ddl` and other files' analysis). */
  readonly learnedTables: ReadonlyMap<string, LearnedTable>;
}

/** A statement report without its route, query name and parameters (`routes: false`). */
function slimReport(r: StatementReport): StatementReport {
  return r.fingerprint === undefined ? { index: r.index, span: r.span, kind: r.kind } : { index: r.index, span: r.span, kind: r.kind, fingerprint: r.fingerprint };
}

/** Node type of a parsed statement: the single key of libpg-query's node object. */
export function statementKind(statement: Statement): string {
  if (!statement.ast) return 'parse-error';
  return Object.keys(statement.ast)[0] ?? 'unknown';
}

/**
 * Analyses a SQL text: splits and parses it, replays its DDL, routes every statement, runs the
 * rules and applies suppression comments. Synchronous; the parser must be loaded first
 * (`await loadParser()`). Never throws for bad input.
 */
export function analyzeSql(text: string, options: AnalyzeOptions = {}): AnalyzeResult {
  const { manifest } = options;
  // An empty catalogue (routing only) is one array, whoever passes it: rule resolution and the
  // statement cache are kept per catalogue.
  const catalogue = options.rules === undefined ? catalogueRules : options.rules.length === 0 ? NO_RULES : options.rules;
  const active = resolveRules(catalogue, manifest, options.ruleOverrides);
  const cache = options.cache === false ? undefined : statementCache(active, options.knownTables);
  const split = splitStatements(text);
  const replay = new DdlReplay(manifest?.searchPath, options.knownTables);
  const reports: StatementReport[] = [];
  const slim = options.routes === false;
  const keepReport = (report: StatementReport) => reports.push(slim ? slimReport(report) : report);
  const diagnostics: Diagnostic[] = [];
  const sqlc = options.sqlc === true || ((options.sqlc ?? 'auto') === 'auto' && hasSqlcAnnotations(text));
  const annotations = sqlc ? new Annotations(text, split) : undefined;
  const psql = options.psqlVariables !== false;
  const templates = options.templatePlaceholders?.length ? options.templatePlaceholders : undefined;
  const templateTests = templates?.map((t) => new RegExp(t.source, t.flags.replace(/[gy]/g, '')));
  // What a statement gives depends on the template patterns (when it needs them): part of the cache key.
  const templateKey = templates ? `\u0000${templates.map(String).join('\u0000')}` : '';
  const n = shardCount(manifest);
  let parseErrors = 0;
  let index = 0;
  for (const written of split.statements) {
    const query = annotations?.before(written.start);
    const sqlcText = sqlc && mayHavePlaceholders(written.text, 'sqlc') ? rewritePlaceholders(written.text, 'sqlc') : undefined;
    const piece: SplitStatement = sqlcText && sqlcText.text !== written.text ? { ...written, text: sqlcText.text } : written;
    const variation = variationOf(query, sqlcText?.parameters);
    // A statement seen before in the same schema state is not parsed again (see analysis-cache.ts).
    const state = cache && replay.current();
    const base = state && !replay.touchedSchema && piece.text.length <= MAX_CACHED_STATEMENT_LENGTH ? statementContext(piece.semicolon === undefined ? undefined : piece.semicolon - piece.start, state) : undefined;
    const context = base === undefined ? undefined : `${base}${variation ? `\u0000${variation.why}\u0000${variation.params === 'all' ? 'all' : [...variation.params].join(',')}` : ''}${templateKey}`;
    const hit = context === undefined ? undefined : cache?.get(piece.text, context);
    if (hit) {
      const span = { start: piece.start, end: piece.end };
      // A statement the replay acts on (BEGIN, SET, DDL …) is replayed from its cached parse tree.
      if (hit.ast) replay.step(new Statement(index, span, piece.text, hit.ast, undefined, piece.semicolon));
      if (hit.kind === 'parse-error') parseErrors++;
      const fingerprint = options.fingerprints ? (hit.fingerprint ??= textFingerprint(piece.text, hit.kind)) : undefined;
      const named = naming(query, hit.parameters ?? sqlcText?.parameters);
      keepReport(named.report({ index, span, kind: hit.kind, route: slim ? undefined : hit.route && moveRoute(hit.route, piece.start), fingerprint }));
      for (const d of hit.diagnostics) diagnostics.push(named.diagnostic({ ...moveDiagnostic(d, piece.start), statement: index }));
      index++;
      continue;
    }
    // Stored only if the cache admits it (see StatementCache.admits); what is stored must not hold on
    // to the file's text (see ownString).
    const keep = context !== undefined && cache !== undefined && cache.admits(piece.text);
    const own = keep ? ownString(piece.text) : piece.text;
    // Configured template placeholders are filled in first (`__TENANT__` parses as a column name);
    // psql's and the default templates only when the statement does not parse as written.
    let placeholders = psql && !sqlcText && templateTests?.some((t) => t.test(piece.text)) ? psqlFallback(piece, index, keep, templates) : undefined;
    let statements = placeholders?.statements ?? parsePiece(keep ? { ...piece, text: own } : piece, index);
    if (!placeholders && psql && !sqlcText && statements.length === 1 && !statements[0]?.ast && mayHavePlaceholders(piece.text, 'psql')) {
      placeholders = psqlFallback(piece, index, keep, templates);
      if (placeholders) statements = placeholders.statements;
    }
    index += statements.length;
    const named = naming(query, placeholders?.parameters ?? sqlcText?.parameters);
    for (const statement of statements) {
      const found: Diagnostic[] = [];
      const report = placeholders?.spliced
        ? unanalysable(statement, n, found, placeholders.spliced, options.fingerprints === true)
        : analyzeStatement(statement, replay, active, manifest, found, options.fingerprints === true, variation);
      if (report.kind === 'parse-error') parseErrors++;
      keepReport(named.report(report));
      for (const d of found) diagnostics.push(named.diagnostic({ ...d, statement: statement.index }));
      if (keep && statements.length === 1 && !found.some((d) => d.ruleId === 'internal-error')) {
        const at = -piece.start;
        cache?.set(own, context, {
          ...(statement.ast && report.kind !== UNANALYSABLE && !isReplayNeutral(statement.ast) && { ast: statement.ast }),
          kind: report.kind,
          route: report.route && moveRoute(report.route, at),
          diagnostics: found.map((d) => moveDiagnostic(d, at)),
          ...(report.fingerprint !== undefined && { fingerprint: report.fingerprint }),
          ...(placeholders && { parameters: placeholders.parameters }),
        });
      }
    }
  }
  for (const data of split.copyData) {
    if (!data.terminated) diagnostics.push(unterminatedCopy(text, data, reports));
  }
  // Any rule of this version is known to a suppression, whether or not this run's catalogue (a pinned
  // rule set, an explicit \`rules\` list) includes it.
  const known = (id: string) => RULE_IDS.has(id) || catalogue.some((r) => r.meta.id === id) || id === 'internal-error' || id === UNANALYSABLE;
  const suppressions = parseSuppressions(text, split.comments, split.statements, known);
  const kept = applySuppressions(diagnostics, suppressions, active);
  kept.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return {
    statements: reports,
    diagnostics: kept,
    stats: {
      statements: index,
      parsed: index - parseErrors,
      parseErrors,
      metaCommands: split.metaCommands.length,
      copyDataBlocks: split.copyData.length,
      emptyStatements: split.emptyStatements,
    },
    skipped: {
      metaCommandChars: split.metaCommands.reduce((sum, m) => sum + m.end - m.start, 0),
      copyDataChars: split.copyData.reduce((sum, m) => sum + m.end - m.start, 0),
      unterminatedCopyData: split.copyData.filter((d) => !d.terminated).length,
      unanalysable: reports.filter((r) => r.kind === UNANALYSABLE).length,
    },
    learnedTables: replay.tables,
  };
}

/** The kind of a statement that parsed (or would, with its placeholders filled in) but was not analysed. */
const UNANALYSABLE = 'unanalysable';

/** The parameters of a sqlc query that take many values at once, if any. */
function variationOf(query: SqlcAnnotation | undefined, parameters: readonly PlaceholderParameter[] | undefined): ParameterVariation | undefined {
  const many = query && manyRowsWhy(query.command);
  if (many) return { params: 'all', why: many };
  const lists = parameters?.filter((p) => p.list);
  if (lists && lists.length > 0) return { params: new Set(lists.map((p) => p.number)), why: `sqlc.slice passes a list of values` };
  return undefined;
}

/**
 * A statement that did not parse as written, parsed again with its psql variables and template
 * placeholders as bind parameters: its statements when that parses (or fails for another reason).
 * When a placeholder parses only as a name (`CREATE SCHEMA :schema`, `${schema}.fn()`), or is
 * psql's identifier form `:"name"`, it stands for SQL text, not a value: the statement is known
 * only when it runs, and `spliced` says which placeholder.
 */
function psqlFallback(piece: SplitStatement, index: number, own: boolean, templates: readonly RegExp[] | undefined): { statements: Statement[]; parameters: readonly PlaceholderParameter[]; spliced?: { readonly start: number; readonly end: number; readonly written: string } } | undefined {
  const rewritten = rewritePlaceholders(piece.text, 'psql', templates);
  if (rewritten.parameters.length === 0 && rewritten.identifiers.length === 0) return undefined;
  const statements = parsePiece({ ...piece, text: own ? ownString(rewritten.text) : rewritten.text }, index);
  const parsed = statements.every((s) => s.ast);
  const identifier = rewritten.identifiers[0];
  if (parsed && identifier) return { statements, parameters: rewritten.parameters, spliced: { start: piece.start + identifier.start, end: piece.start + identifier.end, written: identifier.written } };
  if (parsed) return { statements, parameters: rewritten.parameters };
  // Which placeholder, written as a name, makes the statement parse? (Few placeholders: few parses.)
  for (const p of rewritten.parameters.slice(0, 8)) {
    for (const span of p.spans.slice(0, 4)) {
      const len = span.end - span.start;
      const text = rewritten.text.slice(0, span.start) + `_${'x'.repeat(len - 1)}` + rewritten.text.slice(span.end);
      const again = parseRaw(text);
      if (again.ok) return { statements, parameters: rewritten.parameters, spliced: { start: piece.start + span.start, end: piece.start + span.end, written: p.written } };
    }
  }
  return { statements, parameters: rewritten.parameters };
}

/** The `-- name: X :kind` annotations of a sqlc file, met in order. */
class Annotations {
  private k = 0;
  private last = -1;
  constructor(
    private readonly text: string,
    private readonly split: SplitResult,
  ) {}

  /** The annotation between the previous statement and the one starting at `start`. */
  before(start: number): SqlcAnnotation | undefined {
    let found: SqlcAnnotation | undefined;
    const comments = this.split.comments;
    while (this.k < comments.length && (comments[this.k] as Span).start < start) {
      const c = comments[this.k++] as Span;
      if (c.start > this.last) found = sqlcAnnotation(this.text, c) ?? found;
    }
    this.last = start;
    return found;
  }
}

/** The naming for a statement; one shared object for the statements that have nothing to name (nearly all). */
function naming(query: SqlcAnnotation | undefined, parameters: readonly PlaceholderParameter[] | undefined): Naming {
  return query || (parameters && parameters.length > 0) ? new Naming(query, parameters) : NO_NAMING;
}

/** Names a sqlc query and its placeholders in what is reported about one statement. */
class Naming {
  private readonly parameters: readonly PlaceholderParameter[];
  constructor(
    private readonly query: SqlcAnnotation | undefined,
    parameters: readonly PlaceholderParameter[] | undefined,
  ) {
    this.parameters = parameters ?? [];
  }

  report(report: StatementReport): StatementReport {
    const { query, parameters } = this;
    if (!query && parameters.length === 0) return report;
    const name = (t: string) => nameParameters(t, parameters);
    const list = parameters.map((p) => `${p.written} = $${p.number}`).join(', ');
    const route = report.route && {
      ...report.route,
      reasons: [...report.route.reasons.map(name), ...(query ? [`sqlc query ${query.name} (:${query.command})${list ? `; parameters ${list}` : ''}`] : [])],
    };
    return {
      ...report,
      route,
      ...(query && { query: { name: query.name, command: query.command } }),
      ...(parameters.length > 0 && { parameters: parameters.map((p) => ({ number: p.number, name: p.name, written: p.written, ...(p.list && { list: true }) })) }),
    };
  }

  diagnostic(d: Diagnostic): Diagnostic {
    const { query, parameters } = this;
    if (!query && parameters.length === 0) return d;
    const name = (t: string) => nameParameters(t, parameters);
    return {
      ...d,
      message: `${query ? `${query.name}: ` : ''}${name(d.message)}`,
      labels: d.labels.map((l) => ({ ...l, message: name(l.message) })),
      ...(d.help !== undefined && { help: name(d.help) }),
    };
  }
}

const NO_NAMING = new Naming(undefined, undefined);

/** Replays, routes and checks one parsed statement; its findings go to `diagnostics`. */
function analyzeStatement(
  statement: Statement,
  replay: DdlReplay,
  active: ReadonlyMap<string, ActiveRule>,
  manifest: Manifest | undefined,
  diagnostics: Diagnostic[],
  fingerprints: boolean,
  variation: ParameterVariation | undefined,
): StatementReport {
  if (statement.tooDeep || (statement.ast && exceedsTreeDepth(statement.ast, statement.text.length))) {
    const why = `its parse tree nests deeper than the analyzer's limit (${MAX_TREE_DEPTH} levels)`;
    return unanalysable(statement, shardCount(manifest), diagnostics, { start: statement.span.start, end: statement.tokenSpan(statement.span.start).end, why }, fingerprints);
  }
  const schema = replay.step(statement);
  const kind = statementKind(statement);
  // Reports have one shape: absent parts are undefined (which JSON leaves out).
  const fingerprint = fingerprints ? textFingerprint(statement.text, kind) : undefined;
  if (!statement.ast) {
    const parseError = active.get('parse-error');
    if (parseError && statement.error) diagnostics.push(parseErrorDiagnostic(parseError, statement));
    return { index: statement.index, span: statement.span, kind, route: undefined, fingerprint };
  }
  const before = diagnostics.length;
  const analysis = safeAnalysis(statement, manifest, diagnostics, variation, new TableCatalogue(manifest, schema.tables));
  // When the route analysis failed (an internal-error is reported), the rules would judge a stand-in
  // route, and fail the same way: one internal-error per statement.
  if (diagnostics.length > before) return { index: statement.index, span: statement.span, kind, route: analysis.route, fingerprint };
  try {
    runRules(active, statement, analysis, schema, manifest, diagnostics);
  } catch (e) {
    diagnostics.push(internalError(statement, e));
  }
  return { index: statement.index, span: statement.span, kind, route: analysis.route, fingerprint };
}

/** pg_query's fingerprint of a statement; for one that does not parse, a hash of its whitespace-normalised text. */
function textFingerprint(text: string, kind: string): string {
  return (kind !== 'parse-error' && fingerprint(text)) || `text:${createHash('sha1').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16)}`;
}

/** First words of statements that can change what DDL replay learns (the rest are not even parsed). */
const SCHEMA_WORDS = new Set(['create', 'alter', 'drop', 'call', 'set', 'reset', 'begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release', 'discard', 'select', 'comment']);

/**
 * The tables a text's DDL creates or converts, on top of `knownTables` — without routing or rules,
 * and parsing only statements that can change them: cheap enough to run over every linted file
 * first, so that queries are linted with what the migrations declare (sequence columns, keys).
 */
export function learnTables(text: string, options: { readonly searchPath?: readonly string[]; readonly knownTables?: ReadonlyMap<string, LearnedTable> } = {}): ReadonlyMap<string, LearnedTable> {
  const split = splitStatements(text);
  const relevant = { ...split, statements: split.statements.filter(mayChangeTables) };
  if (relevant.statements.length === 0) return options.knownTables ?? new Map();
  const replay = new DdlReplay(options.searchPath, options.knownTables);
  // A statement too deep to walk is not replayed here either, as in analyzeSql.
  for (const statement of statementsOf(relevant)) if (!statement.ast || !exceedsTreeDepth(statement.ast, statement.text.length)) replay.advance(statement);
  return replay.flatTables();
}

/** By its first word; a SELECT only with an INTO (`SELECT … INTO t` creates a table), which most are not. */
function mayChangeTables(statement: { readonly text: string }): boolean {
  const word = firstWord(statement.text);
  return SCHEMA_WORDS.has(word) && (word !== 'select' || /\binto\b/i.test(statement.text)) && mayReplayChange(statement.text);
}

function firstWord(text: string): string {
  return (/^[A-Za-z]+/.exec(text)?.[0] ?? '').toLowerCase();
}

/** A syntax error as a `parse-error` diagnostic at the position PostgreSQL reports. */
function parseErrorDiagnostic(active: ActiveRule, statement: Statement): Diagnostic {
  const error = statement.error as NonNullable<Statement['error']>;
  // "at end of input" points just past the text: underline its last character instead.
  const at = Math.min(error.offset, Math.max(statement.span.start, statement.span.end - 1));
  return makeDiagnostic(active.rule.meta, active.severity, {
    messageId: 'syntaxError',
    data: { message: error.message },
    span: statement.tokenSpan(at),
  });
}

const EMPTY_MODEL: StatementModel = { blocks: [], blockOf: () => undefined, relOf: () => undefined };

/**
 * The route analysis of one statement. An analyzer bug must never lose the other statements of a
 * file: it becomes an `internal-error` diagnostic on this statement and an `unknown` route.
 */
function safeAnalysis(statement: Statement, manifest: Manifest | undefined, diagnostics: Diagnostic[], variation: ParameterVariation | undefined, catalogue: TableCatalogue): RouteAnalysis {
  try {
    return analyzeRoute(statement, manifest, variation, catalogue);
  } catch (e) {
    diagnostics.push(internalError(statement, e));
    const route: Route = { kind: 'unknown', fanout: shardCount(manifest), reasons: ['the analyzer failed on this statement'], tables: [] };
    return { route, rels: [], pins: new Map(), functions: [], shapes: [], inserts: new Map(), wholeTable: new Set(), catalogue, model: EMPTY_MODEL };
  }
}

/**
 * The report of a statement that is not analysed, with an `unanalysable` finding that says why:
 * nested too deeply, or a placeholder standing for SQL text. Its route is `unknown`.
 */
function unanalysable(
  statement: Statement,
  shards: number,
  diagnostics: Diagnostic[],
  at: { readonly start: number; readonly end: number; readonly why?: string; readonly written?: string },
  fingerprints: boolean,
): StatementReport {
  const why = at.why ?? `\`${at.written}\` stands for SQL text here (an identifier, a keyword or a clause), not for a value, so the statement is known only when it runs`;
  diagnostics.push(unanalysableDiagnostic(at.why ? 'tooDeep' : 'placeholder', `This statement is not analysed: ${why}.`, { start: at.start, end: at.end }, at.why ? 'Split the expression or the query into smaller parts.' : 'Lint the SQL with the value filled in, or keep identifiers out of placeholders.'));
  return {
    index: statement.index,
    span: statement.span,
    kind: UNANALYSABLE,
    route: { kind: 'unknown', fanout: shards, reasons: [`not analysed: ${why}`], tables: [] },
    fingerprint: fingerprints ? textFingerprint(statement.text, 'parse-error') : undefined,
  };
}

/** `COPY … FROM stdin` whose data has no `\.` line: the rest of the text was read as data. */
function unterminatedCopy(text: string, data: { readonly start: number; readonly end: number }, reports: readonly StatementReport[]): Diagnostic {
  let copy: StatementReport | undefined;
  // The COPY is the last statement before the data; statements after the `;` on its own line come
  // between them in the text, so a parsed COPY is preferred.
  for (const r of reports) {
    if (!(r.span.start < data.start || (data.start === data.end && r.span.start <= data.start))) continue;
    if (r.kind === 'CopyStmt' || copy?.kind !== 'CopyStmt') copy = r;
  }
  const lines = new LineIndex(text);
  const from = lines.positionAt(data.start < text.length ? data.start : (copy?.span.start ?? 0)).line;
  const to = lines.positionAt(text.length).line;
  const span = copy ? { start: copy.span.start, end: Math.min(copy.span.end, copy.span.start + 4) } : { start: data.start, end: data.end };
  const message =
    data.start < data.end
      ? `COPY … FROM stdin has no \\. line to end its data: from line ${from} to the end of the text (line ${to}), everything is read as data and not analysed (${data.end - data.start} characters).`
      : `COPY … FROM stdin has no data and no \\. line: psql would read the data from its input.`;
  return { ...unanalysableDiagnostic('unterminatedCopy', message, span, 'End the data with a line holding only \\.'), ...(copy && { statement: copy.index }) };
}

function unanalysableDiagnostic(messageId: string, message: string, span: Span, help: string): Diagnostic {
  return {
    ruleId: UNANALYSABLE,
    messageId,
    data: {},
    message,
    severity: 'warning',
    span,
    labels: [],
    help,
    suggestions: [],
    docsUrl: 'https://github.com/limitless-lint/limitless-lint/blob/main/docs/sqlc.md#what-is-not-analysed',
  };
}

function internalError(statement: Statement, e: unknown): Diagnostic {
  const message = e instanceof Error ? e.message : String(e);
  return {
    ruleId: 'internal-error',
    messageId: 'internalError',
    data: { message },
    message: `limitless-lint failed on this statement: ${message}.`,
    severity: 'error',
    span: statement.tokenSpan(statement.span.start),
    labels: [],
    help: 'Please report this statement to the limitless-lint maintainers.',
    suggestions: [],
    docsUrl: 'https://github.com/limitless-lint/limitless-lint/issues',
  };
}

/**
 * Removes suppressed diagnostics, and reports directives that are malformed (`invalid-suppression`)
 * or that suppressed nothing (`unused-suppression`).
 */
function applySuppressions(diagnostics: readonly Diagnostic[], suppressions: readonly Suppression[], active: ReadonlyMap<string, ActiveRule>): Diagnostic[] {
  const used = new Set<Suppression>();
  const kept = diagnostics.filter((d) => {
    const by = suppressions.find(
      (s) => s.problem?.messageId !== 'unknownRule' && s.covers.includes(d.ruleId) && (s.scope === 'file' || (s.target && d.span.start >= s.target.start && d.span.start <= s.target.end)),
    );
    if (by) used.add(by);
    return !by;
  });
  const invalid = active.get('invalid-suppression');
  const unused = active.get('unused-suppression');
  for (const s of suppressions) {
    if (s.problem && invalid) {
      kept.push(makeDiagnostic(invalid.rule.meta, invalid.severity, { messageId: s.problem.messageId, data: s.problem.data, span: s.span }));
    } else if (!s.problem && !used.has(s) && unused) {
      // Only a rule that actually ran can prove a suppression unused.
      const ran = s.covers.filter((id) => active.has(id) || !RULE_IDS.has(id));
      if (ran.length === s.covers.length) kept.push(makeDiagnostic(unused.rule.meta, unused.severity, { messageId: 'unusedSuppression', data: { ruleId: s.ruleIds.join(', ') }, span: s.span }));
    }
  }
  return kept;
}
