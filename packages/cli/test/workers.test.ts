import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '@limitless-lint/core';
import { loadParser } from '@limitless-lint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyzerCrash } from '../src/util/errors.js';
import { expandPaths } from '../src/input/files.js';
import { lintFiles } from '../src/run/lint-files.js';
import type { LintResult } from '../src/run/lint-result.js';
import type { Progress } from '../src/run/progress.js';
import { resolveManifests } from '../src/input/resolve-manifests.js';
import { chooseJobs, lintInWorkers } from '../src/worker.js';
import { repoRoot, runCli } from './run-cli.js';

const MANIFEST = readFileSync(join(repoRoot, 'fixtures/demo/limitless.yaml'), 'utf8');
const FILES = 300;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'limitless-lint-workers-'));
  writeFileSync(join(dir, 'limitless.yaml'), MANIFEST);
  // A migration first (path order): every later file knows its sequence column.
  mkdirSync(join(dir, 'a-migrations'));
  writeFileSync(join(dir, 'a-migrations', '001.sql'), "SET rds_aurora.limitless_create_table_mode = 'sharded';\nSET rds_aurora.limitless_create_table_shard_key = '{\"account_id\"}';\nCREATE TABLE refunds (refund_id bigserial, account_id bigint, PRIMARY KEY (account_id, refund_id));\n");
  const statements = [
    'SELECT * FROM accounts WHERE account_id = $1;',
    'SELECT * FROM transactions WHERE merchant_id = $1;',
    'SELECT * FROM refunds WHERE account_id = $1 ORDER BY refund_id DESC LIMIT 10;',
    "SET statement_timeout = '5s';",
    'UPDATE transactions SET account_id = 2 WHERE account_id = 1;',
    'SELEC broken;',
    "SELECT 'café', * FROM merchants m JOIN transactions t ON t.merchant_id = m.merchant_id WHERE t.account_id = 1;",
  ];
  for (let i = 0; i < FILES; i++) {
    const sub = join(dir, `d${i % 7}`);
    mkdirSync(sub, { recursive: true });
    if (i % 5 === 4) {
      const body = Array.from({ length: 1 + (i % 4) }, (_, k) => `  await pool.query(sql\`\n    ${statements[(i + k) % statements.length]?.replace(/;$/, '').replace('$1', '${id}')}\`);`).join('\n');
      writeFileSync(join(sub, `h${i}.ts`), `export async function h${i}(id: string) {\n${body}\n  return pool.query(text${i});\n}\n`);
    } else {
      const lines = Array.from({ length: 3 + (i % 11) }, (_, k) => statements[(i * 3 + k) % statements.length]);
      writeFileSync(join(sub, `q${i}.sql`), `-- file ${i}\n${lines.join(i % 2 ? '\n' : '\r\n')}\n`);
    }
  }
  writeFileSync(join(dir, 'd0', 'binary.sql'), Buffer.from([0x53, 0x00]));
  writeFileSync(join(dir, 'd1', 'broken.ts'), 'pool.query(;\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('worker threads', () => {
  it('the built worker exists (the sources use it in tests)', () => {
    expect(existsSync(join(repoRoot, 'packages/cli/dist/lint-worker.js')), 'build first: npx tsc -b').toBe(true);
  });

  it('give the same JSON and stylish reports with --jobs 1 and --jobs 2, byte for byte', async () => {
    const one = await runCli(['--format', 'json', '--jobs', '1', '.'], { cwd: dir });
    const two = await runCli(['--format', 'json', '--jobs', '2', '.'], { cwd: dir });
    expect(one.code).toBe(2);
    expect(two).toEqual(one);
    const report = JSON.parse(one.stdout) as { files: unknown[]; skipped: { path: string }[]; summary: { errors: number; embedded: { analysed: number } } };
    // The generated files and the migration; the binary file and the broken script are skipped.
    expect(report.files.length).toBe(FILES + 1);
    expect(report.skipped.map((s) => s.path)).toEqual([join('d0', 'binary.sql'), join('d1', 'broken.ts')]);
    expect(report.summary.errors).toBeGreaterThan(100);
    expect(report.summary.embedded.analysed).toBeGreaterThan(100);
    // The migration's sequence column reached the other files (no-sequence-ordering on refund_id).
    expect(one.stdout).toContain('"ruleId":"no-sequence-ordering"');

    const stylishOne = await runCli(['--jobs', '1', '.'], { cwd: dir });
    const stylishTwo = await runCli(['--jobs', '2', '.'], { cwd: dir });
    expect(stylishTwo).toEqual(stylishOne);
  });

  it('give the same results with statements and fingerprints kept', async () => {
    await loadParser();
    const expanded = await expandPaths(['.'], dir);
    const manifestFor = resolveManifests(expanded.files, undefined, dir);
    const plain = (r: LintResult) => r.files.map((f) => ({ ...f, lines: f.lines?.text.length }));
    const one = await lintFiles(expanded.files, manifestFor, dir, { statements: true, jobs: 1 });
    const two = await lintFiles(expanded.files, manifestFor, dir, { statements: true, jobs: 2 });
    expect(plain(two)).toEqual(plain(one));
    expect(two.skipped).toEqual(one.skipped);
    expect(one.files.every((f) => f.statements !== undefined && f.lines !== undefined)).toBe(true);
    expect(one.files.some((f) => f.statements?.some((s) => s.fingerprint))).toBe(true);
  });

  it('report progress for every file, then finish', async () => {
    await loadParser();
    const expanded = await expandPaths(['d3'], dir);
    const manifestFor = resolveManifests(expanded.files, undefined, dir);
    for (const jobs of [1, 2]) {
      const seen: string[] = [];
      const progress: Progress = { update: (done, total) => seen.push(`${done}/${total}`), finish: () => seen.push('finish') };
      await lintFiles(expanded.files, manifestFor, dir, { jobs, progress });
      const total = expanded.files.length;
      expect(seen).toEqual([...Array.from({ length: total + 1 }, (_, i) => `${i}/${total}`), 'finish']);
    }
  });

  it('stop every worker and name the file when the analyzer crashes in one', async () => {
    const file = join(dir, 'd0', 'q0.sql');
    // A manifest without its maps makes the analyzer throw: a stand-in for an analyzer bug.
    const broken = { shards: 16 } as unknown as Manifest;
    const tasks = [0, 1, 2].map((index) => ({ index, file, path: `file-${index}.sql`, language: 'sql' as const, manifest: index === 1 ? 0 : -1, known: 0, limit: 1024 * 1024 }));
    const done: number[] = [];
    const run = lintInWorkers(tasks, { manifests: [broken], knownTables: [new Map()], statements: false }, 2, (index) => done.push(index));
    await expect(run).rejects.toThrow(AnalyzerCrash);
    await expect(run).rejects.toThrow('the analyzer crashed on file-1.sql');
    await run.catch((error: unknown) => expect((error as Error).cause).toBeInstanceOf(Error));
  });

  it('are used by default only for large runs, never more than the files', () => {
    expect(chooseJobs(undefined, 10, 1000, 8)).toBe(1);
    expect(chooseJobs(undefined, 201, 1000, 8)).toBe(8);
    expect(chooseJobs(undefined, 3, 6 * 1024 * 1024, 8)).toBe(3);
    expect(chooseJobs(4, 10, 0, 2)).toBe(4);
    expect(chooseJobs(4, 2, 0, 2)).toBe(2);
    expect(chooseJobs(undefined, 0, 0, 2)).toBe(1);
  });

  it('--jobs takes a positive whole number', async () => {
    const run = await runCli(['--jobs', '0', '.'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: option '-j, --jobs <n>' argument '0' is invalid. Expected a positive whole number.");
  });
});
