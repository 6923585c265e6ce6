import type { LearnedTable } from '@limitless-lint/core';
import { analyzeSql, learnTables, LineIndex } from '@limitless-lint/core';
import { AnalyzerCrash } from './errors.js';
import { displayPath } from './files.js';
import type { FileResult, LintResult, SkippedPath } from './lint-result.js';
import { readSqlFile } from './read-file.js';
import type { ManifestFor } from './resolve-manifests.js';

/**
 * Reads and analyses each file with its manifest. A file that cannot be read as UTF-8 text is
 * skipped with a reason; the others are still linted. The parser must be loaded.
 *
 * @throws {AnalyzerCrash} when the analyzer throws on a file (a bug).
 */
export async function lintFiles(files: readonly string[], manifestFor: ManifestFor, cwd: string): Promise<LintResult> {
  const results: FileResult[] = [];
  const skipped: SkippedPath[] = [];
  const knownTablesFor = await learnFromDdl(files, manifestFor);
  for (const file of files) {
    const path = displayPath(file, cwd);
    const read = await readSqlFile(file);
    if (!read.ok) {
      skipped.push({ path, reason: read.reason });
      continue;
    }
    let analysis;
    try {
      const manifest = manifestFor(file);
      analysis = analyzeSql(read.text, { fileName: path, knownTables: knownTablesFor(file), ...(manifest && { manifest }) });
    } catch (error) {
      throw new AnalyzerCrash(path, error);
    }
    const diagnostics = [...analysis.diagnostics].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    const lines = diagnostics.length > 0 ? new LineIndex(read.text) : undefined;
    results.push({ path, stats: analysis.stats, diagnostics, lines });
  }
  return { files: results, skipped };
}

/**
 * Replays the DDL of every file in path order first, so that each file is linted knowing the tables
 * the migrations declare (sequence columns, keys): a migration file sees the tables of the files
 * before it, any other file all of them. Unreadable files are left to the lint pass to report.
 */
async function learnFromDdl(files: readonly string[], manifestFor: ManifestFor): Promise<(file: string) => ReadonlyMap<string, LearnedTable>> {
  const before = new Map<string, ReadonlyMap<string, LearnedTable>>();
  let learned: ReadonlyMap<string, LearnedTable> = new Map();
  for (const file of files) {
    const read = await readSqlFile(file);
    if (!read.ok) continue;
    const searchPath = manifestFor(file)?.searchPath;
    const next = learnTables(read.text, { knownTables: learned, ...(searchPath && { searchPath }) });
    if (next !== learned) {
      before.set(file, learned);
      learned = next;
    }
  }
  return (file) => before.get(file) ?? learned;
}
