import { limitlessDocsUrl } from '../diagnostic.js';
import type { LearnedTable } from '../ddl/replay.js';
import { TableCatalogue } from '../catalogue/catalogue.js';
import { callType, expressionType } from './value-types.js';
import type { Node } from 'libpg-query';
import type { Manifest } from '../manifest/types.js';
import type { Statement } from '../sql/statements.js';
import { stringList, tagOf, walk } from './ast.js';
import type { Shape } from './build.js';
import { ScopeBuilder, isRowSource } from './build.js';
import { SQL_VALUE_FUNCTION_VOLATILITY, sqlValueFunctionText } from './function-volatility.js';
import { functionVolatility } from './functions.js';
import type { FunctionUse, InsertSite, Rel, StatementModel } from './model.js';
import { aliasOf, relLabel } from './model.js';
import type { Pin } from './pinning.js';
import { boundedFanout, collocationGroup, pinOf, shardCount, shardKeyPartner, shareValues } from './pinning.js';
import { insertPin } from './writes.js';
import type { Route, RouteKind, TableAccess } from './types.js';

/** The route of a statement and the facts behind it, for rules to build on. */
export interface RouteAnalysis {
  readonly route: Route;
  /** Every table occurrence (not CTE/derived/function references). */
  readonly rels: readonly Rel[];
  /** Pinning of each sharded occurrence, by relation id. */
  readonly pins: ReadonlyMap<number, Pin>;
  /** Function calls in the statement with their volatility. */
  readonly functions: readonly FunctionUse[];
  readonly shapes: readonly Shape[];
  /** The INSERTs, by the id of their target relation (whose pin describes the inserted rows). */
  readonly inserts: ReadonlyMap<number, InsertSite>;
  /** Relations touched as a whole by intent (TRUNCATE, COPY FROM). */
  readonly wholeTable: ReadonlySet<number>;
  /** The tables the analysis resolved names against (manifest ⊕ replayed DDL). */
  readonly catalogue: TableCatalogue;
  /** The statement's query blocks and relations, linked to its parse tree (route/model.ts). */
  readonly model: StatementModel;
}

/**
 * Bind parameters that take many values in one use of the statement: sqlc's `:copyfrom` and
 * `:batch*` (every parameter, one row per element) and `sqlc.slice` (a list in one parameter).
 */
export interface ParameterVariation {
  /** The parameters that vary: all of them, or these numbers. */
  readonly params: 'all' | ReadonlySet<number>;
  /** Why, for the route's reason. */
  readonly why: string;
}

/**
 * Classifies how Aurora Limitless routes one parsed statement (docs/architecture.md), soundly:
 * when the analysis cannot decide, it answers the more distributed route or `unknown`, and says why.
 * With `variation`, a table pinned by a parameter that takes many values is restricted to as many
 * shards as there are values, i.e. all of them (only a constant still pins one shard).
 */
export function analyzeRoute(
  statement: Statement,
  manifest: Manifest | undefined,
  variation?: ParameterVariation,
  /** The table catalogue, or the tables the DDL replay learned (a catalogue is made of them). */
  tables?: TableCatalogue | ReadonlyMap<string, LearnedTable>,
): RouteAnalysis {
  const catalogue = tables instanceof TableCatalogue ? tables : new TableCatalogue(manifest, tables);
  const builder = new ScopeBuilder(statement, manifest, catalogue);
  const ast = statement.ast;
  const n = shardCount(manifest);
  if (!ast) {
    return { route: { kind: 'unknown', fanout: n, reasons: ['the statement did not parse'], tables: [] }, rels: [], pins: new Map(), functions: [], shapes: [], inserts: new Map(), wholeTable: new Set(), catalogue, model: builder };
  }
  const extra: string[] = [];
  const writeAll = new Set<number>();
  const mode = dispatch(ast, builder, extra, writeAll);
  builder.finish();
  const functions = mode === 'query' || mode === 'call' ? collectFunctions(ast, builder, manifest) : [];
  const rels = builder.rels.filter((r) => r.kind === 'table');
  const inserts = new Map(builder.inserts.map((site) => [site.target.id, site]));
  const pins = new Map<number, Pin>();
  for (const rel of rels) {
    if (rel.mode !== 'sharded') continue;
    if (writeAll.has(rel.id)) {
      pins.set(rel.id, { state: 'all', missing: [...(rel.table?.shardKey ?? [])], unusable: [], joinedOn: [], keyLinks: [] });
      continue;
    }
    const insert = inserts.get(rel.id);
    const pin = insert ? insertPin(insert, builder) : pinOf(rel);
    pins.set(rel.id, variation ? varyPin(pin, variation) : pin);
  }
  const route = combine({ mode, builder, rels, pins, functions, n, extra, writeAll });
  return { route, rels, pins, functions, shapes: builder.shapes, inserts, wholeTable: writeAll, catalogue, model: modelOnly(ast, builder, statement, manifest, catalogue) };
}

