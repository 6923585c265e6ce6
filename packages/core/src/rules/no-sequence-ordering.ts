import { limitlessDocsUrl } from '../diagnostic.js';
import type { FuncCall, Node, SelectStmt, SortBy, WindowDef } from 'libpg-query';
import type { Span } from '../diagnostic.js';
import { conjuncts, stringList, walk } from '../route/ast.js';
import { resolveColumn } from '../route/facts.js';
import { leaves, origins, outputColumns } from '../route/lineage.js';
import type { Block, Col, OutputColumn } from '../route/model.js';
import type { Token } from '../sql/parser.js';
import type { Statement } from '../sql/statements.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: 'no-sequence-ordering',
    description: 'Report ordering by distributed-sequence columns, whose values are unique but not in insertion order',
    category: 'sequences',
    defaultLevel: 'warn',
    facts: ['sequences#ordering-guarantee', 'sequences#consequences-for-order-by'],
    messages: {
      orderBy: '`ORDER BY {{item}}` sorts by `{{table}}.{{column}}`, a distributed-sequence column whose values are not in insertion order across routers.',
      latest: '`ORDER BY {{item}} … LIMIT {{limit}}` reads as "the latest rows", but `{{table}}.{{column}}` comes from a distributed sequence whose values are not in insertion order across routers.',
      keyset: 'Keyset paging on `{{table}}.{{column}}` (`{{comparison}}` with `ORDER BY {{item}}`) can skip rows: its values come from a distributed sequence and are not in insertion order across routers.',
      distinctOn: '`DISTINCT ON` keeps the first row of each group by `ORDER BY {{item}}`, but `{{table}}.{{column}}` comes from a distributed sequence: that row is not the first or last inserted.',
      windowOrder: '`OVER (… ORDER BY {{item}})` orders rows by `{{table}}.{{column}}`, a distributed-sequence column whose values are not in insertion order across routers.',
      max: '`{{call}}` does not find the newest row of `{{table}}`: `{{column}}` comes from a distributed sequence whose values are not in insertion order across routers.',
      tieBreaker: '`ORDER BY … {{item}}` breaks ties by `{{table}}.{{column}}`, a distributed-sequence column whose values are not in insertion order across routers.',
    },
    note:
      'Limitless hands out values of a distributed sequence in chunks per router (' + limitlessDocsUrl('sequences', 'ordering-guarantee') + '): "Sequence values are guaranteed to be unique, and are guaranteed to be monotonic within a session. But they can be out of order with `nextval` statements run in other sessions, if those sessions are connected to other routers." A larger value is not a later row.',
    help: 'Order by a timestamp column such as `created_at`, with `{{column}}` only as a tie-breaker: `ORDER BY created_at DESC, {{column}} DESC`.',
    options: {
      allowTieBreaker: {
        type: 'boolean',
        default: true,
        description: 'Accept a sequence column in ORDER BY after a non-sequence column (`ORDER BY created_at DESC, transaction_id DESC`); `false` reports it too.',
      },
    },
    examples: {
      invalid: [
        'SELECT * FROM transactions WHERE account_id = $1 ORDER BY transaction_id DESC LIMIT 20',
        'SELECT * FROM transactions WHERE account_id = $1 AND transaction_id > $2 ORDER BY transaction_id LIMIT 100',
        'SELECT max(transaction_id) FROM transactions WHERE account_id = $1',
      ],
      valid: [
        'SELECT * FROM transactions WHERE account_id = $1 ORDER BY created_at DESC, transaction_id DESC LIMIT 20',
        'SELECT * FROM transactions WHERE account_id = $1 AND (created_at, transaction_id) > ($2, $3) ORDER BY created_at, transaction_id LIMIT 100',
      ],
    },
  },
  create(context) {
    const rule = new SequenceOrdering(context);
    return {
      SelectStmt: (sel, block) => rule.select(sel, block),
      FuncCall: (call, block) => rule.call(call, block),
      WindowDef: (def, block) => rule.windowOrder(def, block),
    };
  },
});

/** Where a sequence-generated value comes from: the table column that the sequence fills. */
interface Origin {
  readonly column: string;
  readonly table: string;
}

/** A column reference resolved in the statement model (as far as it resolves). */
interface ColumnUse {
  readonly col: Col | undefined;
  readonly column: string;
  /** Set when the column is sequence-generated. */
  readonly origin: Origin | undefined;
}

const INEQUALITIES = new Set(['>', '>=', '<', '<=']);

