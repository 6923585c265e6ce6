import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_SCRIPT_NESTING, MAX_SCRIPT_OPERATOR_CHAIN, scriptNestingProblem } from '@limitless-lint/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runJson } from './run-cli.js';

/**
 * Deeply nested scripts (issue: 5,000 `+` terms or 4,000 parentheses aborted the whole run with a
 * RangeError; 100,000 terms made oxc-parser take the process down, rc 139). A script either is
 * analysed or is skipped with its reason; the other files are reported either way, on the main
 * thread and on worker threads alike.
 */
const MANIFEST = readFileSync(join(repoRoot, 'fixtures/demo/limitless.yaml'), 'utf8');
let dir: string;

const plus = (n: number) => `export const q = pool.query(${Array.from({ length: n }, () => "'a'").join(' + ')});\n`;
const parens = (n: number) => `export const q = pool.query(${'('.repeat(n)}'SELECT 1'${')'.repeat(n)});\n`;
const ternaries = (n: number) => `export const q = pool.query(${'c ? "SELECT 1" : '.repeat(n)}"SELECT 2");\n`;
const blocks = (n: number) => `pool.query('SELECT 1');\n${'() => {'.repeat(n)}${'}'.repeat(n)}\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'limitless-lint-deep-'));
  const files: Record<string, string> = {
    'limitless.yaml': MANIFEST,
    'a-ok.ts': "export const rows = pool.query('SELECT * FROM transactions');\n",
    'plus-5000.ts': plus(5000),
    'parens-4000.ts': parens(4000),
    'plus-100000.ts': plus(100_000),
    'ternaries-50000.ts': ternaries(50_000),
    'blocks-5000.ts': blocks(5000),
    'z-ok.ts': "export const rows = pool.query('SELECT * FROM accounts');\n",
  };
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deeply nested TypeScript', () => {
  it.each([['1'], ['2']])('never crashes the run, with --jobs %s: deep files are analysed or skipped with their reason, the others reported', async (jobs) => {
    const { code, report } = await runJson(['--jobs', jobs, '.'], { cwd: dir });
    // Exit 2: some paths were not linted (and said so); the findings of the others are there.
    expect(code).toBe(2);
    const byPath = Object.fromEntries(report.files.map((f) => [f.path, f.diagnostics.map((d) => d.ruleId)]));
    expect(byPath['a-ok.ts']).toEqual(['require-shard-key']);
    expect(byPath['z-ok.ts']).toEqual(['require-shard-key']);
    // Past the bounds (well below where the parser's native stack gives out in a worker thread):
    // skipped, each with its reason, and counted.
    const skipped = JSON.stringify(report);
    for (const name of ['plus-5000.ts', 'parens-4000.ts', 'plus-100000.ts', 'ternaries-50000.ts', 'blocks-5000.ts']) {
      expect(byPath[name]).toBeUndefined();
      expect(skipped).toContain(name);
    }
    expect(skipped).toContain(`nested more than ${MAX_SCRIPT_NESTING} levels deep`);
    expect(skipped).toContain(`more than ${MAX_SCRIPT_OPERATOR_CHAIN} operators chained in one expression`);
  });
});

describe('scriptNestingProblem', () => {
  it.each([
    ['a plain module', "import x from 'y';\nexport const a = (b) => [b, { c: `${b}-${(1 + 2) * 3}` }];\n", undefined],
    ['brackets in strings, comments, templates and regular expressions do not count', `const s = '${'('.repeat(5000)}'; // ${'['.repeat(5000)}\n/* ${'{'.repeat(5000)} */ const r = /${'\\('.repeat(5000)}/; const t = \`${'('.repeat(5000)}\`;\n`, undefined],
    ['semicolon-less statements, one per line, do not chain', 'let a = 1\n'.repeat(MAX_SCRIPT_OPERATOR_CHAIN + 10), undefined],
    ['a chain continued over lines does', `x = 1 +\n${'1 +\n'.repeat(MAX_SCRIPT_OPERATOR_CHAIN + 10)}1`, 'operators chained'],
    ['nested parentheses', `f(${'('.repeat(MAX_SCRIPT_NESTING + 1)}1${')'.repeat(MAX_SCRIPT_NESTING + 1)})`, 'levels deep'],
    ['nested type arguments', `let x: ${'A<'.repeat(MAX_SCRIPT_OPERATOR_CHAIN + 1)}B${'>'.repeat(MAX_SCRIPT_OPERATOR_CHAIN + 1)};`, 'operators chained'],
    ['JSX over many lines does not chain', `const C = () => (\n  <div>\n${'    <p className="a">Text, with words</p>\n'.repeat(MAX_SCRIPT_OPERATOR_CHAIN + 10)}  </div>\n);\n`, undefined],
    ['nested interpolations', `f(${'`${'.repeat(MAX_SCRIPT_NESTING + 1)}1${'}`'.repeat(MAX_SCRIPT_NESTING + 1)})`, 'levels deep'],
  ])('%s', (_name, text, problem) => {
    const found = scriptNestingProblem(text);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found?.message).toContain(problem);
  });
});