/**
 * The model of a statement whose query is not routed (CREATE VIEW …, CREATE RULE): built apart, so
 * that its tables stay out of the route, for the rules that read queries wherever they are.
 */
function modelOnly(ast: Node, builder: ScopeBuilder, statement: Statement, manifest: Manifest | undefined, catalogue: TableCatalogue): StatementModel {
  const query = 'ViewStmt' in ast ? ast.ViewStmt.query : undefined;
  if (!query) return builder;
  const own = new ScopeBuilder(statement, manifest, catalogue);
  own.query(query, undefined, 'view');
  own.finish();
  return own;
}

/** A pin by values that vary with the parameters: a set of unknown size (a constant keeps its pin). */
function varyPin(pin: Pin, variation: ParameterVariation): Pin {
  if (pin.state !== 'pinned') return pin;
  const varies = (key: string) => !key.startsWith('c:') && (variation.params === 'all' || [...key.matchAll(/\$(\d+)/g)].some((m) => (variation.params as ReadonlySet<number>).has(Number(m[1]))));
  if (!pin.keys.some((alternatives) => alternatives.every(varies))) return pin;
  return { state: 'multi', count: undefined, identity: `vary:${pin.keys.map((k) => k.join(',')).join('|')}`, texts: [`${pin.texts.join(' and ')}, with many values (${variation.why})`] };
}

type Mode = 'query' | 'utility' | 'call';

/** Builds the scope model for the statement kinds that touch tables; returns what kind it was. */
function dispatch(ast: Node, builder: ScopeBuilder, extra: string[], writeAll: Set<number>): Mode {
  const tag = tagOf(ast);
  if ('SelectStmt' in ast) {
    builder.select(ast.SelectStmt, undefined, 'main');
    if (ast.SelectStmt.intoClause) builder.shape('router', 'SELECT INTO creates a table through the router (' + limitlessDocsUrl('routing', 'writes') + ')', undefined);
    return 'query';
  }
  if ('InsertStmt' in ast || 'UpdateStmt' in ast || 'DeleteStmt' in ast || 'MergeStmt' in ast) {
    builder.query(ast, undefined, 'main');
    return 'query';
  }
  if ('CreateTableAsStmt' in ast) {
    const q = ast.CreateTableAsStmt.query;
    if (q) builder.query(q, undefined, 'main');
    builder.shape('router', 'CREATE TABLE AS runs through the router, not directly on the shards (' + limitlessDocsUrl('routing', 'writes') + ')', undefined);
    return 'query';
  }
  if ('ExplainStmt' in ast) {
    const q = ast.ExplainStmt.query;
    return q ? dispatch(q, builder, extra, writeAll) : 'utility';
  }
  if ('PrepareStmt' in ast) {
    const q = ast.PrepareStmt.query;
    return q ? dispatch(q, builder, extra, writeAll) : 'utility';
  }
  if ('DeclareCursorStmt' in ast) {
    const q = ast.DeclareCursorStmt.query;
    return q ? dispatch(q, builder, extra, writeAll) : 'utility';
  }
  if ('CopyStmt' in ast) {
    const c = ast.CopyStmt;
    if (c.query) return dispatch(c.query, builder, extra, writeAll);
    const rv = c.relation;
    const block = builder.newBlock(undefined, 'COPY');
    const rel = builder.rangeVar(rv?.schemaname, rv?.relname ?? '', undefined, rv?.location, block, c.is_from ? 'write' : 'read');
    if (c.is_from) {
      writeAll.add(rel.id);
      extra.push(`COPY ${rel.display} FROM loads rows for any shard-key value`);
    }
    return 'query';
  }
  if ('TruncateStmt' in ast) {
    const block = builder.newBlock(undefined, 'TRUNCATE');
    for (const r of ast.TruncateStmt.relations ?? []) {
      if (!('RangeVar' in r)) continue;
      const rel = builder.rangeVar(r.RangeVar.schemaname, r.RangeVar.relname ?? '', undefined, r.RangeVar.location, block, 'write');
      writeAll.add(rel.id);
    }
    return 'query';
  }
  if ('LockStmt' in ast) {
    const block = builder.newBlock(undefined, 'LOCK');
    for (const r of ast.LockStmt.relations ?? []) {
      if ('RangeVar' in r) builder.rangeVar(r.RangeVar.schemaname, r.RangeVar.relname ?? '', undefined, r.RangeVar.location, block, 'read');
    }
    return 'query';
  }
  if ('CallStmt' in ast) return 'call';
  if ('DoStmt' in ast) {
    builder.shape('unknown', 'a DO block runs PL/pgSQL code that is not analysed', undefined);
    return 'utility';
  }
  if ('ExecuteStmt' in ast) {
    builder.shape('unknown', `EXECUTE ${ast.ExecuteStmt.name ?? ''} runs a prepared statement: its route is that of the PREPARE`, undefined);
    return 'utility';
  }
  extra.push(`${describeUtility(tag)}: not a routed query`);
  return 'utility';
}

