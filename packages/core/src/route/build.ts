import { TableCatalogue } from '../catalogue/catalogue.js';
import type { Node, RangeVar, ResTarget, SelectStmt, WithClause } from 'libpg-query';
import type { Manifest } from '../manifest/types.js';
import type { Statement } from '../sql/statements.js';
import { conjuncts, stringList, tagOf, walk } from './ast.js';
import { builtinVolatility } from './function-volatility.js';
import { factsOf, resolveColumn } from './facts.js';
import { colsOf } from './pinning.js';
import type { Block, Col, CteDef, InsertSite, OutputColumn, Rel, RelMode, RelSource, ScopedFact, StatementModel } from './model.js';
import type { Output } from './derived.js';
import { leafOf, propagate } from './derived.js';

/** Something about the statement's shape that sends it through the router, with why. */
export interface Shape {
  readonly kind: 'router' | 'unknown';
  readonly reason: string;
  readonly offset: number;
  /** Which join shape forced the router, for the rules that report on it. */
  readonly cause?: 'outer-join' | 'anti-join' | 'is-null-anti-join';
}

/**
 * Builds the relation/scope model of one statement: every relation occurrence in every query
 * block (subqueries, CTEs, set-operation branches, sublinks), every column predicate as a fact
 * scoped to the relations whose rows it restricts, and the shapes that force the router.
 */
export class ScopeBuilder implements StatementModel {
  readonly blocks: Block[] = [];
  readonly rels: Rel[] = [];
  readonly shapes: Shape[] = [];
  /** Outer joins seen (relation ids of each side), for the anti-join shape `LEFT JOIN … WHERE x IS NULL`. */
  private readonly outerJoins: { padded: Set<number>; preserved: Set<number> }[] = [];
  private pendingOuterJoins: { block: Block; shardedPadded: number[]; location: number | undefined; reason: string }[] = [];
  private nextRel = 0;
  /** What each SELECT block's output columns are made of (derived.ts). */
  private readonly outputs = new Map<Block, Output>();
  /** Derived tables and CTE references whose filters and pins cross into their subquery. */
  private readonly relOutputs = new Map<Rel, { readonly output: Output; readonly cte?: CteDef }>();
  private readonly cteOutputs = new Map<CteDef, Output>();
  /** `x IN (SELECT …)` conjuncts of a WHERE, which PostgreSQL turns into semi-joins. */
  private readonly semiJoinLinks = new Set<object>();
  /** The block of each semi-join subquery and the block it filters. */
  private readonly semiJoins = new Map<Block, Block>();
  /** The SELECT block of each INSERT … SELECT, by target. */
  readonly insertSources = new Map<Rel, Block>();
  /** Blocks and relations by node, made when a rule first asks (the route itself never does). */
  // Each index remembers how many blocks / relations it was built from: blocks without a node
  // (COPY, TRUNCATE, LOCK) must not make it look stale, and relations added later must not be missed.
  private blockByNode: NodeIndex<Block> | undefined;
  private relByNode: NodeIndex<Rel> | undefined;
  blockOf(node: object): Block | undefined {
    return (this.blockByNode = indexByNode(this.blocks, this.blockByNode)).map.get(node);
  }

  relOf(node: RangeVar): Rel | undefined {
    return (this.relByNode = indexByNode(this.rels, this.relByNode)).map.get(node);
  }

  /** Column equalities of FULL JOIN conditions. */
  private readonly fullJoinPairs: { readonly block: Block; readonly a: Col; readonly b: Col }[] = [];

  constructor(
    readonly statement: Statement,
    readonly manifest: Manifest | undefined,
    /** The tables: manifest ⊕ replayed DDL (catalogue/catalogue.ts). */
    readonly catalogue: TableCatalogue = new TableCatalogue(manifest),
  ) {}

  /** A column's type: the manifest's `columns:` first, then the replayed DDL's. */
  columnType(rel: Rel, column: string): string | undefined {
    return rel.table ? this.catalogue.columnType(rel.table, column) : undefined;
  }

  newBlock(parent: Block | undefined, label: string): Block {
    const block: Block = { id: this.blocks.length, parent, label, rels: [], facts: [], merged: new Map(), ctes: new Map(), output: undefined, node: undefined };
    this.blocks.push(block);
    return block;
  }

  shape(kind: Shape['kind'], reason: string, location: number | undefined, cause?: Shape['cause']): void {
    this.shapes.push({ kind, reason, offset: this.statement.offsetOf(location), ...(cause && { cause }) });
  }

