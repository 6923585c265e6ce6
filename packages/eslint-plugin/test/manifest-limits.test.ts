import { existsSync } from 'node:fs';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { plugin } from './rule-tester.js';

describe('settings naming a device as the manifest', () => {
  it.runIf(existsSync('/dev/zero'))("reports `manifest: '/dev/zero'` instead of reading it forever", () => {
    const messages = new Linter({ configType: 'flat' }).verify(
      'const rows = sql`SELECT * FROM transactions WHERE merchant_id = ${m}`;\n',
      [{ ...plugin.configs.recommended, files: ['**/*.js'], settings: { 'limitless-lint': { manifest: '/dev/zero' } } }] as Linter.Config[],
      'handler.js',
    );
    expect(messages.map((m) => [m.ruleId, m.message])).toEqual([
      [
        'limitless-lint/manifest-error',
        expect.stringContaining('/dev/zero: cannot read the manifest: it is not a regular file (a device or a socket)'),
      ],
    ]);
  });
});
