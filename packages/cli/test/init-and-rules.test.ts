import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest, rules } from '@limitless-lint/core';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.js';

function tablesOf(yaml: string) {
  const result = parseManifest(yaml);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return [...result.manifest.tables.values()]
    .map((t) => ({ key: t.key, mode: t.mode, shardKey: t.shardKey, collocateWith: t.collocateWith, sequenceColumns: [...t.sequenceColumns].sort() }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

describe('limitless-lint init --from-ddl', () => {
  it("reproduces the demo's limitless.yaml from its migrations", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-init-'));
    const output = join(dir, 'limitless.yaml');
    const run = await runCli(['init', '--from-ddl', 'fixtures/demo/migrations', '--output', output]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('wrote');
    const demo = readFileSync(join(repoRoot, 'fixtures/demo/limitless.yaml'), 'utf8');
    expect(tablesOf(readFileSync(output, 'utf8'))).toEqual(tablesOf(demo));
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-init-'));
    const output = join(dir, 'limitless.yaml');
    writeFileSync(output, 'keep me');
    const refused = await runCli(['init', '--from-ddl', 'fixtures/demo/migrations', '--output', output]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('exists; use --force');
    expect(readFileSync(output, 'utf8')).toBe('keep me');
    const forced = await runCli(['init', '--from-ddl', 'fixtures/demo/migrations', '--output', output, '--force', '--shards', '32']);
    expect(forced.code).toBe(0);
    expect(readFileSync(output, 'utf8')).toMatch(/^shards: 32\b/m);
  });

  it('prints to stdout with --output -, and needs --from-ddl', async () => {
    const printed = await runCli(['init', '--from-ddl', 'fixtures/demo/migrations/0002_accounts.sql', '--output', '-']);
    expect(printed.code).toBe(0);
    expect(tablesOf(printed.stdout).map((t) => t.key)).toEqual(['public.accounts', 'public.payment_methods']);
    expect((await runCli(['init', 'fixtures/demo/migrations'])).code).toBe(2);
  });
});

describe('limitless-lint rules', () => {
  it('lists every rule with its default level', async () => {
    const run = await runCli(['rules']);
    expect(run.code).toBe(0);
    for (const r of rules) expect(run.stdout).toMatch(new RegExp(`^  ${r.meta.id} +${r.meta.defaultLevel} `, 'm'));
  });

  it('prints JSON with docs links', async () => {
    const run = await runCli(['rules', '--format', 'json']);
    const list = JSON.parse(run.stdout) as { id: string; docs: string }[];
    expect(list.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id));
    expect(list[0]?.docs).toMatch(/docs\/rules\/require-shard-key\.md$/);
  });
});
