import type { ErrorObject } from 'ajv';
import { closestMatch } from './edit-distance.js';
import type { Issue, KeyPath } from './issue.js';
import type { RawManifest } from './raw-manifest.js';
import { validate } from './schema-validator.generated.js';

/** ajv's standalone validator: errors on the function after a failed call. */
interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/**
 * Checks parsed YAML data against `schema/limitless.schema.json` and fills in its defaults (the
 * data is changed in place). Every violation becomes one {@link Issue}. The schema is compiled ahead
 * of time (`scripts/gen-manifest-validator.mjs`; a test checks the compiled file is current), so that
 * loading a manifest needs neither ajv nor its code generator.
 */
export function validateSchema(data: unknown): { ok: true; value: RawManifest } | { ok: false; issues: Issue[] } {
  const compiled = validate as StandaloneValidator;
  if (compiled(data)) return { ok: true, value: data as RawManifest };
  const errors = relevant(compiled.errors ?? []);
  return { ok: false, issues: errors.flatMap((error) => toIssue(error, keyPath(data, error.instancePath)) ?? []) };
}

/**
 * Drops errors that only repeat another: checks of a value whose type is already wrong, and a missing
 * required key that an unknown key next to it looks like a typo of (`mood` for `mode`).
 */
function relevant(errors: readonly ErrorObject[]): ErrorObject[] {
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const misspelt = new Set(
    errors.filter((e) => e.keyword === 'additionalProperties').map((e) => `${e.instancePath}/${unknownKey(e).suggestion}`),
  );
  return errors.filter(
    (e) =>
      !(e.keyword !== 'type' && wrongType.has(e.instancePath)) &&
      !(e.keyword === 'required' && misspelt.has(`${e.instancePath}/${e.params.missingProperty}`)),
  );
}

function toIssue(error: ErrorObject, path: KeyPath): Issue | undefined {
  const { params, data } = error;
  switch (error.keyword) {
    case 'additionalProperties': {
      const { key, suggestion } = unknownKey(error);
      return { path: [...path, key], at: 'key', message: `unknown key \`${key}\``, suggestion };
    }
    case 'required':
      return { path: [...path, String(params.missingProperty)], at: 'key', message: `missing required key \`${params.missingProperty}\`` };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      return {
        path,
        at: 'value',
        message: `${describe(data)} is not one of ${listValues(allowed)}`,
        suggestion: typeof data === 'string' ? closestMatch(data, allowed) : undefined,
      };
    }
    case 'type': {
      const allowed = error.parentSchema?.enum as unknown[] | undefined;
      const expected = allowed
        ? `one of ${listValues(allowed.map(String))}`
        : String(params.type).split(',').map((type) => TYPE_NAMES[type] ?? type).join(' or ');
      return { path, at: 'value', message: `must be ${expected}, got ${describe(data, { kind: true })}` };
    }
    case 'minimum':
      return { path, at: 'value', message: `must be at least ${params.limit}, got ${describe(data)}` };
    // The schema only uses a limit of 1 for these.
    case 'minItems':
    case 'minLength':
      return { path, at: 'value', message: 'must not be empty' };
    // A failed `if`/`then`/`else` also reports the failing branch's own errors, which say more.
    case 'if':
      return undefined;
    default:
      return { path, at: 'value', message: error.message ?? 'is not valid' };
  }
}

/** For an `additionalProperties` error: the unknown key, and the known key it most looks like. */
function unknownKey(error: ErrorObject): { key: string; suggestion: string | undefined } {
  const key = String(error.params.additionalProperty);
  const known = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
  return { key, suggestion: closestMatch(key, known) };
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

function listValues(values: readonly string[]): string {
  return values.map((value) => `\`${value}\``).join(', ');
}

/** Shows a value in a message: scalars as written (after their kind, if asked), collections by kind. */
export function describe(value: unknown, { kind = false } = {}): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  const written = `\`${String(value)}\``;
  return kind && typeof value !== 'boolean' ? `the ${typeof value} ${written}` : written;
}

/** Turns a JSON Pointer into a key path, with list indices as numbers. */
function keyPath(data: unknown, pointer: string): KeyPath {
  const path: (string | number)[] = [];
  let value = data;
  for (const escaped of pointer.split('/').slice(1)) {
    const segment = escaped.replaceAll('~1', '/').replaceAll('~0', '~');
    path.push(Array.isArray(value) ? Number(segment) : segment);
    value = (value as Record<string, unknown>)[segment];
  }
  return path;
}
