import { rules as coreRules } from '@limitless-lint/core';
import type { TSESLint } from '@typescript-eslint/utils';
import { fromCoreRule } from './from-core-rule.js';
import manifestError from './manifest-error.js';
import unanalysableSql from './unanalysable-sql.js';

/** One ESLint rule per core rule (same id), then the plugin's own two. */
export const rules: Readonly<Record<string, TSESLint.RuleModule<string, []>>> = {
  ...Object.fromEntries(coreRules.map((core) => [core.meta.id, fromCoreRule(core)])),
  'manifest-error': manifestError,
  'unanalysable-sql': unanalysableSql,
};
