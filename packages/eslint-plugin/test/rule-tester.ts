import { fileURLToPath } from 'node:url';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';
import plugin from '../src/index.js';
import { rules } from '../src/rules/index.js';

// @typescript-eslint/rule-tester runs on vitest once given its hooks (docs: packages/Rule_Tester).
RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** The demo project's manifest: accounts, transactions, ledger_entries, payment_methods sharded on account_id; merchants on merchant_id; currencies, countries reference; audit_log, feature_flags standard. */
export const DEMO_MANIFEST = fileURLToPath(new URL('../../../fixtures/demo/limitless.yaml', import.meta.url));

/** Parses TypeScript (the rule tester's default parser) and reads the demo manifest. */
export const ruleTester = new RuleTester({ settings: { 'limitless-lint': { manifest: DEMO_MANIFEST } } });

type TesterRule = Parameters<RuleTester['run']>[1];

/**
 * A rule as the RuleTester wants it. The cast bridges two copies of @typescript-eslint/utils' types:
 * the plugin's (8.74) and the rule tester's own (8.72, the newest rule tester published).
 */
export function pluginRule(id: string): TesterRule {
  const rule = rules[id];
  if (!rule) throw new Error(`no rule ${id}`);
  return rule as unknown as TesterRule;
}

export { plugin };