  /** Analyses a SELECT (any form: plain, set operation, VALUES) as a new block; returns its output columns. */
  select(sel: SelectStmt, parent: Block | undefined, label: string): ReadonlySet<string> | undefined {
    const block = this.newBlock(parent, label);
    block.node = sel;
    if (sel.withClause) this.with(sel.withClause, block);
    if (sel.op && sel.op !== 'SETOP_NONE') {
      const leftBlock = this.blocks.length;
      const left = sel.larg ? this.select(sel.larg, block, `${label} (set operation branch)`) : undefined;
      const rightBlock = this.blocks.length;
      if (sel.rarg) this.select(sel.rarg, block, `${label} (set operation branch)`);
      const branchBlocks = [this.blocks[leftBlock], this.blocks[rightBlock]].filter((b): b is Block => !!b && !!b.output);
      if (branchBlocks.length === 2) block.output = { kind: 'setop', branches: branchBlocks };
      for (const n of sel.sortClause ?? []) this.scan(n, block);
      // PostgreSQL pushes a filter on a UNION's output into every branch.
      const branches = [this.blocks[leftBlock], this.blocks[rightBlock]].map((b) => (b ? this.outputs.get(b) : undefined));
      if (sel.op === 'SETOP_UNION' && !sel.limitCount && !sel.limitOffset && branches.every((o) => o)) this.outputs.set(block, { leaves: branches.flatMap((o) => o?.leaves ?? []) });
      return left;
    }
    for (const row of sel.valuesLists ?? []) this.scan(row, block);
    for (const item of sel.fromClause ?? []) this.fromItem(item, block);
    this.where(sel.whereClause, block);
    for (const n of [sel.targetList, sel.groupClause, sel.sortClause, sel.distinctClause, sel.windowClause]) this.scan(n, block);
    for (const n of [sel.havingClause, sel.limitCount, sel.limitOffset]) this.scan(n, block);
    if (sel.valuesLists) return undefined;
    block.output = { kind: 'select', columns: (sel.targetList ?? []).flatMap((t) => ('ResTarget' in t ? [outputColumn(t.ResTarget, block)] : [])) };
    const leaf = leafOf(sel, block);
    if (leaf) this.outputs.set(block, { leaves: [leaf] });
    return outputColumns(sel.targetList);
  }

  /** What a SELECT block's output columns are made of, when they are plain columns. */
  outputOf(block: Block): Output | undefined {
    return this.outputs.get(block);
  }

  /** `x IN (SELECT y …)`: the semi-join's condition x = y, as a fact of the subquery's block. */
  private semiJoin(sl: NonNullable<Extract<Node, { SubLink: unknown }>['SubLink']>, inner: Block, outer: Block): void {
    this.semiJoins.set(inner, outer);
    const test = sl.testexpr;
    const outerCol = test && 'ColumnRef' in test ? resolveColumn(stringList(test.ColumnRef.fields), outer) : undefined;
    const leaf = this.outputs.get(inner)?.leaves;
    const innerCol = leaf?.length === 1 && leaf[0]?.cols.length === 1 ? leaf[0].cols[0] : undefined;
    if (outerCol && innerCol) inner.facts.push({ fact: { kind: 'eqCol', a: innerCol, b: outerCol, offset: this.statement.offsetOf(sl.location) }, appliesTo: 'all' });
  }

  /**
   * A semi-join carries the filtered block's pins into the subquery when planning (PostgreSQL derives
   * `b.k = $1` from `a.k = $1` and `b.k = a.k`), not only when executing.
   */
  private carrySemiJoinPins(): void {
    for (const [inner, outer] of this.semiJoins) {
      for (const { fact, appliesTo } of [...inner.facts]) {
        if (fact.kind !== 'eqCol' || appliesTo !== 'all') continue;
        for (const [mine, theirs] of [[fact.a, fact.b], [fact.b, fact.a]] as const) {
          if (mine.rel.block !== inner || theirs.rel.block !== outer) continue;
          const pin = outer.facts.find((sf) => sf.appliesTo === 'all' && sf.fact.kind === 'eqValue' && sf.fact.col.rel === theirs.rel && sf.fact.col.column === theirs.column)?.fact;
          if (pin?.kind === 'eqValue') inner.facts.push({ fact: { ...pin, col: mine }, appliesTo: 'all' });
        }
      }
    }
  }

