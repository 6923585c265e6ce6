import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../src/analyze.js';
import { LineIndex } from '../src/line-index.js';
import { parseManifest } from '../src/manifest/parse.js';
import type { Manifest } from '../src/manifest/types.js';
import type { RuleOverrides } from '../src/rules/engine.js';
import { ruleGroupOf } from '../src/rules/groups.js';
import { allRules } from '../src/rules/index.js';
import type { RuleModule } from '../src/rules/types.js';
import { loadParser } from '../src/sql/parser.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));
const cache = new Map<string, Manifest>();

/** A test manifest by name: `demo` is the demo project's, others are fixtures/manifests/<name>.yaml. */
export function testManifest(name = 'demo'): Manifest {
  let manifest = cache.get(name);
  if (manifest) return manifest;
  const file = name === 'demo' ? `${FIXTURES}demo/limitless.yaml` : `${FIXTURES}manifests/${name}.yaml`;
  const result = parseManifest(readFileSync(file, 'utf8'), file);
  if (!result.ok) throw new Error(`bad test manifest ${name}: ${result.problems.map((p) => p.message).join('; ')}`);
  cache.set(name, (manifest = result.manifest));
  return manifest;
}

/** A diagnostic as tests compare it: rule, message id and 1-based start/end positions. */
export interface TestDiagnostic {
  readonly ruleId: string;
  readonly messageId: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: string;
  readonly message: string;
  /** The SQL with each suggestion applied, one string per suggestion. */
  readonly suggestions: readonly string[];
}

/** A registered rule by id, whatever the pinned catalogue (LIMITLESS_LINT_RULE_SET) holds. */
export function registeredRule(id: string): RuleModule | undefined {
  return allRules.find((r) => r.meta.id === id);
}

/**
 * Lints `sql` with the named manifest and returns the diagnostics of `ruleId` (all when omitted; a
 * group alias such as `no-unsupported-feature` gives its members')
 * with positions, for table-driven rule tests. The parser must be loaded (`await loadParser()`).
 * With a `ruleId`, every registered rule runs (a rule's own tests see it even when the catalogue is
 * pinned); without one, the catalogue does, pinned in the tests to a fixed set of rules.
 */
export function lint(sql: string, options: { ruleId?: string; manifest?: string; overrides?: RuleOverrides } = {}): TestDiagnostic[] {
  const analyzeOptions = {
    manifest: testManifest(options.manifest),
    ...(options.overrides ? { ruleOverrides: options.overrides } : {}),
    ...(options.ruleId ? { rules: allRules } : {}),
  };
  const result = analyzeSql(sql, { ...analyzeOptions, cache: false });
  // Every rule case also checks the statement cache: a second analysis, from the cache wherever it
  // can, must find exactly what the first one did.
  analyzeSql(sql, analyzeOptions);
  const cached = analyzeSql(sql, analyzeOptions);
  if (!isDeepStrictEqual(cached, result)) throw new Error(`the statement cache changed the analysis of:\n${sql}`);
  const index = new LineIndex(sql);
  return result.diagnostics
    .filter((d) => !options.ruleId || d.ruleId === options.ruleId || ruleGroupOf(d.ruleId) === options.ruleId)
    .map((d) => {
      const start = index.positionAt(d.span.start);
      const end = index.positionAt(d.span.end);
      const suggestions = d.suggestions.map((sg) =>
        [...sg.edits].sort((a, b) => b.span.start - a.span.start).reduce((text, e) => text.slice(0, e.span.start) + e.text + text.slice(e.span.end), sql),
      );
      return { ruleId: d.ruleId, messageId: d.messageId, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: d.severity, message: d.message, suggestions };
    });
}

/** A statement the rule must accept (no diagnostic of the rule). */
export type ValidCase = string | { readonly sql: string; readonly manifest?: string; readonly options?: Readonly<Record<string, unknown>> };

/** What one expected diagnostic must match: every given field is compared, missing ones are not. */
export type ExpectedDiagnostic = Partial<Pick<TestDiagnostic, 'messageId' | 'line' | 'column' | 'endLine' | 'endColumn' | 'severity' | 'message' | 'suggestions'>>;

/** A statement the rule must report: its diagnostics, in text order, or how many there are. */
export interface InvalidCase {
  readonly sql: string;
  readonly manifest?: string;
  readonly options?: Readonly<Record<string, unknown>>;
  readonly errors: readonly ExpectedDiagnostic[] | number;
}

