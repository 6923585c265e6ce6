import { analyzeSql, LineIndex } from '@limitless-lint/core';
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
      analysis = analyzeSql(read.text, { fileName: path, ...(manifest && { manifest }) });
    } catch (error) {
      throw new AnalyzerCrash(path, error);
    }
    const diagnostics = [...analysis.diagnostics].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    const lines = diagnostics.length > 0 ? new LineIndex(read.text) : undefined;
    results.push({ path, stats: analysis.stats, diagnostics, lines });
  }
  return { files: results, skipped };
}
