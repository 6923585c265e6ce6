import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const schema: unknown = JSON.parse(readFileSync(new URL('../../schema/limitless.schema.json', import.meta.url), 'utf8'));

/** Paths of every subschema in `properties` that has no `description`, for editor completion help. */
function undescribed(node: unknown, path: string): string[] {
  if (typeof node !== 'object' || node === null) return [];
  if (Array.isArray(node)) return node.flatMap((item, i) => undescribed(item, `${path}[${i}]`));
  const record = node as Record<string, unknown>;
  const own = Object.entries((record.properties as Record<string, { description?: unknown }> | undefined) ?? {})
    .filter(([, property]) => typeof property.description !== 'string')
    .map(([key]) => `${path}.${key}`);
  return [...own, ...Object.entries(record).flatMap(([key, value]) => undescribed(value, `${path}.${key}`))];
}

describe('limitless.schema.json', () => {
  it('describes every property', () => {
    expect(undescribed(schema, '$')).toEqual([]);
  });

  it('is what the compiled validator (schema-validator.generated.ts) was generated from', () => {
    const core = fileURLToPath(new URL('../../', import.meta.url));
    const check = spawnSync(process.execPath, ['scripts/gen-manifest-validator.mjs', '--check'], { cwd: core, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