/**
 * Reads the statement model (route/model.ts): the block of each SELECT, the one column resolver
 * (`resolveColumn`) and the lineage of derived-table, CTE and set-operation columns (`origins`).
 * It binds no names itself; the engine's one traversal hands it each SELECT, call and window.
 */
class SequenceOrdering {
  private readonly stmt: Statement;
  /** Calls inside the arguments of `setval(…)`. */
  private readonly inSetval = new WeakSet<object>();
  private readonly pinned = new Map<Block, readonly ColumnUse[]>();

  constructor(private readonly context: RuleContext) {
    this.stmt = context.statement;
  }

  /** The statement's tokens without comments, scanned only when a finding needs a span. */
  private get tokens(): readonly Token[] {
    return this.stmt.codeTokens();
  }

  // ---- query blocks -------------------------------------------------------------------------

  /** A SELECT (plain or set operation), wherever it is nested (CTEs, subqueries, CREATE VIEW, COPY, EXPLAIN …). */
  select(sel: SelectStmt, block: Block | undefined): void {
    if (!block || sel.valuesLists) return;
    // ORDER BY of a set operation names output columns only (the left branch's names).
    const setOperation = !!sel.op && sel.op !== 'SETOP_NONE';
    if (!setOperation && sel.whereClause) this.pinned.set(block, this.pinnedColumns(sel.whereClause, block));
    this.orderBy(sel, block, setOperation);
  }

  /** `max(<sequence column>)` (not inside `setval(…)`) and `OVER (ORDER BY …)`. */
  call(f: FuncCall, block: Block | undefined): void {
    const names = stringList(f.funcname);
    const name = names[names.length - 1];
    const builtin = names.length === 1 || names[0] === 'pg_catalog';
    // `setval('s', (SELECT max(id) FROM t))` resynchronises a sequence: not a "latest" query.
    if (builtin && name === 'setval') walk(f.args, (tag, body) => void (tag === 'FuncCall' && this.inSetval.add(body)));
    if (builtin && name === 'max' && !this.inSetval.has(f)) this.max(f, block);
    if (f.over) this.windowOrder(f.over, block);
  }

  // ---- column resolution (the model's) --------------------------------------------------------

  /** A column reference (through casts) resolved in `block`; undefined for other expressions. */
  private resolve(node: Node, block: Block | undefined): ColumnUse | undefined {
    while ('TypeCast' in node) {
      if (!node.TypeCast.arg) return undefined;
      node = node.TypeCast.arg;
    }
    if (!('ColumnRef' in node)) return undefined;
    const fields = node.ColumnRef.fields ?? [];
    if (fields.some((f) => !('String' in f))) return undefined;
    const names = stringList(fields);
    const col = block ? resolveColumn(names, block) : undefined;
    return { col, column: names[names.length - 1] as string, origin: col ? this.origin(col) : undefined };
  }

  /** The sequence column a column comes from, if it comes from one (through derived tables, CTEs, set operations). */
  private origin(col: Col): Origin | undefined {
    for (const o of origins(col)) {
      if (o.rel.table?.sequenceColumns.includes(o.column)) return { column: o.column, table: o.rel.display };
    }
    return undefined;
  }

  /** What an output column (one per set-operation branch) is: the first branch whose column is sequence-generated, else the first. */
  private outputUse(columns: readonly OutputColumn[]): ColumnUse | undefined {
    let first: ColumnUse | undefined;
    for (const { col } of columns) {
      if (!col) continue;
      const use = { col, column: col.column, origin: this.origin(col) };
      if (use.origin) return use;
      first ??= use;
    }
    return first;
  }

  /** An ORDER BY or DISTINCT ON item: an ordinal, an output-column name, or an expression over the input. */
  private resolveItem(node: Node, block: Block, outputOnly: boolean): ColumnUse | undefined {
    if ('A_Const' in node && node.A_Const.ival !== undefined) return this.outputUse(outputColumns(block, { position: node.A_Const.ival.ival ?? 0 }));
    if ('ColumnRef' in node) {
      const fields = node.ColumnRef.fields ?? [];
      const only = fields.length === 1 ? fields[0] : undefined;
      // SQL92 rule: a bare name in ORDER BY means the output column of that name first.
      if (only && 'String' in only) {
        const name = only.String.sval ?? '';
        const first = leaves(block)[0]?.output;
        const named = first?.kind === 'select' && first.columns.some((c) => !c.star && c.name === name);
        if (named || outputOnly) return this.outputUse(outputColumns(block, { name }));
      }
    }
    return outputOnly ? undefined : this.resolve(node, block);
  }

