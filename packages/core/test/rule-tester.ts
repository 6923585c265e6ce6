import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { analyzeSql } from '../src/analyze.js';
import { LineIndex } from '../src/line-index.js';
import { parseManifest } from '../src/manifest/parse.js';
import type { Manifest } from '../src/manifest/types.js';
import type { RuleOverrides } from '../src/rules/engine.js';

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

/**
 * Lints `sql` with the named manifest and returns the diagnostics of `ruleId` (all when omitted)
 * with positions, for table-driven rule tests. The parser must be loaded (`await loadParser()`).
 */
export function lint(sql: string, options: { ruleId?: string; manifest?: string; overrides?: RuleOverrides } = {}): TestDiagnostic[] {
  const analyzeOptions = { manifest: testManifest(options.manifest), ...(options.overrides ? { ruleOverrides: options.overrides } : {}) };
  const result = analyzeSql(sql, { ...analyzeOptions, cache: false });
  // Every rule case also checks the statement cache: a second analysis, from the cache wherever it
  // can, must find exactly what the first one did.
  analyzeSql(sql, analyzeOptions);
  const cached = analyzeSql(sql, analyzeOptions);
  if (!isDeepStrictEqual(cached, result)) throw new Error(`the statement cache changed the analysis of:\n${sql}`);
  const index = new LineIndex(sql);
  return result.diagnostics
    .filter((d) => !options.ruleId || d.ruleId === options.ruleId)
    .map((d) => {
      const start = index.positionAt(d.span.start);
      const end = index.positionAt(d.span.end);
      const suggestions = d.suggestions.map((sg) =>
        [...sg.edits].sort((a, b) => b.span.start - a.span.start).reduce((text, e) => text.slice(0, e.span.start) + e.text + text.slice(e.span.end), sql),
      );
      return { ruleId: d.ruleId, messageId: d.messageId, line: start.line, column: start.column, endLine: end.line, endColumn: end.column, severity: d.severity, message: d.message, suggestions };
    });
}
