import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const bad = 'fixtures/demo/queries/bad.sql';

describe('--format compact', () => {
  it('prints one `path:line:column: severity: message [rule]` line per finding, in file order, then a summary line', async () => {
    const { code, stdout, stderr } = await runCli(['--format', 'compact', 'fixtures/demo']);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    const lines = stdout.slice(0, -1).split('\n');
    expect(lines).toHaveLength(25);
    expect(lines[0]).toBe(`${bad}:8:6: error: \`transactions\` has no equality on its shard key \`account_id\`, so this statement runs on every shard. [require-shard-key]`);
    expect(lines[22]).toBe(`${bad}:111:1: error: PostgreSQL cannot parse this statement: syntax error at or near "SELEC". [parse-error]`);
    expect(lines[24]).toBe('limitless-lint: 24 problems (17 errors, 7 warnings, 0 info); 75 statements in 7 files (1 parse error)');
    for (const line of lines.slice(0, 24)) expect(line).toMatch(/^[^:]+:\d+:\d+: (error|warning|info): .+ \[[a-z-]+\]$/);
  });

  it('has no colour, even on a terminal, and prints control characters visibly', async () => {
    const clean = await runCli(['--format', 'compact', 'fixtures/cli/clean/ok.sql'], { tty: true });
    expect(clean).toEqual({ code: 0, stdout: 'limitless-lint: no problems; 3 statements in 1 file (0 parse errors)\n', stderr: '' });
    const errors = await runCli(['--format', 'compact', '--color', 'fixtures/cli/parse-errors']);
    // eslint-disable-next-line no-control-regex
    expect(errors.stdout).not.toMatch(/\x1b/);
  });
});
