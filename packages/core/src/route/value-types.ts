/**
 * The types of the values a shard key is compared with, as far as they can be known without a server,
 * and whether PostgreSQL can prune hash partitions on such a comparison.
 *
 * Partition pruning needs the shard-key column itself on one side of an operator of the key's hash
 * operator family. When the other side has a type the key does not convert to implicitly in that family
 * (`bigint = numeric`, `bigint = double precision`), PostgreSQL casts the column instead, and nothing is
 * pruned (docs/limitless/routing.md). Function results are typed by overload resolution over the
 * signatures of `builtin-signatures.generated.ts` (generated from `pg_proc`).
 */
import type { Node, TypeName } from 'libpg-query';
import { stringList } from './ast.js';
import { BUILTIN_SIGNATURES } from './builtin-signatures.generated.js';
import { canonicalType } from './type-names.js';
import type { Volatility } from './function-volatility.js';

/**
 * A value's type: a `format_type` name (`bigint`, `text`, `double precision` …), `unknown` for an untyped
 * literal or bind parameter (it takes the type of what it is compared with), or `undefined` when the
 * analyzer cannot tell (a user function, an ambiguous overload).
 */
export type ValueType = string | undefined;

/** A type name node as a `format_type` name (arrays as `type[]`). */
export function typeNameType(typeName: TypeName | undefined): string {
  const all = stringList(typeName?.names);
  const names = all.filter((n) => n !== 'pg_catalog');
  // `"char"` (quoted, so not `pg_catalog.bpchar`) is PostgreSQL's one-byte internal type.
  const base = all.length === 1 && all[0] === 'char' ? '"char"' : canonicalType(names.join('.'));
  return typeName?.arrayBounds ? `${base}[]` : base;
}

/** Hash operator families: a key and a value in one family compare without a cast on the key. */
const FAMILY: Readonly<Record<string, string>> = {
  smallint: 'integer',
  integer: 'integer',
  bigint: 'integer',
  real: 'float',
  'double precision': 'float',
  text: 'text',
  'character varying': 'text',
  name: 'text',
};

/** Implicit casts (pg_cast, castcontext `i`) between the types a shard key is likely to have. */
const IMPLICIT: Readonly<Record<string, readonly string[]>> = {
  smallint: ['integer', 'bigint', 'numeric', 'real', 'double precision'],
  integer: ['bigint', 'numeric', 'real', 'double precision'],
  bigint: ['numeric', 'real', 'double precision'],
  numeric: ['real', 'double precision'],
  real: ['double precision'],
  'character varying': ['text'],
  character: ['text', 'character varying'],
  name: ['text'],
  text: ['character varying', 'name'],
  date: ['timestamp without time zone', 'timestamp with time zone'],
  'timestamp without time zone': ['timestamp with time zone'],
};

function family(type: string): string {
  return FAMILY[type] ?? type;
}

function castsImplicitly(from: string, to: string): boolean {
  return from === to || (IMPLICIT[from]?.includes(to) ?? false);
}

/** Types whose family is decided without knowing the key's type: an integer key takes them without a cast. */
const SAFE_WITHOUT_KEY_TYPE = new Set(['integer', 'text', 'uuid']);

/** Whether PostgreSQL compares `key = value` on the key's own operator family (so it can prune). */
export type Comparison =
  | { readonly prunes: true }
  | { readonly prunes: false; readonly why: string };

/**
 * Can `key = value` prune, given the key's declared type (undefined when the manifest and the DDL do not
 * give it) and the value's type? Soundness first: when either is unknown and the answer depends on it,
 * it cannot, and the reason says what would settle it.
 */
