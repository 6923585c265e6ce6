import { resolve } from 'node:path';
import type { AnalyzeResult, Manifest } from '@limitless-lint/core';
import { LineIndex, analyzeSql, findManifest, loadParser } from '@limitless-lint/core';
import { Chalk } from 'chalk';
import type { ChalkInstance } from 'chalk';
import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { displayPath, expandPaths } from './files.js';
import type { CliIo } from './io.js';
import { readSqlFile } from './read-file.js';
import { resolveManifests } from './resolve-manifests.js';

export interface ExplainOptions {
  readonly config?: string;
  /** SQL given on the command line (`-e`), instead of files. */
  readonly eval?: string;
  readonly format: 'text' | 'json';
  readonly color: boolean;
}

/**
 * One statement's verdict: the public contract of `explain --format json` (docs/cli.md). Fields may
 * be added; none is removed or renamed without a major version.
 */
export interface ExplainedStatement {
  readonly sql: string;
  /** The file as displayed (relative to the working directory), or `<command-line>` for `-e`. */
  readonly file: string;
  /** 1-based position of the statement's first character. */
  readonly line: number;
  readonly column: number;
  readonly route: string;
  readonly fanout: number;
  readonly reasons: readonly string[];
  /** Tables touched: name, mode, whether read or written, and for sharded ones how they are pinned. */
  readonly tables: readonly { readonly table: string; readonly mode: string; readonly access: string; readonly pinning?: string }[];
  /** Present when the statement did not parse; its route is then `unknown`. */
  readonly parseError?: { readonly message: string; readonly line: number; readonly column: number };
}

const COMMAND_LINE = '<command-line>';

/**
 * Prints each statement's Limitless route, fan-out and reasons, for files or `-e` SQL. Exit code 0
 * when every input was read (whatever the routes), 2 otherwise.
 */
export async function runExplain(paths: readonly string[], options: ExplainOptions, io: CliIo): Promise<ExitCode> {
  const inputs: { file: string; text: string; manifest: Manifest | undefined }[] = [];
  let skipped = false;
  if (options.eval !== undefined) {
    if (paths.length > 0) throw new CliError('give either -e <sql> or files, not both');
    const manifestPath = options.config ?? findManifest(io.cwd);
    const manifestFor = manifestPath ? resolveManifests([], resolve(io.cwd, manifestPath), io.cwd) : () => undefined;
    inputs.push({ file: COMMAND_LINE, text: options.eval, manifest: manifestFor('') });
  } else {
    if (paths.length === 0) throw new CliError('explain needs files or -e <sql>; see limitless-lint explain --help');
    const expanded = await expandPaths(paths, io.cwd);
    const manifestFor = resolveManifests(expanded.files, options.config, io.cwd);
    for (const p of expanded.problems) {
      io.stderr.write(`limitless-lint: ${displayPath(p.path, io.cwd)}: ${p.reason}\n`);
      skipped = true;
    }
    for (const file of expanded.files) {
      const read = await readSqlFile(file);
      const shown = displayPath(file, io.cwd);
      if (!read.ok) {
        io.stderr.write(`limitless-lint: ${shown}: ${read.reason}\n`);
        skipped = true;
        continue;
      }
      inputs.push({ file: shown, text: read.text, manifest: manifestFor(file) });
    }
  }

  await loadParser();
  const explained: ExplainedStatement[] = [];
  for (const input of inputs) {
    const result = analyzeSql(input.text, input.manifest ? { manifest: input.manifest } : {});
    explained.push(...explainResult(input.file, input.text, result, input.manifest));
  }

  if (options.format === 'json') io.stdout.write(`${JSON.stringify(explained, null, 2)}\n`);
  else io.stdout.write(renderText(explained, options.color));
  return skipped ? ExitCode.CouldNotRun : ExitCode.Clean;
}

/** The statements of one analysed text as {@link ExplainedStatement}s. */
export function explainResult(file: string, text: string, result: AnalyzeResult, manifest: Manifest | undefined): ExplainedStatement[] {
  const lines = new LineIndex(text);
  return result.statements.map((s) => {
    const at = lines.positionAt(s.span.start);
    const base = { sql: text.slice(s.span.start, s.span.end), file, line: at.line, column: at.column };
    if (s.route) {
      const tables = s.route.tables.map((t) => ({ table: t.table, mode: t.mode, access: t.access, ...(t.pinning ? { pinning: t.pinning } : {}) }));
      return { ...base, route: s.route.kind, fanout: s.route.fanout, reasons: s.route.reasons, tables };
    }
    const error = result.diagnostics.find((d) => d.ruleId === 'parse-error' && d.span.start >= s.span.start && d.span.start <= s.span.end);
    const errorAt = lines.positionAt(error?.span.start ?? s.span.start);
    const message = error?.data['message'] ?? 'the statement did not parse';
    return {
      ...base,
      route: 'unknown',
      fanout: manifest?.shards ?? 16,
      reasons: [`PostgreSQL cannot parse this statement: ${message}`],
      tables: [],
      parseError: { message, line: errorAt.line, column: errorAt.column },
    };
  });
}

function routeColour(c: ChalkInstance, route: string): ChalkInstance {
  switch (route) {
    case 'single-shard':
      return c.green;
    case 'single-shard-routed':
    case 'multi-shard':
      return c.yellow;
    case 'all-shards':
    case 'unknown':
      return c.red;
    case 'router':
      return c.magenta;
    case 'reference':
    case 'standard':
      return c.cyan;
    default:
      return c.gray;
  }
}

function renderText(statements: readonly ExplainedStatement[], color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const paint = (route: string, text: string) => routeColour(c, route)(text);
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const s of statements) {
    counts.set(s.route, (counts.get(s.route) ?? 0) + 1);
    const sql = s.sql.replace(/\s+/g, ' ');
    out.push(c.dim(`${s.file}:${s.line}:${s.column}`));
    out.push(`  ${sql.length > 160 ? `${sql.slice(0, 157)}…` : sql}`);
    out.push(`  ${paint(s.route, s.route)} ${c.dim(`fan-out ${s.fanout}`)}`);
    for (const r of s.reasons) out.push(`    - ${r}`);
    out.push('');
  }
  const summary = [...counts].sort((a, b) => b[1] - a[1]).map(([route, n]) => `${n} ${paint(route, route)}`);
  out.push(`${statements.length} statement${statements.length === 1 ? '' : 's'}: ${summary.join(', ')}`);
  return `${out.join('\n')}\n`;
}
