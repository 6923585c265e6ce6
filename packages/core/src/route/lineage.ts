/**
 * Column lineage in the statement model: which table columns a column of a derived table, a CTE
 * reference or a set operation's output comes from. Rules read it (through `StatementModel`) instead
 * of binding names themselves; the route's resolver (facts.ts `resolveColumn`) uses `hasColumn`.
 */
import type { Block, Col, OutputColumn, Rel, RelSource } from './model.js';

/** Whether `rel` surely has `column`: listed output columns, a table's shard key or sequence columns, or through its source. */
export function hasColumn(rel: Rel, column: string): boolean {
  if (rel.columns) return rel.columns.has(column);
  const t = rel.table;
  if (t) return t.shardKey.includes(column) || t.sequenceColumns.includes(column);
  return rel.source !== undefined && sourceColumns(rel.source, column).some((c) => hasColumn(c.rel, c.column));
}

/** The plain SELECTs whose rows a block outputs: itself, or every branch of a set operation. */
export function leaves(block: Block): Block[] {
  const output = block.output;
  if (!output) return [];
  if (output.kind === 'select') return [block];
  return output.branches.flatMap(leaves);
}

/**
 * The output column of `block` that a reference by name (`byName`) or by 1-based position denotes,
 * one per leaf (set-operation branches line up by position; names come from the first branch).
 */
export function outputColumns(block: Block, at: { readonly name: string } | { readonly position: number }, aliases: readonly string[] = []): OutputColumn[] {
  const all = leaves(block);
  const first = all[0]?.output;
  if (!first || first.kind !== 'select') return [];
  let position = 'position' in at ? at.position - 1 : aliases.indexOf(at.name);
  if (position < 0 && 'name' in at) {
    // Not renamed: the first branch's column of that name after the renamed ones, or a `*` that may hold it.
    const found = first.columns.findIndex((c, i) => i >= aliases.length && c.name === at.name);
    if (found < 0) return starColumns(first.columns, at.name, all.length);
    position = found;
  }
  // Positions after a `*` are not known.
  const out: OutputColumn[] = [];
  for (const leaf of all) {
    const output = leaf.output;
    if (output?.kind !== 'select') return [];
    const before = output.columns.slice(0, position + 1);
    const c = before[position];
    if (!c || before.some((b) => b.star)) return [];
    out.push(c);
  }
  return out;
}

/** A column reached through `*` of one SELECT: the one expanded relation that surely has it. */
function starColumns(columns: readonly OutputColumn[], name: string, leafCount: number): OutputColumn[] {
  if (leafCount !== 1) return [];
  const stars = columns.filter((c) => c.star);
  const rels = stars.flatMap((c) => c.star ?? []);
  const sure = rels.filter((r) => hasColumn(r, name));
  const rel = sure.length === 1 ? sure[0] : rels.length === 1 && columns.length === 1 ? rels[0] : undefined;
  return rel ? [{ name, col: { rel, column: name }, bare: true }] : [];
}

/** Sources being followed: a recursive CTE's body reads its own output. */
const following = new Set<RelSource>();

/** The columns (one per leaf, under casts too) that a source's output column `column` passes on. */
export function sourceColumns(source: RelSource, column: string): Col[] {
  if (!source.block || following.has(source)) return [];
  following.add(source);
  try {
    return outputColumns(source.block, { name: column }, source.aliases).flatMap((c) => (c.col ? [c.col] : []));
  } finally {
    following.delete(source);
  }
}

/**
 * The table columns a column comes from, through derived tables, CTEs (WITH RECURSIVE included, its
 * self-references not followed twice) and set-operation branches.
 */
export function origins(col: Col): Col[] {
  if (col.rel.kind === 'table') return [col];
  const source = col.rel.source;
  return source ? sourceColumns(source, col.column).flatMap(origins) : [];
}
