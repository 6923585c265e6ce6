import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Manifest } from '@limitless-lint/core';
import { findManifest, formatManifestProblem, loadManifestSync } from '@limitless-lint/core';
import { CliError } from './errors.js';
import { displayPath } from './files.js';

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
