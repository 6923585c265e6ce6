import type { Node } from 'libpg-query';

/** The node type of a libpg-query node: its single key (`SelectStmt`, `ColumnRef` …). */
export function tagOf(node: Node): string {
  for (const key in node) return key;
  return '';
}

/** The string values of a list of `String` nodes (names such as `funcname` or `fields`). */
export function stringList(nodes: readonly Node[] | undefined): string[] {
  const out: string[] = [];
  for (const n of nodes ?? []) if ('String' in n) out.push(n.String.sval ?? '');
  return out;
}

/**
 * Visits every node object below `root` (depth first), calling `visit` with each node's tag and
 * body. Returning `false` from `visit` skips that node's children.
 */
export function walk(root: unknown, visit: (tag: string, body: Record<string, unknown>, node: Node) => boolean | void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    // A node is an object with one key whose name starts with an upper-case letter.
    if (keys.length === 1) {
      const key = keys[0] as string;
      const c = key.charCodeAt(0);
      if (c >= 65 && c <= 90) {
        const body = obj[key];
        if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
          if (visit(key, body as Record<string, unknown>, obj as Node) === false) continue;
          stack.push(body);
          continue;
        }
      }
    }
    for (const k of keys) {
      const v = obj[k];
      if (v !== null && typeof v === 'object') stack.push(v);
    }
  }
}

/** Splits an expression into its top-level `AND` conjuncts. */
export function conjuncts(expr: Node | undefined): Node[] {
  if (!expr) return [];
  if ('BoolExpr' in expr && expr.BoolExpr.boolop === 'AND_EXPR') {
    return (expr.BoolExpr.args ?? []).flatMap((a) => conjuncts(a));
  }
  return [expr];
}
