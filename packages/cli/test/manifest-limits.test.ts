import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'limitless-cli-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sql = join(dir, 'q.sql');
writeFileSync(sql, 'SELECT 1;\n');

describe('hostile manifests given with --config', () => {
  it.runIf(existsSync('/dev/zero'))('refuses /dev/zero with exit 2 instead of reading it forever', async () => {
    const { code, stderr } = await runCli(['--config', '/dev/zero', sql]);
    expect(code).toBe(2);
    expect(stderr).toContain('the manifest /dev/zero is a character device, not a regular file');
  });

  it('exits 2 on a misspelt rule, with where it is and what was meant', async () => {
    const manifest = join(dir, 'rules.yaml');
    writeFileSync(manifest, 'shards: 4\nrules:\n  no-sesion-pinning: off\n');
    const { code, stderr } = await runCli(['--config', manifest, sql]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${manifest}:3:3: unknown rule \`no-sesion-pinning\` (at rules.no-sesion-pinning) — did you mean \`no-session-pinning\`?`);
  });
});
