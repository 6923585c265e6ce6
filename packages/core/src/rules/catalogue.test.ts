import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../../test/rule-tester.js';
import { loadParser } from '../sql/parser.js';
import { ENGINE_RULE_IDS, allRules as rules } from './index.js';

const getRule = (id: string) => rules.find((r) => r.meta.id === id);

const root = fileURLToPath(new URL('../../../../', import.meta.url));

beforeAll(() => loadParser());

describe('the rule catalogue', () => {
  it('has unique kebab-case ids, each in a module named after it', () => {
    const ids = rules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(existsSync(fileURLToPath(new URL(`./${id}.ts`, import.meta.url)))).toBe(true);
      expect(getRule(id)?.meta.id).toBe(id);
    }
  });

  describe.each(rules.map((r) => [r.meta.id, r] as const))('%s', (id, rule) => {
    it('says what, why and what to do', () => {
      expect(rule.meta.description).not.toMatch(/\.$/);
      expect(Object.keys(rule.meta.messages).length).toBeGreaterThan(0);
      expect(rule.meta.note.length).toBeGreaterThan(20);
      expect(rule.meta.help.length).toBeGreaterThan(10);
      expect(rule.meta.examples.invalid.length).toBeGreaterThan(0);
      expect(rule.meta.examples.valid.length).toBeGreaterThan(0);
    });

    it('has a docs page with hand-written sections', () => {
      const doc = readFileSync(`${root}docs/rules/${id}.md`, 'utf8');
      expect(doc).toContain(`# ${id}`);
      expect(doc).toContain('## Why it matters on Limitless');
      expect(doc).toContain('## When not to use it');
      expect(doc).not.toContain('Describe what the rule reports');
      expect(doc).not.toContain('Explain the Limitless behaviour');
      expect(doc).not.toContain('Describe when switching it off');
    });

    // An opt-in rule (default `off`) is switched on for its examples, as its docs page shows them.
    const options = {
      ruleId: id,
      ...(rule.meta.examples.manifest ? { manifest: rule.meta.examples.manifest } : {}),
      ...(rule.meta.defaultLevel === 'off' ? { overrides: { [id]: 'warn' as const } } : {}),
    };

    it.each(rule.meta.examples.invalid)('invalid example yields exactly one diagnostic of the rule: %s', (sql) => {
      expect(lint(sql, options)).toHaveLength(1);
    });

    it.each(rule.meta.examples.valid)('valid example yields none: %s', (sql) => {
      expect(lint(sql, options)).toEqual([]);
    });

    it('has a generated examples block that shows each invalid example\'s diagnostic', () => {
      const doc = readFileSync(`${root}docs/rules/${id}.md`, 'utf8');
      const examples = /<!-- begin examples:[^>]*-->([\s\S]*?)<!-- end examples -->/.exec(doc)?.[1] ?? '';
      const shown = examples.split('\n').filter((line) => line.includes(` ${id}: `));
      expect(shown).toHaveLength(rule.meta.examples.invalid.length);
    });
  });

  it('keeps the engine-reported rules registered', () => {
    for (const id of ENGINE_RULE_IDS) expect(getRule(id)).toBeDefined();
  });

  it('keeps docs/rules in sync with the metadata (pnpm docs:check)', () => {
    // The test command builds first (`tsc -b`), so the script's dist import is current.
    const out = execFileSync(process.execPath, [`${root}scripts/docs.mjs`, '--check', '--no-build'], { encoding: 'utf8' });
    expect(out).toContain('all in sync');
  });
});
