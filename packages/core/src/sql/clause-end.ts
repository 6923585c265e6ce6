import type { Statement } from './statements.js';

/** Keywords that end a join condition or WHERE clause at parenthesis depth 0. */
const CLAUSE_ENDERS = new Set([
  'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'NATURAL', 'WHERE', 'GROUP', 'ORDER', 'LIMIT', 'OFFSET',
  'HAVING', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'FOR', 'RETURNING', 'FETCH', 'ON',
]);

/**
 * Offset just past the last token of the clause that starts with the keyword `keyword` found after
 * `from` (e.g. the `ON` condition after a joined table's name): where text can be appended to that
 * clause. Undefined when the keyword is not there or the clause cannot be delimited from tokens.
 */
export function clauseEnd(statement: Statement, from: number, keyword: 'ON' | 'WHERE'): number | undefined {
  // Comments are not clause text: appending after a `--` comment would comment the addition out.
  const tokens = statement.codeTokens();
  const toOffset = (byte: number) => statement.offsetOf(byte);
  let k = tokens.findIndex((t) => toOffset(t.start) >= from);
  if (k < 0) return undefined;
  // The keyword must come before any clause ender at depth 0.
  let depth = 0;
  for (; k < tokens.length; k++) {
    const t = tokens[k];
    if (!t) return undefined;
    const word = t.text.toUpperCase();
    if (word === '(') depth++;
    else if (word === ')') {
      if (depth === 0) return undefined;
      depth--;
    } else if (depth === 0 && word === keyword) break;
    else if (depth === 0 && (CLAUSE_ENDERS.has(word) || word === ',' || word === ';')) return undefined;
  }
  if (k >= tokens.length) return undefined;
  let end: number | undefined;
  depth = 0;
  for (k++; k < tokens.length; k++) {
    const t = tokens[k];
    if (!t) break;
    const word = t.text.toUpperCase();
    if (word === '(') depth++;
    else if (word === ')') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && (CLAUSE_ENDERS.has(word) || word === ',' || word === ';')) break;
    end = toOffset(t.end);
  }
  return end;
}
