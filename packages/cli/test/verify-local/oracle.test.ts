/**
 * The planner oracle (docs/verify-local.md): every route case of core's table and every statement of
 * fixtures/demo is planned by PostgreSQL (PGlite) and compared with the analyzer's verdict. No verdict may
 * be unsafe (one shard claimed, several planned); each conservative one is listed, with its reason, in
 * known-conservative.tsv — the list must match exactly, so a fix or a new gap shows here.
 */
import { readFileSync } from 'node:fs';
import { analyzeSql, loadParser, parseManifest } from '@limitless-lint/core';
import type { Manifest } from '@limitless-lint/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cases, MANIFESTS } from '../../../core/test/route-cases.js';
import type { ManifestName } from '../../../core/test/route-cases.js';
import { compareVerdicts } from '../../src/verify-local/compare.js';
import type { OracleStatement } from '../../src/verify-local/oracle.js';
import { runOracle } from '../../src/verify-local/oracle.js';
import { runCli } from '../run-cli.js';

const KNOWN = new URL('./known-conservative.tsv', import.meta.url);

function manifestOf(name: ManifestName): Manifest {
  const parsed = parseManifest(MANIFESTS[name], `${name}.yaml`);
  if (!parsed.ok) throw new Error(`manifest ${name} does not load`);
  return parsed.manifest;
}

/** The analyzer's own verdict on one statement (not the case's expectation: the oracle checks the analyzer). */
function verdictOf(sql: string, manifest: Manifest): OracleStatement | undefined {
  const route = analyzeSql(sql, { manifest }).statements[0]?.route;
  return route && { sql, route: route.kind, fanout: route.fanout, tables: route.tables };
}

beforeAll(async () => {
  await loadParser();
});

describe('verify --local on the route cases', () => {
  it('finds no unsafe verdict, and exactly the listed conservative ones', { timeout: 300_000 }, async () => {
    const conservative: string[] = [];
    const unsafe: string[] = [];
    const figures = { statements: 0, compared: 0, agree: 0, unsafe: 0, conservative: 0, notCompared: 0 };
    for (const name of Object.keys(MANIFESTS) as ManifestName[]) {
      const manifest = manifestOf(name);
      const statements = cases.filter((c) => c.manifest === name && c.route !== 'parse-error').flatMap((c) => verdictOf(c.sql, manifest) ?? []);
      const run = await runOracle(manifest, statements);
      for (const k of Object.keys(figures) as (keyof typeof figures)[]) figures[k] += run.figures[k];
      run.results.forEach((r, i) => {
        const line = `${name}\t${(statements[i] as OracleStatement).sql.replace(/\s+/g, ' ')}`;
        if (r.comparison.agreement === 'unsafe') unsafe.push(`${line}\t${r.comparison.note}`);
        if (r.comparison.agreement === 'conservative') conservative.push(line);
      });
    }
    console.log(`route cases through the oracle: ${JSON.stringify(figures)}`);
    expect(unsafe).toEqual([]);
    const listed = readFileSync(KNOWN, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split('\t').slice(0, 2).join('\t'));
    expect(conservative.sort()).toEqual(listed.sort());
    expect(figures.compared).toBeGreaterThan(200);
  });
});

describe('verify --local on fixtures/demo', () => {
  it('reports 0 unsafe verdicts and exits 0', { timeout: 120_000 }, async () => {
    const run = await runCli(['verify', '--local', 'fixtures/demo']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/ \d+ compared with PostgreSQL's plan \(16 partitions per sharded table\): \d+ agree, 0 unsafe, 0 conservative/);
    expect(run.code).toBe(0);
  });

  it('needs --local', async () => {
    const run = await runCli(['verify', 'fixtures/demo']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('verify needs --local');
  });
});

/**
 * Statements where a naive reading (the key compared with something) and the planner differ: the oracle
 * must call a one-shard claim on them unsafe, and agree with the analyzer's actual verdict.
 */
describe('the oracle catches what a naive reading gets wrong', () => {
  const manifest = manifestOf('aws');
  const naive = [
    { sql: 'SELECT * FROM customers WHERE customer_id = abs($1)', why: 'abs(double precision): the key is cast' },
    { sql: 'SELECT * FROM customers WHERE customer_id = round($1::numeric)', why: 'numeric result: the key is cast' },
    { sql: 'SELECT * FROM customers WHERE customer_id = 1.0', why: 'a numeric literal' },
    { sql: 'SELECT * FROM customers WHERE customer_id::text = $1', why: 'a cast on the key' },
    { sql: 'SELECT * FROM customers c JOIN orders o ON o.customer_id = c.customer_id + 0 WHERE c.customer_id = $1', why: 'an expression on the join' },
  ];
  it.each(naive)('$sql ($why)', { timeout: 60_000 }, async ({ sql }) => {
    const claimed: OracleStatement = { sql, route: 'single-shard', fanout: 1, tables: [{ table: 'public.customers', mode: 'sharded', pinning: 'pinned' }] };
    const run = await runOracle(manifest, [claimed, verdictOf(sql, manifest) as OracleStatement]);
    expect(run.results[0]?.comparison.agreement).toBe('unsafe');
    expect(run.results[1]?.comparison.agreement).not.toBe('unsafe');
  });

  it('sees run-time pruning and pushed-down filters as one shard', { timeout: 60_000 }, async () => {
    const statements = ['SELECT * FROM customers WHERE customer_id = $1', 'SELECT * FROM (SELECT customer_id, count(*) FROM orders GROUP BY 1) s WHERE customer_id = $1'];
    const run = await runOracle(manifest, statements.map((sql) => ({ sql, route: 'single-shard', fanout: 1, tables: [{ table: sql.includes('orders') ? 'public.orders' : 'public.customers', mode: 'sharded', pinning: 'pinned' }] })));
    expect(run.results.map((r) => r.comparison.agreement)).toEqual(['agree', 'agree']);
  });

  it('compares a failed plan as not compared, never as agreement', () => {
    const c = compareVerdicts({ route: 'single-shard', fanout: 1, tables: [] }, { ok: false, reason: "boom" }, 16);
    expect(c.agreement).toBe('not-compared');
  });
});
