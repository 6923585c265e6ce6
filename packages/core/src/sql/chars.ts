/** Character classes of PostgreSQL's lexer (scan.l), on UTF-16 code units; shared by the splitter and the name lexer. */

/** ident_start: `[A-Za-z\200-\377_]` — every non-ASCII character counts. */
export function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
}

/** ident_cont: ident_start, digits and `$`. */
export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
}

/** White space: space, tab, newline, carriage return, form feed, vertical tab. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}
