import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { fileAnalysis, MANIFEST_ERROR_RULE } from '../file-analysis.js';
import { reportFileProblem, SHARED_MESSAGES } from './from-core-rule.js';

/**
 * Reports, once per file and on its first line, why the SQL of a file is not analysed: no
 * limitless.yaml above it, an invalid one, or invalid `settings['limitless-lint']`. When this rule
 * is off, the first enabled limitless-lint rule reports it instead.
 */
export default createRule<[], keyof typeof SHARED_MESSAGES>({
  name: MANIFEST_ERROR_RULE,
  meta: {
    type: 'problem',
    docs: { description: 'Report a missing or invalid limitless.yaml (or plugin settings) in files that contain SQL' },
    messages: SHARED_MESSAGES,
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const file = fileAnalysis(context, MANIFEST_ERROR_RULE);
    const visit = (node: TSESTree.Node) => void file.siteAnalysis(node);
    return {
      // Visiting the sites tells whether the file contains SQL at all.
      TaggedTemplateExpression: visit,
      CallExpression: visit,
      'Program:exit': () => reportFileProblem(context, file, MANIFEST_ERROR_RULE),
    };
  },
});
