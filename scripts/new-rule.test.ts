import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('./new-rule.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

// The refusals write nothing; the scaffold itself is shown end to end in the closing note of issue 15.
describe('pnpm new-rule', () => {
  it('prints its usage with --help', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: pnpm new-rule <id>');
  });

  it.each([
    [['Bad_Id'], '`Bad_Id` is not a rule id'],
    [['single'], '`single` is not a rule id'],
    [[], 'expected one rule id, got none'],
    [['require-shard-key'], 'rule `require-shard-key` already exists'],
    [['no-unsupported-feature'], '`no-unsupported-feature` is a group alias'],
    [['no-thing', '--category', 'misc'], 'unknown category `misc`'],
    [['no-thing', '--level', 'loud'], 'unknown level `loud`'],
  ])('refuses %j with a message saying why, and exit code 2', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});