  /**
   * Once every relation is known: moves pins out of subqueries onto their output columns (innermost
   * first), then filters into subqueries (outermost first), as PostgreSQL's planner does (derived.ts).
   * A CTE crosses only when PostgreSQL inlines it: not MATERIALIZED, not recursive, referenced once.
   */
  finish(): void {
    this.carrySemiJoinPins();
    this.carryFullJoinPins();
    // A CTE referenced twice is one block here (PostgreSQL inlines a copy per reference when NOT
    // MATERIALIZED): a filter from one reference must not pin the other's scan, so only once-referenced CTEs cross.
    const crossing = [...this.relOutputs].filter(([, o]) => !o.cte || [...this.relOutputs.values()].filter((x) => x.cte === o.cte).length === 1);
    const push = (col: Col, fact: Parameters<Parameters<typeof propagate>[3]['push']>[1]) => {
      if (!col.rel.block.facts.some((sf) => sf.fact === fact)) col.rel.block.facts.push({ fact, appliesTo: 'all' });
    };
    for (const [rel, o] of [...crossing].sort((a, b) => b[0].block.id - a[0].block.id)) propagate(rel.block, rel, o.output, { pull: true, push: () => undefined });
    for (const [rel, o] of [...crossing].sort((a, b) => a[0].block.id - b[0].block.id)) propagate(rel.block, rel, o.output, { pull: false, push });
  }

  /** CTE definitions: visible in the block and below; each body is its own block. */
  with(withClause: WithClause, block: Block): void {
    const defs = (withClause.ctes ?? []).flatMap((n) => ('CommonTableExpr' in n ? [n.CommonTableExpr] : []));
    const declare = (cte: (typeof defs)[number], source: RelSource, columns?: ReadonlySet<string>, modes?: ReadonlySet<RelMode>) => {
      const name = cte.ctename ?? '';
      const cols = source.aliases.length > 0 ? new Set(source.aliases) : columns;
      block.ctes.set(name, { name, source, ...(cols ? { columns: cols } : {}), ...(modes ? { modes } : {}) });
    };
    // WITH RECURSIVE: every CTE sees every name (itself included); its body's block is known once
    // built. A plain WITH: a CTE sees only the CTEs before it — inside its own body its name is still
    // the real table, which may be sharded.
    const sources = defs.map((cte): RelSource => ({ block: undefined, aliases: stringList(cte.aliascolnames) }));
    if (withClause.recursive) for (const [i, cte] of defs.entries()) declare(cte, sources[i] as RelSource);
    for (const [i, cte] of defs.entries()) {
      const before = this.rels.length;
      const firstBlock = this.blocks.length;
      const columns = cte.ctequery ? this.query(cte.ctequery, block, `CTE ${cte.ctename}`) : undefined;
      const inner = this.blocks[firstBlock];
      const source = sources[i] as RelSource;
      if (inner?.output) source.block = inner;
      declare(cte, source, columns, modesOf(this.rels.slice(before)));
      const output = inner && cte.ctequery && 'SelectStmt' in cte.ctequery ? this.outputs.get(inner) : undefined;
      const def = block.ctes.get(cte.ctename ?? '');
      if (output && def && !withClause.recursive && cte.ctematerialized !== 'CTEMaterializeAlways' && source.aliases.length === 0) {
        this.cteOutputs.set(def, output);
      }
    }
  }

  /** A nested query of any kind (SELECT or a data-modifying statement in a CTE). */
  query(node: Node, parent: Block | undefined, label: string): ReadonlySet<string> | undefined {
    if ('SelectStmt' in node) return this.select(node.SelectStmt, parent, label);
    if ('InsertStmt' in node) return this.insert(node.InsertStmt, parent), undefined;
    if ('UpdateStmt' in node) return this.update(node.UpdateStmt, parent), undefined;
    if ('DeleteStmt' in node) return this.delete(node.DeleteStmt, parent), undefined;
    if ('MergeStmt' in node) return this.merge(node.MergeStmt, parent), undefined;
    this.shape('unknown', `a nested ${tagOf(node)} is not analysed`, undefined);
    return undefined;
  }

  /** WHERE: every conjunct restricts every relation of the block. */
  where(expr: Node | undefined, block: Block): void {
    if (expr) {
      for (const c of conjuncts(expr)) {
        const sl = 'SubLink' in c ? c.SubLink : undefined;
        // Only `IN (SELECT …)`: a correlated EXISTS stays a pin known when executing (no-fast-path-breaker).
        if (sl && sl.subLinkType === 'ANY_SUBLINK' && ['', '='].includes(stringList(sl.operName).join(''))) this.semiJoinLinks.add(sl);
      }
      this.scan(expr, block);
      this.addFacts(expr, block, 'all');
      this.isNullAntiJoin(expr, block);
    }
    this.finishOuterJoins(block);
  }

