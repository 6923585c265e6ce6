import { limitlessDocsUrl } from '../diagnostic.js';
import type { Node, RangeVar, SelectStmt, SortBy, WindowDef, WithClause } from 'libpg-query';
import type { Span } from '../diagnostic.js';
import { conjuncts, stringList } from '../route/ast.js';
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
  check(context) {
    new SequenceOrdering(context).statement(context.ast);
  },
});

/** Where a sequence-generated value comes from: the table column that the sequence fills. */
interface Origin {
  readonly column: string;
  readonly table: string;
}

/** A FROM item as columns see it: the name that qualifies them, and which of its columns are sequence-generated. */
interface Relation {
  readonly refName: string;
  /** For tables: the schema as written and the table name (`schema.table.column` references). */
  readonly schema?: string;
  readonly name?: string;
  readonly sequence: ReadonlyMap<string, Origin>;
}

interface Scope {
  readonly parent: Scope | undefined;
  readonly relations: Relation[];
  readonly ctes: Map<string, ReadonlyMap<string, Origin>>;
  /** Columns the block's WHERE fixes to one value (`col = $1`): constant within the result. */
  pinned: ColumnUse[];
}

/** A column reference resolved as far as possible. */
interface ColumnUse {
  readonly relation: Relation | undefined;
  readonly column: string;
  /** Set when the column is sequence-generated. */
  readonly origin: Origin | undefined;
}

/** One select-list entry: its output name and what it is. */
interface Target {
  readonly name: string | undefined;
  readonly star: boolean;
  readonly use: ColumnUse | undefined;
}

interface Output {
  readonly targets: readonly Target[];
  readonly sequence: ReadonlyMap<string, Origin>;
}

const NO_OUTPUT: Output = { targets: [], sequence: new Map() };
const INEQUALITIES = new Set(['>', '>=', '<', '<=']);

class SequenceOrdering {
  private readonly stmt: Statement;
  /** Inside the arguments of `setval(…)`. */
  private setvalDepth = 0;

  constructor(private readonly context: RuleContext) {
    this.stmt = context.statement;
  }

  /** The statement's tokens without comments, scanned only when a finding needs a span. */
  private get tokens(): readonly Token[] {
    return this.stmt.codeTokens();
  }

  /** Every query block of the statement, wherever it is nested (CTEs, subqueries, CREATE VIEW, COPY, EXPLAIN …). */
  statement(ast: Node): void {
    this.expr(ast, undefined);
  }

  private newScope(parent: Scope | undefined): Scope {
    return { parent, relations: [], ctes: new Map(), pinned: [] };
  }

  // ---- query blocks -------------------------------------------------------------------------

  private query(node: Node, parent: Scope | undefined): Output {
    if ('SelectStmt' in node) return this.select(node.SelectStmt, parent);
    if ('InsertStmt' in node) {
      const ins = node.InsertStmt;
      const withScope = this.newScope(parent);
      if (ins.withClause) this.with(ins.withClause, withScope);
      if (ins.selectStmt) this.query(ins.selectStmt, withScope);
      const scope = this.newScope(withScope);
      if (ins.relation) scope.relations.push(this.table(ins.relation, scope));
      this.expr([ins.onConflictClause, ins.returningClause], scope);
      return NO_OUTPUT;
    }
    if ('UpdateStmt' in node) {
      const upd = node.UpdateStmt;
      return this.write(upd, upd.fromClause, [upd.targetList, upd.whereClause, upd.returningClause], parent);
    }
    if ('DeleteStmt' in node) {
      const del = node.DeleteStmt;
      return this.write(del, del.usingClause, [del.whereClause, del.returningClause], parent);
    }
    if ('MergeStmt' in node) {
      const m = node.MergeStmt;
      return this.write(m, m.sourceRelation ? [m.sourceRelation] : undefined, [m.joinCondition, m.mergeWhenClauses], parent);
    }
    return NO_OUTPUT;
  }

  /** UPDATE, DELETE or MERGE: its target table and other FROM items in one scope, then its expressions. */
  private write(stmt: { readonly withClause?: WithClause; readonly relation?: RangeVar }, from: Node[] | undefined, exprs: readonly unknown[], parent: Scope | undefined): Output {
    const scope = this.newScope(parent);
    if (stmt.withClause) this.with(stmt.withClause, scope);
    if (stmt.relation) scope.relations.push(this.table(stmt.relation, scope));
    const pending = this.fromItems(from, scope, parent);
    this.expr([pending, ...exprs], scope);
    return NO_OUTPUT;
  }

