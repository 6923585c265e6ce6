import { describe, expect, it } from 'vitest';
import type { ExplainedStatement } from '../src/commands/explain.js';
import { runCli } from './run-cli.js';

const DEMO = 'fixtures/demo/limitless.yaml';

async function explainJson(args: readonly string[]): Promise<{ code: number; statements: ExplainedStatement[] }> {
  const run = await runCli(['explain', '--format', 'json', ...args]);
  return { code: run.code, statements: JSON.parse(run.stdout) as ExplainedStatement[] };
}

describe('limitless-lint explain', () => {
  it('prints the route, fan-out and reasons of -e SQL as JSON', async () => {
    const sql = 'SELECT 1;\nSELECT * FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = $1';
    const { code, statements } = await explainJson(['--config', DEMO, '-e', sql]);
    expect(code).toBe(0);
    expect(statements.map(({ file, line, column, route, fanout }) => ({ file, line, column, route, fanout }))).toEqual([
      { file: '<command-line>', line: 1, column: 1, route: 'none', fanout: 0 },
      { file: '<command-line>', line: 2, column: 1, route: 'all-shards', fanout: 16 },
    ]);
    expect(statements[1]?.reasons.join('\n')).toContain('merchants m: no equality on shard key merchant_id');
    expect(statements[1]?.tables).toEqual([
      { table: 'transactions', mode: 'sharded', access: 'read', pinning: 'pinned' },
      { table: 'merchants', mode: 'sharded', access: 'read', pinning: 'all' },
    ]);
  });

  it('gives every statement of a file a route or a parse error, with positions', async () => {
    const { code, statements } = await explainJson(['fixtures/demo/queries/bad.sql']);
    expect(code).toBe(0);
    const parseError = statements.find((s) => s.parseError);
    expect(parseError).toMatchObject({ route: 'unknown', parseError: { message: 'syntax error at or near "SELEC"' } });
    expect(parseError?.parseError?.line).toBe(parseError?.line);
    for (const s of statements) {
      expect(typeof s.sql).toBe('string');
      expect(s.line).toBeGreaterThan(0);
      expect(s.reasons.length).toBeGreaterThan(0);
    }
    const single = statements.filter((s) => s.route === 'single-shard').map((s) => s.line);
    expect(single.length).toBeGreaterThan(0);
  });

  it('finds the manifest above the file, and prints text with a route summary', async () => {
    const run = await runCli(['explain', 'fixtures/demo/queries/good.sql']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('fixtures/demo/queries/good.sql:6:1\n');
    expect(run.stdout).toContain('  single-shard fan-out 1\n    - accounts: pinned by account_id = $1\n');
    expect(run.stdout).toMatch(/\n\d+ statements: \d+ single-shard/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('refuses files and -e together, and no input at all', async () => {
    expect((await runCli(['explain', '-e', 'SELECT 1', 'x.sql'])).code).toBe(2);
    const none = await runCli(['explain']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('explain needs files or -e <sql>');
  });

  it('reports an unreadable input and exits 2', async () => {
    const run = await runCli(['explain', 'fixtures/does-not-exist.sql']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no such file or directory');
  });

  it('has help with examples', async () => {
    const run = await runCli(['explain', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toContain('limitless-lint explain -e');
  });
});
