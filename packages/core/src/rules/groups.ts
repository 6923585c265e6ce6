/**
 * Group aliases: one old rule id that stands for several rules, so that configuration written for it
 * keeps working after it was split. A group's level and options in `limitless.yaml` (`rules:`) and in
 * rule overrides apply to each member. Within one source a member's own entry wins over its group's;
 * between sources, overrides (the API's `ruleOverrides`) come on top of the manifest, group or member
 * (rules/engine.ts `resolve`); a suppression comment naming the
 * group suppresses every member; a baseline entry of the group hides its members' findings; the ESLint
 * plugin keeps a rule of that name that reports them all.
 */
export const RULE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  // Split by feature family; see docs/rules/no-unsupported-feature.md.
  'no-unsupported-feature': ['no-unsupported-ddl', 'no-unsupported-dml', 'no-unsupported-table-feature', 'no-unsupported-sequence-feature', 'no-unsupported-isolation'],
};

const groupOfMember = new Map(Object.entries(RULE_GROUPS).flatMap(([group, members]) => members.map((m) => [m, group] as const)));

/** The group alias a rule belongs to, if any. */
export function ruleGroupOf(id: string): string | undefined {
  return groupOfMember.get(id);
}

/** The rules a group alias stands for, or undefined when `id` is not a group. */
export function ruleGroupMembers(id: string): readonly string[] | undefined {
  return Object.hasOwn(RULE_GROUPS, id) ? RULE_GROUPS[id] : undefined;
}
