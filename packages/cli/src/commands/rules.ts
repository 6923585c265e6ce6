import type { RuleModule } from '@limitless-lint/core';
import { docsUrl, RULE_GROUPS, rules } from '@limitless-lint/core';
import type { CliIo } from '../util/io.js';

/** `limitless-lint rules`: the catalogue, as a table or JSON. Opt-in rules (default `off`) say so. */
export function runRules(format: 'text' | 'json', io: CliIo, catalogue: readonly RuleModule[] = rules): void {
  if (format === 'json') {
    const out = catalogue.map((r) => ({
      id: r.meta.id,
      category: r.meta.category,
      defaultLevel: r.meta.defaultLevel,
      optIn: r.meta.defaultLevel === 'off',
      description: r.meta.description,
      docs: docsUrl(r.meta.id),
    }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const width = Math.max(...catalogue.map((r) => r.meta.id.length));
  const lines: string[] = [];
  let category = '';
  for (const r of catalogue) {
    if (r.meta.category !== category) {
      category = r.meta.category;
      lines.push(`${lines.length > 0 ? '\n' : ''}${category}`);
    }
    const optIn = r.meta.defaultLevel === 'off' ? ' (opt-in: switch it on under `rules:`)' : '';
    lines.push(`  ${r.meta.id.padEnd(width)}  ${r.meta.defaultLevel.padEnd(5)}  ${r.meta.description}${optIn}`);
  }
  const ids = new Set(catalogue.map((r) => r.meta.id));
  const groups = Object.entries(RULE_GROUPS).filter(([, members]) => members.some((m) => ids.has(m)));
  if (groups.length > 0) {
    lines.push('', 'group aliases (configure, suppress or baseline all their rules at once)');
    for (const [group, members] of groups) lines.push(`  ${group}: ${members.join(', ')}`);
  }
  lines.push('', 'Set levels in limitless.yaml under `rules:`; each rule is documented at docs/rules/<id>.md.');
  io.stdout.write(`${lines.join('\n')}\n`);
}
