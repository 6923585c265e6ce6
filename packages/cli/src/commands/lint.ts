import { resolve } from 'node:path';
import { loadParser } from '@limitless-lint/core';
import { writeFileAtomic } from '../util/atomic-write.js';
import { batches } from '../util/batches.js';
import type { CiOptions } from '../ci/ci-run.js';
import { prepareCiRun } from '../ci/ci-run.js';
import { ExitCode } from '../util/exit-codes.js';
import type { ExpandOptions } from '../input/files.js';
import { expandPaths } from '../input/files.js';
import { displayPath } from '../input/display-path.js';
import type { CliIo } from '../util/io.js';
import type { RunRequest } from '../run/lint-files.js';
import { lintFiles, runOptions } from '../run/lint-files.js';
import { INTERNAL_ERROR } from '../run/lint-one.js';
import { onlyErrors, summarize } from '../run/lint-result.js';
import { plural } from '../util/text.js';
import type { ReporterName } from '../reporters/index.js';
import { reporterNeedsStatements, reporters } from '../reporters/index.js';
import type { ManifestFor } from '../input/resolve-manifests.js';
import { ManifestLoader, requireManifests, resolveManifests } from '../input/resolve-manifests.js';
import { CliError } from '../util/errors.js';

/** The lint command's options, as parsed from the command line. */
export interface LintOptions {
  /** Manifest for every file; otherwise each file's nearest `limitless.yaml`. */
  readonly config?: string;
  /** `--no-manifest`: lint every file without a manifest, with only the rules that need none. */
  readonly noManifest?: boolean;
  readonly format: ReporterName;
  /** Already decided by useColor in commands/options.ts (flags, FORCE_COLOR, NO_COLOR, TERM=dumb, a terminal). */
  readonly color: boolean;
  /** Report errors only. Warnings still count for `maxWarnings`, as in ESLint. */
  readonly quiet: boolean;
  readonly maxWarnings?: number;
  /** Which files: `--include`/`--exclude` patterns, `--no-gitignore`, `--stdin-filename`. */
  readonly select?: Pick<ExpandOptions, 'include' | 'exclude' | 'gitignore' | 'stdinFilename'>;
  /** `--jobs` and `--no-progress`. */
  readonly run?: RunRequest;
  /** `--output-file`: write the report there (atomically) instead of stdout. */
  readonly outputFile?: string;
  /** Baseline, changed-only, locality diff and job summary options (see {@link CiOptions}). */
  readonly ci?: CiOptions;
}

/**
 * Lints files and directories: writes the report to stdout, and to stderr each path that could not
 * be linted and whether there were too many warnings. Returns the exit code (see {@link ExitCode}).
 *
 * @throws {CliError} when the run cannot start (missing path, no SQL files, invalid manifest).
 */
export async function runLint(paths: readonly string[], options: LintOptions, io: CliIo): Promise<ExitCode> {
  const noManifest = options.noManifest === true;
  if (noManifest && options.config !== undefined) throw new CliError('--no-manifest and --config exclude each other: lint with a manifest, or without one');
  const manifests = new ManifestLoader(io.cwd);
  const expanded = await expandPaths(paths.length > 0 ? paths : ['.'], io.cwd, {
    ...options.select,
    ...(options.config !== undefined && { config: options.config }),
    manifests,
    manifestGlobs: !noManifest,
    onNote: (note) => io.stderr.write(`limitless-lint: ${note}\n`),
  });
  const manifestFor: ManifestFor = noManifest ? () => undefined : resolveManifests(expanded.files, options.config, io.cwd, manifests);
  if (!noManifest) requireManifests(expanded.files, manifestFor, io.cwd);
  else io.stderr.write('limitless-lint: --no-manifest: routes are not judged; the routing rules and unknown-table are off\n');
  await loadParser();
  // Reads the baseline and resolves git revisions before linting: a bad ref fails fast.
  const ci = await prepareCiRun(options.ci ?? {}, io);
  const run = await runOptions(expanded, options.run ?? {}, io);
  const linted = await lintFiles(expanded.files, manifestFor, io.cwd, { ...run, statements: reporterNeedsStatements(options.format) || ci.statements });
  const all = {
    cwd: io.cwd,
    files: linted.files,
    skipped: [...expanded.problems.map((p) => ({ ...p, path: displayPath(p.path, io.cwd) })), ...linted.skipped],
  };
  for (const { path, reason } of all.skipped) io.stderr.write(`limitless-lint: ${path}: ${reason}\n`);
  // Without the baseline's known findings, and with --changed-since only those in changed statements.
  const result = ci.filter(all);

  const report = reporters[options.format](options.quiet ? onlyErrors(result) : result, { color: options.color });
  if (options.outputFile !== undefined) await writeFileAtomic(resolve(io.cwd, options.outputFile), report, 'the --output-file report');
  // Stdout writes are synchronous for files and pipes on POSIX: small chunks go in fewer writes.
  else for (const batch of batches(report)) io.stdout.write(batch);

  const { errors, warnings } = summarize(result);
  const tooManyWarnings = options.maxWarnings !== undefined && warnings > options.maxWarnings;
  if (tooManyWarnings) {
    io.stderr.write(`limitless-lint: too many warnings (${warnings}; --max-warnings allows ${options.maxWarnings})\n`);
  }
  // The analyzer failed on these statements (a bug): the run did not lint everything (exit 2).
  const failed = all.files.reduce((n, file) => n + file.diagnostics.filter((d) => d.ruleId === INTERNAL_ERROR).length, 0);
  if (failed > 0) {
    io.stderr.write(`limitless-lint: the analyzer failed on ${plural(failed, 'statement')} (internal-error); this is a bug, please report it with those statements\n`);
  }
  const code = result.skipped.length > 0 || failed > 0 ? ExitCode.CouldNotRun : errors > 0 || tooManyWarnings ? ExitCode.Problems : ExitCode.Clean;
  // The locality diff follows a stylish report on stdout; with any other format stdout holds one document.
  const diffTo = options.format === 'stylish' && options.outputFile === undefined ? io.stdout : io.stderr;
  return ci.finish(result, all, code, diffTo, manifestFor);
}
