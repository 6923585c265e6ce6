import type { Diagnostic } from '@limitless-lint/core';
import { LineIndex } from '@limitless-lint/core';
import { describe, expect, it } from 'vitest';
import type { LintResult } from '../src/run/lint-result.js';
import { GITHUB_ANNOTATIONS_PER_SEVERITY, escapeData, escapeProperty, github } from '../src/reporters/github.js';
import { ERROR_SQL, INFO_SQL, WARNING_SQL, tempProject } from './reporters-support.js';
import { runCli } from './run-cli.js';

async function runGithub(args: readonly string[], cwd?: string): Promise<{ code: number; lines: string[]; stderr: string }> {
  const run = await runCli(['--format', 'github', ...args], cwd === undefined ? {} : { cwd });
  expect(run.stdout.endsWith('\n')).toBe(true);
  return { code: run.code, lines: run.stdout.slice(0, -1).split('\n'), stderr: run.stderr };
}

const bad = 'fixtures/demo/queries/bad.sql';

describe('--format github on the demo project', () => {
  it('annotates the worst findings first, at most 10 of each type, and says how many more there are', async () => {
    const { code, lines } = await runGithub(['fixtures/demo']);
    expect(code).toBe(1);
    const annotations = lines.filter((l) => /^::(error|warning|notice) file=/.test(l));
    expect(annotations.map((l) => /^::(\w+) file=[^,]*,line=(\d+)/.exec(l)?.slice(1).join(' '))).toEqual([
      ...['8', '14', '28', '28', '37', '37', '44', '56', '68', '73'].map((line) => `error ${line}`),
      ...['20', '51', '61', '68', '93', '100', '116'].map((line) => `warning ${line}`),
    ]);
    expect(annotations[0]).toBe(
      `::error file=${bad},line=8,endLine=8,col=6,endColumn=18,title=require-shard-key::\`transactions\` has no equality on its shard key \`account_id\`, so this statement runs on every shard.%0Ahelp: Add an equality on \`account_id\` (a constant or a bind parameter) for \`transactions\`.`,
    );
    expect(lines[annotations.length]).toBe(
      "::notice title=limitless-lint::7 more findings not annotated (7 errors): GitHub shows at most 10 annotations of each type per step. Every finding is listed in this step's log; upload --format sarif to code scanning to see them all in the pull request.",
    );
  });

  it('then lists every finding of each file in a collapsed group, and ends with a summary line', async () => {
    const { lines } = await runGithub(['fixtures/demo']);
    const group = lines.indexOf(`::group::${bad}: 17 errors, 7 warnings`);
    expect(group).toBe(18);
    expect(lines[group + 1]).toBe(`${bad}:8:6: error: \`transactions\` has no equality on its shard key \`account_id\`, so this statement runs on every shard. [require-shard-key]`);
    expect(lines[group + 23]).toBe(`${bad}:111:1: error: PostgreSQL cannot parse this statement: syntax error at or near "SELEC". [parse-error]`);
    expect(lines.slice(group + 25)).toEqual(['::endgroup::', 'limitless-lint: 24 problems (17 errors, 7 warnings, 0 info); 75 statements in 7 files (1 parse error)']);
  });
});

