/**
 * Volatility of PostgreSQL's built-in functions, for deciding whether a statement that prunes to one shard
 * keeps Aurora Limitless' single-shard fast path (it does not when it calls anything that is not IMMUTABLE).
 *
 * The data comes from `builtin-functions.generated.ts`, generated from a real server's `pg_proc` by
 * `scripts/gen-volatility.mjs`; see docs/decisions/0002-builtin-volatility.md.
 */
import type { SQLValueFunctionOp } from 'libpg-query';
import { BUILTIN_FUNCTIONS } from './builtin-functions.generated.js';

export { BUILTIN_FUNCTIONS, BUILTIN_FUNCTIONS_PG_VERSION } from './builtin-functions.generated.js';

/** PostgreSQL's three volatility categories (`pg_proc.provolatile` `i`, `s`, `v`). */
export type Volatility = 'immutable' | 'stable' | 'volatile';

/** Sorted distinct `provolatile` letters across a function name's overloads. */
export type VolatilityLetters = 'i' | 's' | 'v' | 'is' | 'iv' | 'sv' | 'isv';

/** What {@link builtinVolatility} knows about one built-in function name. */
export interface BuiltinFunctionVolatility {
  /**
   * The volatility shared by every overload, or `mixed` when overloads disagree (e.g. `generate_series`:
   * the numeric overloads are immutable, the timestamptz one is stable). Without argument types the overload
   * cannot be chosen, so a caller should treat `mixed` like the least safe of {@link letters}: anything not
   * purely `immutable` is not immutable.
   */
  readonly volatility: Volatility | 'mixed';
  /** Sorted distinct volatility letters across overloads: `i` immutable, `s` stable, `v` volatile. */
  readonly letters: VolatilityLetters;
  /** True when any overload returns a set (`proretset`), e.g. `generate_series`, `unnest`. */
  readonly setReturning: boolean;
}

const LETTER_NAMES: Readonly<Record<'i' | 's' | 'v', Volatility>> = {
  i: 'immutable',
  s: 'stable',
  v: 'volatile',
};

const CODE = /^(i?s?v?)(\*?)$/;

/**
 * Looks up a function of schema `pg_catalog` by name, as stored in `pg_proc.proname`: exact and
 * case-sensitive, i.e. as the parser yields it (unquoted identifiers already folded to lower case), without
 * a schema prefix. Returns `undefined` for a name PostgreSQL (of version `BUILTIN_FUNCTIONS_PG_VERSION`)
 * does not define in `pg_catalog`, which includes user-defined functions and built-ins added in later
 * majors; callers should not assume such a function is immutable.
 *
 * Keyword forms that the parser represents as `SQLValueFunction` (`CURRENT_TIMESTAMP`, `CURRENT_USER`, …)
 * are not function calls; see {@link SQL_VALUE_FUNCTION_VOLATILITY}.
 */
export function builtinVolatility(name: string): BuiltinFunctionVolatility | undefined {
  if (!Object.hasOwn(BUILTIN_FUNCTIONS, name)) return undefined;
  const match = CODE.exec(BUILTIN_FUNCTIONS[name] ?? '');
  const letters = match?.[1];
  if (match === null || letters === undefined || letters === '') return undefined;
  const volatility = letters.length === 1 ? LETTER_NAMES[letters as 'i' | 's' | 'v'] : 'mixed';
  return { volatility, letters: letters as VolatilityLetters, setReturning: match[2] === '*' };
}

/**
 * Volatility of the SQL-keyword "functions" that the parser (libpg-query) represents as a
 * `SQLValueFunction` node rather than a `FuncCall`, keyed by its `op`. All are STABLE: the date/time ones
 * return the transaction start time (like `now()`), the rest read session state. Keyed by every
 * `SQLValueFunctionOp`, so a new op in libpg-query's types fails the build until it is classified here.
 */
export const SQL_VALUE_FUNCTION_VOLATILITY: Readonly<Record<SQLValueFunctionOp, Volatility>> = {
  SVFOP_CURRENT_DATE: 'stable',
  SVFOP_CURRENT_TIME: 'stable',
  SVFOP_CURRENT_TIME_N: 'stable',
  SVFOP_CURRENT_TIMESTAMP: 'stable',
  SVFOP_CURRENT_TIMESTAMP_N: 'stable',
  SVFOP_LOCALTIME: 'stable',
  SVFOP_LOCALTIME_N: 'stable',
  SVFOP_LOCALTIMESTAMP: 'stable',
  SVFOP_LOCALTIMESTAMP_N: 'stable',
  SVFOP_CURRENT_ROLE: 'stable',
  SVFOP_CURRENT_USER: 'stable',
  SVFOP_USER: 'stable',
  SVFOP_SESSION_USER: 'stable',
  SVFOP_CURRENT_CATALOG: 'stable',
  SVFOP_CURRENT_SCHEMA: 'stable',
};

/** How a `SQLValueFunction` is written, from its `op`: `SVFOP_CURRENT_TIME_N` → `CURRENT_TIME`. */
export function sqlValueFunctionText(op: string | undefined): string {
  return (op ?? 'SVFOP_CURRENT_TIMESTAMP').replace(/^SVFOP_/, '').replace(/_N$/, '');
}
