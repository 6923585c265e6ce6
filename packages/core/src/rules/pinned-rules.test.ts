import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { loadParser } from '../sql/parser.js';
import { testManifest } from '../../test/rule-tester.js';
import { ENGINE_RULE_IDS, allRules, pinnedRules, unknownPinnedIds } from './index.js';

beforeAll(() => loadParser());

describe('a pinned rule set (LIMITLESS_LINT_RULE_SET)', () => {
  it('keeps the named rules, the members of a named group, and always the engine rules', () => {
    const ids = pinnedRules('require-shard-key, no-unsupported-feature').map((r) => r.meta.id);
    expect(ids).toContain('require-shard-key');
    expect(ids).toContain('no-unsupported-ddl');
    for (const id of ENGINE_RULE_IDS) expect(ids).toContain(id);
    expect(ids).not.toContain('no-sequence-ordering');
  });

  it('names the ids that are no rule of this version', () => {
    expect(unknownPinnedIds('require-shard-keys, no-unsupported-feature,, require-shard-key')).toEqual(['require-shard-keys']);
  });

  it('leaves a suppression of a pinned-out rule known, and not unused', () => {
    const sql = '-- limitless-lint-disable-next-line no-sequence-ordering\nSELECT * FROM accounts WHERE account_id = 1;';
    const rules = pinnedRules('require-shard-key');
    expect(rules.length).toBeLessThan(allRules.length);
    const ids = analyzeSql(sql, { manifest: testManifest(), rules, cache: false }).diagnostics.map((d) => d.ruleId);
    expect(ids).not.toContain('invalid-suppression');
    expect(ids).not.toContain('unused-suppression');
  });
});
