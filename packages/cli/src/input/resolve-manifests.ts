import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Manifest } from '@limitless-lint/core';
import { findManifest, formatManifestProblem, loadManifestSync } from '@limitless-lint/core';
import { CliError } from '../util/errors.js';
import { displayPath } from './display-path.js';
import { describeFsError } from '../util/describe-fs-error.js';
import { formatBytes, kindOf } from './read-file.js';

/**
 * The largest manifest read, in bytes. A manifest of 100,000 tables is about 10 MB; anything much
 * larger is not a manifest (or not one a person keeps).
 */
export const MAX_MANIFEST_BYTES = 32 * 1024 * 1024;

/** The manifest a file is analysed with, or `undefined` to analyse it without one. */
export type ManifestFor = (file: string) => Manifest | undefined;

/** Reads each manifest of a run once (file selection and analysis share it). */
export class ManifestLoader {
  private readonly loaded = new Map<string, Manifest>();

  constructor(private readonly cwd: string) {}

  /**
   * The manifest at `path` (absolute).
   *
   * @throws {CliError} when it is unreadable or invalid, with one detail line per problem.
   */
  load(path: string): Manifest {
    let manifest = this.loaded.get(path);
    if (!manifest) {
      this.checkFile(path);
      const result = loadManifestSync(path);
      if (!result.ok) {
        const count = result.problems.length === 1 ? '1 problem' : `${result.problems.length} problems`;
        throw new CliError(
          `invalid manifest ${displayPath(path, this.cwd)} (${count}):`,
          result.problems.map((problem) => {
            const file = problem.file === undefined ? undefined : displayPath(problem.file, this.cwd);
            return `  ${formatManifestProblem({ ...problem, file })}`;
          }),
        );
      }
      manifest = result.manifest;
      this.loaded.set(path, manifest);
    }
    return manifest;
  }

  /** Refuses what is not a regular file of a manifest's size (`--config /dev/zero` would never end). */
  private checkFile(path: string): void {
    const shown = displayPath(path, this.cwd);
    let stats;
    try {
      stats = statSync(path);
    } catch (error) {
      throw new CliError(`cannot read the manifest ${shown}: ${describeFsError(error)}`);
    }
    if (stats.isDirectory()) throw new CliError(`the manifest ${shown} is a directory; name its limitless.yaml`);
    if (!stats.isFile()) throw new CliError(`the manifest ${shown} is ${kindOf(stats)}, not a regular file; name a limitless.yaml file`);
    if (stats.size > MAX_MANIFEST_BYTES) {
      throw new CliError(`the manifest ${shown} is too large (${formatBytes(stats.size)}; the limit is ${formatBytes(MAX_MANIFEST_BYTES)})`);
    }
  }

  /**
   * The `--config` manifest, `config` as given.
   *
   * @throws {CliError} when it is missing, unreadable or invalid.
   */
  config(config: string): Manifest {
    const path = resolve(this.cwd, config);
    if (!existsSync(path)) throw new CliError(`no such file or directory: ${config} (the --config manifest)`);
    return this.load(path);
  }
}

/**
 * Decides, before anything is linted, which manifest applies to each file: the `--config` file for
 * all of them, otherwise the nearest `limitless.yaml`/`limitless.yml` above each file (so files
 * under different manifests get their own). A file with no manifest above it is analysed without
 * one. Each manifest is read once, by `manifests` (shared with the file selection).
 *
 * @throws {CliError} when a manifest is missing, unreadable or invalid, with one detail line per problem.
 */
export function resolveManifests(files: readonly string[], config: string | undefined, cwd: string, manifests = new ManifestLoader(cwd)): ManifestFor {
  if (config !== undefined) {
    const manifest = manifests.config(config);
    return () => manifest;
  }
  const manifestInDir = new Map<string, string | undefined>();
  const byFile = new Map<string, Manifest | undefined>();
  for (const file of files) {
    const dir = dirname(file);
    if (!manifestInDir.has(dir)) manifestInDir.set(dir, findManifest(dir));
    const path = manifestInDir.get(dir);
    byFile.set(file, path === undefined ? undefined : manifests.load(path));
  }
  return (file) => byFile.get(file);
}

/** Where to send a user whose files have no manifest. */
const MANIFEST_DOCS = 'https://github.com/limitless-lint/limitless-lint/blob/main/docs/manifest.md';

/**
 * Refuses to lint files that no manifest covers, as ESLint refuses to run without a configuration:
 * without one every table is unknown, no route can be decided, and a run would pass that checked
 * nothing. Names the files (a few of them) and the ways on.
 *
 * @throws {CliError} when a file has no manifest.
 */
export function requireManifests(files: readonly string[], manifestFor: ManifestFor, cwd: string): void {
  const missing = files.filter((file) => manifestFor(file) === undefined);
  if (missing.length === 0) return;
  const shown = missing.slice(0, 3).map((file) => displayPath(file, cwd));
  const more = missing.length > shown.length ? ` and ${missing.length - shown.length} more` : '';
  const count = missing.length === 1 ? '1 file' : `${missing.length} files`;
  throw new CliError(`no manifest (limitless.yaml) found for ${count}: ${shown.join(', ')}${more}`, [
    '  The manifest declares your tables (sharded, reference, standard) and shard keys; routes are judged from it.',
    '  Write one from your migrations:  limitless-lint init --from-ddl migrations/',
    '  or name one for every file:      limitless-lint --config path/to/limitless.yaml …',
    '  or lint without one:             limitless-lint --no-manifest …  (only the rules that need no manifest)',
    `  See ${MANIFEST_DOCS}`,
  ]);
}