  /** Columns the block's WHERE fixes to one value (`col = $1`): constant within its result. */
  private pinnedIn(block: Block): readonly ColumnUse[] {
    return this.pinned.get(block) ?? [];
  }

  /** `col = <constant or parameter>` conjuncts of a WHERE clause. */
  private pinnedColumns(where: Node | undefined, block: Block): ColumnUse[] {
    const out: ColumnUse[] = [];
    for (const c of conjuncts(where)) {
      if (!('A_Expr' in c) || c.A_Expr.kind !== 'AEXPR_OP' || stringList(c.A_Expr.name).join() !== '=') continue;
      const { lexpr, rexpr } = c.A_Expr;
      if (!lexpr || !rexpr) continue;
      for (const [col, value] of [
        [lexpr, rexpr],
        [rexpr, lexpr],
      ] as const) {
        const use = this.resolve(col, block);
        if (use && isValue(value)) out.push(use);
      }
    }
    return out;
  }

  // ---- ORDER BY -----------------------------------------------------------------------------

  private orderBy(sel: SelectStmt, block: Block, outputOnly: boolean): void {
    const items = sortItems(sel.sortClause);
    if (items.length === 0) return;
    const distinctOn = (sel.distinctClause ?? []).filter((d) => Object.keys(d).length > 0);
    const resolveItem = (n: Node) => this.resolveItem(n, block, outputOnly);
    const pinned = this.pinnedIn(block);
    const distinctUses = distinctOn.map((d) => ({ node: d, use: resolveItem(d) }));
    const isDistinctKey = (node: Node, use: ColumnUse | undefined) => distinctUses.some((d) => (use && d.use ? sameColumn(use, d.use) : sameNode(node, d.node)));
    // A watermark on a sequence column skips rows whatever its place in ORDER BY (`id > $1 … ORDER BY priority, id`).
    for (const item of outputOnly ? [] : items) {
      const use = item.node ? resolveItem(item.node) : undefined;
      if (use?.origin && this.reportKeyset(sel, block, item, use)) return;
    }
    const found = this.firstSequenceItem(items, resolveItem, (node, use) => isDistinctKey(node, use) || (!!use && pinned.some((p) => sameColumn(p, use))));
    if (!found) return;
    const { item, use, tieBreaker } = found;
    const origin = use.origin as Origin;
    const itemSpan = this.sortItemSpan(item);
    const data = { item: this.text(itemSpan), column: origin.column, table: origin.table };
    if (tieBreaker) return this.reportTieBreaker(itemSpan, data);
    if (distinctOn.length > 0 && !isDistinctKey(item.node as Node, use)) {
      this.context.report({ messageId: 'distinctOn', data, span: itemSpan });
      return;
    }
    const limit = sel.limitCount;
    const hasLimit = limit !== undefined && !('A_Const' in limit && limit.A_Const.isnull);
    if (limit && hasLimit && item.sortby_dir === 'SORTBY_DESC') {
      const limitText = 'A_Const' in limit || 'ParamRef' in limit ? this.text(this.nodeSpan(limit)) : 'n';
      this.context.report({ messageId: 'latest', data: { ...data, limit: limitText }, span: itemSpan });
      return;
    }
    this.context.report({ messageId: 'orderBy', data, span: itemSpan });
  }

  /** Reports keyset paging (`<seq col> > $1` in WHERE) on the ORDER BY item `item`; false when there is none. */
  private reportKeyset(sel: SelectStmt, block: Block, item: SortBy, use: ColumnUse): boolean {
    const keyset = this.keysetComparison(sel.whereClause, block, use);
    if (!keyset) return false;
    const origin = use.origin as Origin;
    const itemSpan = this.sortItemSpan(item);
    const span = this.nodeSpan(keyset);
    this.context.report({
      messageId: 'keyset',
      data: { item: this.text(itemSpan), column: origin.column, table: origin.table, comparison: this.text(span) },
      span,
      labels: [{ span: itemSpan, message: 'ordered by the same sequence column' }],
      help: 'Page on a timestamp with the sequence column as a tie-breaker: `WHERE (created_at, {{column}}) > ($1, $2) ORDER BY created_at, {{column}}`.',
    });
    return true;
  }