/** Every function call in the statement with its volatility (docs/limitless/routing.md#fast-path-restrictions). */
function collectFunctions(ast: Node, builder: ScopeBuilder, manifest: Manifest | undefined): FunctionUse[] {
  const out: FunctionUse[] = [];
  // CALL holds its FuncCall body directly (not as a node), so the walk below would miss it.
  const call = 'CallStmt' in ast ? ast.CallStmt.funccall : undefined;
  if (call) {
    const names = stringList(call.funcname);
    out.push({ name: names.join('.'), offset: builder.statement.offsetOf(call.location), volatility: functionVolatility(names, manifest).volatility });
  }
  walk(ast, (tag, body) => {
    if (tag === 'FuncCall') {
      const names = stringList(body.funcname as Node[] | undefined);
      out.push({ name: names.join('.'), offset: builder.statement.offsetOf(body.location as number | undefined), volatility: overloadVolatility(names, body.args as Node[] | undefined, builder, manifest) });
    } else if (tag === 'SQLValueFunction') {
      const op = body.op as keyof typeof SQL_VALUE_FUNCTION_VOLATILITY | undefined;
      const name = sqlValueFunctionText(op);
      out.push({ name, offset: builder.statement.offsetOf(body.location as number | undefined), volatility: op ? SQL_VALUE_FUNCTION_VOLATILITY[op] : 'stable' });
    }
    return true;
  });
  return out;
}

/**
 * A function's volatility; for a built-in whose overloads disagree (`to_tsvector`, `timezone`), the one
 * the argument types select, when they select one (value-types.ts).
 */
function overloadVolatility(names: readonly string[], args: readonly Node[] | undefined, builder: ScopeBuilder, manifest: Manifest | undefined): FunctionUse['volatility'] {
  const own = functionVolatility(names, manifest, args).volatility;
  if (own !== 'mixed' || (names.length > 1 && names[0] !== 'pg_catalog')) return own;
  const columnType = (parts: readonly string[]): string | undefined => {
    const column = parts[parts.length - 1] ?? '';
    const rels = builder.rels.filter((r) => r.kind === 'table' && (parts.length === 1 || r.refName === parts[parts.length - 2]));
    const types = new Set(rels.flatMap((r) => builder.columnType(r, column) ?? []));
    return types.size === 1 ? [...types][0] : undefined;
  };
  return callType(names[names.length - 1] ?? '', (args ?? []).map((a) => expressionType(a, columnType))).volatility ?? own;
}

interface CombineInput {
  readonly mode: Mode;
  readonly builder: ScopeBuilder;
  readonly rels: readonly Rel[];
  readonly pins: ReadonlyMap<number, Pin>;
  readonly functions: readonly FunctionUse[];
  readonly n: number;
  readonly extra: readonly string[];
  readonly writeAll: ReadonlySet<number>;
}

