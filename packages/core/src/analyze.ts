import type { Diagnostic, Span } from './diagnostic.js';
import { docsUrl } from './diagnostic.js';
import type { Manifest } from './manifest/types.js';
import { analyzeRoute } from './route/analyze-route.js';
import type { Route } from './route/types.js';
import type { Statement } from './sql/statements.js';
import { parseStatements } from './sql/statements.js';

export interface AnalyzeOptions {
  /** The schema manifest; without one, every table is unknown. */
  readonly manifest?: Manifest;
  /** For messages only. */
  readonly fileName?: string;
}

/** What the analysis found for one statement. A plain, serialisable value. */
export interface StatementReport {
  readonly index: number;
  readonly span: Span;
  /** The statement's parse-tree node type (`SelectStmt`, `InsertStmt` …), or `parse-error`. */
  readonly kind: string;
  /** How Limitless routes it; absent for statements that did not parse. */
  readonly route?: Route;
}

export interface AnalyzeStats {
  readonly statements: number;
  readonly parsed: number;
  readonly parseErrors: number;
  readonly metaCommands: number;
  readonly copyDataBlocks: number;
  readonly emptyStatements: number;
}

export interface AnalyzeResult {
  readonly statements: readonly StatementReport[];
  readonly diagnostics: readonly Diagnostic[];
  readonly stats: AnalyzeStats;
}

/** Node type of a parsed statement: the single key of libpg-query's node object. */
export function statementKind(statement: Statement): string {
  if (!statement.ast) return 'parse-error';
  return Object.keys(statement.ast)[0] ?? 'unknown';
}

/** A syntax error as a `parse-error` diagnostic at the position PostgreSQL reports. */
export function parseErrorDiagnostic(statement: Statement): Diagnostic | undefined {
  const error = statement.error;
  if (!error) return undefined;
  // "at end of input" points just past the text: underline its last character instead.
  const at = Math.min(error.offset, Math.max(statement.span.start, statement.span.end - 1));
  const span = at < statement.span.end ? statement.tokenSpan(at) : { start: at, end: at + 1 };
  return {
    ruleId: 'parse-error',
    messageId: 'syntaxError',
    data: { message: error.message },
    message: `PostgreSQL cannot parse this statement: ${error.message}.`,
    severity: 'error',
    span,
    labels: [],
    note: 'The statement is not analysed; the other statements of the file still are.',
    help: 'Fix the syntax, or exclude the file if it is not PostgreSQL (psql variables such as :name are not SQL).',
    suggestions: [],
    docsUrl: docsUrl('parse-error'),
  };
}

/**
 * Analyses a SQL text: splits and parses it, and reports every statement. Synchronous; the parser
 * must be loaded first (`await loadParser()`).
 */
export function analyzeSql(text: string, options: AnalyzeOptions = {}): AnalyzeResult {
  const { statements, split } = parseStatements(text);
  const reports: StatementReport[] = [];
  const diagnostics: Diagnostic[] = [];
  let parseErrors = 0;
  for (const statement of statements) {
    const parseError = parseErrorDiagnostic(statement);
    if (parseError) {
      parseErrors++;
      diagnostics.push(parseError);
    }
    const kind = statementKind(statement);
    if (statement.ast) {
      const route = safeRoute(statement, options.manifest, diagnostics);
      reports.push({ index: statement.index, span: statement.span, kind, route });
    } else reports.push({ index: statement.index, span: statement.span, kind });
  }
  return {
    statements: reports,
    diagnostics,
    stats: {
      statements: statements.length,
      parsed: statements.length - parseErrors,
      parseErrors,
      metaCommands: split.metaCommands.length,
      copyDataBlocks: split.copyData.length,
      emptyStatements: split.emptyStatements,
    },
  };
}

/**
 * The route of one statement. An analyzer bug must never lose the other statements of a file: it
 * becomes an `internal-error` diagnostic on this statement and an `unknown` route.
 */
function safeRoute(statement: Statement, manifest: Manifest | undefined, diagnostics: Diagnostic[]): Route {
  try {
    return analyzeRoute(statement, manifest).route;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    diagnostics.push({
      ruleId: 'internal-error',
      messageId: 'internalError',
      data: { message },
      message: `limitless-lint failed on this statement: ${message}.`,
      severity: 'error',
      span: statement.tokenSpan(statement.span.start),
      labels: [],
      help: 'Please report this statement to the limitless-lint maintainers.',
      suggestions: [],
      docsUrl: docsUrl('internal-error'),
    });
    return { kind: 'unknown', fanout: manifest?.shards ?? 16, reasons: [`the analyzer failed: ${message}`], tables: [] };
  }
}