  /**
   * `a LEFT JOIN b … WHERE b.x IS NULL` is planned as an anti-join (docs/limitless/routing.md#joins): not pushed down
   * when one side is sharded and the other a reference table.
   */
  private isNullAntiJoin(expr: Node, block: Block): void {
    for (const c of conjuncts(expr)) {
      if (!('NullTest' in c) || c.NullTest.nulltesttype !== 'IS_NULL') continue;
      const arg = c.NullTest.arg;
      const col = arg && 'ColumnRef' in arg ? resolveColumn(stringList(arg.ColumnRef.fields), block) : undefined;
      if (!col) continue;
      const join = this.outerJoins.find((j) => j.padded.has(col.rel.id) && !j.preserved.has(col.rel.id));
      if (!join) continue;
      const p = this.modes(join.padded);
      const q = this.modes(join.preserved);
      if ((p.has('reference') && q.has('sharded')) || (p.has('sharded') && q.has('reference'))) {
        this.shape('router', 'an outer join filtered with IS NULL is an anti-join between a sharded and a reference table, which Limitless does not push down to the shards', c.NullTest.location, 'is-null-anti-join');
      }
    }
  }

  addFacts(expr: Node, block: Block, applies: ScopedFact['appliesTo']): void {
    for (const c of conjuncts(expr)) {
      for (const fact of factsOf(c, block, this)) block.facts.push({ fact, appliesTo: applies });
    }
  }

  /** Adds a FROM item to the block; returns the ids of the relations it contains. */
  fromItem(node: Node, block: Block): Set<number> {
    if ('RangeVar' in node) {
      const rv = node.RangeVar;
      return new Set([this.rangeVar(rv.schemaname, rv.relname ?? '', rv.alias?.aliasname, rv.location, block, 'read', rv).id]);
    }
    if ('RangeSubselect' in node) {
      const rs = node.RangeSubselect;
      const alias = rs.alias?.aliasname ?? 'subquery';
      const before = this.rels.length;
      const firstBlock = this.blocks.length;
      let columns = rs.subquery ? this.query(rs.subquery, block, `subquery ${alias}`) : undefined;
      const innerModes = modesOf(this.rels.slice(before));
      const aliasCols = stringList(rs.alias?.colnames);
      if (aliasCols.length > 0) columns = new Set(aliasCols);
      const inner = this.blocks[firstBlock];
      const source = inner?.output ? { block: inner, aliases: aliasCols } : undefined;
      const rel = this.addRel(block, { kind: 'derived', refName: alias, display: alias, mode: 'none', innerModes, offset: this.statement.offsetOf(locationOfFirst(rs.subquery)), access: 'read', ...(columns ? { columns } : {}), ...(source ? { source } : {}) });
      const output = this.blocks[firstBlock] ? this.outputs.get(this.blocks[firstBlock] as Block) : undefined;
      if (output && aliasCols.length === 0) this.relOutputs.set(rel, { output });
      return new Set([rel.id]);
    }
    if ('RangeFunction' in node) {
      const rf = node.RangeFunction;
      this.scan(rf.functions, block);
      const alias = rf.alias?.aliasname ?? functionName(rf.functions) ?? 'function';
      const aliasCols = stringList(rf.alias?.colnames);
      return new Set([this.addRel(block, { kind: 'function', refName: alias, display: alias, mode: 'none', offset: this.statement.span.start, access: 'read', ...(aliasCols.length > 0 ? { columns: new Set(aliasCols) } : {}) }).id]);
    }
    if ('JoinExpr' in node) return this.join(node.JoinExpr, block);
    if ('RangeTableSample' in node) {
      const inner = node.RangeTableSample.relation;
      this.scan(node.RangeTableSample.args, block);
      return inner ? this.fromItem(inner, block) : new Set();
    }
    if ('RangeTableFunc' in node || 'JsonTable' in node) {
      this.scan(node, block);
      const alias = 'RangeTableFunc' in node ? node.RangeTableFunc.alias?.aliasname : node.JsonTable.alias?.aliasname;
      return new Set([this.addRel(block, { kind: 'function', refName: alias ?? 'table_function', display: alias ?? 'table function', mode: 'none', offset: this.statement.span.start, access: 'read' }).id]);
    }
    this.shape('unknown', `FROM item ${tagOf(node)} is not analysed`, undefined);
    return new Set();
  }

  private join(j: NonNullable<Extract<Node, { JoinExpr: unknown }>['JoinExpr']>, block: Block): Set<number> {
    const left = j.larg ? this.fromItem(j.larg, block) : new Set<number>();
    const right = j.rarg ? this.fromItem(j.rarg, block) : new Set<number>();
    const all = new Set([...left, ...right]);
    const type = j.jointype ?? 'JOIN_INNER';
    // Which relations an ON condition restricts: both sides of an inner join, only the
    // null-padded side of an outer join, neither side of a full join.
    const restricted: Set<number> =
      type === 'JOIN_LEFT' ? right : type === 'JOIN_RIGHT' ? left : type === 'JOIN_FULL' ? new Set() : all;
    const location = locationOfFirst(j.quals);
    this.outerJoinShape(type, left, right, location, block);
    if (j.quals) {
      this.scan(j.quals, block);
      this.addFacts(j.quals, block, restricted);
    }
    const usingCols = stringList(j.usingClause);
    if (j.isNatural) {
      // NATURAL joins on every common column; the columns we know both sides have are surely among them.
      const l = this.knownColumns(left);
      for (const c of this.knownColumns(right)) if (l.has(c)) usingCols.push(c);
    }
    for (const column of usingCols) {
      const a = this.columnIn(left, column);
      const b = this.columnIn(right, column);
      if (a && b) block.facts.push({ fact: { kind: 'eqCol', a, b, offset: this.statement.span.start }, appliesTo: restricted });
      const merged = a?.rel ?? b?.rel;
      if (merged && !block.merged.has(column)) block.merged.set(column, merged);
    }
    if (type === 'JOIN_FULL') {
      for (const { fact, appliesTo } of block.facts) {
        if (appliesTo === restricted && fact.kind === 'eqCol') this.fullJoinPairs.push({ block, a: fact.a, b: fact.b });
      }
    }
    return all;
  }

