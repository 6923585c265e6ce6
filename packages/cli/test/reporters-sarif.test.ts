import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Diagnostic, Severity } from '@limitless-lint/core';
import { LineIndex, rules } from '@limitless-lint/core';
import { describe, expect, it } from 'vitest';
import type { LintResult } from '../src/run/lint-result.js';
import type { SarifLog, SarifResult } from '../src/reporters/sarif.js';
import { SARIF_FINGERPRINT_KEY, SARIF_MAX_RESULTS, sarif } from '../src/reporters/sarif.js';
import { packageVersion } from '../src/version.js';
import { ERROR_SQL, INFO_SQL, WARNING_SQL, sarifSchemaErrors, sarifSchemaTitle, tempProject } from './reporters-support.js';
import { repoRoot, runCli } from './run-cli.js';

async function runSarif(args: readonly string[], cwd?: string): Promise<{ code: number; log: SarifLog; stderr: string }> {
  const run = await runCli(['--format', 'sarif', ...args], cwd === undefined ? {} : { cwd });
  return { code: run.code, log: JSON.parse(run.stdout) as SarifLog, stderr: run.stderr };
}

function fingerprint(r: SarifResult): string | undefined {
  return r.partialFingerprints[SARIF_FINGERPRINT_KEY];
}

const bad = 'fixtures/demo/queries/bad.sql';

describe('--format sarif on the demo project', () => {
  it(`is valid against the SARIF 2.1.0 JSON schema (${sarifSchemaTitle()}, from @microsoft/jest-sarif)`, async () => {
    const { code, log } = await runSarif(['fixtures/demo']);
    expect(code).toBe(1);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('has one run whose driver lists every rule of the catalogue with its metadata', async () => {
    const { log } = await runSarif(['fixtures/demo']);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const [run] = log.runs;
    const { driver } = run.tool;
    expect({ name: driver.name, version: driver.version, informationUri: driver.informationUri }).toEqual({
      name: 'limitless-lint',
      version: packageVersion(),
      informationUri: 'https://github.com/limitless-lint/limitless-lint',
    });
    expect(driver.rules.map((r) => r.id)).toEqual(rules.map((r) => r.meta.id));
    const levels = { error: 'error', warn: 'warning', info: 'note', off: 'none' } as const;
    for (const [i, { meta }] of rules.entries()) {
      const rule = driver.rules[i];
      expect(rule?.shortDescription.text).toBe(`${meta.description}.`);
      expect(rule?.helpUri).toBe(`https://github.com/limitless-lint/limitless-lint/blob/main/docs/rules/${meta.id}.md`);
      expect(rule?.defaultConfiguration.level).toBe(levels[meta.defaultLevel]);
      expect(rule?.properties.category).toBe(meta.category);
      expect(rule?.help.markdown).toContain(`[Documentation of \`${meta.id}\`](${rule?.helpUri})`);
      // Templates without a finding: placeholders are named, never left as {{…}}.
      expect(rule?.help.text).not.toContain('{{');
    }
    expect(driver.rules.find((r) => r.id === 'require-shard-key')?.name).toBe('RequireShardKey');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: pathToFileURL(repoRoot).href } });
  });

  it('reports each diagnostic as a result: rule, level, message, 1-based region, labels and fixes', async () => {
    const { log } = await runSarif(['fixtures/demo']);
    const { results } = log.runs[0];
    expect(results).toHaveLength(24);
    const ruleIds = log.runs[0].tool.driver.rules.map((r) => r.id);
    for (const r of results) expect(ruleIds[r.ruleIndex]).toBe(r.ruleId);
    expect(results[0]).toEqual({
      ruleId: 'require-shard-key',
      ruleIndex: 0,
      level: 'error',
      message: {
        text: '`transactions` has no equality on its shard key `account_id`, so this statement runs on every shard.\nhelp: Add an equality on `account_id` (a constant or a bind parameter) for `transactions`.',
      },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: bad, uriBaseId: '%SRCROOT%' },
            region: { startLine: 8, startColumn: 6, endLine: 8, endColumn: 18 },
          },
        },
      ],
      partialFingerprints: { [SARIF_FINGERPRINT_KEY]: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown },
      properties: {
        messageId: 'missingShardKey',
        note: 'Limitless prunes shards only on explicit predicates on the shard key of every sharded table; a scatter-gather runs on all 16 shards and is billed about 16 times.',
      },
    });
    // The transitivity trap: a secondary location, and the suggested predicate as a fix.
    const trap = results.find((r) => r.properties.messageId === 'joinDoesNotCarry');
    expect(trap?.relatedLocations).toEqual([
      {
        id: 1,
        physicalLocation: { artifactLocation: { uri: bad, uriBaseId: '%SRCROOT%' }, region: { startLine: 36, startColumn: 6, endLine: 36, endColumn: 18 } },
        message: { text: 't is pinned, but the pin reaches l only through an explicit shard-key equality' },
      },
    ]);
    expect(trap?.fixes).toEqual([
      {
        description: { text: 'Add `l.account_id = t.account_id`' },
        artifactChanges: [
          {
            artifactLocation: { uri: bad, uriBaseId: '%SRCROOT%' },
            replacements: [
              { deletedRegion: { startLine: 37, startColumn: 61, endLine: 37, endColumn: 61 }, insertedContent: { text: ' AND l.account_id = t.account_id' } },
            ],
          },
        ],
      },
    ]);
    const levels = results.reduce<Record<string, number>>((n, r) => ({ ...n, [r.level]: (n[r.level] ?? 0) + 1 }), {});
    expect(levels).toEqual({ error: 17, warning: 7 });
    expect(new Set(results.map(fingerprint)).size).toBe(24);
  });

  it('notes parse errors in the invocation, which succeeded', async () => {
    const { log } = await runSarif(['fixtures/demo']);
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            descriptor: { id: 'parse-errors' },
            level: 'warning',
            message: { text: '1 statement in 1 file could not be parsed and was not analysed (see the parse-error results).' },
          },
        ],
      },
    ]);
    expect(log.runs[0].properties).toEqual({ limitlessLint: { files: 7, skipped: 0, statements: 75, parseErrors: 1, results: 24, resultsOmitted: 0 } });
  });

  it('--quiet keeps error results only', async () => {
    const { log } = await runSarif(['--quiet', 'fixtures/demo']);
    expect(log.runs[0].results.map((r) => r.level)).toEqual(Array<string>(17).fill('error'));
  });
});

