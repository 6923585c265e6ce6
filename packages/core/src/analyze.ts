import { createHash } from 'node:crypto';
import { MAX_CACHED_STATEMENT_LENGTH, moveDiagnostic, moveRoute, ownString, statementCache, statementContext } from './analysis-cache.js';
import type { Diagnostic, Span } from './diagnostic.js';
import type { LearnedTable } from './ddl/replay.js';
import { DdlReplay, isReplayNeutral } from './ddl/replay.js';
import type { Manifest } from './manifest/types.js';
import type { RouteAnalysis } from './route/analyze-route.js';
import { analyzeRoute } from './route/analyze-route.js';
import { shardCount } from './route/pinning.js';
import type { Route } from './route/types.js';
import type { ActiveRule, RuleOverrides } from './rules/engine.js';
import { makeDiagnostic, resolveRules, runRules } from './rules/engine.js';
import { getRule, rules as allRules } from './rules/index.js';
import type { Suppression } from './rules/suppressions.js';
import { parseSuppressions } from './rules/suppressions.js';
import type { RuleModule } from './rules/types.js';
import { splitStatements } from './sql/split.js';
import { fingerprint } from './sql/parser.js';
import { Statement, parsePiece, statementsOf } from './sql/statements.js';

const NO_RULES: readonly RuleModule[] = [];

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
  /** Tables the file's DDL created or converted (for `init --from-ddl` and other files' analysis). */
  readonly learnedTables: ReadonlyMap<string, LearnedTable>;
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
  const catalogue = options.rules === undefined ? allRules : options.rules.length === 0 ? NO_RULES : options.rules;
  const active = resolveRules(catalogue, manifest, options.ruleOverrides);
  const cache = options.cache === false ? undefined : statementCache(active, options.knownTables);
  const split = splitStatements(text);
  const replay = new DdlReplay(manifest?.searchPath, options.knownTables);
  const reports: StatementReport[] = [];
  const diagnostics: Diagnostic[] = [];
  let parseErrors = 0;
  let index = 0;
  for (const piece of split.statements) {
    // A statement seen before in the same schema state is not parsed again (see analysis-cache.ts).
    const state = cache && replay.current();
    const context = state && !replay.touchedSchema && piece.text.length <= MAX_CACHED_STATEMENT_LENGTH ? statementContext(piece.semicolon === undefined ? undefined : piece.semicolon - piece.start, state) : undefined;
    const hit = context === undefined ? undefined : cache?.get(piece.text, context);
    if (hit) {
      const span = { start: piece.start, end: piece.end };
      // A statement the replay acts on (BEGIN, SET, DDL …) is replayed from its cached parse tree.
      if (hit.ast) replay.step(new Statement(index, span, piece.text, hit.ast, undefined, piece.semicolon));
      if (hit.kind === 'parse-error') parseErrors++;
      const fingerprint = options.fingerprints ? (hit.fingerprint ??= textFingerprint(piece.text, hit.kind)) : undefined;
      reports.push({ index, span, kind: hit.kind, route: hit.route && moveRoute(hit.route, piece.start), fingerprint });
      for (const d of hit.diagnostics) diagnostics.push({ ...moveDiagnostic(d, piece.start), statement: index });
      index++;
      continue;
    }
    // What is cached must not hold on to the file's text (see ownString).
    const own = context === undefined ? piece.text : ownString(piece.text);
    const statements = parsePiece(context === undefined ? piece : { ...piece, text: own }, index);
    index += statements.length;
    for (const statement of statements) {
      const found: Diagnostic[] = [];
      const report = analyzeStatement(statement, replay, active, manifest, found, options.fingerprints === true);
      if (report.kind === 'parse-error') parseErrors++;
      reports.push(report);
      for (const d of found) diagnostics.push({ ...d, statement: statement.index });
      if (context !== undefined && statements.length === 1 && !found.some((d) => d.ruleId === 'internal-error')) {
        const at = -piece.start;
        cache?.set(own, context, {
          ...(statement.ast && !isReplayNeutral(statement.ast) && { ast: statement.ast }),
          kind: report.kind,
          route: report.route && moveRoute(report.route, at),
          diagnostics: found.map((d) => moveDiagnostic(d, at)),
          ...(report.fingerprint !== undefined && { fingerprint: report.fingerprint }),
        });
      }
    }
  }
  const known = (id: string) => catalogue.some((r) => r.meta.id === id) || id === 'internal-error';
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
    learnedTables: replay.tables,
  };
}

/** Replays, routes and checks one parsed statement; its findings go to `diagnostics`. */
function analyzeStatement(
  statement: Statement,
  replay: DdlReplay,
  active: ReadonlyMap<string, ActiveRule>,
  manifest: Manifest | undefined,
  diagnostics: Diagnostic[],
  fingerprints: boolean,
): StatementReport {
  const schema = replay.step(statement);
  const kind = statementKind(statement);
  // Reports have one shape: absent parts are undefined (which JSON leaves out).
  const fingerprint = fingerprints ? textFingerprint(statement.text, kind) : undefined;
  if (!statement.ast) {
    const parseError = active.get('parse-error');
    if (parseError && statement.error) diagnostics.push(parseErrorDiagnostic(parseError, statement));
    return { index: statement.index, span: statement.span, kind, route: undefined, fingerprint };
  }
  const analysis = safeAnalysis(statement, manifest, diagnostics, schema.tables);
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
  for (const statement of statementsOf(relevant)) replay.advance(statement);
  return replay.tables;
}

/** By its first word; a SELECT only with an INTO (`SELECT … INTO t` creates a table), which most are not. */
function mayChangeTables(statement: { readonly text: string }): boolean {
  const word = firstWord(statement.text);
  return SCHEMA_WORDS.has(word) && (word !== 'select' || /\binto\b/i.test(statement.text));
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

/**
 * The route analysis of one statement. An analyzer bug must never lose the other statements of a
 * file: it becomes an `internal-error` diagnostic on this statement and an `unknown` route.
 */
function safeAnalysis(statement: Statement, manifest: Manifest | undefined, diagnostics: Diagnostic[], learned?: ReadonlyMap<string, LearnedTable>): RouteAnalysis {
  try {
    return analyzeRoute(statement, manifest, learned);
  } catch (e) {
    diagnostics.push(internalError(statement, e));
    const route: Route = { kind: 'unknown', fanout: shardCount(manifest), reasons: ['the analyzer failed on this statement'], tables: [] };
    return { route, rels: [], pins: new Map(), functions: [], shapes: [], inserts: new Map(), wholeTable: new Set() };
  }
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
      (s) => s.problem?.messageId !== 'unknownRule' && s.ruleIds.includes(d.ruleId) && (s.scope === 'file' || (s.target && d.span.start >= s.target.start && d.span.start <= s.target.end)),
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
      const ran = s.ruleIds.filter((id) => active.has(id) || getRule(id) === undefined);
      if (ran.length === s.ruleIds.length) kept.push(makeDiagnostic(unused.rule.meta, unused.severity, { messageId: 'unusedSuppression', data: { ruleId: s.ruleIds.join(', ') }, span: s.span }));
    }
  }
  return kept;
}
