import { registeredRules } from './registry.generated.js';
import type { RuleModule } from './types.js';

/**
 * The rule catalogue, in documentation order (by category, then id). Each rule's id is its file name;
 * the list is generated from the rule modules (registry.generated.ts, written by `pnpm new-rule` and
 * `pnpm docs`), so adding a rule never means editing it.
 */
export const rules: readonly RuleModule[] = registeredRules;

const byId = new Map(rules.map((r) => [r.meta.id, r]));

/** The rule with this id, if there is one. */
export function getRule(id: string): RuleModule | undefined {
  return byId.get(id);
}

/** Rule ids the engine reports itself rather than through a rule's `check`. */
export const ENGINE_RULE_IDS: ReadonlySet<string> = new Set(['parse-error', 'invalid-suppression', 'unused-suppression']);
