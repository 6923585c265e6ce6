import { resolve } from 'node:path';
import type { AnalyzeResult, Manifest, Position } from '@limitless-lint/core';
import { LineIndex, analyzeSql, analyzeSqlSite, findManifest, loadParser } from '@limitless-lint/core';
import { Chalk } from 'chalk';
import { CliError } from '../util/errors.js';
import { ExitCode } from '../util/exit-codes.js';
import { scriptSites } from '../input/extract-ts.js';
import { expandPaths, languageOf } from '../input/files.js';
import { displayPath } from '../input/display-path.js';
import type { CliIo } from '../util/io.js';
import type { Verification, VerifyRequest } from '../live/verify.js';
import { isDisagreement, verificationLines, verificationSummary, verifyStatements } from '../live/verify.js';
import { decodeText, readSqlFile } from '../input/read-file.js';
import { ManifestLoader, resolveManifests } from '../input/resolve-manifests.js';
import { readStdin } from '../input/stdin.js';
import { printable } from '../reporters/printable.js';
import { routeColour } from './options.js';

export interface ExplainOptions {
  readonly config?: string;
  /** SQL given on the command line (`-e`), instead of files. */
  readonly eval?: string;
  readonly format: 'text' | 'json';
  readonly color: boolean;
  /** `--verify`: compare each route with the plan of a live database (live/verify.ts). */
  readonly verify?: VerifyRequest;
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
  /**
   * SQL in TypeScript/JavaScript whose text cannot be determined statically (`non-literal-sql`,
   * `dynamic-fragment`, `fragment` …): `sql` is the site's source, `line`/`column` the part responsible.
   */
  readonly unknownReason?: string;
  /** With `--verify`: the plan's verdict and how it compares with `route`. */
  readonly verify?: Verification;
}

const COMMAND_LINE = '<command-line>';

/**
 * Prints each statement's Limitless route, fan-out and reasons, for files or `-e` SQL. Exit code 0
 * when every input was read (whatever the routes), 2 otherwise.
 */
export async function runExplain(paths: readonly string[], options: ExplainOptions, io: CliIo): Promise<ExitCode> {
  const inputs: { file: string; text: string; manifest: Manifest | undefined; script?: string }[] = [];
  let skipped = false;
  if (options.eval !== undefined) {
    if (paths.length > 0) throw new CliError('give either -e <sql> or files, not both');
    const manifestPath = options.config ?? findManifest(io.cwd);
    const manifest = manifestPath === undefined ? undefined : new ManifestLoader(io.cwd).config(resolve(io.cwd, manifestPath));
    inputs.push({ file: COMMAND_LINE, text: options.eval, manifest });
  } else {
    if (paths.length === 0) throw new CliError('explain needs files or -e <sql>; see limitless-lint explain --help');
    const manifests = new ManifestLoader(io.cwd);
    const expanded = await expandPaths(paths, io.cwd, {
      ...(options.config !== undefined && { config: options.config }),
      manifests,
      onNote: (note) => io.stderr.write(`limitless-lint: ${note}\n`),
    });
    const manifestFor = resolveManifests(expanded.files, options.config, io.cwd, manifests);
    for (const p of expanded.problems) {
      io.stderr.write(`limitless-lint: ${printable(displayPath(p.path, io.cwd))}: ${p.reason}\n`);
      skipped = true;
    }
    for (const file of expanded.files) {
      const read = file === expanded.stdin ? decodeText(await readStdin(io.stdin)) : await readSqlFile(file);
      const shown = displayPath(file, io.cwd);
      if (!read.ok) {
        io.stderr.write(`limitless-lint: ${printable(shown)}: ${read.reason}\n`);
        skipped = true;
        continue;
      }
      inputs.push({ file: shown, text: read.text, manifest: manifestFor(file), ...(languageOf(file) === 'ts' && { script: file }) });
    }
  }

  await loadParser();
  const explained: ExplainedStatement[] = [];
  for (const input of inputs) {
    if (input.script !== undefined) {
      const statements = explainScript(input.file, input.text, input.script, input.manifest);
      if ('error' in statements) {
        io.stderr.write(`limitless-lint: ${printable(input.file)}: ${printable(statements.error)}\n`);
        skipped = true;
      } else explained.push(...statements);
      continue;
    }
    const result = analyzeSql(input.text, input.manifest ? { manifest: input.manifest } : {});
    explained.push(...explainResult(input.file, input.text, result, input.manifest));
  }

  if (options.verify) {
    // --verify: EXPLAIN every statement on the database (read-only, rolled back) and compare.
    const shards = inputs.find((i) => i.manifest)?.manifest?.shards ?? 16;
    const run = await verifyStatements(explained, options.verify, shards, io);
    const verified = explained.map((s, i) => (run.results[i] ? { ...s, verify: run.results[i] } : s));
    if (options.format === 'json') io.stdout.write(`${JSON.stringify(verified, null, 2)}\n`);
    else io.stdout.write(`${renderText(verified, options.color)}${verificationSummary(run, verified).join('\n')}\n`);
    if (skipped) return ExitCode.CouldNotRun;
    return run.results.some(isDisagreement) ? ExitCode.Problems : ExitCode.Clean;
  }
  if (options.format === 'json') io.stdout.write(`${JSON.stringify(explained, null, 2)}\n`);
  else io.stdout.write(renderText(explained, options.color));
  return skipped ? ExitCode.CouldNotRun : ExitCode.Clean;
}

