/**
 * Filters across a derived table, a `UNION [ALL]` subquery, a grouped subquery or an inlined CTE, as
 * PostgreSQL's planner moves them (docs/limitless/routing.md): a filter on an output column that comes
 * straight from a table column is pushed down into the subquery, where it prunes the table; and a pin
 * inside the subquery holds for its output column outside, so a join on that column carries it.
 */
import type { Node, SelectStmt, WindowDef } from 'libpg-query';
import { stringList } from './ast.js';
import { resolveColumn } from './facts.js';
import type { Block, Col, Fact, Rel } from './model.js';
import { appliesTo } from './model.js';

/** One SELECT whose rows a subquery's output is made of (one per set-operation branch). */
export interface Leaf {
  readonly block: Block;
  /** Output column names by position; undefined for `SELECT *` of one relation (`star`). */
  readonly names: readonly (string | undefined)[] | undefined;
  readonly cols: readonly (Col | undefined)[];
  readonly star?: Rel;
  /** Whether PostgreSQL pushes a filter on this source column into the SELECT. */
  readonly pushable: (col: Col) => boolean;
}

/** What a subquery's output columns are made of. */
export interface Output {
  readonly leaves: readonly Leaf[];
}

/** The output of one plain SELECT, or undefined when its columns are not plain columns or it is VALUES. */
export function leafOf(sel: SelectStmt, block: Block): Leaf | undefined {
  const output = block.output;
  if (sel.valuesLists || output?.kind !== 'select') return undefined;
  const names: (string | undefined)[] = [];
  const cols: (Col | undefined)[] = [];
  let star: Rel | undefined;
  for (const c of output.columns) {
    if (c.star) {
      if (output.columns.length !== 1 || block.rels.length !== 1) return undefined;
      star = block.rels[0];
      continue;
    }
    // A filter crosses only a plain column, not one under a cast.
    const col = c.bare ? c.col : undefined;
    names.push(c.name);
    cols.push(col);
  }
  // A filter goes below window functions only on a column every window partitions by.
  const windows = windowDefs(sel);
  const partitions = windows.map((w) => (w.partitionClause ?? []).map((p) => columnOf(p, block)));
  const blocked = !!sel.limitCount || !!sel.limitOffset || returnsSets(sel.targetList);
  const grouped = (sel.groupClause ?? []).map((g) => columnOf(g, block));
  const distinctOn = (sel.distinctClause ?? []).filter((d) => Object.keys(d).length > 0).map((d) => columnOf(d, block));
  const pushable = (col: Col): boolean => {
    if (blocked) return false;
    const same = (c: Col | undefined) => !!c && c.rel === col.rel && c.column === col.column;
    if (!partitions.every((p) => p.some(same))) return false;
    if ((sel.groupClause?.length ?? 0) > 0 && !grouped.some(same)) return false;
    if (distinctOn.length > 0 && !distinctOn.some(same)) return false;
    return true;
  };
  return { block, names: star ? undefined : names, cols, ...(star ? { star } : {}), pushable };
}

function windowDefs(sel: SelectStmt): WindowDef[] {
  const out: WindowDef[] = (sel.windowClause ?? []).flatMap((w) => ('WindowDef' in w ? [w.WindowDef] : []));
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(visit);
    const o = n as Record<string, unknown>;
    if ('FuncCall' in o) {
      const over = (o['FuncCall'] as { over?: WindowDef }).over;
      if (over) out.push(over);
    }
    if ('SubLink' in o) return;
    for (const k in o) visit(o[k]);
  };
  visit(sel.targetList);
  return out;
}

function columnOf(node: Node, block: Block): Col | undefined {
  if (!('ColumnRef' in node)) return undefined;
  const fields = node.ColumnRef.fields ?? [];
  return fields.every((f) => 'String' in f) ? resolveColumn(stringList(fields), block) : undefined;
}

const SET_RETURNING = new Set(['generate_series', 'unnest', 'json_array_elements', 'jsonb_array_elements', 'json_array_elements_text', 'jsonb_array_elements_text', 'regexp_matches', 'json_each', 'jsonb_each']);

/** Whether the targets call a set-returning function (a name unqualified or first of its parts), anywhere inside. */
function returnsSets(targets: readonly Node[] | undefined): boolean {
  const stack: unknown[] = [targets];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const x = o[k];
      if (k === 'funcname' && Array.isArray(x)) {
        const first = x[0] as Node | undefined;
        if (first && 'String' in first && SET_RETURNING.has(first.String.sval ?? '')) return true;
      }
      if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
  return false;
}

/** The source columns (one per leaf) of output column `column`, or undefined when one leaf has none. */
export function sourcesOf(output: Output, column: string): { leaf: Leaf; col: Col }[] | undefined {
  const first = output.leaves[0];
  if (!first) return undefined;
  const index = first.names ? first.names.indexOf(column) : -1;
  const out: { leaf: Leaf; col: Col }[] = [];
  for (const leaf of output.leaves) {
    const col = leaf.star ? { rel: leaf.star, column } : index >= 0 ? leaf.cols[index] : undefined;
    if (!col || (leaf.star && first.names)) return undefined;
    out.push({ leaf, col });
  }
  return out;
}

/**
 * Moves the block's filters on `rel`'s output columns into its subquery (`push`), and its subquery's
 * pins out onto its output columns (`pull`), as new facts.
 */
export function propagate(block: Block, rel: Rel, output: Output, options: { readonly pull: boolean; readonly push: (col: Col, fact: Fact) => void }): void {
  for (const scoped of [...block.facts]) {
    const f = scoped.fact;
    if ((f.kind !== 'eqValue' && f.kind !== 'multi') || f.col.rel !== rel || !appliesTo(scoped, rel)) continue;
    const sources = sourcesOf(output, f.col.column);
    if (!sources || !sources.every((s) => s.leaf.pushable(s.col))) continue;
    for (const s of sources) options.push(s.col, { ...f, col: s.col });
  }
  if (!options.pull) return;
  const first = output.leaves[0];
  const columns = first?.names ?? (first?.star ? first.block.facts.flatMap((sf) => (sf.fact.kind === 'eqValue' && sf.fact.col.rel === first.star ? [sf.fact.col.column] : [])) : []);
  for (const column of new Set(columns.filter((c): c is string => c !== undefined))) {
    const sources = sourcesOf(output, column);
    if (!sources) continue;
    const values = sources.map((s) => s.leaf.block.facts.find((sf) => sf.appliesTo === 'all' && sf.fact.kind === 'eqValue' && sf.fact.col.rel === s.col.rel && sf.fact.col.column === s.col.column)?.fact);
    const value = values[0];
    if (!value || value.kind !== 'eqValue' || !values.every((v) => v?.kind === 'eqValue' && v.value.key === value.value.key)) continue;
    if (block.facts.some((sf) => sf.fact.kind === 'eqValue' && sf.fact.col.rel === rel && sf.fact.col.column === column)) continue;
    block.facts.push({ fact: { kind: 'eqValue', col: { rel, column }, value: value.value, offset: value.offset }, appliesTo: 'all' });
  }
}
