import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Baseline, BaselineEntry } from './baseline.js';
import { applyBaseline, baselineFor, readBaseline, writeBaseline } from './baseline.js';
import type { ChangeSet } from './changed-since.js';
import { changesSince, onlyChanged } from './changed-since.js';
import { describeFsError } from '../util/describe-fs-error.js';
import { CliError } from '../util/errors.js';
import { ExitCode } from '../util/exit-codes.js';
import { displayPath } from '../input/display-path.js';
import type { CliIo, OutputStream } from '../util/io.js';
import { jobSummary } from './job-summary.js';
import type { LintResult } from '../run/lint-result.js';
import type { LocalityDiff } from './locality-diff.js';
import { formatLocalityDiff, localityDiff } from './locality-diff.js';
import type { ManifestFor } from '../input/resolve-manifests.js';
import { plural } from '../util/text.js';

/** The lint command's options for CI: baselines, changed-only runs, the locality diff, the job summary. */
export interface CiOptions {
  /** `--baseline <file>`: hide the findings it lists. */
  readonly baseline?: string;
  /** `--update-baseline`: write the baseline (`baseline`, or {@link DEFAULT_BASELINE}) from this run. */
  readonly updateBaseline?: boolean;
  /** `--fail-on-stale-baseline`: exit 1 when baseline entries match nothing any more. */
  readonly failOnStaleBaseline?: boolean;
  /** `--changed-since <ref>`: report only findings in statements changed since the merge base with `ref`. */
  readonly changedSince?: string;
  /** `--compare-to <ref>`: print the locality diff against the merge base with `ref`. */
  readonly compareTo?: string;
  /** `--summary-file <file>`: append a Markdown job summary (`$GITHUB_STEP_SUMMARY`). */
  readonly summaryFile?: string;
}

/** Where `--update-baseline` writes without `--baseline`. */
export const DEFAULT_BASELINE = 'limitless-lint-baseline.json';

/** The CI steps of one lint run, prepared before anything is linted. */
export interface CiRun {
  /** Whether the files must be linted with `statements: true` (fingerprints, spans, routes). */
  readonly statements: boolean;
  /** Applies (or writes) the baseline, then `--changed-since`: the result to report and count. */
  filter(all: LintResult): LintResult;
  /**
   * After the report: prints the locality diff to `diffTo`, appends the job summary, and returns the
   * exit code (1 instead of 0 for a stale baseline with `--fail-on-stale-baseline`).
   */
  finish(shown: LintResult, all: LintResult, code: ExitCode, diffTo: OutputStream, manifestFor: ManifestFor): Promise<ExitCode>;
}

/** Listed by name on stderr; more are counted. */
const MAX_STALE_LISTED = 10;

/**
 * Checks the CI options and does what can fail before linting: reads the baseline, resolves the
 * git revisions and reads the branch's changes, so that a typo in a ref costs no lint run.
 *
 * @throws {CliError} for an unreadable or invalid baseline, a missing git, a directory outside a
 * repository, or an unknown revision.
 */