  private select(sel: SelectStmt, parent: Scope | undefined): Output {
    const scope = this.newScope(parent);
    if (sel.withClause) this.with(sel.withClause, scope);
    if (sel.op && sel.op !== 'SETOP_NONE') {
      const left = sel.larg ? this.select(sel.larg, scope) : NO_OUTPUT;
      if (sel.rarg) this.select(sel.rarg, scope);
      // ORDER BY of a set operation names output columns only (the left branch's names).
      this.orderBy(sel, scope, left, true);
      this.expr([sel.sortClause, sel.limitCount, sel.limitOffset], scope);
      return left;
    }
    if (sel.valuesLists) {
      this.expr(sel.valuesLists, scope);
      return NO_OUTPUT;
    }
    const pending = this.fromItems(sel.fromClause, scope, parent);
    scope.pinned = this.pinnedColumns(sel.whereClause, scope);
    const output = this.output(sel.targetList, scope);
    this.orderBy(sel, scope, output, false);
    this.expr([pending, sel.targetList, sel.whereClause, sel.groupClause, sel.havingClause, sel.windowClause, sel.sortClause, sel.distinctClause, sel.limitCount, sel.limitOffset], scope);
    return output;
  }

  private with(withClause: WithClause, scope: Scope): void {
    for (const item of withClause.ctes ?? []) {
      if (!('CommonTableExpr' in item)) continue;
      const cte = item.CommonTableExpr;
      if (!cte.ctequery) continue;
      const out = this.query(cte.ctequery, scope);
      scope.ctes.set(cte.ctename ?? '', renamed(out, stringList(cte.aliascolnames)));
    }
  }

  /** Adds FROM items to `scope`; returns the expressions to walk once every relation is known (join conditions, function arguments). */
  private fromItems(items: readonly Node[] | undefined, scope: Scope, outer: Scope | undefined): unknown[] {
    const pending: unknown[] = [];
    const add = (item: Node): void => {
      if ('RangeVar' in item) scope.relations.push(this.table(item.RangeVar, scope));
      else if ('JoinExpr' in item) {
        const j = item.JoinExpr;
        if (j.larg) add(j.larg);
        if (j.rarg) add(j.rarg);
        pending.push(j.quals);
      } else if ('RangeSubselect' in item) {
        const rs = item.RangeSubselect;
        const out = rs.subquery ? this.query(rs.subquery, rs.lateral ? scope : outer) : NO_OUTPUT;
        scope.relations.push({ refName: rs.alias?.aliasname ?? '', sequence: renamed(out, stringList(rs.alias?.colnames)) });
      } else if ('RangeFunction' in item) {
        scope.relations.push({ refName: item.RangeFunction.alias?.aliasname ?? '', sequence: new Map() });
        pending.push(item.RangeFunction.functions);
      } else if ('RangeTableSample' in item && item.RangeTableSample.relation) add(item.RangeTableSample.relation);
    };
    for (const item of items ?? []) add(item);
    return pending;
  }

  /** A table (or CTE) reference: its sequence columns from the manifest and from DDL learned so far. */
  private table(rv: RangeVar, scope: Scope): Relation {
    const name = rv.relname ?? '';
    const schema = rv.schemaname;
    const refName = rv.alias?.aliasname ?? name;
    if (!schema) {
      for (let s: Scope | undefined = scope; s; s = s.parent) {
        const cte = s.ctes.get(name);
        if (cte) return { refName, name, sequence: cte };
      }
    }
    const { statement, analysis, catalogue } = this.context;
    const rel = analysis.rels.find((r) => r.offset === statement.offsetOf(rv.location));
    // Statements the route analysis does not model (CREATE VIEW …) have no Rel: look the table up directly.
    const info = rel ? rel.table : catalogue.lookup(schema, name);
    const display = rel?.display ?? (info ? catalogue.display(info) : schema ? `${schema}.${name}` : name);
    const sequence = new Map<string, Origin>();
    for (const column of info?.sequenceColumns ?? []) sequence.set(column, { column, table: display });
    return { refName, name, ...(schema ? { schema } : {}), sequence };
  }

  /** The select list: output names and the columns behind them. */
  private output(targetList: readonly Node[] | undefined, scope: Scope): Output {
    const targets: Target[] = [];
    const sequence = new Map<string, Origin>();
    for (const node of targetList ?? []) {
      if (!('ResTarget' in node)) continue;
      const rt = node.ResTarget;
      const val = rt.val;
      const fields = val && 'ColumnRef' in val ? (val.ColumnRef.fields ?? []) : [];
      const last = fields[fields.length - 1];
      if (last && 'A_Star' in last) {
        targets.push({ name: undefined, star: true, use: undefined });
        // `*` or `t.*`: every sequence column of the relations it expands.
        const qualifier = stringList(fields.slice(0, -1)).pop();
        for (const r of scope.relations) if (qualifier === undefined || r.refName === qualifier) for (const [k, v] of r.sequence) if (!sequence.has(k)) sequence.set(k, v);
        continue;
      }
      const use = val ? this.resolve(val, scope) : undefined;
      const name = rt.name ?? (last && 'String' in last ? last.String.sval : val && 'FuncCall' in val ? stringList(val.FuncCall.funcname).pop() : undefined);
      targets.push({ name, star: false, use });
      if (name !== undefined && use?.origin && !sequence.has(name)) sequence.set(name, use.origin);
    }
    return { targets, sequence };
  }

