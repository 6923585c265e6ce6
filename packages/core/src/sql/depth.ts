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
