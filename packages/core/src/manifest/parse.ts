import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type ErrorCode, type YAMLError } from 'yaml';
import type { Position } from '../line-index.js';
import { buildManifest } from './build-manifest.js';
import { formatKeyPath, type Issue } from './issue.js';
import type { RawManifest } from './raw-manifest.js';
import type { Manifest, ManifestProblem } from './types.js';
import { validateRules } from './validate-rules.js';
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
  // yaml's own duplicate-key check scans the mapping for each key, quadratic in a mapping's size (a
  // manifest of 92,000 tables took minutes): keys are checked here instead, once each.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const positionOf = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  // Warnings are errors: an unknown tag (`!foo`) would otherwise be read as a plain string.
  const errors = [...doc.errors, ...doc.warnings, ...duplicateKeys(doc)];
  if (errors.length > 0) {
    return fail(errors.map((error) => problem(positionOf(error.pos[0]), '', yamlMessage(error))));
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
  const checked = [...checkBounds(validated.value), ...validateRules(validated.value)];
  const built = buildManifest(validated.value, file, (path) => ({
    ...(file !== undefined && { file }),
    ...locator.locate(path, 'key'),
  }));
  const issues = [...checked, ...(built.ok ? [] : built.issues)];
  return built.ok && issues.length === 0 ? built : fail(issues.map(toProblem));
}

/** The allowed range of `shards`: a DB shard group has far fewer; beyond it a count is a typo. */
export const MAX_SHARDS = 65_536;

/** Numeric bounds the schema leaves open (a 23-digit shard count is a number JavaScript cannot hold exactly). */
function checkBounds(raw: RawManifest): Issue[] {
  if (raw.shards <= MAX_SHARDS) return [];
  return [{ path: ['shards'], at: 'value', message: `must be between 1 and ${MAX_SHARDS}, got \`${raw.shards}\`` }];
}

/** Keys repeated in a mapping (scalar keys compared by value, as yaml does), each after its first. */
function duplicateKeys(doc: Document): YamlProblem[] {
  const found: YamlProblem[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) {
          const offset = pair.key.range?.[0] ?? 0;
          found.push({ code: 'DUPLICATE_KEY', message: `Map keys must be unique: \`${String(pair.key.value)}\` is repeated`, pos: [offset, offset] });
        }
        seen.add(pair.key.value);
      }
    },
  });
  return found;
}

/** What of yaml's errors and warnings a problem needs. */
type YamlProblem = Pick<YAMLError, 'code' | 'message' | 'pos'>;

function yamlMessage(error: YamlProblem): string {
  if (error.code === 'TAG_RESOLVE_FAILED') {
    return `${error.message.replace(/^Unresolved tag/, 'unknown YAML tag')}: a manifest uses plain YAML values; remove the tag`;
  }
  return YAML_MESSAGES[error.code] ?? error.message;
}

/** Replacements for yaml's messages that give advice about its API rather than about the file. */
const YAML_MESSAGES: Partial<Record<ErrorCode, string>> = {
  MULTIPLE_DOCS: 'a manifest is one YAML document; remove the `---` separator and what follows it',
};