  /** Window `ORDER BY`: the partition keys are neutral, like DISTINCT ON keys. */
  windowOrder(def: WindowDef, block: Block | undefined): void {
    const items = sortItems(def.orderClause);
    if (items.length === 0 || !block) return;
    const pinned = this.pinnedIn(block);
    const partition = def.partitionClause ?? [];
    const resolveItem = (n: Node) => this.resolve(n, block);
    const found = this.firstSequenceItem(items, resolveItem, (node, use) =>
      partition.some((p) => {
        const pu = this.resolve(p, block);
        return use && pu ? sameColumn(use, pu) : sameNode(node, p);
      }) || (!!use && pinned.some((p) => sameColumn(p, use))),
    );
    if (!found) return;
    const origin = found.use.origin as Origin;
    const span = this.sortItemSpan(found.item);
    const data = { item: this.text(span), column: origin.column, table: origin.table };
    if (found.tieBreaker) return this.reportTieBreaker(span, data);
    this.context.report({ messageId: 'windowOrder', data, span });
  }

  /**
   * The first ORDER BY item on a sequence column. It is a tie-breaker when a non-neutral item
   * (neither fixed by WHERE nor a DISTINCT ON / PARTITION BY key) comes before it.
   */
  private firstSequenceItem(
    items: readonly SortBy[],
    resolveItem: (node: Node) => ColumnUse | undefined,
    neutral: (node: Node, use: ColumnUse | undefined) => boolean,
  ): { item: SortBy; use: ColumnUse; tieBreaker: boolean } | undefined {
    let tieBreaker = false;
    for (const item of items) {
      if (!item.node) continue;
      const use = resolveItem(item.node);
      if (use?.origin) {
        if (tieBreaker && this.context.options.allowTieBreaker !== false) return undefined;
        return { item, use, tieBreaker };
      }
      if (!neutral(item.node, use)) tieBreaker = true;
    }
    return undefined;
  }

  private reportTieBreaker(span: Span, data: Record<string, string>): void {
    this.context.report({
      messageId: 'tieBreaker',
      data,
      span,
      help: 'Rows that tie on the columns before `{{column}}` come out in an order that is stable, not in insertion order; if that order matters, add a commit-time column to the table and order by it.',
    });
  }

  /** `<seq col> > <value>` (or `>=`, `<`, `<=`) on the ORDER BY column in the WHERE clause: keyset paging. */
  private keysetComparison(where: Node | undefined, block: Block, use: ColumnUse): Node | undefined {
    for (const c of conjuncts(where)) {
      if (!('A_Expr' in c) || c.A_Expr.kind !== 'AEXPR_OP' || !INEQUALITIES.has(stringList(c.A_Expr.name).join())) continue;
      const { lexpr, rexpr } = c.A_Expr;
      if (!lexpr || !rexpr) continue;
      for (const [col, value] of [
        [lexpr, rexpr],
        [rexpr, lexpr],
      ] as const) {
        const u = this.resolve(col, block);
        if (u?.origin && sameColumn(u, use) && !hasColumnRef(value)) return c;
      }
    }
    return undefined;
  }

  // ---- expressions --------------------------------------------------------------------------

  private max(f: FuncCall, block: Block | undefined): void {
    const arg = f.args?.length === 1 ? f.args[0] : undefined;
    if (!arg || f.agg_star) return;
    const use = this.resolve(arg, block);
    if (!use?.origin) return;
    const span = this.callSpan(f.location);
    this.context.report({
      messageId: 'max',
      data: { call: this.text(span), column: use.origin.column, table: use.origin.table },
      span,
      help: 'To find the newest row, use a timestamp column: `ORDER BY created_at DESC, {{column}} DESC LIMIT 1` or `max(created_at)`.',
    });
  }

  // ---- spans --------------------------------------------------------------------------------

  private text(span: Span): string {
    const s = this.stmt;
    return s.text.slice(span.start - s.span.start, span.end - s.span.start).replace(/\s+/g, ' ');
  }

  private tokenIndexAt(byte: number): number {
    return this.tokens.findIndex((t) => t.start >= byte);
  }

  /** An ORDER BY item: its expression plus `ASC`/`DESC`, `USING op` and `NULLS FIRST/LAST`. */
  private sortItemSpan(item: SortBy): Span {
    const span = this.nodeSpan(item.node as Node);
    const s = this.stmt;
    let i = this.tokens.findIndex((t) => s.offsetOf(t.start) === span.start);
    let j = this.tokens.findIndex((t) => s.offsetOf(t.end) === span.end);
    if (i < 0 || j < 0) return span;
    // `ORDER BY (transaction_id) DESC`: the parser drops the parentheses, the item keeps them.
    while (this.tokens[i - 1]?.text === '(' && this.tokens[j + 1]?.text === ')') {
      i--;
      j++;
    }
    const word = (k: number) => this.tokens[k]?.text.toUpperCase();
    if (word(j + 1) === 'ASC' || word(j + 1) === 'DESC') j++;
    else if (word(j + 1) === 'USING' && this.tokens[j + 2]) j += 2;
    if (word(j + 1) === 'NULLS' && this.tokens[j + 2]) j += 2;
    return { start: s.offsetOf((this.tokens[i] as Token).start), end: s.offsetOf((this.tokens[j] as Token).end) };
  }

