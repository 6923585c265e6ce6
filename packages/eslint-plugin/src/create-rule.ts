import { docsUrl, getRule } from '@limitless-lint/core';
import { ESLintUtils } from '@typescript-eslint/utils';

/** The plugin's own rules are documented in docs/eslint.md. */
const ESLINT_DOCS = 'https://github.com/limitless-lint/limitless-lint/blob/main/docs/eslint.md';

/**
 * The documentation page of a rule: `docs/rules/<id>.md` for a core rule, a section of
 * `docs/eslint.md` for the plugin's own rules (`manifest-error`, `unanalysable-sql`).
 */
function ruleDocsUrl(name: string): string {
  return getRule(name) ? docsUrl(name) : `${ESLINT_DOCS}#${name}`;
}

export const createRule = ESLintUtils.RuleCreator(ruleDocsUrl);