/** Combines the parts: the statement's route is the most distributed of them. */
function combine(input: CombineInput): Route {
  const { builder, rels, pins, functions, n, extra, writeAll } = input;
  const reasons: string[] = [];
  const positives: string[] = [];
  const tables: TableAccess[] = rels.map((r) => tableAccess(r, pins.get(r.id)));
  const sharded = rels.filter((r) => r.mode === 'sharded');
  const reference = rels.filter((r) => r.mode === 'reference');
  const standard = rels.filter((r) => r.mode === 'standard');
  const unknown = rels.filter((r) => r.mode === 'unknown');
  const catalog = rels.filter((r) => r.mode === 'catalog');
  const referenceWrites = reference.filter((r) => r.access === 'write');
  const routerShapes = builder.shapes.filter((s) => s.kind === 'router');
  const unknownShapes = builder.shapes.filter((s) => s.kind === 'unknown');

  for (const s of unknownShapes) reasons.push(s.reason);

  // Sharded occurrences: pinned, bounded, or everywhere.
  let all = false;
  for (const rel of sharded) {
    const pin = pins.get(rel.id);
    if (!pin) continue;
    if (pin.state === 'all') {
      all = true;
      reasons.push(writeAll.has(rel.id) ? `${relLabel(rel)}: ${writeAllText(rel)}` : unpinnedReason(rel, pin, sharded, pins));
    } else if (pin.state === 'multi') {
      const bound = pin.count === undefined ? `up to all ${n} shards` : `up to ${boundedFanout(pin.count, n)} shards`;
      reasons.push(`${relLabel(rel)}: ${pin.texts.join(' and ')} → ${bound}`);
    } else if (pin.correlated) {
      reasons.push(`${relLabel(rel)}: pinned only through the outer query (${pin.texts.join(' and ')}), a value known at execution time — repeat the shard-key equality inside the subquery`);
    } else if (pin.stable) {
      reasons.push(`${relLabel(rel)}: one shard, chosen at execution time (${pin.texts.join(' and ')})`);
    } else {
      positives.push(`${relLabel(rel)}: pinned by ${pin.texts.join(' and ')}`);
    }
  }
  const targets = countTargets(sharded, pins, n);

  for (const s of routerShapes) reasons.push(s.reason);
  if (standard.length > 0 && (sharded.length > 0 || reference.length > 0)) {
    reasons.push(`${standard.map(relLabel).join(', ')}: standard table${standard.length > 1 ? 's' : ''} used with ${[...sharded, ...reference].map((r) => r.display).filter(unique).join(', ')}: the statement runs on the router`);
  }
  for (const rel of referenceWrites) reasons.push(`${relLabel(rel)}: writing a reference table updates its copy on every shard (${n})`);
  for (const rel of unknown) reasons.push(`${rel.display}: not in the manifest — add it to limitless.yaml with its mode (sharded, reference or standard)`);
  const catalogMix = catalog.length > 0 && (sharded.length > 0 || reference.length > 0 || standard.length > 0);
  if (catalogMix) reasons.push(`${catalog.map(relLabel).join(', ')}: system catalog read on the router, combined with tables on shards: the statement runs on the router`);
  else for (const rel of catalog) positives.push(`${rel.display}: system catalog, read on the router`);
  if (targets.separate > 1 && !all) reasons.push(targets.why);
  reasons.push(...extra);

  const breakers = functions.filter((f) => f.volatility !== 'immutable' && f.volatility !== 'distributed');
  const distributedCalls = functions.filter((f) => f.volatility === 'distributed');

  let kind: RouteKind;
  let fanout: number;
  if (unknownShapes.length > 0 && !all) {
    kind = 'unknown';
    fanout = n;
  } else if (all) {
    kind = 'all-shards';
    fanout = n;
  } else if (unknown.length > 0) {
    kind = 'unknown';
    fanout = n;
  } else if (referenceWrites.length > 0) {
    kind = sharded.length === 0 && standard.length === 0 ? 'reference' : 'all-shards';
    fanout = n;
  } else if (standard.length > 0 && (sharded.length > 0 || reference.length > 0)) {
    kind = 'router';
    // Standard tables live on one system-chosen shard, in general not the pinned one.
    fanout = Math.min(n, Math.max(1, targets.fanout) + 1);
  } else if (routerShapes.length > 0 || catalogMix || (isInsertSelect(builder) && !(targets.separate === 1 && insertSelectsPinned(builder, pins)))) {
    kind = 'router';
    fanout = Math.max(1, targets.fanout);
    if (isInsertSelect(builder) && routerShapes.length === 0) reasons.push('INSERT … SELECT is executed through the router (' + limitlessDocsUrl('routing', 'writes') + ')');
  } else if (sharded.length > 0) {
    fanout = targets.fanout;
    if (fanout > 1) kind = targets.joined ? 'router' : 'multi-shard';
    else kind = fastPathBroken(sharded, pins, breakers) ? 'single-shard-routed' : 'single-shard';
  } else if (reference.length > 0) {
    kind = 'reference';
    fanout = 1;
    positives.push(`${reference.map((r) => r.display).filter(unique).join(', ')}: reference table${reference.length > 1 ? 's' : ''}, read from any one shard`);
  } else if (standard.length > 0) {
    kind = 'standard';
    fanout = 1;
    positives.push('only standard tables: they all live on one shard chosen by the system');
  } else if (input.mode === 'call' || functions.some((f) => f.volatility === 'unknown' || f.volatility === 'distributed')) {
    const user = functions.filter((f) => f.volatility === 'unknown');
    if (user.length > 0) {
      kind = 'unknown';
      fanout = n;
      reasons.push(`calls ${user.map((f) => `${f.name}()`).join(', ')}: a user function the manifest does not declare; its body is not analysed — declare it under functions.distributed or functions.immutable`);
    } else if (distributedCalls.length > 0) {
      kind = 'single-shard';
      fanout = 1;
      positives.push(`${distributedCalls.map((f) => `${f.name}()`).join(', ')}: distributed function, pushed to the shard of its shard-key argument`);
    } else {
      kind = 'none';
      fanout = 0;
    }
  } else {
    kind = 'none';
    fanout = 0;
    if (extra.length === 0) positives.push('touches no table');
  }

  if (kind === 'single-shard-routed') {
    for (const f of breakers) {
      const why = f.volatility === 'unknown' ? 'a user function the manifest does not declare, counted as volatile' : f.volatility === 'mixed' ? 'not immutable in every overload, and the argument types that would choose one are unknown (declare the column types in the manifest, or cast the arguments)' : f.volatility.toUpperCase();
      reasons.push(`${f.name}() is ${why}: a non-immutable function disables the single-shard fast path — bind the value from the application, or declare the function in the manifest`);
    }
  }

  return { kind, fanout, reasons: [...reasons, ...positives].filter(unique), tables };
}

