import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { afterEach } from 'vitest';

/** A manifest for the temporary projects: one sharded table, unknown tables reported as infos. */
export const SMALL_MANIFEST = `shards: 16
tables:
  accounts:
    mode: sharded
    shard_key: [account_id]
rules:
  unknown-table: info
`;

/** One finding of each severity with {@link SMALL_MANIFEST}. */
export const ERROR_SQL = 'SELECT * FROM accounts WHERE account_id > 1;';
export const WARNING_SQL = 'SELECT * FROM accounts WHERE account_id IN (1, 2);';
export const INFO_SQL = 'SELECT * FROM nowhere;';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A temporary project holding `files` (name → text; `limitless.yaml` defaults to
 * {@link SMALL_MANIFEST}), removed after the test.
 */
export function tempProject(files: Readonly<Record<string, string | Buffer>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'limitless-lint-reporters-'));
  dirs.push(dir);
  const all = { 'limitless.yaml': SMALL_MANIFEST, ...files };
  for (const [name, text] of Object.entries(all)) writeFileSync(join(dir, name), text);
  return dir;
}

const require = createRequire(import.meta.url);

// CommonJS modules: their `default` is the module itself, and has a `default` that is the same.
const Ajv04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

/**
 * The SARIF 2.1.0 JSON schema (revision 2.1.0-rtm.5, a draft-04 schema) as Microsoft's SARIF SDK
 * ships it in @microsoft/jest-sarif (the only npm package found that ships the schema), compiled with Ajv's draft-04 class and format checks (`uri`,
 * `uri-reference`, `date-time`). The schema's one language-tag pattern is not valid with the `u`
 * flag, hence `unicodeRegExp: false`.
 */
function compileSarifSchema() {
  const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as { title: string };
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return { title: schema.title, validate: ajv.compile(schema) };
}

let compiled: ReturnType<typeof compileSarifSchema> | undefined;

/** Validates a SARIF log against that schema: the schema's errors, or `[]` when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  compiled ??= compileSarifSchema();
  if (compiled.validate(log)) return [];
  return (compiled.validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** The schema's title, to show which schema the tests validate against. */
export function sarifSchemaTitle(): string {
  compiled ??= compileSarifSchema();
  return compiled.title;
}
