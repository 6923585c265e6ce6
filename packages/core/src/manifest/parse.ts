import { isMap, isSeq, LineCounter, parseDocument, type ErrorCode } from 'yaml';
import type { Position } from '../line-index.js';
import { buildManifest } from './build-manifest.js';
import { formatKeyPath, type Issue } from './issue.js';
import type { Manifest, ManifestProblem } from './types.js';
import { validateSchema } from './validate-schema.js';
import { YamlLocator } from './yaml-locator.js';

/** A manifest, or everything wrong with it (at least one problem, sorted by position). */
export type ManifestResult = { ok: true; manifest: Manifest } | { ok: false; problems: ManifestProblem[] };

/**
 * Parses and validates the text of a `limitless.yaml`. Never throws: YAML syntax errors, schema
 * violations and semantic mistakes (shard keys, collocation, duplicate table names) all come back as
 * problems with a line, a column and a key path. Semantic checks run once the file matches the schema.
 *
 * @param file the file the text came from; copied into the manifest and into every problem.
 */
export function parseManifest(text: string, file?: string): ManifestResult {
  const problem = (position: Position, path: string, message: string, suggestion?: string): ManifestProblem => ({
    ...(file !== undefined && { file }),
    ...position,
    path,
    message,
    ...(suggestion !== undefined && { suggestion }),
  });
  const fail = (problems: ManifestProblem[]): ManifestResult => ({
    ok: false,
    problems: problems.sort((a, b) => a.line - b.line || a.column - b.column),
  });

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const positionOf = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return fail(doc.errors.map((error) => problem(positionOf(error.pos[0]), '', YAML_MESSAGES[error.code] ?? error.message)));
  }
  if (doc.contents === null) return fail([problem({ line: 1, column: 1 }, '', 'manifest is empty')]);
  if (!isMap(doc.contents)) {
    const kind = isSeq(doc.contents) ? 'a list' : 'a single value';
    const message = `manifest must be a mapping of keys such as \`shards\` and \`tables\`, not ${kind}`;
    return fail([problem(positionOf(doc.contents.range?.[0] ?? 0), '', message)]);
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // toJS throws on an alias to a missing anchor, or one expanded too often (a resource exhaustion attack).
    return fail([problem({ line: 1, column: 1 }, '', error instanceof Error ? error.message : String(error))]);
  }
  const locator = new YamlLocator(doc, lineCounter);
  const toProblem = (issue: Issue): ManifestProblem =>
    problem(locator.locate(issue.path, issue.at), formatKeyPath(issue.path), issue.message, issue.suggestion);

  const validated = validateSchema(data);
  if (!validated.ok) return fail(validated.issues.map(toProblem));
  const built = buildManifest(validated.value, file, (path) => ({
    ...(file !== undefined && { file }),
    ...locator.locate(path, 'key'),
  }));
  return built.ok ? built : fail(built.issues.map(toProblem));
}

/** Replacements for yaml's messages that give advice about its API rather than about the file. */
const YAML_MESSAGES: Partial<Record<ErrorCode, string>> = {
  MULTIPLE_DOCS: 'a manifest is one YAML document; remove the `---` separator and what follows it',
};
