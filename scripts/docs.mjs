// Generates the parts of docs/rules/*.md that come from rule metadata (header, options, examples
// with the diagnostics they really produce) and the catalogue table in docs/rules/README.md.
// `node scripts/docs.mjs` writes them; `--check` fails when a file drifts from the metadata.
// It first (re)writes the rule registry, packages/core/src/rules/registry.generated.ts, from the rule
// modules (scripts/lib/rule-index.mjs); `--check` fails when that is stale too. Then it builds
// (`tsc -b`: the registry must be current before the build, or a deleted rule's import breaks it) and
// reads the built core (packages/core/dist). `--no-build` skips the build (the tests, which build first).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CATEGORY_ORDER, INDEX_FILE, writeRuleIndex } from './lib/rule-index.mjs';
import { RULE_DOC_TEMPLATE } from './lib/rule-doc-template.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');

const drift = [];
if (writeRuleIndex({ check }) && check) {
  console.error(`The rule registry ${INDEX_FILE} does not list the rule modules on disk.\nRun \`pnpm docs\` and commit the result.`);
  process.exit(1);
}
if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, [createRequire(import.meta.url).resolve('typescript/bin/tsc'), '-b'], { cwd: root, stdio: 'inherit' });
}
const { LineIndex, allRules: rules, analyzeSql, loadParser, parseManifest } = await import('../packages/core/dist/index.js');

await loadParser();

const manifests = new Map();
function manifest(name = 'demo') {
  if (!manifests.has(name)) {
    const file = name === 'demo' ? `${root}fixtures/demo/limitless.yaml` : `${root}fixtures/manifests/${name}.yaml`;
    const result = parseManifest(readFileSync(file, 'utf8'), file);
    if (!result.ok) throw new Error(`${file}: invalid manifest`);
    // Docs show each rule at its default level, whatever the example manifest's `rules:` says.
    manifests.set(name, { ...result.manifest, rules: {} });
  }
  return manifests.get(name);
}

function manifestPath(name = 'demo') {
  return name === 'demo' ? 'fixtures/demo/limitless.yaml' : `fixtures/manifests/${name}.yaml`;
}

/** Replaces the text between `<!-- begin NAME -->` and `<!-- end NAME -->` (or appends the block). */
function replaceBlock(text, name, body) {
  const begin = `<!-- begin ${name}: generated from the rule's metadata by scripts/docs.mjs; do not edit -->`;
  const end = `<!-- end ${name} -->`;
  const block = `${begin}\n${body.trim()}\n${end}`;
  const re = new RegExp(`<!-- begin ${name}:[^>]*-->[\\s\\S]*?<!-- end ${name} -->`);
  return re.test(text) ? text.replace(re, block) : `${text.trimEnd()}\n\n${block}\n`;
}

function header(meta) {
  const options = Object.keys(meta.options ?? {});
  return [
    `# ${meta.id}`,
    '',
    `> ${meta.description}.`,
    '',
    '| Category | Default level | Facts | Options |',
    '| --- | --- | --- | --- |',
    `| ${meta.category} | \`${meta.defaultLevel}\` | ${factLinks(meta.facts)} | ${options.length ? options.map((o) => `\`${o}\``).join(', ') : 'none'} |`,
    '',
    `Configure it in \`limitless.yaml\`: \`rules: { ${meta.id}: ${meta.defaultLevel === 'off' ? 'warn' : meta.defaultLevel} }\` (\`off\`, \`info\`, \`warn\` or \`error\`).`,
  ].join('\n');
}

/** `routing#joins` → a link to that section of docs/limitless/routing.md, from a page in docs/rules/. */
function factLinks(facts) {
  if (facts.length === 0) return '—';
  return facts
    .map((fact) => {
      const [page, anchor] = fact.split('#');
      return `[${page}${anchor ? ` › ${anchor.replaceAll('-', ' ')}` : ''}](../limitless/${page}.md${anchor ? `#${anchor}` : ''})`;
    })
    .join(', ');
}

