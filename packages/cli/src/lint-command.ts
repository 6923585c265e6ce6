import { loadParser } from '@limitless-lint/core';
import { ExitCode } from './exit-codes.js';
import { displayPath, expandPaths } from './files.js';
import type { CliIo, OutputStream } from './io.js';
import { lintFiles } from './lint-files.js';
import { onlyErrors, summarize } from './lint-result.js';
import type { ReporterName } from './reporters/index.js';
import { reporters } from './reporters/index.js';
import { resolveManifests } from './resolve-manifests.js';

/** The lint command's options, as parsed from the command line. */
export interface LintOptions {
  /** Manifest for every file; otherwise each file's nearest `limitless.yaml`. */
  readonly config?: string;
  readonly format: ReporterName;
  /** Already decided from `--no-color`, `NO_COLOR` and whether stdout is a terminal. */
  readonly color: boolean;
  /** Report errors only. Warnings still count for `maxWarnings`, as in ESLint. */
  readonly quiet: boolean;
  readonly maxWarnings?: number;
}

/**
 * Lints files and directories: writes the report to stdout, and to stderr each path that could not
 * be linted and whether there were too many warnings. Returns the exit code (see {@link ExitCode}).
 *
 * @throws {CliError} when the run cannot start (missing path, no SQL files, invalid manifest).
 */
export async function runLint(paths: readonly string[], options: LintOptions, io: CliIo): Promise<ExitCode> {
  const expanded = await expandPaths(paths.length > 0 ? paths : ['.'], io.cwd);
  const manifestFor = resolveManifests(expanded.files, options.config, io.cwd);
  await loadParser();
  const linted = await lintFiles(expanded.files, manifestFor, io.cwd);
  const result = {
    files: linted.files,
    skipped: [...expanded.problems.map((p) => ({ ...p, path: displayPath(p.path, io.cwd) })), ...linted.skipped],
  };
  for (const { path, reason } of result.skipped) io.stderr.write(`limitless-lint: ${path}: ${reason}\n`);

  writeChunks(io.stdout, reporters[options.format](options.quiet ? onlyErrors(result) : result, { color: options.color }));

  const { errors, warnings } = summarize(result);
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;
  if (tooManyWarnings) {
    io.stderr.write(`limitless-lint: too many warnings (${warnings}; --max-warnings allows ${options.maxWarnings})\n`);
  }
  if (result.skipped.length > 0) return ExitCode.CouldNotRun;
  return errors > 0 || tooManyWarnings ? ExitCode.Problems : ExitCode.Clean;
}

/** Stdout writes are synchronous for files and pipes on POSIX: batch small chunks into fewer writes. */
const WRITE_BATCH = 64 * 1024;

function writeChunks(stream: OutputStream, chunks: Iterable<string>): void {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= WRITE_BATCH) {
      stream.write(pending);
      pending = '';
    }
  }
  if (pending !== '') stream.write(pending);
}
