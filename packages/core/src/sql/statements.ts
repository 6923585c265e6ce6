import type { Span } from '../diagnostic.js';
import { Utf8Offsets } from '../line-index.js';
import type { Node, SyntaxError, Token } from './parser.js';
import { dottedNameEnd, identifierEnd } from './name-lexer.js';
import { parseRaw, scanTokens } from './parser.js';
import type { SplitResult, SplitStatement } from './split.js';
import { splitStatements } from './split.js';

/**
 * One statement of a SQL text, parsed on its own so that a bad statement never hides the others.
 * Positions are offsets into the whole text.
 */
export class Statement {
  /** The parse tree (the `stmt` of PostgreSQL's RawStmt), when the statement parsed. */
  readonly ast: Node | undefined;
  /** PostgreSQL's syntax error, with `offset` into the whole text, when it did not. */
  readonly error: { readonly message: string; readonly offset: number } | undefined;
  private readonly bytes: Utf8Offsets;
  private tokens: readonly Token[] | undefined;
  private code: readonly Token[] | undefined;

  constructor(
    /** 0-based position of the statement in its text. */
    readonly index: number,
    readonly span: Span,
    /** The statement's source (psql meta-commands blanked), `span.end - span.start` long. */
    readonly text: string,
    ast: Node | undefined,
    error: SyntaxError | undefined,
    /** Offset of the `;` that ends the statement, if any. */
    readonly semicolon?: number,
    /** Not parsed: its text nests deeper than the analyzer's limit (`textNestsDeeperThan`). */
    readonly tooDeep = false,
  ) {
    this.ast = ast;
    this.bytes = new Utf8Offsets(text);
    // PostgreSQL reports error positions in characters (scanner_errposition counts code points),
    // unlike node locations, which are bytes.
    this.error = error && { message: error.message, offset: span.start + codePointToIndex(text, error.cursor) };
  }

  /** A parse-tree `location` (UTF-8 bytes into the statement) → offset into the whole text. */
  offsetOf(location: number | undefined): number {
    if (location === undefined || location < 0) return this.span.start;
    return this.span.start + this.bytes.toStringIndex(location);
  }

  /** The tokens of this statement, scanned once on first use. Offsets are bytes into `text`. */
  scan(): readonly Token[] {
    this.tokens ??= scanTokens(this.text);
    return this.tokens;
  }

  /** The statement's tokens without comments, scanned once on first use. Offsets are bytes into `text`. */
  codeTokens(): readonly Token[] {
    this.code ??= this.scan().filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
    return this.code;
  }

  /**
   * Span of the token that starts at `offset` (an offset into the whole text): where to underline
   * a name or keyword. Falls back to one character when no token starts there.
   */
  tokenSpan(offset: number): Span {
    const fast = identifierEnd(this.text, offset - this.span.start);
    if (fast !== undefined) return { start: offset, end: this.span.start + fast };
    const token = this.tokenAt(offset);
    if (!token) return { start: offset, end: Math.min(offset + 1, Math.max(offset, this.span.end)) };
    return { start: offset, end: this.span.start + this.bytes.toStringIndex(token.end) };
  }

  /**
   * Span of a dotted name starting at `offset` (`schema.table`, `t.column`, `"Q".x`): the tokens
   * `ident (. ident)*` from there.
   */
  nameSpan(offset: number): Span {
    // Names are read without the scanner where that is sure to agree with it (name-lexer.ts).
    const fast = dottedNameEnd(this.text, offset - this.span.start);
    if (fast !== undefined) return { start: offset, end: this.span.start + fast };
    const tokens = this.scan();
    const byte = this.bytes.toByteOffset(offset - this.span.start);
    let k = findToken(tokens, byte);
    if (k < 0) return this.tokenSpan(offset);
    let end = (tokens[k] as Token).end;
    while (tokens[k + 1]?.text === '.' && tokens[k + 2] && (tokens[k + 1] as Token).start === end) {
      end = (tokens[k + 2] as Token).end;
      k += 2;
    }
    return { start: offset, end: this.span.start + this.bytes.toStringIndex(end) };
  }

