// `pnpm new-rule <id>`: scaffolds a rule — its module (metadata + check), its test table and its docs
// page — and regenerates the rule registry and the docs. Nothing else is edited: the registry
// (packages/core/src/rules/registry.generated.ts) and docs/rules/README.md are generated.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CATEGORY_ORDER, RULES_DIR, ruleFiles, writeRuleIndex } from './lib/rule-index.mjs';
import { RULE_DOC_TEMPLATE } from './lib/rule-doc-template.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const LEVELS = ['off', 'info', 'warn', 'error'];

const HELP = `Usage: pnpm new-rule <id> [--category <category>] [--level <level>] [--no-docs]

Scaffolds a limitless-lint rule:
  packages/core/src/rules/<id>.ts       the rule: metadata (messages, note, help, examples) and check()
  packages/core/src/rules/<id>.test.ts  its valid/invalid test table (testRule)
  docs/rules/<id>.md                    its docs page (hand-written sections + generated blocks)
and regenerates the rule registry (packages/core/src/rules/registry.generated.ts) and docs/rules/README.md.

  <id>                 kebab-case, lower case letters only: no-…, require-… (e.g. no-cross-shard-join)
  --category <name>    ${CATEGORY_ORDER.join(' | ')} (default: routing)
  --level <level>      default level: ${LEVELS.join(' | ')} (default: warn; off makes the rule opt-in)
  --no-docs            skip building and regenerating the docs (run \`pnpm docs\` later)
  -h, --help           this help

Then: write check(), the examples and the docs page's sections, and run
  npx vitest run packages/core/src/rules/<id>.test.ts packages/core/src/rules/catalogue.test.ts
`;

function fail(message) {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      category: { type: 'string', default: 'routing' },
      level: { type: 'string', default: 'warn' },
      'no-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (e) {
  fail(`${e.message}\n\n${HELP}`);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (positionals.length !== 1) fail(`expected one rule id, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}. See \`pnpm new-rule --help\`.`);
const id = positionals[0];
if (!/^[a-z]+(-[a-z]+)+$/.test(id)) {
  fail(`\`${id}\` is not a rule id: use kebab-case, lower-case letters and hyphens only, at least two words (e.g. no-cross-shard-join).`);
}
if (!CATEGORY_ORDER.includes(values.category)) fail(`unknown category \`${values.category}\`: use one of ${CATEGORY_ORDER.join(', ')}.`);
if (!LEVELS.includes(values.level)) fail(`unknown level \`${values.level}\`: use one of ${LEVELS.join(', ')}.`);
const RESERVED = ['manifest-error', 'unanalysable-sql', 'internal-error'];
if (RESERVED.includes(id)) fail(`\`${id}\` is reserved (the ESLint plugin or the engine reports it).`);
const files = {
  rule: `packages/core/src/rules/${id}.ts`,
  test: `packages/core/src/rules/${id}.test.ts`,
  docs: `docs/rules/${id}.md`,
};
if (ruleFiles().some((r) => r.id === id) || existsSync(`${RULES_DIR}${id}.ts`)) fail(`rule \`${id}\` already exists (${files.rule}).`);
const groups = [...readFileSync(`${RULES_DIR}groups.ts`, 'utf8').matchAll(/^\s*'([a-z-]+)': \[/gm)].map((m) => m[1]);
if (groups.includes(id)) fail(`\`${id}\` is a group alias (packages/core/src/rules/groups.ts): configuration that names it means its rules, so no rule may take the id.`);
for (const file of Object.values(files)) if (existsSync(`${root}${file}`)) fail(`${file} already exists: pick another id, or remove it first.`);

const messageId = id.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

const ruleText = `import { defineRule } from './types.js';

export default defineRule({
  meta: {
    id: '${id}',
    // TODO: one sentence, no full stop: what the rule reports.
    description: 'Report …',
    category: '${values.category}',
    defaultLevel: '${values.level}',
    // TODO: the sections of docs/limitless/ this rule rests on, e.g. 'routing#joins'.
    facts: [],
    messages: {
      // TODO: what is wrong, one sentence; {{placeholders}} come from report({ data }).
      ${messageId}: '{{what}} …',
    },
    // TODO: why it matters on Limitless (more than 20 characters).
    note: 'Limitless …',
    // TODO: what to do instead.
    help: 'Instead, …',
    examples: {
      // Each invalid example must yield exactly one diagnostic of this rule, each valid one none
      // (catalogue.test.ts checks; docs/rules/${id}.md shows them with their real output).
      invalid: ['SELECT * FROM accounts'],
      valid: ['SELECT * FROM accounts WHERE account_id = $1'],
    },
  },
  check(context) {
    // TODO: find the problem in context.ast / context.analysis and report it.
    void context;
  },
});
`;

const testText = `import { testRule } from '../../test/rule-tester.js';

// SQL in, diagnostics out, with the demo manifest (fixtures/demo/limitless.yaml) unless a case names
// another (fixtures/manifests/<name>.yaml). The first invalid case's rendered output is snapshotted.
testRule('${id}', {
  valid: ['SELECT * FROM accounts WHERE account_id = $1'],
  invalid: [{ sql: 'SELECT * FROM accounts', errors: [{ messageId: '${messageId}', line: 1, column: 1 }] }],
});
`;


writeFileSync(`${root}${files.rule}`, ruleText);
writeFileSync(`${root}${files.test}`, testText);
writeFileSync(`${root}${files.docs}`, RULE_DOC_TEMPLATE);
writeRuleIndex();
const written = [files.rule, files.test, files.docs, 'packages/core/src/rules/registry.generated.ts'];
if (!values['no-docs']) {
  // docs.mjs builds (tsc -b) before it reads the rules' metadata.
  execFileSync(process.execPath, [`${root}scripts/docs.mjs`], { cwd: root, stdio: 'inherit' });
  written.push('docs/rules/README.md');
}
process.stdout.write(
  `Created rule ${id} (${values.category}, ${values.level}):\n${written.map((f) => `  ${f}`).join('\n')}\n\n` +
    `Next: write check() and the metadata's TODOs in ${files.rule}, the cases in ${files.test},\n` +
    `the hand-written sections of ${files.docs}, then \`pnpm docs\` and\n` +
    `  npx vitest run ${files.test} packages/core/src/rules/catalogue.test.ts\n`,
);
