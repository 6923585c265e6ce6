import type { RuleModule } from '@limitless-lint/core';
import { docsUrl, rules } from '@limitless-lint/core';
import type { CliIo } from '../util/io.js';

/** `limitless-lint rules`: the catalogue, as a table or JSON. */
export function runRules(format: 'text' | 'json', io: CliIo): void {
  if (format === 'json') {
    const out = rules.map((r) => ({ id: r.meta.id, category: r.meta.category, defaultLevel: r.meta.defaultLevel, description: r.meta.description, docs: docsUrl(r.meta.id) }));
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const width = Math.max(...rules.map((r) => r.meta.id.length));
  const lines: string[] = [];
  let category = '';
  for (const r of rules as readonly RuleModule[]) {
    if (r.meta.category !== category) {
      category = r.meta.category;
      lines.push(`${lines.length > 0 ? '\n' : ''}${category}`);
    }
    lines.push(`  ${r.meta.id.padEnd(width)}  ${r.meta.defaultLevel.padEnd(5)}  ${r.meta.description}`);
  }
  lines.push('', 'Set levels in limitless.yaml under `rules:`; each rule is documented at docs/rules/<id>.md.');
  io.stdout.write(`${lines.join('\n')}\n`);
}
