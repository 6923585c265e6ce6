import type { AnalyzeOptions, AnalyzeResult, Diagnostic, Severity } from '@limitless-lint/core';
import type * as Core from '@limitless-lint/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/main.js';
import { repoRoot, runCli, runJson } from './run-cli.js';

// The real analyzer reports only parse errors so far. To test how warnings, infos, notes, labels and
// suggestions are reported, this file wraps it: each `-- test: <severity> <rule-id>` comment in a
// linted file becomes one more diagnostic, `-- test: crash` makes it throw, and every call's
// manifest is recorded.
const calls = vi.hoisted(() => [] as { fileName: string | undefined; manifest: string | undefined }[]);

vi.mock('@limitless-lint/core', async (importOriginal) => {
  const core = await importOriginal<typeof Core>();
  const analyzeSql = (text: string, options: AnalyzeOptions = {}): AnalyzeResult => {
    calls.push({ fileName: options.fileName, manifest: options.manifest?.file });
    if (text.includes('-- test: crash')) throw new Error('synthetic crash');
    const result = core.analyzeSql(text, options);
    const synthetic: Diagnostic[] = [];
    for (const match of text.matchAll(/-- test: (error|warning|info) (\S+)/g)) {
      const start = match.index;
      synthetic.push({
        ruleId: match[2] as string,
        messageId: 'synthetic',
        data: {},
        message: `Synthetic ${match[1]}.`,
        severity: match[1] as Severity,
        span: { start, end: start + match[0].length },
        labels: [{ span: { start: start - 10, end: start - 2 }, message: 'the statement before' }],
        note: 'Why it matters.',
        help: 'What to do.',
        suggestions: [{ message: 'Do this instead.', edits: [] }],
        docsUrl: core.docsUrl(match[2] as string),
      });
    }
    // `-- test: twice <rule-id>`: the same error twice on the first statement, as core reports an
    // analyzer failure when both the route analysis and the rules fail on a statement.
    for (const match of text.matchAll(/-- test: twice (\S+)/g)) {
      const span = { start: 0, end: 6 };
      const failure = { ruleId: match[1] as string, messageId: 'internalError', data: {}, message: 'limitless-lint failed on this statement: too much recursion.', severity: 'error' as const, span, labels: [], suggestions: [], docsUrl: '' };
      synthetic.push({ ...failure, statement: 0 }, { ...failure, statement: 0 });
    }
    return { ...result, diagnostics: [...result.diagnostics, ...synthetic] };
  };
  return { ...core, analyzeSql };
});

const warnings = 'fixtures/cli/warnings/warnings.sql';
const mixed = 'fixtures/cli/warnings/mixed.sql';