  /**
   * `a FULL JOIN b ON a.k = b.k` (or `USING (k)`) with `WHERE a.k = $1`: the strict filter makes
   * PostgreSQL drop the rows b pads, so b's rows have b.k = $1 too (and the other way round).
   */
  private carryFullJoinPins(): void {
    for (const { block, a, b } of this.fullJoinPairs) {
      for (const [from, to] of [[a, b], [b, a]] as const) {
        const pin = block.facts.find((sf) => sf.appliesTo === 'all' && sf.fact.kind === 'eqValue' && sf.fact.col.rel === from.rel && sf.fact.col.column === from.column)?.fact;
        const has = block.facts.some((sf) => sf.appliesTo === 'all' && sf.fact.kind === 'eqValue' && sf.fact.col.rel === to.rel && sf.fact.col.column === to.column);
        if (pin?.kind === 'eqValue' && !has) block.facts.push({ fact: { ...pin, col: to }, appliesTo: 'all' });
      }
    }
  }

  /**
   * docs/limitless/routing.md#joins: reference joins are not pushed down when the sharded side is null-padded. The
   * shape is decided when the block's WHERE is known: a strict WHERE predicate on the padded sharded
   * table makes PostgreSQL plan the join as an inner join.
   */
  private outerJoinShape(type: string, left: Set<number>, right: Set<number>, location: number | undefined, block: Block): void {
    if (type !== 'JOIN_LEFT' && type !== 'JOIN_RIGHT' && type !== 'JOIN_FULL') return;
    const padded = type === 'JOIN_LEFT' ? right : type === 'JOIN_RIGHT' ? left : new Set([...left, ...right]);
    const preserved = type === 'JOIN_LEFT' ? left : type === 'JOIN_RIGHT' ? right : new Set([...left, ...right]);
    this.outerJoins.push({ padded, preserved });
    const l = this.modes(left);
    const r = this.modes(right);
    const againstReference =
      type === 'JOIN_LEFT' ? r.has('sharded') && l.has('reference')
      : type === 'JOIN_RIGHT' ? l.has('sharded') && r.has('reference')
      : (l.has('sharded') && r.has('reference')) || (r.has('sharded') && l.has('reference'));
    if (!againstReference) return;
    const what = type === 'JOIN_FULL' ? 'FULL JOIN' : type === 'JOIN_LEFT' ? 'reference LEFT JOIN sharded' : 'sharded RIGHT JOIN reference';
    const shardedPadded = [...padded].filter((id) => this.modes(new Set([id])).has('sharded'));
    this.pendingOuterJoins.push({ block, shardedPadded, location, reason: `${what}: the sharded side is null-padded against a reference table, which Limitless does not push down to the shards` });
  }

  /** Decides the block's pending outer-join shapes once its WHERE facts are known. */
  private finishOuterJoins(block: Block): void {
    const strict = block.facts.filter((sf) => sf.appliesTo === 'all' && sf.fact.kind !== 'unusable');
    for (const p of this.pendingOuterJoins.filter((q) => q.block === block)) {
      const reduced = strict.some(({ fact }) => colsOf(fact).some((c) => p.shardedPadded.includes(c.rel.id)));
      if (!reduced) this.shape('router', p.reason, p.location, 'outer-join');
    }
    this.pendingOuterJoins = this.pendingOuterJoins.filter((q) => q.block !== block);
  }

  private modes(ids: ReadonlySet<number>): ReadonlySet<RelMode> {
    return modesOf([...ids].flatMap((id) => this.rels[id] ?? []));
  }

  private knownColumns(ids: Set<number>): Set<string> {
    const out = new Set<string>();
    for (const id of ids) {
      const rel = this.rels[id];
      if (!rel) continue;
      for (const c of rel.columns ?? []) out.add(c);
      for (const c of rel.table?.shardKey ?? []) out.add(c);
    }
    return out;
  }

