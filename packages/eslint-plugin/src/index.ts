import { createRequire } from 'node:module';
import { loadParser, rules as coreRules } from '@limitless-lint/core';
import type { ESLint, Linter, Rule } from 'eslint';
import { rules } from './rules/index.js';

// ESLint imports plugins (and flat configs) as ES modules and awaits them, so PostgreSQL's parser
// (WebAssembly, loaded asynchronously) is ready before any rule runs; rules themselves are synchronous.
await loadParser();

const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

const PLUGIN_KEY = 'limitless-lint';

/** Every rule whose core default is not `off`, at that level (`info` has no ESLint level: `warn`). */
function recommendedRules(): Linter.RulesRecord {
  const levels: Linter.RulesRecord = { [`${PLUGIN_KEY}/manifest-error`]: 'error' };
  for (const rule of coreRules) {
    const level = rule.meta.defaultLevel;
    if (level === 'off') continue;
    levels[`${PLUGIN_KEY}/${rule.meta.id}`] = level === 'error' ? 'error' : 'warn';
  }
  return levels;
}

/** The plugin, typed with ESLint's own types so that `defineConfig` accepts it. */
export interface LimitlessLintPlugin extends ESLint.Plugin {
  readonly meta: { readonly name: string; readonly version: string };
  readonly rules: Readonly<Record<string, Rule.RuleModule>>;
  readonly configs: { readonly recommended: Linter.Config };
}

const configs: { recommended?: Linter.Config } = {};

const plugin: LimitlessLintPlugin = {
  meta: { name: pkg.name, version: pkg.version },
  // typescript-eslint's rule types still list context methods that ESLint 10 removed; the rules use none of them.
  rules: rules as unknown as Record<string, Rule.RuleModule>,
  configs: configs as { recommended: Linter.Config },
};

configs.recommended = {
  name: `${PLUGIN_KEY}/recommended`,
  files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
  plugins: { [PLUGIN_KEY]: plugin },
  rules: recommendedRules(),
};

export default plugin;
