import { hasColumn } from './lineage.js';
import type { A_Const, A_Expr, Node } from 'libpg-query';
import { stringList } from './ast.js';
import type { ScopeBuilder } from './build.js';
import { functionVolatility } from './functions.js';
import type { Volatility } from './function-volatility.js';
import { sqlValueFunctionText } from './function-volatility.js';
import type { Block, Col, Fact, Rel, Value } from './model.js';
import { callType, comparison, constType, operatorType, typeNameType } from './value-types.js';
import type { ValueType } from './value-types.js';

/**
 * What one conjunct says about columns, in the terms partition pruning understands
 * (docs/limitless/routing.md#single-shard-optimization, #in-lists-or-and-ranges): equality to a value pins, equality between columns links, IN/ANY/OR give a bounded
 * set, and anything else on a column is recorded as unusable so the reason can say why.
 */
export function factsOf(expr: Node, block: Block, builder: ScopeBuilder): Fact[] {
  return new FactContext(block, builder).facts(expr);
}

/** The value of an expression the router can compute before choosing a shard, if it is one. */
export function valueOf(expr: Node, block: Block, builder: ScopeBuilder): Value | undefined {
  return new FactContext(block, builder).value(expr);
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

class FactContext {
  constructor(
    private readonly block: Block,
    private readonly builder: ScopeBuilder,
  ) {}

  private offset(location: number | undefined): number {
    return this.builder.statement.offsetOf(location);
  }

  facts(expr: Node): Fact[] {
    if ('A_Expr' in expr) return this.aExpr(expr.A_Expr);
    if ('BoolExpr' in expr) {
      const b = expr.BoolExpr;
      if (b.boolop === 'OR_EXPR') return this.or(b.args ?? [], b.location);
      if (b.boolop === 'NOT_EXPR') {
        // Constant folding as PostgreSQL does it: NOT (k <> v) is k = v.
        const inner = b.args?.[0];
        if (b.args?.length === 1 && inner && 'A_Expr' in inner && inner.A_Expr.kind === 'AEXPR_OP' && ['<>', '!='].includes(stringList(inner.A_Expr.name).join('.'))) {
          return this.equality(inner.A_Expr.lexpr, inner.A_Expr.rexpr, this.offset(inner.A_Expr.location), inner.A_Expr.location);
        }
        return this.unusable(b.args ?? [], 'is negated (NOT), which cannot prune hash partitions', b.location);
      }
      return (b.args ?? []).flatMap((a) => this.facts(a));
    }
    if ('NullTest' in expr) return this.unusable([expr.NullTest.arg], 'is tested for NULL, which does not pin a shard', expr.NullTest.location);
    if ('SubLink' in expr) {
      const sl = expr.SubLink;
      if (sl.testexpr) return this.unusable([sl.testexpr], 'is compared with a subquery; the router cannot prune on a value it does not know yet', sl.location);
      return [];
    }
    return [];
  }

  private aExpr(e: A_Expr): Fact[] {
    const op = stringList(e.name).join('.');
    const offset = this.offset(e.location);
    switch (e.kind) {
      case 'AEXPR_OP': {
        if (op === '=') return this.equality(e.lexpr, e.rexpr, offset, e.location);
        if (RANGE_OPS.has(op)) return this.unusable([e.lexpr, e.rexpr], `is compared with ${op}, a range; hash sharding cannot prune ranges`, e.location);
        return this.unusable([e.lexpr, e.rexpr], `is compared with ${op}, which cannot prune hash partitions`, e.location);
      }
      case 'AEXPR_IN': {
        if (op !== '=') return this.unusable([e.lexpr], 'is tested with NOT IN, which cannot prune hash partitions', e.location);
        const col = this.column(e.lexpr);
        const list = e.rexpr && 'List' in e.rexpr ? (e.rexpr.List.items ?? []) : [];
        if (!col) return this.rowIn(e.lexpr, list, offset);
        return this.valueSet(col, list, offset, 'IN');
      }
      case 'AEXPR_OP_ANY': {
        if (op !== '=') return this.unusable([e.lexpr], `is compared with ${op} ANY, which cannot prune hash partitions`, e.location);
        const col = this.column(e.lexpr);
        if (!col) return [];
        const arr = e.rexpr;
        if (arr && 'A_ArrayExpr' in arr) return this.valueSet(col, arr.A_ArrayExpr.elements ?? [], offset, 'ANY');
        const v = arr ? this.value(arr) : undefined;
        const arrayType = v?.type?.endsWith('[]') ? v.type.slice(0, -2) : v?.type;
        const typed = v ? this.typeCheck(col, [{ ...v, type: arrayType }]) : undefined;
        if (typed) return [{ ...typed, offset }];
        if (v && v.volatility !== 'volatile') {
          const literal = arr ? arrayLiteralItems(arr) : undefined;
          if (literal && new Set(literal).size === 1) return [{ kind: 'eqValue', col, value: { key: `c:'${literal[0]}'`, text: `'${literal[0]}'`, volatility: 'immutable', type: 'unknown' }, offset }];
          const count = literal ? new Set(literal).size : undefined;
          return [{ kind: 'multi', col, count, keys: literal?.map((x) => `c:'${x}'`), text: `= ANY(${v.text})`, offset }];
        }
        return [{ kind: 'unusable', col, why: 'is compared with ANY of an expression the router cannot evaluate up front', offset }];
      }
      case 'AEXPR_BETWEEN':
      case 'AEXPR_NOT_BETWEEN':
      case 'AEXPR_BETWEEN_SYM':
      case 'AEXPR_NOT_BETWEEN_SYM':
        return this.unusable([e.lexpr], 'is compared with BETWEEN, a range; hash sharding cannot prune ranges', e.location);
      case 'AEXPR_LIKE':
      case 'AEXPR_ILIKE':
      case 'AEXPR_SIMILAR':
        return this.unusable([e.lexpr], `is matched with ${e.kind.slice(6)}, which cannot prune hash partitions`, e.location);
      case 'AEXPR_DISTINCT':
      case 'AEXPR_NOT_DISTINCT':
        return this.unusable([e.lexpr, e.rexpr], `is compared with IS ${e.kind === 'AEXPR_DISTINCT' ? '' : 'NOT '}DISTINCT FROM, which the analyzer does not treat as a shard-key equality`, e.location);
      default:
        return this.unusable([e.lexpr, e.rexpr], 'is used in a predicate that cannot prune hash partitions', e.location);
    }
  }

  private equality(l: Node | undefined, r: Node | undefined, offset: number, location: number | undefined): Fact[] {
    if (l && r && 'RowExpr' in l && 'RowExpr' in r) {
      const a = l.RowExpr.args ?? [];
      const b = r.RowExpr.args ?? [];
      if (a.length === b.length) return a.flatMap((x, i) => this.equality(x, b[i], offset, location));
    }
    const lc = this.column(l);
    const rc = this.column(r);
    if (lc && rc) return [{ kind: 'eqCol', a: lc, b: rc, offset }];
    const [col, other] = lc ? [lc, r] : rc ? [rc, l] : [undefined, undefined];
    if (!col || !other) {
      // An expression or cast on the column side hides the column from pruning.
      return this.unusable([l, r], 'is wrapped in an expression or cast, which hides it from partition pruning', location);
    }
    if ('SubLink' in other) return [{ kind: 'unusable', col, why: 'is compared with a subquery; the router cannot prune on a value it does not know yet', offset }];
    const value = this.value(other);
    if (!value) return [{ kind: 'unusable', col, why: 'is compared with an expression the analyzer cannot evaluate as a constant', offset }];
    if (value.volatility === 'volatile') return [{ kind: 'unusable', col, why: `is compared with ${value.text}, which is volatile and cannot prune partitions`, offset }];
    const typed = this.typeCheck(col, [value]);
    if (typed) return [{ ...typed, offset }];
    return [{ kind: 'eqValue', col, value, offset }];
  }

  /**
   * An `unusable` fact when comparing the column with these values makes PostgreSQL cast the column
   * (docs/limitless/routing.md): a numeric or float value on an integer key, a function whose result type
   * depends on an overload the analyzer cannot tell, a key whose type the manifest does not give.
   */
  private typeCheck(col: Col, values: readonly Value[]): Fact | undefined {
    const keyType = this.builder.columnType(col.rel, col.column);
    for (const value of values) {
      const type = value.type?.endsWith('[]') && values.length === 1 && value.text.startsWith('= ANY') ? value.type.slice(0, -2) : value.type;
      const verdict = comparison(col.column, keyType, value.text, type);
      if (!verdict.prunes) return { kind: 'unusable', col, why: verdict.why, offset: 0 };
    }
    return undefined;
  }

  /** `col IN (…)` / `col = ANY(ARRAY[…])`: one value pins, several give a bounded set. */
  private valueSet(col: Col, allItems: readonly Node[], offset: number, form: 'IN' | 'ANY'): Fact[] {
    // A NULL in the list never equals anything: PostgreSQL prunes on the other values (`k IN (7, NULL)`).
    const items = allItems.filter((i) => !('A_Const' in i && i.A_Const.isnull));
    if (items.length === 0) return [{ kind: 'unusable', col, why: `is compared with ${form} a list of NULLs, which matches no row`, offset }];
    const values = items.map((i) => this.value(i));
    if (values.some((v) => !v || v.volatility === 'volatile')) {
      return [{ kind: 'unusable', col, why: `is compared with ${form} a list the analyzer cannot evaluate`, offset }];
    }
    const typed = this.typeCheck(col, values as Value[]);
    if (typed) return [{ ...typed, offset }];
    const keys = [...new Set(values.map((v) => (v as Value).key))];
    if (keys.length === 1) return [{ kind: 'eqValue', col, value: values[0] as Value, offset }];
    const text = form === 'IN' ? `IN (${values.map((v) => v?.text).join(', ')})` : `= ANY(ARRAY[${values.map((v) => v?.text).join(', ')}])`;
    return [{ kind: 'multi', col, count: keys.length, keys, text: shorten(text), offset }];
  }

  /** `(a, b) IN ((1, 2), (3, 4))`: a bounded set for each column. */
  private rowIn(lexpr: Node | undefined, items: readonly Node[], offset: number): Fact[] {
    if (!lexpr || !('RowExpr' in lexpr)) return [];
    const cols = (lexpr.RowExpr.args ?? []).map((a) => this.column(a));
    const facts: Fact[] = [];
    const bound = { id: offset, count: items.length };
    cols.forEach((col, i) => {
      if (!col) return;
      const column = items.map((row) => ('RowExpr' in row ? row.RowExpr.args?.[i] : undefined)).filter((n): n is Node => !!n);
      if (column.length !== items.length) return;
      for (const f of this.valueSet(col, column, offset, 'IN')) facts.push(f.kind === 'multi' ? { ...f, bound } : f);
    });
    return facts;
  }

  /**
   * An OR pins a column to a bounded set when every branch pins that same column (`k = 1 OR k = 2`);
   * anything else in an OR says nothing usable about any column.
   */
  private or(args: readonly Node[], location: number | undefined): Fact[] {
    const offset = this.offset(location);
    const branches = args.map((a) => this.facts(a));
    const first = branches[0] ?? [];
    const out: Fact[] = [];
    for (const f of first) {
      if (f.kind !== 'eqValue' && f.kind !== 'multi') continue;
      const keys = new Set<string>();
      let count: number | undefined = 0;
      let complete = true;
      for (const branch of branches) {
        const match = branch.find(
          (g): g is Extract<Fact, { kind: 'eqValue' | 'multi' }> => (g.kind === 'eqValue' || g.kind === 'multi') && g.col.rel === f.col.rel && g.col.column === f.col.column,
        );
        if (!match) {
          complete = false;
          break;
        }
        if (match.kind === 'eqValue') keys.add(match.value.key);
        else if (match.keys && count !== undefined) match.keys.forEach((k) => keys.add(k));
        else count = undefined;
      }
      if (!complete) continue;
      if (count !== undefined) count = keys.size;
      if (count === 1 && f.kind === 'eqValue') out.push(f);
      else out.push({ kind: 'multi', col: f.col, count, keys: count === undefined ? undefined : [...keys], text: `an OR of ${branches.length} equalities`, offset, bound: { id: offset, count: branches.length } });
    }
    if (out.length > 0) return out;
    return this.unusable(args, 'appears in an OR whose branches do not all pin it', location);
  }

  /** Records every shard-key column mentioned in `nodes` as unusable (for the reasons). */
  private unusable(nodes: readonly (Node | undefined)[], why: string, location: number | undefined): Fact[] {
    const offset = this.offset(location);
    const out: Fact[] = [];
    const visit = (n: unknown): void => {
      if (n === null || typeof n !== 'object') return;
      if (Array.isArray(n)) return n.forEach(visit);
      const node = n as Node;
      if ('SubLink' in node) return visit(node.SubLink.testexpr);
      if ('ColumnRef' in node) {
        const col = this.column(node);
        if (col && col.rel.table?.shardKey.includes(col.column)) out.push({ kind: 'unusable', col, why, offset });
        return;
      }
      for (const k in node) visit((node as Record<string, unknown>)[k]);
    };
    nodes.forEach(visit);
    return out;
  }

  /** Resolves a column reference to its relation, or undefined when that cannot be done without guessing. */
  column(node: Node | undefined): Col | undefined {
    if (!node || !('ColumnRef' in node)) return undefined;
    const fields = node.ColumnRef.fields ?? [];
    if (fields.some((f) => !('String' in f))) return undefined;
    const names = stringList(fields);
    return resolveColumn(names, this.block);
  }

  /**
   * A value the router can compute before choosing a shard: constants, bind parameters, casts,
   * and calls or operators over those. Volatility is the least safe of the functions involved.
   */
  value(node: Node): Value | undefined {
    if ('A_Const' in node) {
      const c = node.A_Const;
      if (c.isnull) return undefined;
      const text = constText(c);
      return { key: `c:${text}`, text, volatility: 'immutable', type: constType(c) };
    }
    if ('ParamRef' in node) {
      const text = `$${node.ParamRef.number ?? 0}`;
      return { key: `p:${text}`, text, volatility: 'immutable', type: 'unknown' };
    }
    if ('TypeCast' in node) {
      const inner = node.TypeCast.arg ? this.value(node.TypeCast.arg) : undefined;
      if (!inner) return undefined;
      const typeName = node.TypeCast.typeName;
      const type = stringList(typeName?.names).filter((n) => n !== 'pg_catalog').join('.');
      const text = `${inner.text}::${type}${typeName?.typmods ? '(…)' : ''}${typeName?.arrayBounds ? '[]' : ''}`;
      // A cast that may change the value (varchar(1), char, bit, date …) makes it another value:
      // `$1::varchar(1)` and `$1` may land on different shards.
      const preserving = VALUE_PRESERVING_TYPES.has(type) && !typeName?.typmods && !typeName?.arrayBounds;
      return { ...inner, text, type: typeNameType(typeName), key: preserving ? inner.key : `${inner.key}::${type}${JSON.stringify(typeName?.typmods ?? '')}${typeName?.arrayBounds ? '[]' : ''}` };
    }
    if ('SQLValueFunction' in node) {
      const op = node.SQLValueFunction.op;
      return { key: `f:${op}`, text: sqlValueFunctionText(op), volatility: 'stable', type: sqlValueFunctionType(op) };
    }
    if ('FuncCall' in node) {
      const f = node.FuncCall;
      const name = stringList(f.funcname).join('.');
      const args = (f.args ?? []).map((a) => this.value(a));
      if (args.some((a) => !a)) return undefined;
      const nameParts = stringList(f.funcname);
      const own = functionVolatility(nameParts, this.builder.manifest, f.args);
      const builtin = own.volatility !== 'distributed' && (nameParts.length === 1 || nameParts[0] === 'pg_catalog');
      const call = builtin ? callType(nameParts[nameParts.length - 1] ?? '', args.map((a) => (a as Value).type)) : { type: undefined };
      // The overload the argument types select decides when the name's overloads disagree.
      const ownVolatility = own.volatility === 'mixed' && call.volatility ? call.volatility : ownToVolatility(own);
      const volatility = worst([ownVolatility, ...args.map((a) => (a as Value).volatility)]);
      const text = `${name}(${args.map((a) => a?.text).join(', ')})`;
      return { key: `e:${text}`, text, volatility, type: call.type };
    }
    if ('CoalesceExpr' in node) {
      // coalesce of values the router knows is a value: PostgreSQL folds it before pruning.
      const args = (node.CoalesceExpr.args ?? []).map((a) => (isNullConst(a) ? undefined : this.value(a)));
      const known = args.filter((a): a is Value => !!a);
      if (known.length !== args.filter((_, i) => !isNullConst((node.CoalesceExpr.args ?? [])[i] as Node)).length || known.length === 0) return undefined;
      const text = `coalesce(${known.map((a) => a.text).join(', ')})`;
      const types = known.map((a) => a.type);
      const typed = types.filter((t) => t !== 'unknown');
      const type = types.some((t) => t === undefined) ? undefined : typed.length === 0 ? 'text' : typed.reduce((a, b) => operatorType('+', a, b) ?? (a === b ? a : undefined));
      return { key: `e:${text}`, text, volatility: worst(known.map((a) => a.volatility)), type };
    }
    if ('A_Expr' in node && node.A_Expr.kind === 'AEXPR_OP') {
      const e = node.A_Expr;
      const l = e.lexpr ? this.value(e.lexpr) : undefined;
      const r = e.rexpr ? this.value(e.rexpr) : undefined;
      if ((e.lexpr && !l) || (e.rexpr && !r) || (!l && !r)) return undefined;
      const op = stringList(e.name).join('.');
      const text = [l?.text, op, r?.text].filter(Boolean).join(' ');
      const type = l && r ? operatorType(op, l.type, r.type) : op === '-' && r && r.type !== 'unknown' ? r.type : undefined;
      return { key: `e:${text}`, text, volatility: worst([l?.volatility ?? 'immutable', r?.volatility ?? 'immutable']), type };
    }
    return undefined;
  }
}

/**
 * Resolves `[column]`, `[rel, column]` or `[schema, rel, column]` in a block or, for correlated
 * references, its ancestors. An unqualified column is resolved only when no relation that might
 * also have it is in scope: tables may have columns the manifest does not list.
 */
export function resolveColumn(names: readonly string[], block: Block): Col | undefined {
  const column = names[names.length - 1];
  if (column === undefined) return undefined;
  if (names.length === 2 || names.length === 3) {
    const relName = names[names.length - 2];
    const schema = names.length === 3 ? names[0] : undefined;
    for (let b: Block | undefined = block; b; b = b.parent) {
      // `schema.table.column` also names a table written without its schema (and without an alias).
      const rel = b.rels.find((r) => r.refName === relName && (schema === undefined || r.schemaName === schema || (r.schemaName === undefined && r.table?.schema === schema && r.table.name === relName)));
      if (rel) return { rel, column };
    }
    return undefined;
  }
  if (names.length !== 1) return undefined;
  for (let b: Block | undefined = block; b; b = b.parent) {
    const merged = b.merged.get(column);
    if (merged) return { rel: merged, column };
    const sure = b.rels.filter((r) => hasColumn(r, column));
    if (sure.length === 1) return { rel: sure[0] as Rel, column };
    if (sure.length > 1) return undefined;
    const maybe = b.rels.filter((r) => !r.columns);
    // One relation that may have it, and nothing else here: PostgreSQL looks here before looking outward,
    // but an unlisted column could as well belong to an outer query, so only a single-relation
    // top-level block resolves without guessing.
    if (maybe.length > 0) return maybe.length === 1 && b.rels.length === 1 && !b.parent ? { rel: maybe[0] as Rel, column } : undefined;
  }
  return undefined;
}


/** Casts that never change a value they accept (they may fail instead): the value keeps its identity. */
const VALUE_PRESERVING_TYPES = new Set(['int2', 'int4', 'int8', 'smallint', 'integer', 'int', 'bigint', 'text', 'varchar', 'uuid', 'bool', 'boolean']);

function isNullConst(node: Node): boolean {
  return 'A_Const' in node && !!node.A_Const.isnull;
}

function sqlValueFunctionType(op: string | undefined): ValueType {
  const text = sqlValueFunctionText(op);
  if (text === 'CURRENT_DATE') return 'date';
  if (text === 'CURRENT_TIMESTAMP') return 'timestamp with time zone';
  if (text === 'LOCALTIMESTAMP') return 'timestamp without time zone';
  if (text === 'CURRENT_TIME') return 'time with time zone';
  if (text === 'LOCALTIME') return 'time without time zone';
  return 'name';
}

const ORDER: Record<Volatility, number> = { immutable: 0, stable: 1, volatile: 2 };

function worst(values: readonly Volatility[]): Volatility {
  return values.reduce<Volatility>((a, b) => (ORDER[b] > ORDER[a] ? b : a), 'immutable');
}

function ownToVolatility(v: ReturnType<typeof functionVolatility>): Volatility {
  switch (v.volatility) {
    case 'immutable':
    case 'distributed':
      return 'immutable';
    case 'stable':
      return 'stable';
    default:
      return 'volatile';
  }
}

function constText(c: A_Const): string {
  if (c.ival) return String(c.ival.ival ?? 0);
  if (c.fval) return c.fval.fval ?? '0';
  if (c.sval) return `'${(c.sval.sval ?? '').replace(/'/g, "''")}'`;
  if (c.boolval) return c.boolval.boolval ? 'true' : 'false';
  if (c.bsval) return c.bsval.bsval ?? '';
  return 'constant';
}


/** The elements of an array literal such as `'{1, 2, 3}'` (optionally cast), when it is a flat one. */
function arrayLiteralItems(node: Node): string[] | undefined {
  const inner = 'TypeCast' in node ? node.TypeCast.arg : node;
  const text = inner && 'A_Const' in inner ? inner.A_Const.sval?.sval : undefined;
  const m = text === undefined ? null : /^\s*\{([^{}"\\]*)\}\s*$/.exec(text);
  if (!m) return undefined;
  const items = (m[1] as string).split(',').map((x) => x.trim()).filter((x) => x !== '');
  return items.length > 0 ? items : undefined;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