export interface RuleTests {
  /** Manifest of every case that names none (default `demo`). */
  readonly manifest?: string;
  readonly valid: readonly ValidCase[];
  readonly invalid: readonly InvalidCase[];
  /**
   * Whether to snapshot the rendered diagnostics of the first invalid case (code frame, message, labels,
   * note, help, suggestions), so that a change to any text the rule prints shows up in review. Default true.
   */
  readonly snapshot?: boolean;
}

/**
 * Table-driven tests for one rule, in the manner of ESLint's RuleTester: every `valid` statement yields
 * no diagnostic of the rule, every `invalid` one exactly the `errors` listed (fields compared as given),
 * and one snapshot holds what the rule prints for the first invalid case. The rule runs at `warn` when its
 * default level is `off` (opt-in rules are tested like the others). Call it inside a test file; the
 * parser is loaded for you.
 */
export function testRule(ruleId: string, tests: RuleTests): void {
  describe(ruleId, () => {
    beforeAll(() => loadParser());
    const run = (sql: string, manifest: string | undefined, options: Readonly<Record<string, unknown>> | undefined) => {
      const rule = registeredRule(ruleId);
      if (!rule) throw new Error(`no rule ${ruleId} in the catalogue`);
      const level = rule.meta.defaultLevel === 'off' ? 'warn' : rule.meta.defaultLevel;
      const overrides: RuleOverrides = options ? { [ruleId]: { level, options } } : rule.meta.defaultLevel === 'off' ? { [ruleId]: level } : {};
      return lint(sql, { ruleId, overrides, ...((manifest ?? tests.manifest) ? { manifest: manifest ?? tests.manifest } : {}) });
    };
    const valid = tests.valid.map((c) => (typeof c === 'string' ? { sql: c } : c));
    if (valid.length > 0) {
      it.each(valid)('accepts $sql', ({ sql, manifest, options }) => {
        expect(run(sql, manifest, options)).toEqual([]);
      });
    }
    if (tests.invalid.length > 0) {
      it.each(tests.invalid)('reports $sql', ({ sql, manifest, options, errors }) => {
        const found = run(sql, manifest, options);
        if (typeof errors === 'number') expect(found).toHaveLength(errors);
        else {
          expect(found).toHaveLength(errors.length);
          found.forEach((d, i) => expect(d).toMatchObject(errors[i] ?? {}));
        }
      });
    }
    if (tests.snapshot !== false && tests.invalid.length > 0) {
      it('prints what the snapshot holds', () => {
        const first = tests.invalid[0];
        if (first) expect(renderCase(first.sql, first.manifest ?? tests.manifest, first.options, ruleId)).toMatchSnapshot();
      });
    }
  });
}

/** The diagnostics of one case as a reader sees them: a code frame, the message, note and help. */
function renderCase(sql: string, manifest: string | undefined, options: Readonly<Record<string, unknown>> | undefined, ruleId: string): string {
  const rule = registeredRule(ruleId);
  const level = !rule || rule.meta.defaultLevel === 'off' ? 'warn' : rule.meta.defaultLevel;
  const overrides: RuleOverrides = { [ruleId]: options ? { level, options } : level };
  const result = analyzeSql(sql, { manifest: testManifest(manifest), ruleOverrides: overrides, rules: allRules });
  const index = new LineIndex(sql);
  const lines = sql.split('\n');
  const out = [`${manifest ?? 'demo'}> ${sql.replace(/\n/g, '\n   ')}`];
  for (const d of result.diagnostics.filter((x) => x.ruleId === ruleId)) {
    const start = index.positionAt(d.span.start);
    const end = index.positionAt(d.span.end);
    const width = start.line === end.line ? Math.max(1, end.column - start.column) : Math.max(1, (lines[start.line - 1] ?? '').length - start.column + 1);
    out.push(
      `${d.severity}[${d.ruleId}/${d.messageId}] ${start.line}:${start.column}-${end.line}:${end.column}: ${d.message}`,
      `  | ${lines[start.line - 1] ?? ''}`,
      `  | ${' '.repeat(start.column - 1)}${'^'.repeat(width)}`,
      ...d.labels.map((l) => `  = label ${index.positionAt(l.span.start).line}:${index.positionAt(l.span.start).column}: ${l.message}`),
      `  = note: ${d.note}`,
      `  = help: ${d.help}`,
      ...d.suggestions.map((s) => `  = suggestion: ${s.message}`),
    );
  }
  return out.join('\n');
}
