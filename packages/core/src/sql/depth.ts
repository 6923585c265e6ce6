import type { Node } from './parser.js';

/**
 * How deeply a parse tree may nest (objects and arrays, as libpg-query returns it) for the analyzer
 * to walk it. PostgreSQL parses far deeper statements (a thousand nested subqueries, thousands of
 * chained `NOT`s, casts or `||` terms); the route analysis and the rules walk trees recursively, and
 * the JavaScript stack, whose size differs between the main thread and worker threads, would give
 * out at some depth or other. A fixed limit, well under what the smallest stack allows, makes the
 * outcome the same everywhere: a deeper statement is not analysed, and says so. Real queries stay
 * far below it (a dozen nested subqueries is about a hundred levels).
 */
export const MAX_TREE_DEPTH = 1000;

/**
 * Every level of a parse tree comes from at least a character of SQL text in practice (measured: at
 * most 0.8 levels a character, for nested subqueries); texts shorter than this cannot reach the limit
 * and are not walked.
 */
const SHORTEST_DEEP_TEXT = MAX_TREE_DEPTH / 3;

/**
 * Whether the parse tree of a statement whose text is `textLength` long nests deeper than
 * {@link MAX_TREE_DEPTH}. Walks with an explicit stack (so that the check itself cannot overflow) and
 * stops at the first node past the limit.
 */
export function exceedsTreeDepth(ast: Node, textLength: number, limit: number = MAX_TREE_DEPTH): boolean {
  if (textLength < SHORTEST_DEEP_TEXT && limit === MAX_TREE_DEPTH) return false;
  const nodes: unknown[] = [ast];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as object;
    const depth = depths.pop() as number;
    if (depth > limit) return true;
    if (Array.isArray(node)) {
      for (const child of node) {
        if (child !== null && typeof child === 'object') {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (child !== null && typeof child === 'object') {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * Whether the text of one statement nests deeper than `limit`, by a lexical estimate that needs no
 * parse: open brackets plus, in each of them, the length of the current chain of operators (`||`,
 * `::`, `+`, `NOT` …; a `,`, `AND`, `OR`, `WHEN`, `THEN` or `ELSE` ends a chain, since PostgreSQL
 * keeps those as lists, not nested nodes). Every bracket of a subquery and every chained operator
 * adds at least one level to the parse tree, so a statement past the limit here is past
 * {@link MAX_TREE_DEPTH} there too, save for redundant brackets.
 *
 * It exists because the parser itself recurses: PostgreSQL's parse of a few thousand nested
 * subqueries or chained casts exhausts the JavaScript stack inside the WebAssembly call, at a depth
 * that depends on the thread's stack size. Statements this deep are not given to the parser.
 * Quotes, dollar quotes and comments are skipped as PostgreSQL's scanner reads them.
 */
export function textNestsDeeperThan(text: string, limit: number = MAX_TREE_DEPTH): boolean {
  const n = text.length;
  if (n <= limit) return false; // every level takes at least one character
  const chains: number[] = [0];
  let total = 0; // open brackets + the chains of every open bracket
  let i = 0;
  const endChain = () => {
    total -= chains[chains.length - 1] as number;
    chains[chains.length - 1] = 0;
  };
  const operator = () => {
    chains[chains.length - 1] = (chains[chains.length - 1] as number) + 1;
    total++;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (total > limit) return true;
    // ' " quoted text and identifiers ('' and "" inside; E'…' also takes backslash escapes)
    if (c === 0x27 || c === 0x22) {
      const backslashes = c === 0x27 && i > 0 && (text.charCodeAt(i - 1) | 0x20) === 0x65 && !isWordChar(text.charCodeAt(i - 2));
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (backslashes && d === 0x5c) i += 2;
        else if (d === c && text.charCodeAt(i + 1) === c) i += 2;
        else if (d === c) break;
        else i++;
      }
      i++;
      continue;
    }
    if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol + 1;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text.charCodeAt(i) === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
          depth++;
          i += 2;
        } else if (text.charCodeAt(i) === 0x2a && text.charCodeAt(i + 1) === 0x2f) {
          depth--;
          i += 2;
        } else i++;
      }
      continue;
    }
    if (c === 0x24) {
      // $tag$ … $tag$ (not $1, a parameter)
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (tag && !isWordChar(text.charCodeAt(i - 1))) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        i = close < 0 ? n : close + tag[0].length;
        continue;
      }
      i++;
      continue;
    }
    if (c === 0x28 || c === 0x5b) {
      chains.push(0);
      total++;
      i++;
      continue;
    }
    if (c === 0x29 || c === 0x5d) {
      if (chains.length > 1) {
        total -= (chains.pop() as number) + 1;
      }
      i++;
      continue;
    }
    if (c === 0x2c || c === 0x3b) {
      endChain();
      i++;
      continue;
    }
    if (isOperatorChar(c) || (c === 0x3a && text.charCodeAt(i + 1) === 0x3a)) {
      while (i < n && (isOperatorChar(text.charCodeAt(i)) || text.charCodeAt(i) === 0x3a)) i++;
      operator();
      continue;
    }
    if (isWordChar(c)) {
      const start = i;
      while (i < n && isWordChar(text.charCodeAt(i))) i++;
      const len = i - start;
      if (len >= 2 && len <= 4) {
        const word = text.slice(start, i).toLowerCase();
        if (word === 'not') operator();
        else if (word === 'and' || word === 'or' || word === 'when' || word === 'then' || word === 'else') endChain();
      }
      continue;
    }
    i++;
  }
  return total > limit;
}

function isWordChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) || c === 0x5f || c >= 0x80;
}

/** PostgreSQL's operator characters (`+ - * / < > = ~ ! @ # % ^ & | \` ?`). */
function isOperatorChar(c: number): boolean {
  return c === 0x2b || c === 0x2d || c === 0x2a || c === 0x2f || c === 0x3c || c === 0x3e || c === 0x3d || c === 0x7e || c === 0x21 || c === 0x40 || c === 0x23 || c === 0x25 || c === 0x5e || c === 0x26 || c === 0x7c || c === 0x60 || c === 0x3f;
}
