import { RULE_GROUPS, rules as coreRules } from '@limitless-lint/core';
import type { TSESLint } from '@typescript-eslint/utils';
import { fromCoreGroup, fromCoreRule } from './from-core-rule.js';
import manifestError from './manifest-error.js';
import unanalysableSql from './unanalysable-sql.js';

/** Each group alias with the members the catalogue has (none when it is pinned without them). */
const groups = Object.entries(RULE_GROUPS)
  .map(([group, ids]) => [group, coreRules.filter((r) => ids.includes(r.meta.id))] as const)
  .filter(([, members]) => members.length > 0);

/** One ESLint rule per core rule (same id), one per group alias (e.g. no-unsupported-feature), then the plugin's own two. */
export const rules: Readonly<Record<string, TSESLint.RuleModule<string, []>>> = {
  ...Object.fromEntries(coreRules.map((core) => [core.meta.id, fromCoreRule(core)])),
  ...Object.fromEntries(groups.map(([group, members]) => [group, fromCoreGroup(group, members)])),
  'manifest-error': manifestError,
  'unanalysable-sql': unanalysableSql,
};
