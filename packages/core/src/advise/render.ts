import { identifier, pad, tableName, yamlScalar } from '../ddl/manifest-from-ddl.js';
import type { Advice, AdviseSchema, AdvisedManifest, AdvisedTable, TableRationale } from './types.js';

export interface RenderAdviceOptions {
  /** Which ranked manifest to write (1-based, default 1: the best). */
  readonly rank?: number;
  /** Where the schema and statements came from, named in the header comment. */
  readonly sources?: readonly string[];
}

/**
 * The proposed manifest as `limitless.yaml`, with a comment on every table saying why it is placed so
 * (how many statements pin it, which ones do not). Parsing it with `parseManifest` gives the tables
 * the advisor scored.
 */
export function renderAdvice(advice: Advice, schema: AdviseSchema, options: RenderAdviceOptions = {}): string {
  const rank = options.rank ?? 1;
  const chosen = advice.manifests[rank - 1];
  if (!chosen) throw new Error(`no manifest of rank ${rank}`);
  const first = schema.searchPath[0] ?? 'public';
  const nameOf = (key: string) => {
    const t = schema.tables.get(key);
    return t ? tableName(t.schema, t.name, first) : key;
  };
  const s = chosen.score;
  const lines = [
    `# limitless-lint manifest proposed by \`limitless-lint advise\` (rank ${rank} of ${advice.manifests.length}).`,
    ...(options.sources && options.sources.length > 0 ? ['# From:', ...options.sources.map((x) => `#   ${x}`)] : []),
    `# Score: ${s.work.toFixed(2)} shard work per call (1 = every statement on one shard, ${advice.shards} = on all ${advice.shards});`,
    `# ${percent(s.local)} of the ${advice.statements.weighted ? 'calls' : 'statements'} run on one shard. How it is scored: docs/advise.md.`,
    '# Review it: the advisor knows the statements it was given, not the data sizes.',
    '',
    pad(`shards: ${advice.shards}`, '# shard count, used for fan-out figures'),
    pad(`search_path: [${schema.searchPath.map((x) => yamlScalar(identifier(x))).join(', ')}]`, '# where unqualified table names are looked up'),
    '',
    'tables:',
  ];
  const byName = (a: AdvisedTable, b: AdvisedTable) => (nameOf(a.key) < nameOf(b.key) ? -1 : nameOf(a.key) > nameOf(b.key) ? 1 : 0);
  const sharded = chosen.tables.filter((t) => t.mode === 'sharded');
  const groups = new Map<string, AdvisedTable[]>();
  for (const t of sharded) groups.set(t.group ?? t.key, [...(groups.get(t.group ?? t.key) ?? []), t]);
  const blocks: string[][] = [];
  for (const [root, members] of [...groups].sort(([a], [b]) => (nameOf(a) < nameOf(b) ? -1 : 1))) {
    const head = members.find((m) => m.key === root);
    const ordered = [...(head ? [head] : []), ...members.filter((m) => m !== head).sort(byName)];
    const key = (ordered[0] as AdvisedTable).shardKey.join(', ');
    const header =
      ordered.length === 1
        ? `  # Sharded on ${key}, in a collocation group of its own.`
        : `  # Collocation group of ${nameOf(root)}: rows with the same ${key} are stored on the same shard.`;
    // A group whose root is not sharded here: its first member becomes the target of the others.
    const target = head ? root : (ordered[0] as AdvisedTable).key;
    blocks.push([header, ...ordered.flatMap((t) => entry(t, t.key === target ? undefined : target))]);
  }
  const reference = chosen.tables.filter((t) => t.mode === 'reference').sort(byName);
  if (reference.length > 0) blocks.push(['  # Reference tables: a full copy on every shard, so joins with them stay local.', ...reference.flatMap((t) => entry(t))]);
  const standard = chosen.tables.filter((t) => t.mode === 'standard').sort(byName);
  if (standard.length > 0) blocks.push(['  # Standard tables: all on one shard chosen by the system.', ...standard.flatMap((t) => entry(t))]);
  lines.push(...blocks.flatMap((b, i) => (i === 0 ? b : ['', ...b])));
  if (blocks.length === 0) lines[lines.length - 1] = 'tables: {}';
  lines.push('', pad('unknown_tables: warn', '# a table missing from this manifest gets an unknown-table warning'), '');
  return lines.join('\n');

  function entry(t: AdvisedTable, collocateWith?: string): string[] {
    const learned = schema.tables.get(t.key);
    const why = advice.rationale.get(t.key);
    const out = [`  # ${rank === 1 && why ? because(t, why, nameOf) : t.mode}`];
    for (const change of chosen?.score.uniqueChanges.filter((c) => c.table === t.key) ?? []) {
      const kind = change.primaryKey ? 'primary key' : 'unique key';
      out.push(`  # ${kind} (${change.columns.join(', ')}) must include ${change.shardKey.join(', ')}: make it (${[...change.shardKey, ...change.columns.filter((c) => !change.shardKey.includes(c))].join(', ')})`);
    }
    out.push(`  ${yamlScalar(nameOf(t.key))}:`, `    mode: ${t.mode}`);
    if (t.mode === 'sharded') {
      out.push(`    shard_key: [${t.shardKey.map((k) => yamlScalar(identifier(k))).join(', ')}]`);
      if (collocateWith !== undefined) out.push(`    collocate_with: ${yamlScalar(nameOf(collocateWith))}`);
    }
    const sequences = learned?.columns.filter((c) => c.sequence).map((c) => c.name) ?? [];
    if (sequences.length > 0) out.push(`    sequence_columns: [${sequences.map((c) => yamlScalar(identifier(c))).join(', ')}]`);
    return out;
  }
}