describe('--format sarif on other inputs', () => {
  it('maps error, warning and info to the levels error, warning and note', async () => {
    const dir = tempProject({ 'q.sql': `${ERROR_SQL}\n${WARNING_SQL}\n${INFO_SQL}\n` });
    const { log } = await runSarif(['q.sql'], dir);
    expect(log.runs[0].results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.region?.startLine])).toEqual([
      ['require-shard-key', 'error', 1],
      ['require-shard-key', 'warning', 2],
      ['unknown-table', 'note', 3],
    ]);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('counts columns in UTF-16 code units, as columnKind says', async () => {
    const line = "SELECT '😀' AS e, * FROM accounts WHERE account_id > 1;";
    const dir = tempProject({ 'q.sql': `${line}\n` });
    const { log } = await runSarif(['q.sql'], dir);
    const start = line.indexOf('accounts');
    expect(log.runs[0].results[0]?.locations[0].physicalLocation.region).toEqual({
      startLine: 1,
      startColumn: start + 1, // 26: the emoji is two code units (one code point, four UTF-8 bytes)
      endLine: 1,
      endColumn: start + 1 + 'accounts'.length,
    });
    expect(start + 1).toBe(26);
  });

  it('percent-encodes paths into relative URIs against %SRCROOT%', async () => {
    const dir = tempProject({ 'a b#1%.sql': `${ERROR_SQL}\n` });
    const { log } = await runSarif(['.'], dir);
    expect(log.runs[0].results[0]?.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'a%20b%231%25.sql', uriBaseId: '%SRCROOT%' });
    expect(log.runs[0].originalUriBaseIds?.['%SRCROOT%']?.uri).toBe(`${pathToFileURL(dir).href}/`);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('gives a file outside the working directory an absolute file: URI', async () => {
    const dir = tempProject({ 'q.sql': `${ERROR_SQL}\n` });
    const { log } = await runSarif([join(dir, 'q.sql')]);
    expect(log.runs[0].results[0]?.locations[0].physicalLocation.artifactLocation).toEqual({ uri: pathToFileURL(join(dir, 'q.sql')).href });
  });

  it('reports paths that could not be linted as error notifications of an unsuccessful run', async () => {
    const dir = tempProject({ 'bin.sql': Buffer.from([0x53, 0x00, 0x01]), 'q.sql': `${ERROR_SQL}\n` });
    const { code, log, stderr } = await runSarif(['.'], dir);
    expect(code).toBe(2);
    expect(stderr).toBe('limitless-lint: bin.sql: binary file, not linted\n');
    expect(log.runs[0].invocations[0]).toEqual({
      executionSuccessful: false,
      toolExecutionNotifications: [
        {
          descriptor: { id: 'not-linted' },
          level: 'error',
          message: { text: 'bin.sql was not linted: binary file, not linted' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'bin.sql', uriBaseId: '%SRCROOT%' } } }],
        },
      ],
    });
    expect(log.runs[0].results).toHaveLength(1);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('writes a valid log with no results for a clean run', async () => {
    const { code, log } = await runSarif(['fixtures/cli/clean']);
    expect(code).toBe(0);
    expect(log.runs[0].results).toEqual([]);
    expect(log.runs[0].invocations[0]).toEqual({ executionSuccessful: true, toolExecutionNotifications: [] });
    expect(sarifSchemaErrors(log)).toEqual([]);
  });
});