function optionsBlock(meta) {
  const entries = Object.entries(meta.options ?? {});
  if (entries.length === 0) return '## Options\n\nThis rule has no options.';
  const lines = ['## Options', '', `\`\`\`yaml\nrules:\n  ${meta.id}:\n    level: ${meta.defaultLevel}`];
  for (const [name, o] of entries) lines[lines.length - 1] += `\n    ${name}: ${JSON.stringify(o.default)}`;
  lines[lines.length - 1] += '\n```';
  lines.push('');
  for (const [name, o] of entries) lines.push(`- \`${name}\` (${o.type}, default \`${JSON.stringify(o.default)}\`): ${o.description}`);
  return lines.join('\n');
}

/** Opt-in rules (default `off`) are shown at `warn`, so that their examples show what they report. */
function exampleOverrides(meta) {
  return meta.defaultLevel === 'off' ? { [meta.id]: 'warn' } : {};
}

function describe(sql, meta) {
  const result = analyzeSql(sql, { manifest: manifest(meta.examples.manifest), ruleOverrides: exampleOverrides(meta), rules });
  const index = new LineIndex(sql);
  return result.diagnostics
    .filter((d) => d.ruleId === meta.id)
    .map((d) => {
      const p = index.positionAt(d.span.start);
      return `${p.line}:${p.column} ${d.severity} ${d.ruleId}: ${d.message}`;
    });
}

function examplesBlock(meta) {
  const lines = ['## Examples', '', `With the manifest \`${manifestPath(meta.examples.manifest)}\`${meta.defaultLevel === 'off' ? ` and the rule switched on (\`${meta.id}: warn\`; it is off by default)` : ''}.`, '', '### Invalid', ''];
  for (const sql of meta.examples.invalid) {
    lines.push('```sql', sql, '```', '', '```text', ...describe(sql, meta), '```', '');
  }
  lines.push('### Valid', '');
  for (const sql of meta.examples.valid) lines.push('```sql', sql, '```', '');
  return lines.join('\n');
}


function emit(file, text) {
  const path = `${root}${file}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (current === text) return;
  if (check) drift.push(file);
  else writeFileSync(path, text);
}

for (const rule of rules) {
  const meta = rule.meta;
  const file = `docs/rules/${meta.id}.md`;
  const path = `${root}${file}`;
  let text = existsSync(path) ? readFileSync(path, 'utf8') : RULE_DOC_TEMPLATE;
  text = text.replace('PLACEHOLDER_HEADER', '<!-- begin header: x -->\n<!-- end header -->');
  text = text.replace('PLACEHOLDER_OPTIONS', '<!-- begin options: x -->\n<!-- end options -->');
  text = text.replace('PLACEHOLDER_EXAMPLES', '<!-- begin examples: x -->\n<!-- end examples -->');
  text = replaceBlock(text, 'header', header(meta));
  text = replaceBlock(text, 'options', optionsBlock(meta));
  text = replaceBlock(text, 'examples', examplesBlock(meta));
  emit(file, text);
}

const sorted = [...rules].sort((a, b) => CATEGORY_ORDER.indexOf(a.meta.category) - CATEGORY_ORDER.indexOf(b.meta.category));
const table = [
  '| Rule | Category | Default | Description |',
  '| --- | --- | --- | --- |',
  ...sorted.map((r) => `| [\`${r.meta.id}\`](./${r.meta.id}.md) | ${r.meta.category} | \`${r.meta.defaultLevel}\`${r.meta.defaultLevel === 'off' ? ' (opt-in)' : ''} | ${r.meta.description} |`),
].join('\n');
const readmePath = `${root}docs/rules/README.md`;
const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '# Rules\n';
emit('docs/rules/README.md', replaceBlock(readme, 'catalogue', table));

if (drift.length > 0) {
  console.error(`Docs out of date with the rule metadata: ${drift.join(', ')}\nRun \`pnpm docs\` and commit the result.`);
  process.exitCode = 1;
} else if (check) console.log(`docs/rules: ${rules.length} rules, all in sync with their metadata.`);
