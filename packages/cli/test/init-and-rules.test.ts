import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseManifest, rules } from '@limitless-lint/core';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../src/util/io.js';
import { runRules } from '../src/commands/rules.js';
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

describe('init tells what it decided', () => {
  it('names every table with its mode and the file that decided it, on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-init-'));
    const run = await runCli(['init', '--from-ddl', 'fixtures/demo/migrations', '--output', join(dir, 'limitless.yaml')]);
    expect(run.code).toBe(0);
    const lines = run.stderr.trimEnd().split('\n');
    const demo = tablesOf(readFileSync(join(repoRoot, 'fixtures/demo/limitless.yaml'), 'utf8'));
    // One line per table, then the line that says where the manifest went; no warning: tables are sharded.
    expect(lines).toHaveLength(demo.length + 1);
    expect(lines).toContain('limitless-lint: accounts: sharded on (account_id) — fixtures/demo/migrations/0002_accounts.sql makes it sharded (create-table settings or conversion procedure)');
    expect(lines.filter((l) => / — fixtures\/demo\/migrations\/\S+\.sql (makes|creates) /.test(l))).toHaveLength(demo.length);
    expect(run.stderr).not.toContain('warning');
  });

  it('warns when no table is sharded (plain PostgreSQL migrations), pointing to advise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-init-'));
    writeFileSync(join(dir, '0001.sql'), 'CREATE TABLE accounts (account_id bigint PRIMARY KEY);\nCREATE TABLE notes (id int);\n');
    const run = await runCli(['init', '--from-ddl', '0001.sql', '--output', '-'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(
      [
        'limitless-lint: accounts: standard — 0001.sql creates it without a Limitless create-table mode (standard is the default)',
        'limitless-lint: notes: standard — 0001.sql creates it without a Limitless create-table mode (standard is the default)',
        "limitless-lint: warning: no table is sharded, so the lint can check no shard key. Plain CREATE TABLE makes standard tables; if yours are to be sharded, set each one's mode and shard_key in the manifest (`init --from-ddl … --advise` or `limitless-lint advise` propose shard keys, collocation groups and reference tables from your queries: see docs/advise.md).",
        '',
      ].join('\n'),
    );
    expect(tablesOf(run.stdout).map((t) => t.mode)).toEqual(['standard', 'standard']);
  });
});

describe('init writes a schema line that resolves in node_modules', () => {
  const FIRST_LINE = /^# yaml-language-server: \$schema=(\S+)\n/;

  it('relative to the manifest: at the project root, and in a subdirectory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-init-'));
    writeFileSync(join(dir, 'package.json'), '{}\n');
    const schemaDir = join(dir, 'node_modules/@limitless-lint/core/schema');
    mkdirSync(schemaDir, { recursive: true });
    copyFileSync(join(repoRoot, 'packages/core/schema/limitless.schema.json'), join(schemaDir, 'limitless.schema.json'));
    mkdirSync(join(dir, 'db'));
    for (const [output, expected] of [
      ['limitless.yaml', './node_modules/@limitless-lint/core/schema/limitless.schema.json'],
      ['db/limitless.yaml', '../node_modules/@limitless-lint/core/schema/limitless.schema.json'],
    ] as const) {
      const run = await runCli(['init', '--from-ddl', join(repoRoot, 'fixtures/demo/migrations'), '--output', output], { cwd: dir });
      expect(run.code).toBe(0);
      const written = readFileSync(join(dir, output), 'utf8');
      const reference = FIRST_LINE.exec(written)?.[1];
      expect(reference).toBe(expected);
      expect(existsSync(join(dir, output, '..', reference as string))).toBe(true);
    }
  });

  it('before the package is installed: the path the project (package.json) will have', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-init-'));
    writeFileSync(join(dir, 'package.json'), '{}\n');
    mkdirSync(join(dir, 'db', 'schema'), { recursive: true });
    const run = await runCli(['init', '--from-ddl', join(repoRoot, 'fixtures/demo/migrations'), '--output', 'db/schema/limitless.yaml'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(FIRST_LINE.exec(readFileSync(join(dir, 'db/schema/limitless.yaml'), 'utf8'))?.[1]).toBe('../../node_modules/@limitless-lint/core/schema/limitless.schema.json');
    const printed = await runCli(['init', '--from-ddl', join(repoRoot, 'fixtures/demo/migrations'), '--output', '-'], { cwd: join(dir, 'db') });
    expect(FIRST_LINE.exec(printed.stdout)?.[1]).toBe('../node_modules/@limitless-lint/core/schema/limitless.schema.json');
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

  it('lists the group alias no-unsupported-feature with its rules', async () => {
    const run = await runCli(['rules']);
    expect(run.stdout).toContain('  no-unsupported-feature: no-unsupported-ddl, no-unsupported-dml, no-unsupported-table-feature, no-unsupported-sequence-feature, no-unsupported-isolation\n');
  });

  it('marks an opt-in rule (default off) as such, in text and JSON', () => {
    const [first] = rules;
    if (!first) throw new Error('no rules');
    const optIn = { ...first, meta: { ...first.meta, id: 'no-opt-in-example', defaultLevel: 'off' as const } };
    const out = (format: 'text' | 'json') => {
      let text = '';
      runRules(format, { stdout: { write: (s: string) => (text += s) } } as unknown as CliIo, [first, optIn]);
      return text;
    };
    expect(out('text')).toMatch(/^ {2}no-opt-in-example +off +.* \(opt-in: switch it on under `rules:`\)$/m);
    expect(out('text')).not.toMatch(new RegExp(`^  ${first.meta.id} .*opt-in`, 'm'));
    expect((JSON.parse(out('json')) as { id: string; optIn: boolean }[]).map((r) => [r.id, r.optIn])).toEqual([
      [first.meta.id, false],
      ['no-opt-in-example', true],
    ]);
  });
});