describe('severities and thresholds', () => {
  it('exits 0 on warnings and infos alone, and counts them', async () => {
    const { code, stdout } = await runCli([warnings]);
    expect(code).toBe(0);
    expect(stdout).toContain(`${warnings}:3:11  warning  Synthetic warning.  first-warning`);
    expect(stdout).toContain(`${warnings}:5:11  info  Synthetic info.  some-info`);
    expect(stdout).toContain('✖ 3 problems (0 errors, 2 warnings, 1 info)\n');
  });

  it('--max-warnings: exits 1 above the threshold, 0 at it', async () => {
    const above = await runCli(['--max-warnings', '1', warnings]);
    expect(above.code).toBe(1);
    expect(above.stderr).toBe('limitless-lint: too many warnings (2; --max-warnings allows 1)\n');
    const at = await runCli(['--max-warnings', '2', warnings]);
    expect({ code: at.code, stderr: at.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('--quiet shows errors only; warnings still count for --max-warnings, as in ESLint', async () => {
    const quiet = await runCli(['--quiet', mixed]);
    expect(quiet.code).toBe(1);
    expect(quiet.stdout).toContain('some-error');
    expect(quiet.stdout).not.toContain('some-warning');
    expect(quiet.stdout).toContain('✖ 1 problem (1 error, 0 warnings)\n');
    const onlyWarnings = await runCli(['--quiet', warnings]);
    expect(onlyWarnings.code).toBe(0);
    expect(onlyWarnings.stdout).toBe('✔ no problems\n3 statements in 1 file (0 parse errors)\n');
    const tooMany = await runCli(['--quiet', '--max-warnings', '0', warnings]);
    expect(tooMany.code).toBe(1);
  });

  it('--quiet applies to the JSON report too', async () => {
    const { report } = await runJson(['--quiet', mixed]);
    expect(report.files[0]?.diagnostics.map((d) => d.ruleId)).toEqual(['some-error']);
    expect(report.summary).toMatchObject({ errors: 1, warnings: 0 });
  });
});

describe('stylish', () => {
  it('prints the code frame, secondary labels, note, help, suggestions and the docs link', async () => {
    const { stdout } = await runCli([mixed]);
    expect(stdout).toContain(
      [
        `  ${mixed}:2:11  error  Synthetic error.  some-error`,
        '    2 | SELECT 1; -- test: error some-error',
        '      |           ^^^^^^^^^^^^^^^^^^^^^^^^^',
        `    ${mixed}:2:1`,
        '    2 | SELECT 1; -- test: error some-error',
        '      | -------- the statement before',
        '    note: Why it matters.',
        '    help: What to do.',
        '    suggestion: Do this instead.',
        '    docs: https://github.com/limitless-lint/limitless-lint/blob/main/docs/rules/some-error.md',
        '',
      ].join('\n'),
    );
  });
});

describe('manifests', () => {
  it('analyses each file with the nearest manifest above it', async () => {
    calls.length = 0;
    const { code } = await runCli(['fixtures/cli/manifests', 'fixtures/cli/clean/ok.sql']);
    expect(code).toBe(0);
    const manifests = join(repoRoot, 'fixtures/cli/manifests');
    expect(calls).toEqual([
      { fileName: 'fixtures/cli/manifests/one/query.sql', manifest: join(manifests, 'one/limitless.yaml') },
      { fileName: 'fixtures/cli/manifests/two/nested/query.sql', manifest: join(manifests, 'two/limitless.yml') },
      { fileName: 'fixtures/cli/manifests/two/query.sql', manifest: join(manifests, 'two/limitless.yml') },
      { fileName: 'fixtures/cli/clean/ok.sql', manifest: join(repoRoot, 'fixtures/cli/limitless.yaml') },
    ]);
  });

  it('uses the --config manifest for every file', async () => {
    calls.length = 0;
    await runCli(['--config', 'fixtures/cli/manifests/one/limitless.yaml', 'fixtures/cli/manifests/two']);
    expect(calls.map((call) => call.manifest)).toEqual([
      join(repoRoot, 'fixtures/cli/manifests/one/limitless.yaml'),
      join(repoRoot, 'fixtures/cli/manifests/one/limitless.yaml'),
    ]);
  });
});

describe('internal-error', () => {
  it('is counted once per statement, and exits 2 as the docs say (before: twice, exit 1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-lint-internal-'));
    writeFileSync(join(dir, 'deep.sql'), 'SELECT 1; -- test: twice internal-error\nSELECT 2;\n');
    writeFileSync(join(dir, 'limitless.yaml'), 'shards: 16\n');
    try {
      const run = await runCli(['--format', 'json', 'deep.sql'], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('limitless-lint: the analyzer failed on 1 statement (internal-error); this is a bug, please report it with those statements\n');
      const report = JSON.parse(run.stdout) as { files: { diagnostics: { ruleId: string }[] }[]; summary: { errors: number } };
      expect(report.files[0]?.diagnostics.map((d) => d.ruleId)).toEqual(['internal-error']);
      expect(report.summary.errors).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an analyzer crash', () => {
  it('names the file on stderr and rethrows the original error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'limitless-lint-crash-'));
    writeFileSync(join(dir, 'crash.sql'), 'SELECT 1; -- test: crash\n');
    writeFileSync(join(dir, 'limitless.yaml'), 'shards: 16\n');
    let stderr = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      cwd: dir,
      env: {},
    };
    try {
      await expect(main(['crash.sql'], io)).rejects.toThrow('synthetic crash');
      expect(stderr).toBe(
        'limitless-lint: internal error: the analyzer crashed on crash.sql; this is a bug, please report it with that file\n',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
