import type { RuleModule as CoreRule } from '@limitless-lint/core';
import type { TSESTree } from '@typescript-eslint/utils';
import { createRule } from '../create-rule.js';
import type { AnyRuleContext, FileAnalysis } from '../file-analysis.js';
import { fileAnalysis, firstLine, toLoc } from '../file-analysis.js';

/** Messages every rule of the plugin has besides its core messages. */
export const SHARED_MESSAGES = {
  /** A core suggestion, whose text core has already written. */
  suggestion: '{{description}}',
  /** A missing or invalid manifest, or invalid settings, reported by one rule per file. */
  manifestProblem: '{{message}}',
} as const;

/**
 * The ESLint rule for a core rule: same id, core's messages (same `{{placeholders}}`), reporting
 * the core diagnostics of that rule at their exact place in the TypeScript source.
 */
export function fromCoreRule(core: CoreRule) {
  const id = core.meta.id;
  for (const messageId of Object.keys(SHARED_MESSAGES)) {
    if (messageId in core.meta.messages) throw new Error(`core rule ${id} uses the message id ${messageId}, which the ESLint plugin reserves`);
  }
  return createRule<[], string>({
    name: id,
    meta: {
      type: 'problem',
      docs: { description: core.meta.description },
      // Core rule metadata does not say which rules suggest; ESLint only needs this to be true for those that do.
      hasSuggestions: true,
      messages: { ...core.meta.messages, ...SHARED_MESSAGES },
      schema: [],
      defaultOptions: [],
    },
    create(context) {
      const file = fileAnalysis(context, id);
      const check = (node: TSESTree.Node) => reportSite(context, file, node, id);
      return {
        TaggedTemplateExpression: check,
        CallExpression: check,
        'Program:exit': () => reportFileProblem(context, file, id),
      };
    },
  });
}

/**
 * The ESLint rule for a group alias (e.g. `no-unsupported-feature`, split into several core rules):
 * enabling it enables every member, and it reports the members' diagnostics, except those of a member
 * that is enabled itself (which reports them under its own id). Existing ESLint configuration that
 * names the old rule keeps working.
 */
export function fromCoreGroup(group: string, members: readonly CoreRule[]) {
  const memberIds = new Set(members.map((m) => m.meta.id));
  const messages: Record<string, string> = {};
  for (const m of members) Object.assign(messages, m.meta.messages);
  return createRule<[], string>({
    name: group,
    meta: {
      type: 'problem',
      docs: { description: `Group of ${[...memberIds].join(', ')}: reports what they report (kept so that configuration naming ${group} keeps working)` },
      hasSuggestions: true,
      messages: { ...messages, ...SHARED_MESSAGES },
      schema: [],
      defaultOptions: [],
    },
    create(context) {
      const file = fileAnalysis(context, group);
      const check = (node: TSESTree.Node) => reportSite(context, file, node, (ruleId) => memberIds.has(ruleId) && !file.enabled.has(ruleId));
      return {
        TaggedTemplateExpression: check,
        CallExpression: check,
        'Program:exit': () => reportFileProblem(context, file, group),
      };
    },
  });
}

function reportSite(context: AnyRuleContext, file: FileAnalysis, node: TSESTree.Node, id: string | ((ruleId: string) => boolean)): void {
  const analysis = file.siteAnalysis(node);
  if (analysis?.kind !== 'analysed') return;
  const wanted = typeof id === 'string' ? (ruleId: string) => ruleId === id : id;
  for (const d of analysis.diagnostics) {
    if (!wanted(d.diagnostic.ruleId)) continue;
    context.report({
      loc: toLoc(context, d.range),
      messageId: d.diagnostic.messageId,
      data: d.diagnostic.data,
      suggest: d.suggestions.map((s) => ({
        messageId: 'suggestion',
        data: { description: s.message },
        fix: (fixer) => s.edits.map((e) => fixer.replaceTextRange([e.range[0], e.range[1]], e.text)),
      })),
    });
  }
}

/** Reports the file's manifest or settings problem, if this rule is the one chosen to. */
export function reportFileProblem(context: AnyRuleContext, file: FileAnalysis, id: string): void {
  const message = file.takeProblem(id);
  if (message !== undefined) context.report({ loc: firstLine(context), messageId: 'manifestProblem', data: { message } });
}