  // ---- column resolution --------------------------------------------------------------------

  /** A column reference (through casts) resolved in `scope`; undefined for other expressions. */
  private resolve(node: Node, scope: Scope | undefined): ColumnUse | undefined {
    if ('TypeCast' in node) return node.TypeCast.arg ? this.resolve(node.TypeCast.arg, scope) : undefined;
    if (!('ColumnRef' in node)) return undefined;
    const fields = node.ColumnRef.fields ?? [];
    if (fields.some((f) => !('String' in f))) return undefined;
    const names = stringList(fields);
    const column = names[names.length - 1] as string;
    if (names.length === 1) {
      // Unqualified: only when exactly one relation of this block has it as a sequence column.
      const candidates = scope?.relations.filter((r) => r.sequence.has(column)) ?? [];
      const only = candidates.length === 1 ? candidates[0] : undefined;
      return { relation: only, column, origin: only?.sequence.get(column) };
    }
    const qualifier = names.slice(0, -1);
    for (let s = scope; s; s = s.parent) {
      const relation = s.relations.find((r) =>
        qualifier.length === 1 ? r.refName === qualifier[0] : r.name === qualifier[qualifier.length - 1] && r.refName === r.name && (r.schema === undefined || r.schema === qualifier[qualifier.length - 2]),
      );
      if (relation) return { relation, column, origin: relation.sequence.get(column) };
    }
    return { relation: undefined, column, origin: undefined };
  }

  /** An ORDER BY or DISTINCT ON item: an ordinal, an output-column name, or an expression over the input. */
  private resolveItem(node: Node, scope: Scope, output: Output, outputOnly: boolean): ColumnUse | undefined {
    if ('A_Const' in node && node.A_Const.ival !== undefined) {
      const position = node.A_Const.ival.ival ?? 0;
      const before = output.targets.slice(0, position);
      // After a `*` the position of a column is not known.
      if (position < 1 || before.length < position || before.some((t) => t.star)) return undefined;
      return before[position - 1]?.use;
    }
    if ('ColumnRef' in node) {
      const fields = node.ColumnRef.fields ?? [];
      const only = fields.length === 1 ? fields[0] : undefined;
      // SQL92 rule: a bare name in ORDER BY means the output column of that name first.
      if (only && 'String' in only) {
        const target = output.targets.find((t) => !t.star && t.name === only.String.sval);
        if (target) return target.use;
        if (outputOnly) {
          const origin = output.sequence.get(only.String.sval ?? '');
          return origin ? { relation: undefined, column: origin.column, origin } : undefined;
        }
      }
    }
    return outputOnly ? undefined : this.resolve(node, scope);
  }

  /** `col = <constant or parameter>` conjuncts of a WHERE clause. */
  private pinnedColumns(where: Node | undefined, scope: Scope): ColumnUse[] {
    const out: ColumnUse[] = [];
    for (const c of conjuncts(where)) {
      if (!('A_Expr' in c) || c.A_Expr.kind !== 'AEXPR_OP' || stringList(c.A_Expr.name).join() !== '=') continue;
      const { lexpr, rexpr } = c.A_Expr;
      if (!lexpr || !rexpr) continue;
      for (const [col, value] of [
        [lexpr, rexpr],
        [rexpr, lexpr],
      ] as const) {
        const use = this.resolve(col, scope);
        if (use && isValue(value)) out.push(use);
      }
    }
    return out;
  }

  // ---- ORDER BY -----------------------------------------------------------------------------

