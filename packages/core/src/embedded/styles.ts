import { NameMatcher } from './name-pattern.js';

/**
 * How a call site writes its bind parameters besides PostgreSQL's own `$1`:
 * - `pg`: `$n`, and pg-promise's named forms (`${name}` in a string, `$<name>`, `$(name)`, `$[name]`,
 *   `$/name/`) with their filters (`:raw`, `:name`, `:csv` …), which no other library writes;
 * - `knex`: also `?` (a value) and `??` (an identifier) with an array of bindings, `:name` (a value)
 *   and `:name:` (an identifier) with an object of bindings, as knex's `raw` and MikroORM's `execute`
 *   (and Sequelize's `query` when its options have `replacements`);
 * - `none`: the text is sent as it is (Drizzle's and Kysely's `sql.raw`).
 */
export type PlaceholderStyle = 'pg' | 'knex' | 'none';

/** What a call with an argument that is not a literal is: an unknown SQL site, or no site at all. */
export type NonLiteralPolicy = 'unknown' | 'ignore';

/** A SQL-in-code style that is recognised by default (docs/eslint.md has the same table for people). */
export interface BuiltinCall {
  readonly pattern: string;
  /** Libraries that write SQL this way (for people; the tests name every one). */
  readonly libraries: string;
  /**
   * `unknown` only for names nobody uses for anything but SQL; a generic name (`execute`, `raw`,
   * `one`) counts only with a literal whose text can be SQL.
   */
  readonly nonLiteral: NonLiteralPolicy;
}

/** Template tags recognised whatever `tags` says (besides the configured ones). */
export const BUILTIN_TAGS: readonly string[] = [
  // node-postgres helpers, postgres.js, slonik, Drizzle, Kysely, @vercel/postgres, sql-template-strings …
  'sql',
  'SQL',
  // Prisma
  'Prisma.sql',
  '**.$queryRaw',
  '**.$executeRaw',
  // slonik: `sql.unsafe` is a tag there (in postgres.js it is a call), `sql.fragment` builds fragments.
  'sql.unsafe',
  'sql.fragment',
];

/** Calls recognised whatever `calls` says (besides the configured ones), first match wins. */
export const BUILTIN_CALLS: readonly BuiltinCall[] = [
  { pattern: '**.$queryRawUnsafe', libraries: 'Prisma', nonLiteral: 'unknown' },
  { pattern: '**.$executeRawUnsafe', libraries: 'Prisma', nonLiteral: 'unknown' },
  { pattern: 'sql.unsafe', libraries: 'postgres.js', nonLiteral: 'unknown' },
  { pattern: 'sql.raw', libraries: 'Drizzle, Kysely', nonLiteral: 'ignore' },
  { pattern: '**.query', libraries: 'node-postgres, pg-pool, pg-promise, TypeORM, Sequelize', nonLiteral: 'ignore' },
  { pattern: '**.raw', libraries: 'knex', nonLiteral: 'ignore' },
  { pattern: '**.execute', libraries: 'MikroORM', nonLiteral: 'ignore' },
  ...['none', 'one', 'many', 'any', 'oneOrNone', 'manyOrNone', 'result', 'multi', 'multiResult', 'each', 'map'].map(
    (method): BuiltinCall => ({ pattern: `**.${method}`, libraries: 'pg-promise', nonLiteral: 'ignore' }),
  ),
];

/** The built-in calls by the last segment of their pattern (never a wildcard), in table order. */
const builtinCallsByMember = new Map<string, { call: BuiltinCall; matcher: NameMatcher }[]>();
for (const call of BUILTIN_CALLS) {
  const member = call.pattern.slice(call.pattern.lastIndexOf('.') + 1);
  let list = builtinCallsByMember.get(member);
  if (!list) builtinCallsByMember.set(member, (list = []));
  list.push({ call, matcher: new NameMatcher([call.pattern]) });
}

/** The first built-in call a callee name matches. */
export function builtinCall(name: string): BuiltinCall | undefined {
  return builtinCallsByMember.get(name.slice(name.lastIndexOf('.') + 1))?.find((c) => c.matcher.matches(name))?.call;
}

/** The placeholder style of a call, by its callee: `sql.raw` sends text as it is, knex's `raw` and `execute` bind `?`. */
export function placeholderStyle(name: string): PlaceholderStyle {
  const dot = name.lastIndexOf('.');
  const last = name.slice(dot + 1);
  if (last === 'raw') return dot > 0 && name.slice(0, dot) === 'sql' ? 'none' : 'knex';
  return last === 'execute' ? 'knex' : 'pg';
}

/**
 * Last name segments of the built-in calls whose sites need a literal (`raw`, `one` …): a file
 * holding only these can hold a site only if it also holds a statement keyword.
 */
export const LITERAL_ONLY_NAMES: readonly string[] = BUILTIN_CALLS.filter((c) => c.nonLiteral === 'ignore').map((c) => c.pattern.slice(c.pattern.lastIndexOf('.') + 1));
/** Last name segments that make a file worth parsing on their own. */
export const SITE_NAMES: readonly string[] = [...BUILTIN_TAGS, ...BUILTIN_CALLS.filter((c) => c.nonLiteral === 'unknown').map((c) => c.pattern)].map((p) => p.slice(p.lastIndexOf('.') + 1));