describe('SARIF partialFingerprints', () => {
  // The same two findings before and after: blank lines, a new statement above, another layout and
  // other constants move them down without changing what they are.
  const before = `${ERROR_SQL}\n${WARNING_SQL}\n`;
  const after = `${INFO_SQL}\n\n\n\nSELECT *\n  FROM accounts\n WHERE account_id > 42;\n\n${WARNING_SQL}\n`;

  it('do not change when a statement moves down, is reformatted or has other constants', async () => {
    const first = (await runSarif(['q.sql'], tempProject({ 'q.sql': before }))).log.runs[0].results;
    const second = (await runSarif(['q.sql'], tempProject({ 'q.sql': after }))).log.runs[0].results;
    expect(first.map((r) => [r.level, r.locations[0].physicalLocation.region?.startLine])).toEqual([
      ['error', 1],
      ['warning', 2],
    ]);
    expect(second.map((r) => [r.level, r.locations[0].physicalLocation.region?.startLine])).toEqual([
      ['note', 1],
      ['error', 6],
      ['warning', 9],
    ]);
    expect(second.slice(1).map(fingerprint)).toEqual(first.map(fingerprint));
    expect(fingerprint(second[0] as SarifResult)).not.toBe(fingerprint(first[0] as SarifResult));
  });

  it('tell apart equal statements by their order, and are the same across runs', async () => {
    const dir = tempProject({ 'q.sql': `${ERROR_SQL}\n${ERROR_SQL}\n` });
    const once = (await runSarif(['q.sql'], dir)).log.runs[0].results.map(fingerprint);
    const again = (await runSarif(['q.sql'], dir)).log.runs[0].results.map(fingerprint);
    expect(new Set(once).size).toBe(2);
    expect(again).toEqual(once);
  });

  it('change with the rule and the statement', async () => {
    const dir = tempProject({ 'q.sql': `${ERROR_SQL}\nSELECT * FROM accounts WHERE account_id < 1;\n` });
    const results = (await runSarif(['q.sql'], dir)).log.runs[0].results;
    expect(results).toHaveLength(2);
    expect(fingerprint(results[0] as SarifResult)).not.toBe(fingerprint(results[1] as SarifResult));
  });
});

