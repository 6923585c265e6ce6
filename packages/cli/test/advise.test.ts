import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest } from '@limitless-lint/core';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/live/audit/csv.js';
import { repoRoot, runCli } from './run-cli.js';

interface AdviseJson {
  shards: number;
  statements: { scored: number; weighted: boolean; skipped: Record<string, number> };
  manifests: { rank: number; score: { work: number; local: number }; tables: { key: string; mode: string; shardKey: string[]; group?: string; collocateWith?: string }[] }[];
  current?: { file: string; score: { work: number } };
  scatter: { name: string; kind: string; weight: number; calls?: number }[];
}

const SAAS = ['advise', '--ddl', 'fixtures/saas/migrations', 'fixtures/saas'];

describe('limitless-lint advise', () => {
  it('weighs the SaaS statements by the workload: the hot API-key lookup takes its own shard key', async () => {
    const run = await runCli([...SAAS, '--workload', 'fixtures/saas/workload/pg_stat_statements.csv', '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as AdviseJson;
    expect(report.statements.weighted).toBe(true);
    // 153 statements of the project, and the reporting job's statement that only the workload has.
    expect(report.statements.scored).toBe(154);
    expect(report.statements.skipped).toEqual({ 'not a query or DML statement': 2, 'uses no table of the schema': 1 });
    const best = report.manifests[0];
    if (!best) throw new Error('no manifest');
    const byKey = new Map(best.tables.map((t) => [t.key, t]));
    expect(byKey.get('public.api_keys')).toMatchObject({ mode: 'sharded', shardKey: ['key_hash'], group: 'public.api_keys' });
    expect(byKey.get('public.tasks')).toMatchObject({ mode: 'sharded', shardKey: ['tenant_id'], collocateWith: 'public.tenants' });
    expect(best.tables.filter((t) => t.mode === 'reference').map((t) => t.key)).toEqual(['public.countries', 'public.currencies', 'public.feature_catalog', 'public.permissions', 'public.plans']);
    expect(best.tables.filter((t) => t.mode === 'sharded' && t.shardKey[0] === 'tenant_id')).toHaveLength(22);

    // The score from the export itself: every call costs 1 shard, except the calls of the statements
    // that stay scatter-gather, which cost 16 (none of them is multi-shard).
    const rows = parseCsv(readFileSync(join(repoRoot, 'fixtures/saas/workload/pg_stat_statements.csv'), 'utf8'));
    const header = rows[0] as string[];
    const [q, c] = [header.indexOf('query'), header.indexOf('calls')];
    const calls = rows.slice(1).filter((r) => !['BEGIN', 'COMMIT', 'SELECT $1'].includes(r[q] as string)).reduce((s, r) => s + Number(r[c]), 0);
    expect(report.scatter.every((s) => s.kind !== 'multi-shard')).toBe(true);
    const scatterCalls = report.scatter.reduce((s, x) => s + x.weight, 0);
    expect(best.score.work).toBeCloseTo(1 + (15 * scatterCalls) / calls, 9);
    expect(best.score.local).toBeCloseTo(1 - scatterCalls / calls, 9);
    expect(report.scatter.map((s) => s.name)).toContain('pendingDeliveriesAllTenants');
    expect(report.scatter.map((s) => s.name)).not.toContain('authenticateApiKey');
    expect(report.scatter[0]).toMatchObject({ name: 'pendingDeliveriesAllTenants', calls: 8640 });
  });

  it('ranks the demo in Markdown against the demo manifest', async () => {
    const run = await runCli(['advise', '--ddl', 'fixtures/demo/migrations', 'fixtures/demo', '--config', 'fixtures/demo/limitless.yaml', '--format', 'markdown', '--top', '3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\| 1 \| 3\.85 \| 77\.8% \| 19 \| 1 \| 4 \| 0 \| 0 \| 1 \| 0 \| 1 \| accounts\(account_id\) \+ audit_log, ledger_entries, payment_methods, transactions; reference: countries, currencies, feature_flags, merchants \|$/m);
    expect(run.stdout).toMatch(/^\| current \| 6\.07 \| 63\.0% \| 16 \|.*fixtures\/demo\/limitless\.yaml \|$/m);
    expect(run.stdout.match(/^\| [0-9]+ \|/gm)).toHaveLength(3);
    expect(run.stdout).toContain('| `transactions` | sharded on account_id, with accounts: 12 of 14 statements filter or join on it;');
  });

  it('writes the chosen manifest, and never over an existing file without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-advise-'));
    const output = join(dir, 'limitless.yaml');
    const run = await runCli([...SAAS, '--output', output, '--fix', 'api_keys=key_hash', '--shards', '32']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/wrote .*limitless\.yaml \(rank 1: [0-9.]+ shard work per call\)/);
    const parsed = parseManifest(readFileSync(output, 'utf8'));
    if (!parsed.ok) throw new Error('invalid manifest');
    expect(parsed.manifest.shards).toBe(32);
    expect(parsed.manifest.tables.get('public.api_keys')).toMatchObject({ mode: 'sharded', shardKey: ['key_hash'] });
    expect(readFileSync(output, 'utf8')).toContain('# sharded on key_hash (as asked): 3 of 6 statements filter or join on it;');
    writeFileSync(output, 'keep me');
    const refused = await runCli([...SAAS, '--output', output]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('exists; use --force');
    expect(readFileSync(output, 'utf8')).toBe('keep me');
  });

  it('writes another ranked manifest with --rank', async () => {
    const ranked = await runCli([...SAAS, '--output', '-', '--rank', '2', '--format', 'json']);
    expect(ranked.code).toBe(0);
    const report = JSON.parse(ranked.stderr) as AdviseJson;
    const parsed = parseManifest(ranked.stdout);
    if (!parsed.ok) throw new Error('invalid manifest');
    const second = report.manifests[1];
    for (const t of second?.tables ?? []) expect(parsed.manifest.tables.get(t.key)).toMatchObject({ mode: t.mode, shardKey: t.shardKey });
    expect(ranked.stdout).toContain('(rank 2 of 5)');
    expect((await runCli([...SAAS, '--rank', '9'])).stderr).toContain('--rank 9: only 5 manifest(s) ranked');
  });

  it('prints the manifest with --output - and the report on stderr', async () => {
    const run = await runCli([...SAAS, '--output', '-', '--reference', 'tenants']);
    expect(run.code).toBe(0);
    const parsed = parseManifest(run.stdout);
    if (!parsed.ok) throw new Error('invalid manifest');
    expect(parsed.manifest.tables.get('public.tenants')?.mode).toBe('reference');
    expect(run.stderr).toContain('limitless-lint advise');
  });

  it('says what is wrong with bad input (exit 2)', async () => {
    const noSchema = await runCli(['advise', 'fixtures/saas', '--database-url', 'postgres://127.0.0.1:1/none', '--ddl', 'fixtures/saas/migrations']);
    expect(noSchema.code).toBe(2);
    expect(noSchema.stderr).toContain('give the schema once');
    const none = await runCli(['advise', 'fixtures/saas']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('advise needs the schema: give --ddl <migrations> or --database-url <url>');
    const badFix = await runCli([...SAAS, '--fix', 'tasks']);
    expect(badFix.code).toBe(2);
    expect(badFix.stderr).toContain('--fix tasks: expected table=column');
    const unknown = await runCli([...SAAS, '--reference', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nope: no such table in the schema');
  });

  it('init --advise proposes instead of replaying, and init points to it when nothing is sharded', async () => {
    const advised = await runCli(['init', '--from-ddl', 'migrations', '--advise', '--output', '-'], { cwd: join(repoRoot, 'fixtures/saas') });
    expect(advised.code).toBe(0);
    const parsed = parseManifest(advised.stdout);
    if (!parsed.ok) throw new Error('invalid manifest');
    expect(parsed.manifest.tables.get('public.users')).toMatchObject({ mode: 'sharded', shardKey: ['tenant_id'], collocationGroup: 'public.tenants' });
    const replayed = await runCli(['init', '--from-ddl', 'fixtures/saas/migrations', '--output', '-']);
    expect(replayed.code).toBe(0);
    expect(replayed.stderr).toContain('no table is sharded');
    expect(replayed.stderr).toContain('docs/advise.md');
    const demo = await runCli(['init', '--from-ddl', 'fixtures/demo/migrations', '--output', '-']);
    expect(demo.stderr).not.toContain('no table is sharded');
  });
});
