import { ruleGroupMembers } from './groups.js';
import { registeredRules } from './registry.generated.js';
import type { RuleModule } from './types.js';

/**
 * Every rule module, in documentation order (by category, then id). Each rule's id is its file name;
 * the list is generated from the rule modules (registry.generated.ts, written by `pnpm new-rule` and
 * `pnpm docs`), so adding a rule never means editing it.
 */
export const allRules: readonly RuleModule[] = registeredRules;

/** Rule ids the engine reports itself rather than through a rule's `check`. */
export const ENGINE_RULE_IDS: ReadonlySet<string> = new Set(['parse-error', 'invalid-suppression', 'unused-suppression']);

/** The environment variable that pins the catalogue to a list of rule ids (see {@link pinnedRules}). */
export const RULE_SET_ENV = 'LIMITLESS_LINT_RULE_SET';

/**
 * The catalogue pinned to `ids` (comma- or space-separated), in catalogue order: the rules a run may
 * use, so that upgrading limitless-lint adds no rule until the pin names it. Ids that are not rules are
 * ignored (a pin may name rules of a later version); a group alias (`no-unsupported-feature`) stands
 * for its members. The project's own reporter, CLI, baseline and
 * ESLint end-to-end tests run pinned (vitest.config.ts), so that a new rule breaks only its own tests.
 */
export function pinnedRules(ids: string, from: readonly RuleModule[] = allRules): readonly RuleModule[] {
  // The rules the engine itself relies on (parse errors, suppressions) are never pinned out: a
  // pin that forgot them would drop parse errors silently.
  const wanted = new Set([...ENGINE_RULE_IDS, ...ids.split(/[\s,]+/).flatMap((id) => (id ? (ruleGroupMembers(id) ?? [id]) : []))]);
  return from.filter((r) => wanted.has(r.meta.id));
}

/** Ids of a pin that name no rule of this version (a typo, or a rule of a later version). */
export function unknownPinnedIds(ids: string, from: readonly RuleModule[] = allRules): readonly string[] {
  const known = new Set(from.map((r) => r.meta.id));
  return ids.split(/[\s,]+/).filter((id) => id !== '' && !known.has(id) && ruleGroupMembers(id) === undefined);
}

const pin = typeof process === 'undefined' ? undefined : process.env[RULE_SET_ENV];
if (pin) {
  const unknown = unknownPinnedIds(pin);
  if (unknown.length > 0) process.emitWarning(`${RULE_SET_ENV} names ${unknown.length === 1 ? 'a rule' : 'rules'} this version does not have: ${unknown.join(', ')}`);
}

/** The rule catalogue a run uses: every rule, or the ones `LIMITLESS_LINT_RULE_SET` names. */
export const rules: readonly RuleModule[] = pin ? pinnedRules(pin) : allRules;

const byId = new Map(rules.map((r) => [r.meta.id, r]));

/** The rule with this id in the catalogue, if there is one. */
export function getRule(id: string): RuleModule | undefined {
  return byId.get(id);
}