export async function prepareCiRun(options: CiOptions, io: CliIo): Promise<CiRun> {
  if (options.failOnStaleBaseline && options.baseline === undefined) throw new CliError('--fail-on-stale-baseline needs --baseline <file>');
  const baselineName = options.baseline ?? (options.updateBaseline ? DEFAULT_BASELINE : undefined);
  const baseline = baselineName === undefined ? undefined : readBaseline(resolve(io.cwd, baselineName), baselineName, options.updateBaseline === true);
  const changed = options.changedSince === undefined ? undefined : await changesSince(options.changedSince, io.cwd, '--changed-since');
  let compared: ChangeSet | undefined;
  if (options.compareTo !== undefined) {
    compared = changed && options.compareTo === options.changedSince ? changed : await changesSince(options.compareTo, io.cwd, '--compare-to');
  }
  let baselineHidden: number | undefined;
  let stale: readonly BaselineEntry[] = [];
  let changedHidden = 0;

  const filter = (all: LintResult): LintResult => {
    let result = all;
    if (baseline && options.updateBaseline) {
      const pruned = applyBaseline(all, baseline, io.cwd).stale.length;
      const entries = baselineFor(all, baseline, io.cwd);
      writeBaseline(baseline.path, entries);
      const updated: Baseline = { path: baseline.path, entries };
      ({ result } = applyBaseline(all, updated, io.cwd));
      const problems = entries.reduce((n, e) => n + e.count, 0);
      io.stderr.write(
        `limitless-lint: wrote the baseline ${displayPath(baseline.path, io.cwd)}: ${plural(entries.length, 'entry', 'entries')} for ${plural(problems, 'problem')}` +
          (pruned > 0 ? `; ${plural(pruned, 'stale entry', 'stale entries')} pruned` : '') +
          '\n',
      );
    } else if (baseline) {
      const applied = applyBaseline(all, baseline, io.cwd);
      result = applied.result;
      baselineHidden = applied.hidden;
      stale = applied.stale;
      const shown = displayPath(baseline.path, io.cwd);
      if (applied.hidden > 0) io.stderr.write(`limitless-lint: ${plural(applied.hidden, 'known problem')} hidden by the baseline ${shown}\n`);
      if (stale.length > 0) reportStale(io.stderr, shown, stale);
    }
    if (changed) {
      const kept = onlyChanged(result, changed, io.cwd);
      result = kept.result;
      changedHidden = kept.hidden;
      if (kept.hidden > 0) {
        io.stderr.write(
          `limitless-lint: --changed-since ${options.changedSince}: ${plural(kept.hidden, 'problem')} in statements not changed since ${changed.base.slice(0, 12)} not reported\n`,
        );
      }
    }
    return result;
  };

  const finish = async (shown: LintResult, all: LintResult, code: ExitCode, diffTo: OutputStream, manifestFor: ManifestFor): Promise<ExitCode> => {
    let diff: LocalityDiff | undefined;
    if (compared) {
      diff = await localityDiff(all, compared, manifestFor, io.cwd, '--compare-to');
      diffTo.write(formatLocalityDiff(diff));
    }
    if (options.summaryFile !== undefined) {
      const markdown = jobSummary(all, shown, {
        ...(baselineHidden !== undefined && { baselineHidden, baselineStale: stale.length }),
        ...(changed && { changed: { ref: changed.ref, base: changed.base, hidden: changedHidden } }),
        ...(diff && { diff }),
      });
      appendSummary(resolve(io.cwd, options.summaryFile), markdown);
    }
    if (options.failOnStaleBaseline && stale.length > 0 && code === ExitCode.Clean) return ExitCode.Problems;
    return code;
  };

  const statements = baseline !== undefined || changed !== undefined || compared !== undefined || options.summaryFile !== undefined;
  return { statements, filter, finish };
}

function reportStale(stderr: OutputStream, shown: string, stale: readonly BaselineEntry[]): void {
  const problems = stale.reduce((n, e) => n + e.count, 0);
  stderr.write(
    `limitless-lint: the baseline ${shown} has ${plural(stale.length, 'stale entry', 'stale entries')} (${plural(problems, 'problem')} no longer found); run with --update-baseline to prune ${stale.length === 1 ? 'it' : 'them'}\n`,
  );
  for (const e of stale.slice(0, MAX_STALE_LISTED)) stderr.write(`  ${e.file}: ${e.rule} ×${e.count} (${e.fingerprint})\n`);
  if (stale.length > MAX_STALE_LISTED) stderr.write(`  … and ${stale.length - MAX_STALE_LISTED} more\n`);
}

/** Appends, as `$GITHUB_STEP_SUMMARY` expects (other steps write to the same file). */
function appendSummary(path: string, markdown: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, markdown);
  } catch (error) {
    throw new CliError(`cannot write the --summary-file ${path}: ${describeFsError(error)}`);
  }
}
