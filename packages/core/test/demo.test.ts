import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../src/analyze.js';
import { LineIndex } from '../src/line-index.js';
import { loadParser } from '../src/sql/parser.js';
import { splitStatements } from '../src/sql/split.js';
import { testManifest } from './rule-tester.js';

const demo = fileURLToPath(new URL('../../../fixtures/demo/', import.meta.url));

beforeAll(() => loadParser());

function lintFile(relative: string): { line: number; column: number; ruleId: string; severity: string; start: number }[] {
  const text = readFileSync(`${demo}${relative}`, 'utf8');
  const lines = new LineIndex(text);
  return analyzeSql(text, { manifest: testManifest('demo') }).diagnostics.map((d) => ({ ...lines.positionAt(d.span.start), ruleId: d.ruleId, severity: d.severity, start: d.span.start }));
}

describe('the demo project', () => {
  it('reports nothing on its good queries and its migrations', () => {
    const files = ['queries/good.sql', ...readdirSync(`${demo}migrations`).map((f) => `migrations/${f}`)];
    for (const file of files) expect(lintFile(file), file).toEqual([]);
  });

  it("reports each planted problem with the right rule at the right position", () => {
    const found = lintFile('queries/bad.sql').map(({ line, column, ruleId, severity }) => [line, column, ruleId, severity]);
    expect(found).toEqual([
      [8, 6, 'require-shard-key', 'error'],
      [14, 6, 'require-shard-key', 'error'],
      [20, 6, 'require-shard-key', 'warning'],
      [28, 6, 'require-shard-key', 'error'],
      [28, 6, 'no-cross-shard-join', 'error'],
      [37, 6, 'require-shard-key', 'error'],
      [37, 6, 'no-cross-shard-join', 'error'],
      [44, 6, 'no-cross-shard-join', 'error'],
      [51, 40, 'no-fast-path-breaker', 'warning'],
      [56, 5, 'no-shard-key-update', 'error'],
      [61, 8, 'no-reference-table-write', 'warning'],
      [68, 13, 'require-shard-key', 'error'],
      [68, 13, 'no-multi-shard-write', 'warning'],
      [73, 1, 'no-session-pinning', 'error'],
      [77, 8, 'no-session-pinning', 'error'],
      [81, 8, 'no-session-pinning', 'error'],
      [86, 1, 'no-session-pinning', 'error'],
      [86, 8, 'no-unsupported-ddl', 'error'],
      [93, 10, 'no-sequence-ordering', 'warning'],
      [100, 27, 'no-sequence-ordering', 'warning'],
      [107, 1, 'no-unsupported-dml', 'error'],
      [107, 1, 'no-session-pinning', 'error'],
      [111, 1, 'parse-error', 'error'],
      [116, 6, 'unknown-table', 'warning'],
    ]);
  });

  it("matches the '-- expect:' and '-- also:' labels of bad.sql", () => {
    const text = readFileSync(`${demo}queries/bad.sql`, 'utf8');
    const { statements, comments } = splitStatements(text);
    const diagnostics = lintFile('queries/bad.sql');
    let previousEnd = 0;
    for (const statement of statements) {
      const labels = comments.filter((c) => c.start >= previousEnd && c.end <= statement.start).map((c) => text.slice(c.start, c.end));
      previousEnd = statement.end;
      const expected = labels.flatMap((l) => /^-- expect: ([\w-]+)/.exec(l)?.[1] ?? []);
      const allowed = new Set([...expected, ...labels.flatMap((l) => /^-- also: ([\w-]+)/.exec(l)?.[1] ?? [])]);
      const reported = new Set(diagnostics.filter((d) => d.start >= statement.start && d.start <= statement.end).map((d) => d.ruleId));
      expect(expected, statement.text).toHaveLength(1);
      for (const id of expected) expect(reported.has(id), `${id} on: ${statement.text}`).toBe(true);
      for (const id of reported) expect(allowed.has(id), `unexpected ${id} on: ${statement.text}`).toBe(true);
    }
  });
});
