/** PostgreSQL type names as people write them, read as `format_type` names (manifest `columns:`, casts, DDL). */

/** Type names as people write them → PostgreSQL's `format_type` names. */
const CANONICAL: Readonly<Record<string, string>> = {
  int: 'integer',
  int4: 'integer',
  integer: 'integer',
  int8: 'bigint',
  bigint: 'bigint',
  int2: 'smallint',
  smallint: 'smallint',
  serial: 'integer',
  serial4: 'integer',
  bigserial: 'bigint',
  serial8: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  float8: 'double precision',
  'double precision': 'double precision',
  float: 'double precision',
  float4: 'real',
  real: 'real',
  decimal: 'numeric',
  numeric: 'numeric',
  varchar: 'character varying',
  'character varying': 'character varying',
  bpchar: 'character',
  char: 'character',
  character: 'character',
  bool: 'boolean',
  boolean: 'boolean',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
};

/** `BIGINT`, `int8`, `pg_catalog.int8`, `character varying(20)` → the `format_type` name. */
export function canonicalType(written: string): string {
  const t = written.trim().toLowerCase().replace(/^pg_catalog\./, '').replace(/\s*\(.*\)\s*$/, '').replace(/\s+/g, ' ');
  const array = t.endsWith('[]');
  const base = array ? t.slice(0, -2).trim() : t;
  const name = CANONICAL[base] ?? base;
  return array ? `${name}[]` : name;
}
