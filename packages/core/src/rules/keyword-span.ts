import type { Node } from 'libpg-query';
import type { Span } from '../diagnostic.js';
import type { Statement } from '../sql/statements.js';

/** A token of a statement with absolute offsets (into the whole text). Comments are left out. */
export interface TextToken {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Whether it can be a keyword: a bare word (not an identifier token, not a literal). */
  readonly word: boolean;
}

const cache = new WeakMap<Statement, readonly TextToken[]>();

/** The statement's tokens with absolute offsets, comments left out; scanned once per statement. */
export function textTokens(statement: Statement): readonly TextToken[] {
  let tokens = cache.get(statement);
  if (tokens) return tokens;
  tokens = statement
    .codeTokens()
    .map((t) => ({
      start: statement.offsetOf(t.start),
      end: statement.offsetOf(t.end),
      text: t.text,
      word: t.tokenName !== 'IDENT' && /^[A-Za-z_][A-Za-z_0-9]*$/.test(t.text),
    }));
  cache.set(statement, tokens);
  return tokens;
}

/**
 * Span of the first run of consecutive tokens spelling `words` (keywords, case-insensitive; `(` and
 * other punctuation match literally) that starts at or after `from`, and before `before` when given.
 * `undefined` when there is none.
 */
export function keywordSpan(statement: Statement, words: readonly string[], from = statement.span.start, before = Infinity): Span | undefined {
  const tokens = textTokens(statement);
  const matches = (t: TextToken | undefined, w: string) => t !== undefined && (/^[A-Z_]+$/.test(w) ? t.word && t.text.toUpperCase() === w : t.text === w);
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i] as TextToken;
    if (first.start < from) continue;
    if (first.start >= before) return undefined;
    if (words.every((w, k) => matches(tokens[i + k], w))) return { start: first.start, end: (tokens[i + words.length - 1] as TextToken).end };
  }
  return undefined;
}

/** Span of the last keyword `word` that starts before `before` (and at or after `from`). */
export function lastKeywordSpan(statement: Statement, word: string, before: number, from = statement.span.start): Span | undefined {
  const tokens = textTokens(statement);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i] as TextToken;
    if (t.start >= before) continue;
    if (t.start < from) return undefined;
    if (t.word && t.text.toUpperCase() === word) return { start: t.start, end: t.end };
  }
  return undefined;
}

/**
 * Offset just after the `)` that closes the first `(` at or after `from`; `undefined` when the
 * parentheses do not balance.
 */
export function parenthesizedEnd(statement: Statement, from: number): number | undefined {
  let depth = 0;
  for (const t of textTokens(statement)) {
    if (t.start < from) continue;
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      depth--;
      if (depth === 0) return t.end;
      if (depth < 0) return undefined;
    }
  }
  return undefined;
}

/** Span of a procedure argument: a string literal, `ARRAY[…]` (through its `]`), or a cast of one. */
export function argumentSpan(statement: Statement, node: Node | undefined): Span {
  if (!node) return statement.tokenSpan(statement.span.start);
  if ('TypeCast' in node && node.TypeCast.arg) return argumentSpan(statement, node.TypeCast.arg);
  if ('A_ArrayExpr' in node) {
    const start = statement.offsetOf(node.A_ArrayExpr.location);
    const close = node.A_ArrayExpr.list_end;
    return close === undefined ? statement.tokenSpan(start) : { start, end: statement.offsetOf(close) + 1 };
  }
  if ('A_Const' in node) return statement.tokenSpan(statement.offsetOf(node.A_Const.location));
  return statement.tokenSpan(statement.span.start);
}