  private columnIn(ids: Set<number>, column: string): Col | undefined {
    for (const id of ids) {
      const rel = this.rels[id];
      if (!rel) continue;
      if (rel.columns?.has(column) || rel.table?.shardKey.includes(column) || rel.table?.sequenceColumns.includes(column)) return { rel, column };
    }
    // A relation whose columns are not all known may still hold it; with one candidate it must.
    const open = [...ids].map((id) => this.rels[id]).filter((r): r is Rel => !!r && !r.columns);
    return open.length === 1 ? { rel: open[0] as Rel, column } : undefined;
  }

  /** A table name in FROM or a DML target: a CTE reference or a table resolved against the manifest. */
  rangeVar(schema: string | undefined, name: string, alias: string | undefined, location: number | undefined, block: Block, access: Rel['access'], node?: RangeVar): Rel {
    const offset = this.statement.offsetOf(location);
    if (!schema) {
      for (let b: Block | undefined = block; b; b = b.parent) {
        const cte = b.ctes.get(name);
        if (cte) {
          const rel = this.addRel(block, { kind: 'cte', refName: alias ?? name, display: name, mode: 'none', innerModes: cte.modes ?? new Set(), offset, access, ...(cte.columns ? { columns: cte.columns } : {}), ...(cte.source ? { source: cte.source } : {}), ...(node ? { node } : {}) });
          const output = this.cteOutputs.get(cte);
          if (output) this.relOutputs.set(rel, { output, cte });
          return rel;
        }
      }
    }
    const table = this.catalogue.lookup(schema, name);
    let mode: RelMode = table === undefined || table.placementUnknown ? 'unknown' : table.mode;
    if (!table && isCatalog(schema, name)) mode = 'catalog';
    const display = table ? this.catalogue.display(table) : schema ? `${schema}.${name}` : name;
    return this.addRel(block, {
      kind: 'table',
      refName: alias ?? name,
      ...(schema && !alias ? { schemaName: schema } : {}),
      display,
      ...(table ? { table } : {}),
      mode,
      offset,
      access,
      ...(node ? { node } : {}),
    });
  }

  addRel(block: Block, rel: Omit<Rel, 'id' | 'block'>): Rel {
    // Every field, always in this order: one object shape for all relations keeps the code that
    // reads them monomorphic (a spread of the optional fields made a shape per combination).
    const full: Rel = {
      id: this.nextRel++,
      block,
      kind: rel.kind,
      refName: rel.refName,
      schemaName: rel.schemaName,
      display: rel.display,
      table: rel.table,
      mode: rel.mode,
      offset: rel.offset,
      access: rel.access,
      columns: rel.columns,
      innerModes: rel.innerModes,
      source: rel.source,
      node: rel.node,
    };
    this.rels.push(full);
    block.rels.push(full);
    return full;
  }