export function comparison(column: string, keyType: string | undefined, valueText: string, valueType: ValueType): Comparison {
  if (valueType === 'unknown') return { prunes: true };
  if (valueType === undefined) {
    return {
      prunes: false,
      why: `is compared with ${valueText}, whose type the analyzer cannot tell (a user function, or an overload chosen by argument types it does not know); if it is not ${keyType ?? `the type of ${column}`}, PostgreSQL casts the column and cannot prune — cast the value (\`${valueText}::${keyType ?? 'bigint'}\`)`,
    };
  }
  if (keyType === undefined) {
    if (SAFE_WITHOUT_KEY_TYPE.has(family(valueType))) return { prunes: true };
    return {
      prunes: false,
      why: `is compared with ${valueText}, of type ${valueType}: unless ${column} is of a type that ${valueType} converts to implicitly, PostgreSQL casts the column and cannot prune — declare the type of \`${column}\` in the manifest (\`columns: { ${column}: bigint }\`) or cast the value`,
    };
  }
  const key = canonicalType(keyType);
  if (family(key) === family(valueType)) return { prunes: true };
  if (castsImplicitly(valueType, key) && !castsImplicitly(key, valueType)) return { prunes: true };
  return {
    prunes: false,
    why: `is compared with ${valueText}, of type ${valueType}, so PostgreSQL casts the column (${key}) and cannot prune — cast the value to ${key}`,
  };
}

/** The type of a constant: PostgreSQL types an integer literal as integer, bigint or numeric by its size. */
export function constType(node: Extract<Node, { A_Const: unknown }>['A_Const']): ValueType {
  if (node.isnull) return 'unknown';
  if (node.ival) return 'integer';
  if (node.fval) return /^-?\d+$/.test(node.fval.fval ?? '') ? (fitsBigint(node.fval.fval ?? '') ? 'bigint' : 'numeric') : 'numeric';
  if (node.boolval) return 'boolean';
  if (node.sval) return 'unknown';
  return undefined;
}

