/**
 * Where an identifier, or a dotted name, that starts at a given index of a statement's text ends —
 * without PostgreSQL's scanner, for the common case. Diagnostics underline names (`schema.table`,
 * `t.column`), and scanning a whole statement with libpg-query for each finding cost more than the
 * rest of the analysis. Answers `undefined` whenever PostgreSQL's lexer might read the text
 * differently (escape-string and bit-string prefixes, `U&` identifiers, comments, mid-token starts),
 * and the caller then asks the real scanner. Indices are JavaScript string indices, and must be where
 * a token starts (as parse-tree locations are): inside a string or a comment, the answer means nothing.
 */

import { isIdentPart, isIdentStart, isSpace } from './chars.js';

const enum Ch {
  Quote = 39,
  DoubleQuote = 34,
  Ampersand = 38,
  Star = 42,
  Minus = 45,
  Dot = 46,
  Slash = 47,
}

/** End of the identifier (plain or double-quoted) starting at `i`, or undefined when unsure. */
export function identifierEnd(text: string, i: number): number | undefined {
  if (i < 0 || i >= text.length) return undefined;
  // Starting inside a token (`ab`, `U&"…"`): the scanner finds no token there.
  if (i > 0 && (isIdentPart(text.charCodeAt(i - 1)) || text.charCodeAt(i - 1) === Ch.Ampersand)) return undefined;
  const c = text.charCodeAt(i);
  if (c === Ch.DoubleQuote) {
    let j = i + 1;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0) return undefined;
      if (text.charCodeAt(q + 1) !== Ch.DoubleQuote) return q + 1;
      j = q + 2;
    }
  }
  if (!isIdentStart(c)) return undefined;
  let j = i + 1;
  while (j < text.length && isIdentPart(text.charCodeAt(j))) j++;
  // E'…', B'…', X'…', N'…', U&'…', U&"…": a string or identifier with a prefix, not a name.
  const next = text.charCodeAt(j);
  if (next === Ch.Quote || next === Ch.Ampersand) return undefined;
  return j;
}

/**
 * End of `ident (. ident)*` from `i`, the way the scanner-based `Statement.nameSpan` reads it: the
 * dot must follow the name at once; what follows the dot (after white space) is a name or `*`.
 */
export function dottedNameEnd(text: string, i: number): number | undefined {
  const first = identifierEnd(text, i);
  if (first === undefined) return undefined;
  let end: number = first;
  while (text.charCodeAt(end) === Ch.Dot) {
    let j: number = end + 1;
    while (j < text.length && isSpace(text.charCodeAt(j))) j++;
    const c = text.charCodeAt(j);
    if (c === Ch.Star) {
      end = j + 1;
      continue;
    }
    // A comment, a number, an operator … : leave it to the scanner.
    if (c === Ch.Minus || c === Ch.Slash || !(isIdentStart(c) || c === Ch.DoubleQuote)) return undefined;
    const next = identifierEnd(text, j);
    if (next === undefined) return undefined;
    end = next;
  }
  return end;
}