  /**
   * Walks an expression for nested queries (sublinks): each becomes a block whose parent is `block`,
   * so correlated columns resolve outward. Also notes anti-joins against reference tables.
   */
  scan(node: unknown, block: Block, negated = false): void {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node) this.scan(n, block, negated);
      return;
    }
    const obj = node as Node;
    if ('SubLink' in obj) {
      const sl = obj.SubLink;
      this.scan(sl.testexpr, block);
      if (sl.subselect) {
        const before = this.rels.length;
        const firstBlock = this.blocks.length;
        this.query(sl.subselect, block, 'subquery');
        const inner = this.blocks[firstBlock];
        if (inner && this.semiJoinLinks.has(sl)) this.semiJoin(sl, inner, block);
        const notIn = sl.subLinkType === 'ALL_SUBLINK' && stringList(sl.operName).join('') === '<>';
        const anti = notIn || (negated && (sl.subLinkType === 'EXISTS_SUBLINK' || sl.subLinkType === 'ANY_SUBLINK'));
        if (anti) this.antiJoinShape(block, this.rels.slice(before), sl.location);
      }
      return;
    }
    if ('BoolExpr' in obj && obj.BoolExpr.boolop === 'NOT_EXPR') {
      this.scan(obj.BoolExpr.args, block, !negated);
      return;
    }
    if ('A_Expr' in obj && obj.A_Expr.kind === 'AEXPR_OP_ALL') {
      // `x <> ALL (SELECT …)` is NOT IN: an anti-join.
      this.scan(obj.A_Expr.lexpr, block);
      this.scan(obj.A_Expr.rexpr, block, true);
      return;
    }
    // Nested statements inside expressions are reached only through SubLink; don't descend into
    // other statement nodes (none occur in expressions).
    for (const key in obj) {
      const body = (obj as Record<string, unknown>)[key];
      if (body && typeof body === 'object') {
        for (const k in body as Record<string, unknown>) {
          const v = (body as Record<string, unknown>)[k];
          if (v && typeof v === 'object') this.scan(v, block, negated && key === 'BoolExpr' ? negated : false);
        }
      }
    }
  }

  /** docs/limitless/routing.md#joins (PAPER): anti-joins between sharded and reference tables are not pushed down. */
  private antiJoinShape(block: Block, inner: readonly Rel[], location: number | undefined): void {
    const outer: Rel[] = [];
    for (let b: Block | undefined = block; b; b = b.parent) outer.push(...b.rels);
    const has = (rels: readonly Rel[], mode: RelMode) => rels.some((r) => r.mode === mode);
    if ((has(inner, 'reference') && has(outer, 'sharded')) || (has(inner, 'sharded') && has(outer, 'reference'))) {
      this.shape('router', 'anti-join (NOT EXISTS / NOT IN) between a sharded and a reference table: Limitless does not push it down to the shards', location, 'anti-join');
    }
  }

  insert(ins: NonNullable<Extract<Node, { InsertStmt: unknown }>['InsertStmt']>, parent: Block | undefined): void {
    const { block, target } = this.writeTarget(ins, parent, 'INSERT');
    this.inserts.push({ target, columns: (ins.cols ?? []).flatMap((c) => ('ResTarget' in c ? [c.ResTarget.name ?? ''] : [])), source: ins.selectStmt, block });
    if (ins.selectStmt) {
      const sel = 'SelectStmt' in ins.selectStmt ? ins.selectStmt.SelectStmt : undefined;
      if (sel && isRowSource(sel)) {
        if (sel.withClause) this.with(sel.withClause, block);
        this.scan(sel.valuesLists ?? sel.targetList, block);
      } else {
        const first = this.blocks.length;
        this.query(ins.selectStmt, block, 'INSERT source');
        const source = this.blocks[first];
        if (source) this.insertSources.set(target, source);
      }
    }
    if (ins.onConflictClause) this.scan(ins.onConflictClause, block);
    this.scan(ins.returningClause, block);
  }

  /** The block of an INSERT, UPDATE, DELETE or MERGE (with its WITH clause) and its target table. */
  private writeTarget(stmt: { readonly withClause?: WithClause; readonly relation?: RangeVar }, parent: Block | undefined, label: string): { block: Block; target: Rel } {
    const block = this.newBlock(parent, label);
    block.node = stmt;
    if (stmt.withClause) this.with(stmt.withClause, block);
    const rv = stmt.relation;
    return { block, target: this.rangeVar(rv?.schemaname, rv?.relname ?? '', rv?.alias?.aliasname, rv?.location, block, 'write', rv) };
  }

  /** INSERT statements seen, for the write analysis. */
  readonly inserts: InsertSite[] = [];

  update(upd: NonNullable<Extract<Node, { UpdateStmt: unknown }>['UpdateStmt']>, parent: Block | undefined): void {
    const { block } = this.writeTarget(upd, parent, 'UPDATE');
    for (const item of upd.fromClause ?? []) this.fromItem(item, block);
    this.scan(upd.targetList, block);
    this.where(upd.whereClause, block);
    this.scan(upd.returningClause, block);
  }

  delete(del: NonNullable<Extract<Node, { DeleteStmt: unknown }>['DeleteStmt']>, parent: Block | undefined): void {
    const { block } = this.writeTarget(del, parent, 'DELETE');
    for (const item of del.usingClause ?? []) this.fromItem(item, block);
    this.where(del.whereClause, block);
    this.scan(del.returningClause, block);
  }

  merge(m: NonNullable<Extract<Node, { MergeStmt: unknown }>['MergeStmt']>, parent: Block | undefined): void {
    const { block, target } = this.writeTarget(m, parent, 'MERGE');
    if (m.sourceRelation) this.fromItem(m.sourceRelation, block);
    // MERGE joins the target to the source with the source preserved: the condition restricts the target only.
    if (m.joinCondition) {
      this.scan(m.joinCondition, block);
      this.addFacts(m.joinCondition, block, new Set([target.id]));
    }
    this.scan(m.mergeWhenClauses, block);
    this.finishOuterJoins(block);
  }
}

/**
 * A source of literal rows for INSERT: `VALUES (…), (…)`, or a `SELECT` of expressions without FROM
 * (`INSERT … SELECT $1, $2`), which is one row.
 */