/** `sharded on tenant_id: 41 of 44 statements filter or join on it; 3 scatter: ListAllTenants, …`. */
export function because(t: AdvisedTable, why: TableRationale, nameOf: (key: string) => string = (k) => k): string {
  const fixed = why.fixed ? ' (as asked)' : '';
  const names = (list: readonly string[]) => `${list.slice(0, 3).join(', ')}${list.length > 3 ? ', …' : ''}`;
  if (why.statements === 0) return `${t.mode}${t.mode === 'sharded' ? ` on ${t.shardKey.join(', ')}` : ''}${fixed}: no statement uses it`;
  const of = `${why.pinned} of ${why.statements} statement${why.statements === 1 ? '' : 's'}`;
  const verb = (plural: string, singular: string) => (why.pinned === 1 ? singular : plural);
  if (t.mode === 'sharded') {
    const colloc = t.collocateWith ? `, with ${nameOf(t.collocateWith)}` : '';
    const scatter = why.scatter.length > 0 ? `; ${why.scatter.length} not on one shard: ${names(why.scatter)}` : '';
    return `sharded on ${t.shardKey.join(', ')}${colloc}${fixed}: ${of} ${verb('filter or join on it', 'filters or joins on it')}${scatter}`;
  }
  if (t.mode === 'reference') {
    const writes = why.writes > 0 ? `; ${why.writes} write${why.writes === 1 ? 's' : ''} it on every shard: ${names(why.scatter)}` : '; never written';
    return `reference${fixed}: ${of} ${verb('read it', 'reads it')}${writes}`;
  }
  return `standard${fixed}: ${why.statements} statement${why.statements === 1 ? '' : 's'} use it, all on the one shard of the standard tables`;
}

export function percent(share: number): string {
  const p = share * 100;
  return `${p >= 99.95 || p === 0 ? p.toFixed(0) : p.toFixed(1)}%`;
}

/** The manifest at `rank` as `table → mode(key) [with root]` lines, for tests and summaries. */
export function describeManifest(m: AdvisedManifest): string[] {
  return m.tables.map((t) => `${t.key}: ${t.mode}${t.mode === 'sharded' ? `(${t.shardKey.join(', ')})${t.collocateWith ? ` with ${t.collocateWith}` : ''}` : ''}`);
}