  private orderBy(sel: SelectStmt, scope: Scope, output: Output, outputOnly: boolean): void {
    const items = sortItems(sel.sortClause);
    if (items.length === 0) return;
    const distinctOn = (sel.distinctClause ?? []).filter((d) => Object.keys(d).length > 0);
    const resolveItem = (n: Node) => this.resolveItem(n, scope, output, outputOnly);
    const distinctUses = distinctOn.map((d) => ({ node: d, use: resolveItem(d) }));
    const isDistinctKey = (node: Node, use: ColumnUse | undefined) => distinctUses.some((d) => (use && d.use ? sameColumn(use, d.use) : sameNode(node, d.node)));
    // A watermark on a sequence column skips rows whatever its place in ORDER BY (`id > $1 … ORDER BY priority, id`).
    for (const item of outputOnly ? [] : items) {
      const use = item.node ? resolveItem(item.node) : undefined;
      if (use?.origin && this.reportKeyset(sel, scope, item, use)) return;
    }
    const found = this.firstSequenceItem(items, resolveItem, (node, use) => isDistinctKey(node, use) || (!!use && scope.pinned.some((p) => sameColumn(p, use))));
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
  private reportKeyset(sel: SelectStmt, scope: Scope, item: SortBy, use: ColumnUse): boolean {
    const keyset = this.keysetComparison(sel.whereClause, scope, use);
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
  private windowOrder(def: WindowDef, scope: Scope | undefined): void {
    const items = sortItems(def.orderClause);
    if (items.length === 0 || !scope) return;
    const partition = def.partitionClause ?? [];
    const resolveItem = (n: Node) => this.resolve(n, scope);
    const found = this.firstSequenceItem(items, resolveItem, (node, use) =>
      partition.some((p) => {
        const pu = this.resolve(p, scope);
        return use && pu ? sameColumn(use, pu) : sameNode(node, p);
      }) || (!!use && scope.pinned.some((p) => sameColumn(p, use))),
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
  private keysetComparison(where: Node | undefined, scope: Scope, use: ColumnUse): Node | undefined {
    for (const c of conjuncts(where)) {
      if (!('A_Expr' in c) || c.A_Expr.kind !== 'AEXPR_OP' || !INEQUALITIES.has(stringList(c.A_Expr.name).join())) continue;
      const { lexpr, rexpr } = c.A_Expr;
      if (!lexpr || !rexpr) continue;
      for (const [col, value] of [
        [lexpr, rexpr],
        [rexpr, lexpr],
      ] as const) {
        const u = this.resolve(col, scope);
        if (u?.origin && sameColumn(u, use) && !hasColumnRef(value)) return c;
      }
    }
    return undefined;
  }

  // ---- expressions --------------------------------------------------------------------------

  /** Walks an expression for nested queries, `max(<sequence column>)` and window ORDER BYs. */
  private expr(node: unknown, scope: Scope | undefined): void {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) this.expr(n, scope);
      return;
    }
    const obj = node as Record<string, unknown>;
    const keys = Object.keys(obj);
    const tag = keys.length === 1 ? (keys[0] as string) : '';
    if (tag && /^[A-Z]/.test(tag)) {
      const n = obj as Node;
      if (isQuery(n)) {
        this.query(n, scope);
        return;
      }
      if ('FuncCall' in n) {
        const f = n.FuncCall;
        const names = stringList(f.funcname);
        const name = names[names.length - 1];
        const builtin = names.length === 1 || names[0] === 'pg_catalog';
        if (builtin && name === 'max' && this.setvalDepth === 0) this.max(n, scope);
        if (f.over) this.windowOrder(f.over, scope);
        // `setval('s', (SELECT max(id) FROM t))` resynchronises a sequence: not a "latest" query.
        const setval = builtin && name === 'setval';
        if (setval) this.setvalDepth++;
        this.expr([f.args, f.agg_order, f.agg_filter, f.over], scope);
        if (setval) this.setvalDepth--;
        return;
      }
      if ('WindowDef' in n) this.windowOrder(n.WindowDef, scope);
      this.expr(obj[tag], scope);
      return;
    }
    for (const k of keys) this.expr(obj[k], scope);
  }

  private max(node: Extract<Node, { FuncCall: unknown }>, scope: Scope | undefined): void {
    const f = node.FuncCall;
    const arg = f.args?.length === 1 ? f.args[0] : undefined;
    if (!arg || f.agg_star) return;
    const use = this.resolve(arg, scope);
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

function isQuery(node: Node): boolean {
  return 'SelectStmt' in node || 'InsertStmt' in node || 'UpdateStmt' in node || 'DeleteStmt' in node || 'MergeStmt' in node;
}

function sortItems(nodes: readonly Node[] | undefined): SortBy[] {
  return (nodes ?? []).flatMap((n) => ('SortBy' in n ? [n.SortBy] : []));
}

/** The sequence columns of a subquery or CTE under its column aliases (positional, until a `*`). */
function renamed(out: Output, aliases: readonly string[]): ReadonlyMap<string, Origin> {
  if (aliases.length === 0) return out.sequence;
  const map = new Map<string, Origin>();
  for (const [i, t] of out.targets.entries()) {
    if (t.star) break;
    const alias = aliases[i];
    if (alias !== undefined && t.use?.origin) map.set(alias, t.use.origin);
  }
  return map;
}

function sameColumn(a: ColumnUse, b: ColumnUse): boolean {
  return a.column === b.column && (!a.relation || !b.relation || a.relation === b.relation);
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
