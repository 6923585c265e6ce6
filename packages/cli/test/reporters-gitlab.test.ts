import { describe, expect, it } from 'vitest';
import type { GitlabIssue } from '../src/reporters/gitlab.js';
import { ERROR_SQL, INFO_SQL, WARNING_SQL, tempProject } from './reporters-support.js';
import { runCli } from './run-cli.js';

async function runGitlab(args: readonly string[], cwd?: string): Promise<{ code: number; issues: GitlabIssue[]; stdout: string; stderr: string }> {
  const run = await runCli(['--format', 'gitlab', ...args], cwd === undefined ? {} : { cwd });
  return { code: run.code, issues: JSON.parse(run.stdout) as GitlabIssue[], stdout: run.stdout, stderr: run.stderr };
}

describe('--format gitlab', () => {
  it('writes one Code Quality issue per diagnostic with the fields GitLab reads', async () => {
    const { code, issues, stdout } = await runGitlab(['fixtures/demo']);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\[\n\{.*\},\n/);
    expect(stdout.endsWith('}\n]\n')).toBe(true);
    expect(issues).toHaveLength(24);
    expect(issues[0]).toEqual({
      description: '`transactions` has no equality on its shard key `account_id`, so this statement runs on every shard.',
      check_name: 'require-shard-key',
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      severity: 'major',
      location: { path: 'fixtures/demo/queries/bad.sql', lines: { begin: 8 } },
    });
    for (const issue of issues) expect(Object.keys(issue)).toEqual(['description', 'check_name', 'fingerprint', 'severity', 'location']);
    expect(issues.filter((i) => i.severity === 'major')).toHaveLength(17);
    expect(issues.filter((i) => i.severity === 'minor')).toHaveLength(7);
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(24);
  });

  it.each([
    ['error', 'major', ERROR_SQL],
    ['warning', 'minor', WARNING_SQL],
    ['info', 'info', INFO_SQL],
  ])('maps the severity %s to %s', async (_severity, expected, sql) => {
    const { issues } = await runGitlab(['q.sql'], tempProject({ 'q.sql': `${sql}\n` }));
    expect(issues.map((i) => i.severity)).toEqual([expected]);
  });

  it('keeps fingerprints when statements move down, are reformatted or get other constants', async () => {
    const before = (await runGitlab(['q.sql'], tempProject({ 'q.sql': `${ERROR_SQL}\n${WARNING_SQL}\n` }))).issues;
    const after = (await runGitlab(['q.sql'], tempProject({ 'q.sql': `${INFO_SQL}\n\n\nSELECT *\n  FROM accounts\n WHERE account_id > 7;\n${WARNING_SQL}\n` }))).issues;
    expect(after.map((i) => i.location.lines.begin)).toEqual([1, 5, 7]);
    expect(after.slice(1).map((i) => i.fingerprint)).toEqual(before.map((i) => i.fingerprint));
  });

  it('gives the same finding in two files different fingerprints: GitLab merges equal ones', async () => {
    const dir = tempProject({ 'a.sql': `${ERROR_SQL}\n`, 'b.sql': `${ERROR_SQL}\n` });
    const { issues } = await runGitlab(['.'], dir);
    expect(issues.map((i) => i.location.path)).toEqual(['a.sql', 'b.sql']);
    expect(issues[0]?.fingerprint).not.toBe(issues[1]?.fingerprint);
  });

  it('writes an empty array for a clean run, and leaves paths that could not be linted to stderr', async () => {
    const clean = await runGitlab(['fixtures/cli/clean']);
    expect({ code: clean.code, stdout: clean.stdout }).toEqual({ code: 0, stdout: '[]\n' });
    const dir = tempProject({ 'bin.sql': Buffer.from([0x00]), 'q.sql': 'SELECT 1;\n' });
    const skipped = await runGitlab(['.'], dir);
    expect({ code: skipped.code, stdout: skipped.stdout, stderr: skipped.stderr }).toEqual({
      code: 2,
      stdout: '[]\n',
      stderr: 'limitless-lint: bin.sql: binary file, not linted\n',
    });
  });
});