  /** `max(…)`: the function name through its closing parenthesis. */
  private callSpan(location: number | undefined): Span {
    const s = this.stmt;
    let j = this.tokenIndexAt(location ?? 0);
    const start = this.tokens[j];
    if (j < 0 || !start) return s.tokenSpan(s.offsetOf(location));
    while (this.tokens[j + 1]?.text === '.' && this.tokens[j + 2]) j += 2;
    j = this.closeGroup(j + 1);
    return { start: s.offsetOf(start.start), end: s.offsetOf((this.tokens[j] as Token).end) };
  }

  /** Index of the `)` that closes the `(` at index `open` (or `open - 1` when there is none). */
  private closeGroup(open: number): number {
    if (this.tokens[open]?.text !== '(') return open - 1;
    let depth = 0;
    for (let k = open; k < this.tokens.length; k++) {
      const t = (this.tokens[k] as Token).text;
      if (t === '(') depth++;
      else if (t === ')' && --depth === 0) return k;
    }
    return this.tokens.length - 1;
  }

  /**
   * The source extent of an expression: from its first to its last located token, widened to
   * balance parentheses and to take in dotted names and call parentheses.
   */
  private nodeSpan(node: Node): Span {
    const s = this.stmt;
    const locations: number[] = [];
    collectLocations(node, locations);
    if (locations.length === 0) return s.tokenSpan(s.span.start);
    let i = this.tokenIndexAt(Math.min(...locations));
    let j = this.tokenIndexAt(Math.max(...locations));
    if (i < 0 || j < 0) return s.tokenSpan(s.offsetOf(Math.min(...locations)));
    let depth = 0;
    let lowest = 0;
    for (let k = i; k <= j; k++) {
      const t = (this.tokens[k] as Token).text;
      if (t === '(') depth++;
      else if (t === ')') lowest = Math.min(lowest, --depth);
    }
    while (lowest < 0 && this.tokens[i - 1]?.text === '(') {
      i--;
      lowest++;
      depth++;
    }
    for (;;) {
      if (this.tokens[j + 1]?.text === '.' && this.tokens[j + 2]) j += 2;
      else if (depth > 0 && j + 1 < this.tokens.length) {
        j++;
        const t = (this.tokens[j] as Token).text;
        if (t === '(') depth++;
        else if (t === ')') depth--;
      } else if (this.tokens[j + 1]?.text === '(' && /^[\w"]/.test((this.tokens[j] as Token).text)) j = this.closeGroup(j + 1);
      else break;
    }
    return { start: s.offsetOf((this.tokens[i] as Token).start), end: s.offsetOf((this.tokens[j] as Token).end) };
  }
}


function sortItems(nodes: readonly Node[] | undefined): SortBy[] {
  return (nodes ?? []).flatMap((n) => ('SortBy' in n ? [n.SortBy] : []));
}


function sameColumn(a: ColumnUse, b: ColumnUse): boolean {
  return a.column === b.column && (!a.col || !b.col || a.col.rel === b.col.rel);
}

function sameNode(a: Node, b: Node): boolean {
  return JSON.stringify(a, dropLocation) === JSON.stringify(b, dropLocation);
}

function dropLocation(key: string, value: unknown): unknown {
  return key === 'location' ? undefined : value;
}

/** A constant or bind parameter (through casts). */
function isValue(node: Node): boolean {
  if ('TypeCast' in node) return !!node.TypeCast.arg && isValue(node.TypeCast.arg);
  return 'A_Const' in node || 'ParamRef' in node;
}

/** Whether an expression reads a column of its own query (subqueries do not count). */
function hasColumnRef(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasColumnRef);
  const obj = node as Record<string, unknown>;
  if ('ColumnRef' in obj) return true;
  if ('SubLink' in obj) return false;
  return Object.values(obj).some(hasColumnRef);
}

function collectLocations(node: unknown, out: number[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) collectLocations(n, out);
    return;
  }
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === 'location' && typeof v === 'number' && v >= 0) out.push(v);
    else collectLocations(v, out);
  }
}