  private tokenAt(offset: number): Token | undefined {
    const tokens = this.scan();
    const k = findToken(tokens, this.bytes.toByteOffset(offset - this.span.start));
    return k < 0 ? undefined : tokens[k];
  }
}

const NUL_MESSAGE = 'invalid byte sequence for encoding "UTF8": 0x00 (a NUL character; PostgreSQL does not accept it in SQL text)';

/** Number of code points in `text.slice(0, end)`. */
function codePointCount(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) i++;
    count++;
  }
  return count;
}

/** String index of the `cp`-th code point of `text` (clamped to its length). */
function codePointToIndex(text: string, cp: number): number {
  let index = 0;
  for (let k = 0; k < cp && index < text.length; k++) {
    const c = text.charCodeAt(index);
    index += c >= 0xd800 && c <= 0xdbff && index + 1 < text.length ? 2 : 1;
  }
  return index;
}

function findToken(tokens: readonly Token[], byte: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = tokens[mid] as Token;
    if (t.start === byte) return mid;
    if (t.start < byte) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export interface ParsedText {
  readonly statements: readonly Statement[];
  readonly split: SplitResult;
}

/** Splits a SQL text into statements and parses each one with PostgreSQL's grammar. */
export function parseStatements(text: string): ParsedText {
  const split = splitStatements(text);
  return { statements: [...statementsOf(split)], split };
}

/**
 * Parses the statements of a split text one at a time, so that a caller which does not keep them
 * holds one parse tree at a time (large files stay flat in memory).
 */
export function* statementsOf(split: SplitResult): Generator<Statement> {
  let index = 0;
  for (const s of split.statements) {
    const parsed = parsePiece(s, index);
    index += parsed.length;
    yield* parsed;
  }
}

/**
 * Parses one statement of a split text: its `Statement` (or, rarely, several, when PostgreSQL reads
 * one psql statement as more than one), numbered from `index`.
 */
export function parsePiece(s: SplitStatement, index: number): Statement[] {
  const span = { start: s.start, end: s.end };
  // The parser reads a C string: a NUL would end the statement there and the rest would go unseen.
  // PostgreSQL accepts no NUL in SQL text, so it is the statement's syntax error.
  const nul = s.text.indexOf('\0');
  if (nul >= 0) return [new Statement(index, span, s.text, undefined, { message: NUL_MESSAGE, cursor: codePointCount(s.text, nul) }, s.semicolon)];
  const parsed = parseRaw(s.text);
  if (!parsed.ok) return [new Statement(index, span, s.text, undefined, parsed.tooDeep ? undefined : parsed.error, s.semicolon, parsed.tooDeep === true)];
  const raws = parsed.result.stmts ?? [];
  if (raws.length <= 1) return [new Statement(index, span, s.text, raws[0]?.stmt, undefined, s.semicolon)];
  // Rare: one psql statement that PostgreSQL reads as several. Keep each with its own span.
  const bytes = new Utf8Offsets(s.text);
  return raws.map((raw, k) => {
    const from = bytes.toStringIndex(raw.stmt_location ?? 0);
    const to = raw.stmt_len ? bytes.toStringIndex((raw.stmt_location ?? 0) + raw.stmt_len) : s.text.length;
    const lead = s.text.slice(from, to).search(/\S/);
    const start = from + Math.max(0, lead);
    const sub = s.text.slice(start, to).trimEnd();
    const reparsed = parseRaw(sub);
    return new Statement(
      index + k,
      { start: s.start + start, end: s.start + start + sub.length },
      sub,
      reparsed.ok ? reparsed.result.stmts?.[0]?.stmt : undefined,
      reparsed.ok ? undefined : reparsed.error,
    );
  });
}
