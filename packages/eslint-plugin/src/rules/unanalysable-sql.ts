import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import { fileAnalysis, toLoc, UNANALYSABLE_RULE } from '../file-analysis.js';
import { reportFileProblem, SHARED_MESSAGES } from './from-core-rule.js';

/**
 * Notes SQL sites that get no verdict: statements with dynamic fragments, identifiers interpolated
 * as SQL text; with `reportUnknown`, also query calls whose SQL is not a literal and fragments on
 * their own. Off in `recommended`. Also carries analyzer failures (`internal-error`) and statements core did not analyse
 * (`unanalysable`: nested past the depth limit, a placeholder where a name goes), which belong to no core rule.
 */
export default createRule<[], 'unanalysable' | 'internalError' | keyof typeof SHARED_MESSAGES>({
  name: UNANALYSABLE_RULE,
  meta: {
    type: 'suggestion',
    docs: { description: 'Note SQL sites whose statement cannot be determined statically, so that they get no verdict' },
    messages: {
      unanalysable: '{{message}}',
      internalError: 'limitless-lint failed on this statement: {{message}}. Please report it.',
      ...SHARED_MESSAGES,
    },
    schema: [],
    defaultOptions: [],
  },
  create(context) {
    const file = fileAnalysis(context, UNANALYSABLE_RULE);
    const check = (node: TSESTree.Node) => {
      const analysis = file.siteAnalysis(node);
      if (!analysis) return;
      if (analysis.kind === 'analysed') {
        for (const d of analysis.diagnostics) {
          if (d.diagnostic.ruleId === 'internal-error') context.report({ loc: toLoc(context, d.range), messageId: 'internalError', data: d.diagnostic.data });
          // A statement core did not analyse (nested past the depth limit, a placeholder where a name goes).
          else if (d.diagnostic.ruleId === 'unanalysable') context.report({ loc: toLoc(context, d.range), messageId: 'unanalysable', data: { message: d.diagnostic.message } });
        }
        return;
      }
      // A query call with a variable, and a fragment on its own, are everyday code: noted only on request.
      if ((analysis.reason === 'non-literal-sql' || analysis.reason === 'fragment') && !file.reportUnknown) return;
      context.report({ loc: toLoc(context, analysis.at), messageId: 'unanalysable', data: { message: analysis.message } });
    };
    return {
      TaggedTemplateExpression: check,
      CallExpression: check,
      'Program:exit': () => reportFileProblem(context, file, UNANALYSABLE_RULE),
    };
  },
});
