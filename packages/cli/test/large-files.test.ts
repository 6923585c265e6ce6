import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// 3 MB: about 36,000 statements, or one line of 3 million characters: every statement counted, and a
// code frame that stays small on a very long line, at a size every test run can afford (the 50 MB
// version took a minute). `pnpm bench` measures the throughput, on 100,000 statements.
const SIZE = 3_000_000;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'limitless-lint-large-'));
  writeFileSync(join(tmp, 'limitless.yaml'), 'shards: 16\ntables:\n  accounts: { mode: sharded, shard_key: [account_id] }\n');
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('large files', () => {
  it('lints a 3 MB file of short INSERT statements, every one of them', async () => {
    const parts: string[] = [];
    let size = 0;
    while (size < SIZE) {
      const statement = `INSERT INTO accounts (account_id, owner_name) VALUES (${parts.length}, 'owner ${parts.length}');\n`;
      parts.push(statement);
      size += statement.length;
    }
    writeFileSync(join(tmp, 'many.sql'), parts.join(''));
    const started = performance.now();
    const { code, stdout, stderr } = await runCli(['many.sql'], { cwd: tmp });
    const seconds = (performance.now() - started) / 1000;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`✔ no problems\n${parts.length} statements in 1 file (0 parse errors)\n`);
    // About 1.5 s on a 2-core machine (Dec 2026); the bound only catches a collapse.
    expect(seconds).toBeLessThan(60);
  }, 120_000);

  it('reports an error at the end of a 3 MB line with a bounded code frame', async () => {
    const rows: string[] = [];
    let size = 0;
    while (size < SIZE) {
      const row = `(${rows.length}, 'owner ${rows.length}')`;
      rows.push(row);
      size += row.length + 2;
    }
    // A syntax error at the very end of the line: the frame must show its neighbourhood, not the line.
    const text = `INSERT INTO accounts (account_id, owner_name) VALUES ${rows.join(', ')} RETURNING;\n`;
    writeFileSync(join(tmp, 'one.sql'), text);
    const { code, stdout, stderr } = await runCli(['one.sql'], { cwd: tmp });
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    // PostgreSQL places "at end of input" on the statement's last character.
    expect(stdout).toContain(`one.sql:1:${text.lastIndexOf(';')}  error`);
    expect(stdout).toContain('1 statement in 1 file');
    expect(stdout.length).toBeLessThan(5_000);
  }, 120_000);
});
