import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgServer } from './live/pg-server.js';
import { startPgServer } from './live/pg-server.js';
import { repoRoot, runCli } from './run-cli.js';

let server: PgServer | undefined;

beforeAll(async () => {
  server = await startPgServer();
  const client = await server.client('postgres');
  await client.query('CREATE DATABASE saas');
  await client.end();
  const saas = await server.client('saas');
  const dir = join(repoRoot, 'fixtures/saas/migrations');
  for (const file of readdirSync(dir).sort()) await saas.query(readFileSync(join(dir, file), 'utf8'));
  await saas.end();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('limitless-lint advise --database-url', () => {
  it('reads tables, keys and foreign keys from the catalog and advises as from the migrations', async () => {
    if (!server) throw new Error('no server');
    const json = (run: { code: number; stdout: string; stderr: string }) => {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as { manifests: { tables: unknown[]; score: unknown }[]; domains: unknown[] };
    };
    const live = json(await runCli(['advise', 'fixtures/saas', '--database-url', server.url('saas'), '--ssl', 'disable', '--format', 'json']));
    const ddl = json(await runCli(['advise', 'fixtures/saas', '--ddl', 'fixtures/saas/migrations', '--format', 'json']));
    expect(live.domains).toEqual(ddl.domains);
    expect(live.manifests[0]).toEqual(ddl.manifests[0]);
  });
});
