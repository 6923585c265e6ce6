/** A bind parameter's type as the server inferred it, with what is needed to make up a value of it. */
export interface ParameterType {
  /** `format_type`: `bigint`, `character varying`, `timestamp with time zone`, `uuid`, `text[]` … */
  readonly name: string;
  /** `pg_type.typcategory` of the type (of its base type, for a domain): `N` numeric, `S` string … */
  readonly category: string;
  /** For an enum: its first label. */
  readonly enumLabel?: string;
  /** For an array: the element type. */
  readonly element?: ParameterType;
}

/**
 * Reads the parameter types of a prepared statement (`pg_prepared_statements.parameter_types`),
 * resolving domains to their base types and arrays to their elements: one row per parameter.
 */
export const PARAMETER_TYPES_SQL = `
WITH params AS (
  SELECT p.ord, p.type
    FROM pg_prepared_statements s, unnest(s.parameter_types) WITH ORDINALITY AS p(type, ord)
   WHERE s.name = $1),
base AS (
  SELECT params.ord, params.type,
         CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END AS base
    FROM params JOIN pg_type t ON t.oid = params.type::oid)
SELECT base.ord::int AS ord,
       format_type(b.oid, NULL) AS name,
       b.typcategory::text AS category,
       (SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = b.oid ORDER BY e.enumsortorder LIMIT 1) AS enum_label,
       format_type(el.oid, NULL) AS element_name,
       el.typcategory::text AS element_category,
       (SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = el.oid ORDER BY e.enumsortorder LIMIT 1) AS element_enum_label
  FROM base
  JOIN pg_type b ON b.oid = base.base
  LEFT JOIN pg_type el ON el.oid = b.typelem AND b.typcategory = 'A'
 ORDER BY base.ord`;

export interface ParameterTypeRow {
  readonly ord: number;
  readonly name: string;
  readonly category: string;
  readonly enum_label: string | null;
  readonly element_name: string | null;
  readonly element_category: string | null;
  readonly element_enum_label: string | null;
}

export function parameterTypeOf(row: ParameterTypeRow): ParameterType {
  const element: ParameterType | undefined =
    row.category === 'A' && row.element_name !== null && row.element_category !== null
      ? { name: row.element_name, category: row.element_category, ...(row.element_enum_label !== null && { enumLabel: row.element_enum_label }) }
      : undefined;
  return { name: row.name, category: row.category, ...(row.enum_label !== null && { enumLabel: row.enum_label }), ...(element && { element }) };
}

/**
 * A made-up value for parameter `$n` of a type, as the text PostgreSQL reads for it, or `null` when
 * no value can be made up (a geometric or composite type …). Values differ between parameters (and
 * between `variant`s), so that `IN ($1, $2, $3)` and `= ANY($1)` name several shard-key values; an
 * array gets three elements.
 *
 * Why not NULL: PostgreSQL folds `key = NULL` to false and prunes every partition, so the plan would
 * show no shard at all; and a generic plan (which keeps `$1`) is one that Limitless never single-shard
 * optimizes (docs/limitless/routing.md#fast-path-restrictions). A custom plan with sample values is what a real execution gets.
 */
export function sampleValue(type: ParameterType, n: number, variant = 0): string | null {
  const v = n + variant;
  switch (type.category) {
    case 'A': {
      if (!type.element) return null;
      const items = [v, v + 1, v + 2].map((i) => sampleValue(type.element as ParameterType, i));
      if (items.some((i) => i === null)) return null;
      return `{${items.map((i) => `"${(i as string).replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
    }
    case 'N':
      return String(v);
    case 'S':
      return type.name === '"char"' ? String.fromCharCode(97 + (v % 26)) : `s${v}`;
    case 'B':
      return v % 2 === 1 ? 'true' : 'false';
    case 'E':
      return type.enumLabel ?? null;
    case 'T':
      return `${v} seconds`;
    case 'I':
      return `10.0.${Math.floor(v / 250) % 250}.${(v % 250) + 1}`;
    case 'V':
      return '1';
    case 'D':
      return dateTime(type.name, v);
    case 'U':
      if (type.name === 'uuid') return `00000000-0000-4000-8000-${String(v).padStart(12, '0')}`;
      if (type.name === 'json' || type.name === 'jsonb') return '{}';
      return null;
    case 'X':
      // `unknown`: PostgreSQL could not infer the type (SELECT $1); any text will do.
      return `s${v}`;
    default:
      return null;
  }
}

function dateTime(name: string, v: number): string {
  const day = String((v % 28) + 1).padStart(2, '0');
  const second = String(v % 60).padStart(2, '0');
  if (name === 'date') return `2024-01-${day}`;
  if (name.startsWith('time ') || name === 'time' || name === 'timetz') return `00:00:${second}`;
  return `2024-01-${day} 00:00:${second}`;
}

/** `'text'` with quotes doubled, or `NULL`. */
export function sqlLiteral(value: string | null): string {
  return value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`;
}
