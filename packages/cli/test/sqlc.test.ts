import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/reporters/json.js';
import { repoRoot, runCli } from './run-cli.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-sqlc-'));
  cpSync(join(repoRoot, 'fixtures/sqlc'), tmp, { recursive: true });
  // A query listed in sqlc.yaml but without an annotation, and the same text outside sqlc.yaml.
  const query = 'SELECT * FROM accounts WHERE account_id = @account_id;\n';
  writeFileSync(join(tmp, 'queries', 'bare.sql'), query);
  writeFileSync(join(tmp, 'bare.sql'), query);
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

async function lint(args: readonly string[]): Promise<Record<string, string[]>> {
  const run = await runCli(['--format', 'json', ...args], { cwd: tmp });
  const report = JSON.parse(run.stdout) as JsonReport;
  return Object.fromEntries(report.files.map((f) => [f.path, f.diagnostics.map((d) => `${d.line}:${d.ruleId}`)]));
}

describe('sqlc query files in the CLI', () => {
  it('reads annotated files and files a sqlc.yaml lists as sqlc; the same verdicts with --jobs 1 and 2', async () => {
    const one = await lint(['queries', 'numbered', 'bare.sql', '--jobs', '1']);
    expect(one[join('queries', 'bare.sql')]).toEqual([]);
    // Not listed, not annotated: `@account_id` is PostgreSQL's prefix operator on a column, no pin.
    expect(one['bare.sql']).toEqual(['1:require-shard-key']);
    expect(one[join('queries', 'invoices.sql')]).toEqual(['9:require-shard-key', '12:require-shard-key', '15:no-multi-shard-write', '18:require-shard-key', '18:no-multi-shard-write', '21:require-shard-key']);
    expect(await lint(['queries', 'numbered', 'bare.sql', '--jobs', '2'])).toEqual(one);
  });

  it('--sqlc reads every SQL file as sqlc', async () => {
    expect((await lint(['bare.sql', '--sqlc']))['bare.sql']).toEqual([]);
  });

  it('names the query in messages', async () => {
    const run = await runCli(['--format', 'json', join('queries', 'invoices.sql')], { cwd: tmp });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.files[0]?.diagnostics.map((d) => d.message.split(':')[0])).toEqual(['InvoicesByIds', 'InvoicesIn', 'InsertInvoices', 'CloseInvoice', 'CloseInvoice', 'GetInvoices']);
  });
});

describe('psql scripts in the CLI', () => {
  it('the JSON summary counts the text not analysed, by cause', async () => {
    const run = await runCli(['--format', 'json', 'fixtures/psql'], { cwd: repoRoot });
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.summary.notAnalysed).toEqual({ metaCommands: 3, metaCommandChars: 48, copyDataBlocks: 2, copyDataChars: 92, unterminatedCopyData: 1, unanalysable: 3 });
    expect(report.files.map((f) => f.diagnostics.filter((d) => d.ruleId === 'unanalysable').map((d) => `${d.line}:${d.messageId}`))).toEqual([['14:placeholder', '16:placeholder', '25:placeholder'], ['2:unterminatedCopy']]);
  });
});