/** Distinct shard targets: pinned occurrences in one collocation group with a common value share one. */
function countTargets(sharded: readonly Rel[], pins: ReadonlyMap<number, Pin>, n: number): { fanout: number; separate: number; joined: boolean; why: string } {
  const targets: { group: string; keys?: readonly (readonly string[])[]; identity?: string; count: number; rels: Rel[] }[] = [];
  for (const rel of sharded) {
    const pin = pins.get(rel.id);
    const group = collocationGroup(rel);
    if (!pin || pin.state === 'all') continue;
    if (pin.state === 'multi') {
      const same = targets.find((t) => t.group === group && t.identity === pin.identity);
      if (same) same.rels.push(rel);
      else targets.push({ group, identity: pin.identity, count: pin.count ?? n, rels: [rel] });
      continue;
    }
    const same = targets.find((t) => t.group === group && t.keys !== undefined && shareValues(t.keys, pin.keys));
    if (same) same.rels.push(rel);
    else targets.push({ group, keys: pin.keys, count: 1, rels: [rel] });
  }
  const fanout = Math.min(n, targets.reduce((a, t) => a + t.count, 0));
  const blocks = new Set(targets.flatMap((t) => t.rels.map((r) => r.block.id)));
  const joined = targets.length > 1 && blocks.size < targets.reduce((a, t) => a + t.rels.length, 0);
  const groups = new Set(targets.map((t) => t.group));
  const names = targets.map((t) => t.rels.map(relLabel).join(' + '));
  const why =
    groups.size > 1
      ? `${names.join(' and ')} are in different collocation groups (${[...groups].join(', ')}): they are not on one shard${joined ? ', so the join runs on the router' : ''}`
      : `${names.join(' and ')} are pinned to values that may differ, so they may be on different shards — join them on the shard key or use one value`;
  return { fanout, separate: targets.length, joined, why };
}

/** docs/limitless/routing.md#fast-path-restrictions: a non-immutable function, or a shard chosen only at execution time, loses the fast path. */
function fastPathBroken(sharded: readonly Rel[], pins: ReadonlyMap<number, Pin>, breakers: readonly FunctionUse[]): boolean {
  if (breakers.length > 0) return true;
  return sharded.some((r) => {
    const p = pins.get(r.id);
    return p?.state === 'pinned' && (p.correlated || p.stable);
  });
}