export function isRowSource(sel: SelectStmt): boolean {
  if (sel.op && sel.op !== 'SETOP_NONE') return false;
  if (sel.valuesLists) return !sel.fromClause;
  if (sel.fromClause || sel.whereClause || sel.groupClause || sel.havingClause || sel.limitCount || !sel.targetList) return false;
  // A set-returning function (generate_series, unnest, or any user function) yields several rows.
  let single = true;
  walk(sel.targetList, (tag, body) => {
    if (tag === 'SubLink') single = false;
    if (tag === 'FuncCall') {
      const names = stringList(body.funcname as Node[] | undefined);
      const builtin = names.length === 1 || names[0] === 'pg_catalog' ? builtinVolatility(names[names.length - 1] ?? '') : undefined;
      if (!builtin || builtin.setReturning) single = false;
    }
    return single;
  });
  return single;
}

/** The rows of a row source: each VALUES list, or the SELECT's target expressions. */
export function rowsOf(sel: SelectStmt): Node[][] {
  if (sel.valuesLists) return sel.valuesLists.map((r) => ('List' in r ? (r.List.items ?? []) : []));
  return [(sel.targetList ?? []).flatMap((t) => ('ResTarget' in t && t.ResTarget.val ? [t.ResTarget.val] : []))];
}

/** Output column names of a target list; undefined when a `*` makes them unknown. */
function outputColumns(targets: readonly Node[] | undefined): ReadonlySet<string> | undefined {
  const out = new Set<string>();
  for (const t of targets ?? []) {
    if (!('ResTarget' in t)) return undefined;
    const name = targetName(t.ResTarget);
    if (name === undefined) return undefined;
    out.add(name);
  }
  return out;
}

/** Blocks or relations by their parse-tree node, and how many items it was built from. */
interface NodeIndex<T> {
  readonly from: number;
  readonly map: Map<object, T>;
}

/** `index` when it still covers every item, else a new one. */
function indexByNode<T extends { readonly node?: object | undefined }>(items: readonly T[], index: NodeIndex<T> | undefined): NodeIndex<T> {
  if (index?.from === items.length) return index;
  const map = new Map<object, T>();
  for (const item of items) if (item.node) map.set(item.node, item);
  return { from: items.length, map };
}

/** One select-list entry as the model records it (lineage.ts). */
function outputColumn(rt: ResTarget, block: Block): OutputColumn {
  let v = rt.val;
  const fields = v && 'ColumnRef' in v ? (v.ColumnRef.fields ?? []) : undefined;
  if (fields && fields.length > 0 && 'A_Star' in (fields[fields.length - 1] as Node)) {
    const qualifier = stringList(fields.slice(0, -1)).pop();
    return { name: undefined, col: undefined, bare: false, star: qualifier === undefined ? block.rels : block.rels.filter((r) => r.refName === qualifier) };
  }
  let bare = true;
  while (v && 'TypeCast' in v) {
    v = v.TypeCast.arg;
    bare = false;
  }
  const names = v && 'ColumnRef' in v && (v.ColumnRef.fields ?? []).every((f) => 'String' in f) ? stringList(v.ColumnRef.fields) : undefined;
  const col = names ? resolveColumn(names, block) : undefined;
  return { name: targetName(rt), col, bare };
}

function targetName(rt: ResTarget): string | undefined {
  if (rt.name) return rt.name;
  const v = rt.val;
  if (!v) return '?column?';
  if ('ColumnRef' in v) {
    const fields = v.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    if (!last || 'A_Star' in last) return undefined;
    return 'String' in last ? (last.String.sval ?? '') : '?column?';
  }
  if ('FuncCall' in v) return stringList(v.FuncCall.funcname).pop() ?? '?column?';
  return '?column?';
}

function functionName(functions: readonly Node[] | undefined): string | undefined {
  // RangeFunction.functions is a list of lists: [FuncCall, column definitions].
  for (const item of functions ?? []) {
    const list = 'List' in item ? item.List.items : undefined;
    const call = list?.[0];
    if (call && 'FuncCall' in call) return stringList(call.FuncCall.funcname).pop();
  }
  return undefined;
}

function locationOfFirst(node: Node | undefined): number | undefined {
  if (!node) return undefined;
  let found: number | undefined;
  const visit = (v: unknown): void => {
    if (found !== undefined || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) return v.forEach(visit);
    const o = v as Record<string, unknown>;
    if (typeof o.location === 'number' && o.location >= 0) {
      found = o.location;
      return;
    }
    for (const k in o) visit(o[k]);
  };
  visit(node);
  return found;
}

function modesOf(rels: readonly Rel[]): ReadonlySet<RelMode> {
  return new Set(rels.flatMap((r) => [r.mode, ...(r.innerModes ?? [])]));
}

const CATALOG_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'rds_aurora']);

/** System catalogs live on the router: `pg_catalog.*`, `information_schema.*`, unqualified `pg_*`. */
function isCatalog(schema: string | undefined, name: string): boolean {
  if (schema) return CATALOG_SCHEMAS.has(schema);
  return name.startsWith('pg_');
}
