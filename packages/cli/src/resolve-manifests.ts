import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Manifest } from '@limitless-lint/core';
import { findManifest, formatManifestProblem, loadManifestSync } from '@limitless-lint/core';
import { CliError } from './errors.js';
import { displayPath } from './files.js';

/** The manifest a file is analysed with, or `undefined` to analyse it without one. */
export type ManifestFor = (file: string) => Manifest | undefined;

/**
 * Decides, before anything is linted, which manifest applies to each file: the `--config` file for
 * all of them, otherwise the nearest `limitless.yaml`/`limitless.yml` above each file (so files
 * under different manifests get their own). A file with no manifest above it is analysed without
 * one. Each manifest is read once.
 *
 * @throws {CliError} when a manifest is missing, unreadable or invalid, with one detail line per problem.
 */
export function resolveManifests(files: readonly string[], config: string | undefined, cwd: string): ManifestFor {
  const loaded = new Map<string, Manifest>();
  const load = (path: string): Manifest => {
    let manifest = loaded.get(path);
    if (!manifest) {
      const result = loadManifestSync(path);
      if (!result.ok) {
        const count = result.problems.length === 1 ? '1 problem' : `${result.problems.length} problems`;
        throw new CliError(
          `invalid manifest ${displayPath(path, cwd)} (${count}):`,
          result.problems.map((problem) => {
            const file = problem.file === undefined ? undefined : displayPath(problem.file, cwd);
            return `  ${formatManifestProblem({ ...problem, file })}`;
          }),
        );
      }
      manifest = result.manifest;
      loaded.set(path, manifest);
    }
    return manifest;
  };

  if (config !== undefined) {
    const path = resolve(cwd, config);
    if (!existsSync(path)) throw new CliError(`no such file or directory: ${config} (the --config manifest)`);
    const manifest = load(path);
    return () => manifest;
  }
  const manifestInDir = new Map<string, string | undefined>();
  const byFile = new Map<string, Manifest | undefined>();
  for (const file of files) {
    const dir = dirname(file);
    if (!manifestInDir.has(dir)) manifestInDir.set(dir, findManifest(dir));
    const path = manifestInDir.get(dir);
    byFile.set(file, path === undefined ? undefined : load(path));
  }
  return (file) => byFile.get(file);
}
