import { ruleGroupMembers } from '../rules/groups.js';
import { allRules as catalogue } from '../rules/index.js';
import type { RuleModule, RuleOption } from '../rules/types.js';
import { closestMatch } from './edit-distance.js';
import type { Issue } from './issue.js';
import type { RawManifest } from './raw-manifest.js';
import { describe } from './validate-schema.js';

/**
 * Checks the manifest's `rules:` against the rule catalogue: every key must be a rule id (or a group
 * alias such as `no-unsupported-feature`), and every key
 * of a rule's mapping other than `level` one of the rule's options, with a value of the option's type.
 * The schema cannot say this (the catalogue lives in code), so a misspelt rule or option would otherwise
 * be ignored without a word.
 */
export function validateRules(raw: RawManifest, modules: readonly RuleModule[] = catalogue): Issue[] {
  const byId = new Map(modules.map((rule) => [rule.meta.id, rule]));
  const issues: Issue[] = [];
  for (const [id, config] of Object.entries(raw.rules)) {
    // A group alias (rules/groups.ts) takes the options its members share; its first member has them all.
    const member = ruleGroupMembers(id)?.find((m) => byId.has(m));
    const rule = byId.get(id) ?? (member === undefined ? undefined : byId.get(member));
    if (!rule) {
      issues.push({ path: ['rules', id], at: 'key', message: `unknown rule \`${id}\``, suggestion: closestMatch(id, [...byId.keys()]) });
      continue;
    }
    if (typeof config === 'string') continue;
    const options = rule.meta.options ?? {};
    for (const [name, value] of Object.entries(config)) {
      if (name === 'level') continue;
      const path = ['rules', id, name];
      const option = options[name];
      if (!option) {
        const known = Object.keys(options);
        const message =
          known.length === 0
            ? `unknown option \`${name}\`: rule \`${id}\` has no options, only \`level\``
            : `unknown option \`${name}\` of rule \`${id}\` (its options: ${known.map((k) => `\`${k}\``).join(', ')})`;
        issues.push({ path, at: 'key', message, suggestion: closestMatch(name, ['level', ...known]) });
        continue;
      }
      if (!hasType(value, option.type)) {
        issues.push({ path, at: 'value', message: `must be ${TYPE_NAMES[option.type]}, got ${describe(value, { kind: true })}` });
      }
    }
  }
  return issues;
}

function hasType(value: unknown, type: RuleOption['type']): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

const TYPE_NAMES: Readonly<Record<RuleOption['type'], string>> = {
  boolean: 'true or false',
  string: 'a string',
  number: 'a number',
  'string[]': 'a list of strings',
};