function fitsBigint(text: string): boolean {
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** The result of a built-in function call: its type and, once the overload is known, its volatility. */
export interface CallType {
  readonly type: ValueType;
  readonly volatility?: Volatility;
}

const VOLATILITY: Readonly<Record<string, Volatility>> = { i: 'immutable', s: 'stable', v: 'volatile' };

interface Signature {
  readonly args: readonly string[];
  readonly result: string;
  readonly volatility: Volatility;
  readonly defaults: number;
  readonly variadic: boolean;
}

function parseSignature(text: string): Signature {
  const gt = text.indexOf('>');
  const args = gt > 0 ? text.slice(0, gt).split(',') : [];
  const m = /^(.*)\/([isv])\*?(?:\+(\d+))?(…)?$/.exec(text.slice(gt + 1));
  return { args, result: m?.[1] ?? '', volatility: VOLATILITY[m?.[2] ?? 'v'] ?? 'volatile', defaults: Number(m?.[3] ?? 0), variadic: !!m?.[4] };
}

const STRING_TYPES = new Set(['text', 'character varying', 'character', 'name']);
const NUMERIC_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

function accepts(param: string, arg: ValueType): boolean {
  if (arg === 'unknown' || arg === undefined) return true;
  if (param.startsWith('any')) return true;
  return castsImplicitly(arg, param);
}

/**
 * The type (and volatility) of a call to a pg_catalog function with arguments of the given types, by a
 * reduced form of PostgreSQL's overload resolution (exact matches first; an untyped argument prefers the
 * string category, then `double precision` among numeric candidates). `type` is undefined when the name
 * is not a built-in or the overload cannot be told.
 */
export function callType(name: string, argTypes: readonly ValueType[]): CallType {
  if (!Object.hasOwn(BUILTIN_SIGNATURES, name)) return { type: undefined };
  const entry = BUILTIN_SIGNATURES[name] as string | readonly string[];
  if (typeof entry === 'string') {
    const sig = parseSignature(entry);
    return { type: polymorphic(sig.result) ? undefined : sig.result, volatility: sig.volatility };
  }
  let candidates = entry.map(parseSignature).filter((s) => {
    const n = argTypes.length;
    const arityOk = s.variadic ? n >= s.args.length - 1 : n <= s.args.length && n >= s.args.length - s.defaults;
    return arityOk && argTypes.every((a, i) => accepts(s.args[Math.min(i, s.args.length - 1)] ?? '', a));
  });
  if (argTypes.some((a) => a === undefined)) return settle(candidates, true);
  // Prefer candidates that match the most typed arguments exactly.
  const exact = (s: Signature) => argTypes.filter((a, i) => a !== 'unknown' && s.args[i] === a).length;
  const best = Math.max(0, ...candidates.map(exact));
  candidates = candidates.filter((s) => exact(s) === best);
  argTypes.forEach((a, i) => {
    if (a !== 'unknown' || candidates.length < 2) return;
    const params = candidates.map((s) => s.args[i] ?? '');
    // PostgreSQL: the string category wins when any candidate takes it, and its preferred type is text.
    if (params.includes('text')) candidates = candidates.filter((s) => s.args[i] === 'text');
    else if (params.some((p) => STRING_TYPES.has(p))) candidates = candidates.filter((s) => STRING_TYPES.has(s.args[i] ?? ''));
    else if (params.every((p) => NUMERIC_TYPES.has(p))) candidates = candidates.filter((s) => s.args[i] === 'double precision');
  });
  return settle(candidates, false);
}

function settle(candidates: readonly Signature[], partial: boolean): CallType {
  const results = new Set(candidates.map((s) => s.result));
  const volatilities = new Set(candidates.map((s) => s.volatility));
  const volatility = volatilities.size === 1 ? [...volatilities][0] : undefined;
  const only = results.size === 1 ? ([...results][0] as string) : undefined;
  if (only === undefined || polymorphic(only) || (partial && candidates.length === 0)) return { type: undefined, ...(volatility ? { volatility } : {}) };
  return { type: only, ...(volatility ? { volatility } : {}) };
}

function polymorphic(type: string): boolean {
  return type.startsWith('any');
}

/** Result types of binary arithmetic on numbers: the wider operand, integers below numeric below float. */
const NUMERIC_RANK = ['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision'];

/** The type of `l op r` for the arithmetic and concatenation operators; undefined otherwise. */
export function operatorType(op: string, l: ValueType, r: ValueType): ValueType {
  if (op === '||') return l === undefined || r === undefined ? undefined : 'text';
  if (!['+', '-', '*', '/', '%'].includes(op)) return undefined;
  if (l === undefined || r === undefined) return undefined;
  // An untyped operand takes the other's type; two untyped operands are ambiguous.
  const a = l === 'unknown' ? r : l;
  const b = r === 'unknown' ? l : r;
  if (a === 'unknown' || b === 'unknown') return undefined;
  const ra = NUMERIC_RANK.indexOf(a);
  const rb = NUMERIC_RANK.indexOf(b);
  if (ra < 0 || rb < 0) return undefined;
  return NUMERIC_RANK[Math.max(ra, rb)];
}

/**
 * The type of an expression as far as it can be told without a server: constants, parameters, casts,
 * columns whose type `columnType` knows, built-in calls and arithmetic. For choosing an overload.
 */
export function expressionType(node: Node, columnType: (names: readonly string[]) => string | undefined): ValueType {
  if ('A_Const' in node) return constType(node.A_Const);
  if ('ParamRef' in node) return 'unknown';
  if ('TypeCast' in node) return typeNameType(node.TypeCast.typeName);
  if ('ColumnRef' in node) {
    const fields = node.ColumnRef.fields ?? [];
    return fields.every((f) => 'String' in f) ? columnType(stringList(fields)) : undefined;
  }
  if ('FuncCall' in node) {
    const names = stringList(node.FuncCall.funcname);
    if (names.length > 1 && names[0] !== 'pg_catalog') return undefined;
    return callType(names[names.length - 1] ?? '', (node.FuncCall.args ?? []).map((a) => expressionType(a, columnType))).type;
  }
  if ('A_Expr' in node && node.A_Expr.kind === 'AEXPR_OP') {
    const l = node.A_Expr.lexpr ? expressionType(node.A_Expr.lexpr, columnType) : undefined;
    const r = node.A_Expr.rexpr ? expressionType(node.A_Expr.rexpr, columnType) : undefined;
    return operatorType(stringList(node.A_Expr.name).join('.'), l, r);
  }
  return undefined;
}
