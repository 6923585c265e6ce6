import { normalizeIdentifier } from '@limitless-lint/core';

/**
 * Reads the shard-key columns from `rds_aurora.limitless_tables.distribution_key`, e.g. `HASH
 * (order_id)` (docs/limitless/system-views.md#catalog). The multi-column format is not documented; `HASH (a, b)` — the way
 * PostgreSQL's `pg_get_partkeydef` writes a hash partition key, which Limitless uses on the router —
 * is read, with double-quoted names (`HASH ("Order Id", b)`) kept as written. Returns `undefined`
 * for any other text, so that the caller can say which table it could not read.
 */
export function parseDistributionKey(text: string | null | undefined): string[] | undefined {
  if (text === null || text === undefined) return undefined;
  const match = /^\s*HASH\s*\((.*)\)\s*$/is.exec(text);
  if (!match) return undefined;
  return parseColumnList(match[1] as string);
}

/**
 * Splits `a, "B c", d` into normalised identifiers (unquoted folded to lower case, quotes removed).
 * Returns `undefined` when an item is not a plain identifier (an expression, an empty item).
 */
export function parseColumnList(text: string): string[] | undefined {
  const items: string[] = [];
  let at = 0;
  let separator = '';
  const item = /\s*("(?:[^"]|"")+"|[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)\s*(,|$)/y;
  while (at < text.length) {
    item.lastIndex = at;
    const match = item.exec(text);
    if (!match) return undefined;
    items.push(normalizeIdentifier(match[1] as string));
    at = item.lastIndex;
    separator = match[2] as string;
  }
  // A trailing comma leaves an empty last item.
  return items.length > 0 && separator === '' ? items : undefined;
}

/**
 * Reads a list of shard-key arguments or columns whatever the catalog made of it: a `text[]` (already
 * an array), an array literal (`{c_id}`, `{"a","b"}`), a `HASH (…)` text, or `a, b`.
 */
export function parseKeyList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) {
    const names = value.filter((v): v is string => typeof v === 'string' && v !== '');
    return names.length > 0 && names.length === value.length ? names : undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^HASH\s*\(/i.test(text)) return parseDistributionKey(text);
  if (text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1);
    const parts = [...inner.matchAll(/\s*(?:"((?:[^"\\]|\\.)*)"|([^,]+?))\s*(?:,|$)/gy)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim()));
    const names = parts.filter((p) => p !== '');
    return names.length > 0 ? names : undefined;
  }
  return parseColumnList(text);
}
