import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlSite } from '@limitless-lint/core';
import { embeddedOptions, findSqlSites } from '@limitless-lint/core';
import { parse } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../src/input/extract-ts.js';
import { repoRoot } from './run-cli.js';

/**
 * The CLI parses scripts with oxc-parser, ESLint with typescript-eslint's parser; the shared extractor
 * must see the same SQL sites in both trees. Compared here: every site's kind, name, range, SQL text or
 * reason, and where every SQL offset maps back to in the source.
 */
function sites(program: unknown, text: string): unknown[] {
  return findSqlSites(program as Parameters<typeof findSqlSites>[0], embeddedOptions(undefined, text)).map((site: SqlSite) =>
    site.kind === 'sql'
      ? { kind: site.kind, name: site.name, range: site.range, sql: site.sql, offsets: [...Array(site.sql.length + 1).keys()].map((o) => site.toSourceOffset(o)) }
      : { kind: site.kind, name: site.name, range: site.range, reason: site.reason, at: site.at },
  );
}

function compare(text: string, fileName: string): number {
  const oxc = parseScript(text, fileName);
  if ('error' in oxc) throw new Error(`${fileName}: ${oxc.error.message}`);
  const jsx = /\.(tsx|jsx)$/.test(fileName);
  const estree = parse(text, { range: true, loc: false, comment: false, tokens: false, jsx, filePath: fileName, errorOnUnknownASTType: false, suppressDeprecatedPropertyWarnings: true });
  const expected = sites(estree, text);
  expect(sites(oxc.program, text), fileName).toEqual(expected);
  return expected.length;
}

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === 'node_modules' ? [] : e.isDirectory() ? scripts(join(dir, e.name)) : /\.(ts|tsx|js)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const TRICKY: readonly (readonly [string, string])[] = [
  ['escapes.ts', 'const a = sql`SELECT \'\\u00e9\', ${x}, E\'\\\\n\' FROM t`;\nconst b = pool.query("SELECT \\"q\\" FROM t WHERE a = $1", [1]);\n'],
  ['crlf.ts', 'const a = sql`SELECT *\r\nFROM accounts\r\nWHERE account_id = ${id}`;\r\n'],
  ['unicode.ts', 'const a = sql`SELECT \'😀 é\' FROM t WHERE k = ${k}`; db.query(`SELECT ${1} -- ü`);\n'],
  ['nested.ts', 'const w = sql`AND b = ${b}`;\nconst q = sql`SELECT * FROM t WHERE a = ${a} ${w}`;\nconst r = sql`SELECT ${cond ? sql`1` : sql`2`}`;\n'],
  ['wrappers.ts', 'const q = (pool as any).query(`SELECT 1`); const r = pool!.query({ text: "SELECT 2", values: [] }); const s = <string>x; db?.query("SELECT 3" satisfies string);\n'],
  ['decorators.ts', 'class A { @dec() m() { return this.db.query(`SELECT ${this.id}`); } }\n'],
  ['jsx.tsx', 'export const C = () => <div onClick={() => pool.query(sql`SELECT 1`)}>{sql`SELECT ${x}`}</div>;\n'],
  ['glued.ts', 'sql`SELECT * FROM ${table}_archive`; sql`SELECT NULL${x}`; pool.query(text, []); pool.query(...args);\n'],
  ['raw.ts', 'String.raw`x`; sql`SELECT \\x`; sql`SELECT \\u{1F600}`;\n'],
  // Library placeholders map to their exact source range, through escapes too.
  ['knex.ts', "knex.raw('SELECT \\'é\\' FROM t WHERE a = ? AND b = :b', [a]); db.raw('SELECT * FROM t WHERE a = :a AND c = :a::int', { a }); knex.raw('SELECT ??', [c]);\n"],
  ['pg-promise.ts', "db.one('SELECT * FROM t WHERE a = ${a} AND b = $<b> AND c = $/c/ AND d = $1:json', o); t.none(`SELECT $[x] ${y}`); db.any('SELECT $1:raw');\n"],
  ['prisma.ts', 'prisma.$queryRaw<R>`SELECT ${a}`; tx.$executeRawUnsafe("DELETE FROM t WHERE a = $1", a); prisma.$queryRaw(Prisma.sql`SELECT ${Prisma.raw(c)}`);\n'],
  ['slonik.ts', "sql.typeAlias('id')`SELECT ${sql.array(ids, 'int4')}`; sql.unsafe`SELECT 1`; sql.fragment`AND a`; sql.unsafe('SELECT $1', [a]);\n"],
  ['not-sql.ts', "t.procedure.query(async () => 1); req.query('page=2'); $('a').one('update', f); api.query({ q: 1 }); (x as any).query(gql`query { a }`);\n"],
];

describe('the script parser (oxc-parser) against typescript-eslint\'s', () => {
  it('finds the same SQL sites, SQL text and source positions in tricky scripts', () => {
    let n = 0;
    for (const [name, text] of TRICKY) n += compare(text, name);
    expect(n).toBeGreaterThan(15);
  });

  it('finds the same SQL sites in the fixtures and in a generated project', () => {
    const out = mkdtempSync(join(tmpdir(), 'll-parsers-'));
    execFileSync(process.execPath, [join(repoRoot, 'scripts/gen-corpus.mjs'), '--seed', '7', '--statements', '3000', '--out', out], { stdio: 'ignore' });
    const files = [...scripts(join(repoRoot, 'fixtures')), ...scripts(out)];
    expect(files.length).toBeGreaterThan(10);
    let n = 0;
    for (const file of files) n += compare(readFileSync(file, 'utf8'), file);
    expect(n).toBeGreaterThan(800);
  });
});