describe('SARIF cap', () => {
  /** A result with `n` diagnostics per severity on as many lines, without statements (keyed by text). */
  function syntheticResult(counts: Readonly<Record<Severity, number>>): LintResult {
    const order: Severity[] = [...Array<Severity>(counts.info).fill('info'), ...Array<Severity>(counts.warning).fill('warning'), ...Array<Severity>(counts.error).fill('error')];
    const text = order.map((_, i) => `SELECT ${i} FROM t;\n`).join('');
    const lines = new LineIndex(text);
    const diagnostics = order.map((severity, i): Diagnostic => {
      const start = lines.offsetAt({ line: i + 1, column: 1 });
      return {
        ruleId: 'require-shard-key',
        messageId: 'missingShardKey',
        data: {},
        message: `Finding ${i}.`,
        severity,
        span: { start, end: start + 6 },
        labels: [],
        suggestions: [],
        docsUrl: 'https://example.com',
      };
    });
    const stats = { statements: order.length, parsed: order.length, parseErrors: 0, metaCommands: 0, copyDataBlocks: 0, emptyStatements: 0 };
    return { files: [{ path: 'big.sql', stats, diagnostics, lines }], skipped: [] };
  }

  it(`keeps the ${SARIF_MAX_RESULTS} most severe results, says how many were omitted, and stays under 10 MB gzipped`, () => {
    const result = syntheticResult({ error: 5, warning: SARIF_MAX_RESULTS, info: 3 });
    const output = [...sarif(result, { color: false })].join('');
    const log = JSON.parse(output) as SarifLog;
    const { results } = log.runs[0];
    expect(results).toHaveLength(SARIF_MAX_RESULTS);
    expect(results.filter((r) => r.level === 'error')).toHaveLength(5);
    expect(results.filter((r) => r.level === 'note')).toHaveLength(0);
    // Within a severity the first found are kept: the infos come first in the file, the last 5 warnings go.
    expect(results[0]?.locations[0].physicalLocation.region?.startLine).toBe(4);
    expect(results.at(-6)?.locations[0].physicalLocation.region?.startLine).toBe(3 + SARIF_MAX_RESULTS - 5);
    expect(log.runs[0].invocations[0].toolExecutionNotifications).toEqual([
      {
        descriptor: { id: 'results-omitted' },
        level: 'warning',
        message: {
          text: `limitless-lint found ${SARIF_MAX_RESULTS + 8} results; this log holds the ${SARIF_MAX_RESULTS} most severe (GitHub code scanning accepts at most ${SARIF_MAX_RESULTS} per run) and omits 8. Run --format json for all of them.`,
        },
      },
    ]);
    expect(log.runs[0].properties.limitlessLint).toMatchObject({ results: SARIF_MAX_RESULTS, resultsOmitted: 8 });
    expect(new Set(results.map(fingerprint)).size).toBe(SARIF_MAX_RESULTS);
    expect(gzipSync(output).length).toBeLessThan(10 * 1024 * 1024);
    expect(sarifSchemaErrors(log)).toEqual([]);
  });

  it('omits nothing at exactly the cap', () => {
    const log = JSON.parse([...sarif(syntheticResult({ error: 0, warning: SARIF_MAX_RESULTS, info: 0 }), { color: false })].join('')) as SarifLog;
    expect(log.runs[0].results).toHaveLength(SARIF_MAX_RESULTS);
    expect(log.runs[0].invocations[0].toolExecutionNotifications).toEqual([]);
  });
});

describe('the built binary', () => {
  it('writes a schema-valid SARIF log for the demo project', () => {
    expect(existsSync(join(repoRoot, 'packages/cli/dist/reporters/sarif.js')), 'build first: npx tsc -b').toBe(true);
    const bin = join(repoRoot, 'packages/cli/bin/limitless-lint.js');
    const child = spawnSync(process.execPath, [bin, '--format', 'sarif', 'fixtures/demo'], { cwd: repoRoot, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(1);
    const log = JSON.parse(child.stdout) as SarifLog;
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(log.runs[0].results).toHaveLength(24);
    expect(log.runs[0].results.find((r) => r.ruleId === 'parse-error')?.locations[0].physicalLocation.region).toEqual(positionOf(bad, 'SELEC * FROM accounts', 'SELEC'));
  });
});

function positionOf(file: string, needle: string, span: string) {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const lines = new LineIndex(text);
  const at = text.indexOf(needle);
  const start = lines.positionAt(at);
  const end = lines.positionAt(at + span.length);
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}