/**
 * Whether every INSERT … SELECT puts its rows on one shard that its SELECT reads (writes.ts): then,
 * with one target, the statement stays on that shard (docs/limitless/routing.md).
 */
function insertSelectsPinned(builder: ScopeBuilder, pins: ReadonlyMap<number, Pin>): boolean {
  return builder.inserts.every((i) => pins.get(i.target.id)?.state === 'pinned');
}

function isInsertSelect(builder: ScopeBuilder): boolean {
  return builder.inserts.some((i) => {
    const s = i.source;
    if (!s || !('SelectStmt' in s)) return false;
    return !isRowSource(s.SelectStmt);
  });
}

/** Why a sharded occurrence reaches every shard, and what predicate to add (the AWS fix, docs/limitless/routing.md#single-shard-optimization). */
function unpinnedReason(rel: Rel, pin: Extract<Pin, { state: 'all' }>, sharded: readonly Rel[], pins: ReadonlyMap<number, Pin>): string {
  const key = rel.table?.shardKey ?? [];
  const missing = pin.missing.join(', ');
  const parts: string[] = [];
  if (pin.onlyOuterJoinOn) {
    return `${relLabel(rel)}: its shard key ${missing} is pinned only in the ON clause of an outer join, which does not restrict the preserved side — put the equality on ${rel.refName}.${key[0] ?? missing} in WHERE`;
  }
  const u = pin.unusable[0];
  if (u) parts.push(`${relLabel(rel)}: shard key ${u.column} ${u.why}`);
  else parts.push(`${relLabel(rel)}: no equality on shard key ${missing}`);
  const fix = shardKeyPartner(rel, pin, sharded, pins);
  const joined = pin.joinedOn[0];
  if (joined) {
    parts.push(`the join on ${joined.column} does not carry the key${fix ? ` — add ${fix.predicate}` : ''}`);
  } else if (fix) {
    parts.push(`add ${fix.predicate}`);
  } else {
    const link = pin.keyLinks[0];
    if (link) {
      const other = link.other.rel;
      const where = other.mode === 'sharded' && other.table?.collocationGroup !== rel.table?.collocationGroup ? ` (${other.display} is in another collocation group)` : '';
      parts.push(`${rel.refName}.${link.column} is joined to ${other.refName}.${link.other.column}, which nothing pins to a value${where}`);
    }
    if (pin.unusable.length === 0) parts.push(`add ${pin.missing.map((k) => `${rel.refName}.${k} = <value>`).join(' AND ')} to reach one shard`);
  }
  return parts.join('; ');
}

function writeAllText(rel: Rel): string {
  return rel.access === 'write' ? 'written without a shard-key restriction (TRUNCATE/COPY): every shard' : 'every shard';
}

function tableAccess(rel: Rel, pin: Pin | undefined): TableAccess {
  const mode = rel.mode === 'sharded' || rel.mode === 'reference' || rel.mode === 'standard' ? rel.mode : rel.mode === 'catalog' ? 'catalog' : 'unknown';
  // One object shape whatever is known (absent fields are undefined, which JSON leaves out).
  return {
    table: rel.display,
    alias: aliasOf(rel),
    mode,
    offset: rel.offset,
    access: rel.access,
    pinning: pin?.state,
  };
}


function unique<T>(v: T, i: number, a: readonly T[]): boolean {
  return a.indexOf(v) === i;
}

const UTILITY_NAMES: Readonly<Record<string, string>> = {
  CreateStmt: 'CREATE TABLE',
  IndexStmt: 'CREATE INDEX',
  AlterTableStmt: 'ALTER TABLE',
  VariableSetStmt: 'SET',
  VariableShowStmt: 'SHOW',
  TransactionStmt: 'transaction control',
  ViewStmt: 'CREATE VIEW',
  CreateFunctionStmt: 'CREATE FUNCTION',
  DropStmt: 'DROP',
  CreateSeqStmt: 'CREATE SEQUENCE',
};

/** A readable name for a utility statement's node type (`CreateStmt` → `CREATE TABLE`). */
function describeUtility(tag: string): string {
  return UTILITY_NAMES[tag] ?? tag.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}
