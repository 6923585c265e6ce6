import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/reporters/json.js';
import { runCli } from './run-cli.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-hostile-'));
  writeFileSync(join(tmp, 'limitless.yaml'), 'shards: 4\ntables:\n  accounts: { mode: sharded, shard_key: [account_id] }\n');
  writeFileSync(join(tmp, 'subqueries.sql'), `SELECT ${'(SELECT '.repeat(1000)}1${')'.repeat(1000)};\nSELECT * FROM accounts WHERE account_id = 1;\n`);
  writeFileSync(join(tmp, 'nots.sql'), `DELETE FROM accounts WHERE ${'NOT '.repeat(2000)}account_id = 1;\n`);
  writeFileSync(join(tmp, 'casts.sql'), `SELECT 1${'::int'.repeat(5000)};\n`);
  writeFileSync(join(tmp, 'concat.sql'), `SELECT ${Array.from({ length: 5000 }, () => "'a'").join(' || ')};\n`);
  writeFileSync(join(tmp, 'comment.sql'), 'SELECT 1;\n/* the rest is a comment;\nDELETE FROM accounts;\n');
  // A NUL in the first 8 KB makes a file binary (skipped, with its reason); past them, the statement is a parse-error.
  writeFileSync(join(tmp, 'nul.sql'), 'DELETE FROM accounts WHERE account_id = 7\0 OR true;\n');
  writeFileSync(join(tmp, 'nul-late.sql'), `${'-- padding\n'.repeat(1000)}DELETE FROM accounts WHERE account_id = 7\0 OR true;\n`);
  writeFileSync(join(tmp, 'app.ts'), 'await pool.query("DELETE FROM accounts WHERE account_id = 7\\0 OR true");\n');
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

async function lint(jobs: string): Promise<{ code: number; files: Record<string, string[]>; skipped: string[] }> {
  const run = await runCli(['--format', 'json', '--jobs', jobs, '.'], { cwd: tmp });
  const report = JSON.parse(run.stdout) as JsonReport;
  return {
    code: run.code,
    files: Object.fromEntries(report.files.map((f) => [f.path, f.diagnostics.map((d) => `${d.line}:${d.column}:${d.ruleId}`)])),
    skipped: report.skipped.map((s) => `${s.path}: ${s.reason}`),
  };
}

describe('hostile SQL through the CLI', () => {
  it('deep statements, an unterminated comment and NUL bytes: the same report on 1 and 2 threads, no internal-error', async () => {
    const one = await lint('1');
    expect(one.files).toEqual({
      'app.ts': ['1:60:parse-error'],
      'casts.sql': ['1:1:unanalysable'],
      'comment.sql': ['2:1:parse-error'],
      'concat.sql': ['1:1:unanalysable'],
      'nots.sql': ['1:1:unanalysable'],
      'nul-late.sql': ['1001:42:parse-error'],
      'subqueries.sql': ['1:1:unanalysable'],
    });
    expect(one.skipped).toEqual(['nul.sql: binary file, not linted']);
    expect(one.code).toBe(2); // a file could not be linted
    expect(await lint('2')).toEqual(one);
  });
});