describe('--format github caps and edge cases', () => {
  const many = (sql: string, n: number) => Array.from({ length: n }, () => sql).join('\n');

  it(`emits at most ${GITHUB_ANNOTATIONS_PER_SEVERITY} errors and warnings and 9 notices, keeping the 10th notice for the count of the rest`, async () => {
    const dir = tempProject({ 'q.sql': `${many(INFO_SQL, 12)}\n${many(WARNING_SQL, 12)}\n${many(ERROR_SQL, 12)}\n` });
    const { code, lines } = await runGithub(['q.sql'], dir);
    expect(code).toBe(1);
    const kinds = lines.filter((l) => l.startsWith('::') && !l.startsWith('::group') && !l.startsWith('::endgroup')).map((l) => /^::(\w+)/.exec(l)?.[1]);
    expect(kinds).toEqual([...Array<string>(10).fill('error'), ...Array<string>(10).fill('warning'), ...Array<string>(10).fill('notice')]);
    // Errors come first although they are last in the file; within a type, in line order.
    expect(lines[0]).toMatch(/^::error file=q\.sql,line=25,/);
    expect(lines[10]).toMatch(/^::warning file=q\.sql,line=13,/);
    expect(lines[20]).toMatch(/^::notice file=q\.sql,line=1,/);
    expect(lines[29]).toBe(
      "::notice title=limitless-lint::7 more findings not annotated (2 errors, 2 warnings, 3 info): GitHub shows at most 10 annotations of each type per step. Every finding is listed in this step's log; upload --format sarif to code scanning to see them all in the pull request.",
    );
    expect(lines[30]).toBe('::group::q.sql: 12 errors, 12 warnings, 12 info');
    expect(lines.filter((l) => l.startsWith('q.sql:'))).toHaveLength(36);
  });

  it('emits all 10 notices when nothing is left out', async () => {
    const dir = tempProject({ 'q.sql': `${many(INFO_SQL, 10)}\n` });
    const { code, lines } = await runGithub(['q.sql'], dir);
    expect(code).toBe(0);
    expect(lines.filter((l) => l.startsWith('::notice '))).toHaveLength(10);
    expect(lines.some((l) => l.startsWith('::notice title=limitless-lint'))).toBe(false);
  });

  it('escapes % and line breaks in messages, and also , and : in properties', async () => {
    const dir = tempProject({ 'a,b:c%.sql': 'SELECT * FROM "per%cent,x:y";\n' });
    const { lines } = await runGithub(['a,b:c%.sql'], dir);
    expect(lines).toEqual([
      '::notice file=a%2Cb%3Ac%25.sql,line=1,endLine=1,col=15,endColumn=29,title=unknown-table::`per%25cent,x:y` is not in the manifest, so its route cannot be decided.%0Ahelp: Add `per%25cent,x:y` to limitless.yaml under `tables:` with its mode, or set `unknown_tables: off` if such tables are expected.',
      '::group::a,b:c%25.sql: 1 info',
      'a,b:c%.sql:1:15: info: `per%cent,x:y` is not in the manifest, so its route cannot be decided. [unknown-table]',
      '::endgroup::',
      'limitless-lint: 1 problem (0 errors, 0 warnings, 1 info); 1 statement in 1 file (0 parse errors)',
    ]);
  });

  it('never starts a log line with a path that could read as a workflow command', async () => {
    const dir = tempProject({ '::x.sql': `${ERROR_SQL}\n` });
    const { lines } = await runGithub(['::x.sql'], dir);
    expect(lines[0]).toMatch(/^::error file=%3A%3Ax\.sql,line=1,/);
    expect(lines[1]).toBe('::group::꞉:x.sql: 1 error');
    expect(lines[2]).toMatch(/^\.\/::x\.sql:1:15: error: /);
  });

  it('annotates a path that could not be linted as an error', async () => {
    const dir = tempProject({ 'bin.sql': Buffer.from([0x53, 0x00]), 'q.sql': 'SELECT 1;\n' });
    const { code, lines, stderr } = await runGithub(['.'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: bin.sql: binary file, not linted\n');
    expect(lines).toEqual([
      '::error file=bin.sql,title=limitless-lint::Not linted: binary file, not linted',
      'limitless-lint: no problems; 1 statement in 1 file (0 parse errors); 1 path not linted',
    ]);
  });

  it('prints only the summary line for a clean run', async () => {
    const { code, lines } = await runGithub(['fixtures/cli/clean']);
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^limitless-lint: no problems; \d+ statements? in 1 file \(0 parse errors\)$/);
  });
});

describe('github annotation details', () => {
  it('leaves out columns for a span over several lines, as GitHub requires, and neutralises control characters', () => {
    const text = 'SELECT *\nFROM t\nWHERE x;\n';
    const d: Diagnostic = {
      ruleId: 'some-rule',
      messageId: 'm',
      data: {},
      message: 'Bad\r\nthing \u001b[31m 100%.',
      severity: 'warning',
      span: { start: 0, end: text.indexOf(';') },
      labels: [],
      suggestions: [],
      docsUrl: 'https://example.com',
    };
    const stats = { statements: 1, parsed: 1, parseErrors: 0, metaCommands: 0, copyDataBlocks: 0, emptyStatements: 0 };
    const result: LintResult = { files: [{ path: 'dir/q.sql', stats, diagnostics: [d], lines: new LineIndex(text) }], skipped: [] };
    const out = [...github(result, { color: false })].join('').split('\n');
    expect(out[0]).toBe('::warning file=dir/q.sql,line=1,endLine=3,title=some-rule::Bad␍␊thing ␛[31m 100%25.');
    expect(out[2]).toBe('dir/q.sql:1:1: warning: Bad␍␊thing ␛[31m 100%. [some-rule]');
  });

  it.each([
    ['plain', 'plain', 'plain'],
    ['100%', '100%25', '100%25'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['a:b,c', 'a:b,c', 'a%3Ab%2Cc'],
    ['%0A', '%250A', '%250A'],
  ])('escapes %j as data %j and as a property %j', (input, data, property) => {
    expect(escapeData(input)).toBe(data);
    expect(escapeProperty(input)).toBe(property);
  });
});