/** The statements of one analysed text as {@link ExplainedStatement}s. */
export function explainResult(
  file: string,
  text: string,
  result: AnalyzeResult,
  manifest: Manifest | undefined,
  /** Where an offset of `text` is shown: by default in `text` itself; for embedded SQL, in its file. */
  sourcePosition?: (offset: number) => Position,
): ExplainedStatement[] {
  const lines = sourcePosition ? undefined : new LineIndex(text);
  const positionAt = sourcePosition ?? ((offset: number) => (lines as LineIndex).positionAt(offset));
  return result.statements.map((s) => {
    const at = positionAt(s.span.start);
    const base = { sql: text.slice(s.span.start, s.span.end), file, line: at.line, column: at.column };
    if (s.route) {
      const tables = s.route.tables.map((t) => ({ table: t.table, mode: t.mode, access: t.access, ...(t.pinning ? { pinning: t.pinning } : {}) }));
      return { ...base, route: s.route.kind, fanout: s.route.fanout, reasons: s.route.reasons, tables };
    }
    const error = result.diagnostics.find((d) => d.ruleId === 'parse-error' && d.span.start >= s.span.start && d.span.start <= s.span.end);
    const errorAt = positionAt(error?.span.start ?? s.span.start);
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

/**
 * The statements of the SQL sites of a TypeScript/JavaScript file, positioned in that file; a site
 * whose SQL is unknown is one `unknown` entry. `error` when the file does not parse.
 */
export function explainScript(file: string, text: string, fileName: string, manifest: Manifest | undefined): ExplainedStatement[] | { readonly error: string } {
  const found = scriptSites(text, fileName, manifest);
  const lines = new LineIndex(text);
  if ('error' in found) {
    const at = lines.positionAt(found.error.offset);
    return { error: `not parsed as TypeScript/JavaScript: ${found.error.message} (line ${at.line}, column ${at.column})` };
  }
  const explained: ExplainedStatement[] = [];
  for (const site of found.sites) {
    const analysis = analyzeSqlSite(site, manifest ? { manifest } : {});
    if (analysis.kind === 'unknown') {
      const at = lines.positionAt(analysis.at[0]);
      const sql = text.slice(site.range[0], site.range[1]);
      explained.push({ sql, file, line: at.line, column: at.column, route: 'unknown', fanout: manifest?.shards ?? 16, reasons: [analysis.message], tables: [], unknownReason: analysis.reason });
      continue;
    }
    const { site: sqlSite } = analysis;
    explained.push(...explainResult(file, sqlSite.sql, analysis.result, manifest, (offset) => lines.positionAt(sqlSite.toSourceOffset(offset))));
  }
  return explained;
}

function renderText(statements: readonly ExplainedStatement[], color: boolean): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const paint = (route: string, text: string) => routeColour(c, route)(text);
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const s of statements) {
    counts.set(s.route, (counts.get(s.route) ?? 0) + 1);
    // File names, SQL and the names in the reasons are the user's input: never raw on a terminal.
    const sql = printable(s.sql.replace(/\s+/g, ' '));
    out.push(c.dim(`${printable(s.file)}:${s.line}:${s.column}`));
    out.push(`  ${sql.length > 160 ? `${sql.slice(0, 157)}…` : sql}`);
    out.push(`  ${paint(s.route, s.route)} ${c.dim(`fan-out ${s.fanout}`)}`);
    for (const r of s.reasons) out.push(`    - ${printable(r)}`);
    if (s.verify) out.push(...verificationLines(s.verify, { good: c.green, bad: c.red, dim: c.dim }).map((l) => `  ${l}`));
    out.push('');
  }
  const summary = [...counts].sort((a, b) => b[1] - a[1]).map(([route, n]) => `${n} ${paint(route, route)}`);
  out.push(`${statements.length} statement${statements.length === 1 ? '' : 's'}: ${summary.join(', ')}`);
  return `${out.join('\n')}\n`;
}
