import { getRule } from '@limitless-lint/core';
import { ESLintUtils } from '@typescript-eslint/utils';

const REPOSITORY = 'https://github.com/limitless-lint/limitless-lint/blob/main/docs';

/**
 * The documentation page of a rule: `docs/rules/<id>.md` for a core rule, a section of
 * `docs/eslint.md` for the plugin's own rules (`manifest-error`, `unanalysable-sql`).
 */
export function ruleDocsUrl(name: string): string {
  return getRule(name) ? `${REPOSITORY}/rules/${name}.md` : `${REPOSITORY}/eslint.md#${name}`;
}

export const createRule = ESLintUtils.RuleCreator(ruleDocsUrl);
