// The benchmark's inputs: the generated corpus (made on demand by scripts/gen-corpus.mjs, reused
// while the generator is unchanged) or any folder of .sql files given with --corpus.

import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { defaultCorpusDir, GENERATOR_HASH, generateCorpus, readCorpusDescription } from '../gen-corpus.mjs';
import { filesBelow } from '../lib/files.mjs';
import { progress, ROOT } from './util.mjs';

/**
 * The generated corpus for `seed` and `statements`, written first if it is missing or was written
 * by another version of the generator. Returns its description (corpus.json) with `dir`.
 */
export function ensureGeneratedCorpus(seed, statements) {
  const dir = defaultCorpusDir(seed, statements);
  const existing = readCorpusDescription(dir);
  if (existing && existing.generatorHash === GENERATOR_HASH && existing.seed === seed && existing.statements === statements) {
    return { dir, ...existing };
  }
  progress(`generating ${statements} statements (seed ${seed}) into ${relative(ROOT, dir)}`);
  return generateCorpus({ seed, statements, out: dir });
}

/** The .sql files of a folder with their text and total size: the parse-floor, core and CLI input. */
export function loadSqlCorpus(dir) {
  const root = resolve(dir);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`not a directory: ${dir}`);
  const paths = filesBelow(root, '.sql');
  if (paths.length === 0) throw new Error(`no .sql files below ${dir}`);
  const files = paths.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  return { dir: root, files, bytes };
}
