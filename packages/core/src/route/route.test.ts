/**
 * Table-driven tests of the route analyzer (docs/architecture.md; facts from docs/limitless/tables.md and docs/limitless/routing.md).
 *
 * Each case is one statement, the manifest it is analysed against, the expected route and fan-out,
 * and optionally fragments that ONE of the reasons must contain (so a reason names the table, the
 * column and what makes the difference).
 *
 * Cases marked `ANALYZER DISAGREES` encode the answer the docs/limitless pages support, not the analyzer's current
 * answer; the comment above each says what the analyzer answers and why it is wrong.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { parseManifest } from '../manifest/parse.js';
import type { Manifest } from '../manifest/types.js';
import { loadParser } from '../sql/parser.js';
import { cases, MANIFESTS } from '../../test/route-cases.js';
import type { ManifestName } from '../../test/route-cases.js';

const fixture = (path: string): string => readFileSync(new URL(`../../../../fixtures/demo/${path}`, import.meta.url), 'utf8');

// ---------------------------------------------------------------------------------------------
// Runner
// ---------------------------------------------------------------------------------------------

const manifests = new Map<ManifestName, Manifest>();

function manifestFor(name: ManifestName): Manifest {
  const cached = manifests.get(name);
  if (cached) return cached;
  const result = parseManifest(MANIFESTS[name], `${name}.yaml`);
  if (!result.ok) throw new Error(`manifest ${name}: ${JSON.stringify(result.problems)}`);
  manifests.set(name, result.manifest);
  return result.manifest;
}

const normalise = (sql: string): string => sql.replace(/\s+/g, ' ').replace(/\s*;\s*$/, '').trim();

beforeAll(async () => {
  await loadParser();
});

describe('analyzeRoute: route, fan-out and reasons', () => {
  it('has at least 170 cases and no duplicates', () => {
    expect(cases.length).toBeGreaterThanOrEqual(170);
    const keys = cases.map((c) => `${c.manifest}\u0000${normalise(c.sql)}`);
    const duplicates = keys.filter((k, i) => keys.indexOf(k) !== i);
    expect(duplicates).toEqual([]);
  });

  // `$sql` would be cut at 40 characters in the title: give each case its full, one-line SQL instead.
  const titled = cases.map((c) => [`[${c.manifest}] ${normalise(c.sql)}`, c] as const);

  it.each(titled)('%s', (_title, { sql, manifest, route, fanout, reasonIncludes }) => {
    const result = analyzeSql(sql, { manifest: manifestFor(manifest) });
    expect(result.statements).toHaveLength(1);
    const statement = result.statements[0];
    if (route === 'parse-error') {
      expect(statement?.kind).toBe('parse-error');
      expect(statement?.route).toBeUndefined();
      return;
    }
    const actual = statement?.route;
    expect(actual, 'the statement parsed and has a route').toBeDefined();
    if (!actual) return;
    // Route and fan-out together; the reasons are shown when they differ.
    expect({ route: actual.kind, fanout: actual.fanout }, `reasons: ${actual.reasons.join(' | ')}`).toEqual({ route, fanout });
    if (reasonIncludes !== undefined) {
      const fragments = typeof reasonIncludes === 'string' ? [reasonIncludes] : reasonIncludes;
      const match = actual.reasons.find((r) => fragments.every((f) => r.includes(f)));
      expect(match, `one reason containing ${JSON.stringify(fragments)} among ${JSON.stringify(actual.reasons)}`).toBeDefined();
    }
  });
});

describe('the demo fixtures are covered statement by statement', () => {
  it.each(['queries/good.sql', 'queries/bad.sql'])('%s', (path) => {
    const text = fixture(path);
    const statements = analyzeSql(text, { manifest: manifestFor('demo') }).statements.map((s) => normalise(text.slice(s.span.start, s.span.end)));
    const covered = new Set(cases.filter((c) => c.manifest === 'demo').map((c) => normalise(c.sql)));
    expect(statements.length).toBeGreaterThan(10);
    expect(statements.filter((s) => !covered.has(s))).toEqual([]);
  });
});

describe('column types from the replayed DDL', () => {
  const route = (text: string) => analyzeSql(text, { manifest: manifestFor('aws') }).statements.at(-1)?.route?.kind;
  it.each([
    ['CREATE TABLE customers (customer_id numeric, name text);\nSELECT * FROM customers WHERE customer_id = 1.5;', 'single-shard'],
    ['CREATE TABLE customers (customer_id bigint, name text);\nSELECT * FROM customers WHERE customer_id = 1.5;', 'all-shards'],
    ['CREATE TABLE customers (customer_id double precision);\nSELECT * FROM customers WHERE customer_id = abs($1);', 'single-shard'],
    ['SELECT * FROM customers WHERE customer_id = 1.5;', 'all-shards'],
  ])('%s → %s', (text, expected) => {
    expect(route(text)).toBe(expected);
  });
});
