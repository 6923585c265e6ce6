import type { Node } from 'libpg-query';
import type { Manifest } from '../manifest/types.js';
import type { Volatility } from './function-volatility.js';
import { builtinVolatility } from './function-volatility.js';

export interface FunctionVolatility {
  /**
   * `distributed`: declared in the manifest's `functions.distributed` (pushed to one shard);
   * `unknown`: a user function the manifest does not declare — counted as volatile (soundness first).
   */
  readonly volatility: Volatility | 'mixed' | 'distributed' | 'unknown';
}

/**
 * The volatility of a called function: the manifest's declarations first (`functions.immutable`,
 * `functions.distributed`), then PostgreSQL's built-ins (pg_catalog, from pg_proc).
 */
export function functionVolatility(nameParts: readonly string[], manifest: Manifest | undefined, args?: readonly Node[]): FunctionVolatility {
  const name = nameParts[nameParts.length - 1] ?? '';
  const qualified = nameParts.join('.');
  const schema = nameParts.length > 1 ? nameParts[0] : undefined;
  if (manifest) {
    const matches = (declared: string) => declared === qualified || (!schema && declared === name) || declared.endsWith(`.${name}`) && !schema;
    if (manifest.functions.distributed.some((f) => matches(f.name))) return { volatility: 'distributed' };
    if (manifest.functions.immutable.some(matches)) return { volatility: 'immutable' };
  }
  // Limitless' own administrative functions (rds_aurora.*) are not user code; none is immutable.
  if (schema === 'rds_aurora') return { volatility: 'volatile' };
  if (schema === undefined || schema === 'pg_catalog') {
    const builtin = builtinVolatility(name);
    // Overloads disagree (generate_series: integer immutable, timestamptz stable). Numeric literal
    // arguments select a numeric overload, and those are immutable.
    if (builtin?.volatility === 'mixed' && builtin.letters.startsWith('i') && args && args.length > 0 && args.every(isNumericLiteral)) return { volatility: 'immutable' };
    if (builtin) return { volatility: builtin.volatility };
  }
  return { volatility: 'unknown' };
}

function isNumericLiteral(node: Node): boolean {
  return 'A_Const' in node && (node.A_Const.ival !== undefined || node.A_Const.fval !== undefined);
}
