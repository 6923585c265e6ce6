import { limitlessDocsUrl } from '../diagnostic.js';
import type { Node, RangeVar } from 'libpg-query';
import { walk } from '../route/ast.js';
import type { Block, Col, Rel, StatementModel } from '../route/model.js';
import { relLabel } from '../route/model.js';
import { collocationGroup, columnClasses, shareValues } from '../route/pinning.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';
import { shortName } from './known-table.js';

const PUSHDOWN_NOTE =
  'Limitless pushes a join of a sharded and a reference table down to the shards only for inner and cross joins and for outer joins that null-pad the reference side; when the sharded side is null-padded, or for an anti-join, the router performs the join (' + limitlessDocsUrl('routing', 'joins') + ').';

export default defineRule({
  meta: {
    id: 'no-cross-shard-join',
    description: 'Report joins that Limitless cannot run on one shard: non-collocated sharded tables, joins off the shard key, standard tables with other tables, and outer or anti-joins of sharded against reference tables',
    category: 'routing',
    defaultLevel: 'error',
    facts: ['tables#table-types', 'tables#collocation', 'routing#transitivity', 'routing#joins'],
    messages: {
      differentGroups: '`{{table}}` ({{tableMode}}) is joined to `{{other}}` ({{otherMode}}): tables of different collocation groups are not stored together, so this join cannot run on one shard.',
      notOnShardKey: '`{{table}}` is joined to `{{other}}`{{on}} without equating their shard key `{{key}}`: collocated rows are on the same shard only for equal shard-key values.',
      standardMix: '`{{table}}` ({{tableMode}}) is used with `{{other}}` ({{otherMode}}) in one statement: Limitless runs a statement that combines a standard table with a sharded or reference table on the router.',
      nullPaddedSharded: '{{join}} null-pads the sharded table `{{sharded}}` against the reference table `{{reference}}`: Limitless does not push this join down to the shards.',
      antiJoinReference: '`{{table}}` ({{tableMode}}) is anti-joined (NOT EXISTS / NOT IN) with `{{other}}` ({{otherMode}}): Limitless does not push this anti-join down to the shards.',
    },
    note: 'Limitless runs a join on one shard only when every sharded table in it is collocated with the others and joined to them on the shard key, or is joined with reference tables (' + limitlessDocsUrl('routing', 'joins') + '); other joins fetch rows from the shards to the router and join them there.',
    help: 'Join collocated tables on their full shard key, read the other table with a separate query by its own shard key, or make a small, rarely written table a reference table.',
    examples: {
      invalid: [
        'SELECT t.amount, m.name FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = $1',
        'SELECT l.action, a.owner_name FROM audit_log l JOIN accounts a ON a.account_id = l.account_id WHERE a.account_id = $1',
        'SELECT c.code, a.account_id FROM currencies c LEFT JOIN accounts a ON a.currency_code = c.code AND a.account_id = $1',
      ],
      valid: [
        'SELECT t.amount FROM accounts a JOIN transactions t ON t.account_id = a.account_id WHERE a.account_id = $1',
        'SELECT t.amount, c.name FROM transactions t JOIN currencies c ON c.code = t.currency_code WHERE t.account_id = $1',
        'SELECT a.owner_name, c.name FROM accounts a LEFT JOIN currencies c ON c.code = a.currency_code WHERE a.account_id = $1',
        'SELECT f.name, l.action FROM feature_flags f JOIN audit_log l ON l.action = f.name',
      ],
    },
  },
  check(context) {
    const blocks = new Map<number, Block>();
    for (const rel of context.analysis.rels) blocks.set(rel.block.id, rel.block);
    for (const block of blocks.values()) checkShardedJoins(context, block);
    checkStandardMix(context);
    checkOuterJoins(context);
    checkAntiJoins(context);
  },
});

/** Rels that take part in joins: an INSERT target or a TRUNCATE/COPY table joins with nothing. */
function joinable(context: RuleContext, rel: Rel): boolean {
  const { analysis } = context;
  return !analysis.inserts.has(rel.id) && !analysis.wholeTable.has(rel.id);
}

function groupName(context: RuleContext, rel: Rel): string {
  return shortName(context, collocationGroup(rel));
}

function modeText(context: RuleContext, rel: Rel): string {
  if (rel.mode !== 'sharded') return rel.mode;
  return `sharded on \`${(rel.table?.shardKey ?? []).join(', ')}\`, collocation group \`${groupName(context, rel)}\``;
}

/**
 * Sharded tables of one query block that are not on the same shard as the tables joined before them
 * (docs/limitless/routing.md#single-shard-optimization, docs/limitless/routing.md#joins): a different collocation group, or the same group without a shard-key
 * equi-join (or a common pinned value). One report per group of shard-local tables after the first.
 */
function checkShardedJoins(context: RuleContext, block: Block): void {
  const { analysis } = context;
  const sharded = block.rels.filter((r) => r.mode === 'sharded' && joinable(context, r)).sort((a, b) => a.offset - b.offset);
  if (sharded.length < 2) return;

  // Column equivalence classes from every column equality of the block (join conditions and WHERE).
  const classOf = columnClasses(block.facts);
  const eqCols = block.facts.flatMap(({ fact }) => (fact.kind === 'eqCol' ? [fact] : []));
  const keyOf = (r: Rel) => r.table?.shardKey ?? [];
  const local = (r: Rel, p: Rel): boolean => {
    if (collocationGroup(r) !== collocationGroup(p) || keyOf(r).length !== keyOf(p).length) return false;
    if (keyOf(r).every((k, i) => classOf({ rel: r, column: k }) === classOf({ rel: p, column: keyOf(p)[i] ?? '' }))) return true;
    const pr = analysis.pins.get(r.id);
    const pp = analysis.pins.get(p.id);
    return pr?.state === 'pinned' && pp?.state === 'pinned' && shareValues(pr.keys, pp.keys);
  };

  const components: Rel[][] = [];
  for (const rel of sharded) {
    const component = components.find((c) => c.some((o) => local(rel, o)));
    if (component) {
      component.push(rel);
      continue;
    }
    const earlier = components.flat();
    components.push([rel]);
    if (earlier.length === 0) continue;
    const linked = (o: Rel) => eqCols.some((f) => (f.a.rel === rel && f.b.rel === o) || (f.b.rel === rel && f.a.rel === o));
    const partner = earlier.find(linked) ?? earlier.find((o) => collocationGroup(o) === collocationGroup(rel)) ?? (earlier[0] as Rel);
    if (collocationGroup(partner) !== collocationGroup(rel)) reportDifferentGroups(context, rel, partner);
    else reportNotOnShardKey(context, rel, partner, eqCols);
  }
}

function reportDifferentGroups(context: RuleContext, rel: Rel, partner: Rel): void {
  const { statement, analysis } = context;
  const bothPinned = analysis.pins.get(rel.id)?.state === 'pinned' && analysis.pins.get(partner.id)?.state === 'pinned';
  context.report({
    messageId: 'differentGroups',
    data: { table: relLabel(rel), tableMode: modeText(context, rel), other: relLabel(partner), otherMode: modeText(context, partner), name: rel.display, otherGroup: groupName(context, partner) },
    span: statement.nameSpan(rel.offset),
    labels: [{ span: statement.nameSpan(partner.offset), message: `collocation group \`${groupName(context, partner)}\`` }],
    note: bothPinned
      ? 'Limitless runs a join on one shard only between collocated tables joined on their shard key (' + limitlessDocsUrl('routing', 'joins') + '): even with both tables pinned, this statement reads two shards and joins the rows on the router.'
      : 'Limitless runs a join on one shard only between collocated tables joined on their shard key (' + limitlessDocsUrl('routing', 'joins') + '): rows of tables from different collocation groups are fetched to the router and joined there.',
    help: 'Read `{{name}}` with a separate query by its own shard key, make it a reference table if it is small and rarely written, or collocate it with `{{otherGroup}}` if it can be sharded on the same key.',
  });
}

function reportNotOnShardKey(context: RuleContext, rel: Rel, partner: Rel, eqCols: readonly { a: Col; b: Col }[]): void {
  const { statement, analysis } = context;
  // Both sides unrestricted: the statement scans every shard anyway and require-shard-key says so;
  // the join shape matters once one side is pinned (it is what keeps the other side from following).
  const restricted = (r: Rel) => analysis.pins.get(r.id)?.state !== 'all';
  if (!restricted(rel) && !restricted(partner)) return;
  const conditions = eqCols.flatMap((f) => {
    const [mine, other] = f.a.rel === rel && f.b.rel === partner ? [f.a, f.b] : f.b.rel === rel && f.a.rel === partner ? [f.b, f.a] : [];
    return mine && other ? [`${mine.rel.refName}.${mine.column} = ${other.rel.refName}.${other.column}`] : [];
  });
  const key = rel.table?.shardKey ?? [];
  const predicate = key.map((k, i) => `${rel.refName}.${k} = ${partner.refName}.${partner.table?.shardKey[i] ?? k}`).join(' AND ');
  context.report({
    messageId: 'notOnShardKey',
    data: { table: relLabel(rel), other: relLabel(partner), on: conditions.length > 0 ? ` on \`${conditions.join(' AND ')}\`` : '', key: key.join(', '), predicate },
    span: statement.nameSpan(rel.offset),
    labels: [{ span: statement.nameSpan(partner.offset), message: `same collocation group \`${groupName(context, partner)}\`, joined without a shard-key equality` }],
    note: 'Collocated tables keep rows with equal shard-key values on the same shard (' + limitlessDocsUrl('tables', 'collocation') + '); Limitless keeps their join on one shard only when the join equates the shard keys (' + limitlessDocsUrl('routing', 'transitivity') + '), otherwise the rows are joined on the router.',
    help: 'Add `{{predicate}}` to the join condition.',
  });
}

/** Standard tables live on one shard; combined with sharded or reference tables, the router runs the statement (docs/limitless/tables.md#table-types). */
function checkStandardMix(context: RuleContext): void {
  const rels = context.analysis.rels.filter((r) => joinable(context, r));
  const standard = rels.find((r) => r.mode === 'standard');
  const other = rels.find((r) => r.mode === 'sharded' || r.mode === 'reference');
  if (!standard || !other) return;
  const [second, first] = standard.offset > other.offset ? [standard, other] : [other, standard];
  const { statement } = context;
  context.report({
    messageId: 'standardMix',
    data: { table: relLabel(second), tableMode: second.mode, other: relLabel(first), otherMode: first.mode, standard: standard.display, name: other.display },
    span: statement.nameSpan(second.offset),
    labels: [{ span: statement.nameSpan(first.offset), message: `${first.mode} table` }],
    note: 'All standard tables live on one shard chosen by the system, so only joins among standard tables stay there; a join of a standard table with a sharded or reference table is executed on the router (' + limitlessDocsUrl('routing', 'joins') + ').',
    help: 'Read `{{standard}}` and `{{name}}` with separate queries, or change the table type so that they can be joined on the shards (make `{{standard}}` a reference or sharded table).',
  });
}

/** Table occurrences directly on one side of a join (not inside subqueries), by offset. */
function sideTables(model: StatementModel, node: Node | undefined): Rel[] {
  if (!node) return [];
  if ('RangeVar' in node) {
    const rel = model.relOf(node.RangeVar);
    return rel?.kind === 'table' ? [rel] : [];
  }
  if ('JoinExpr' in node) return [...sideTables(model, node.JoinExpr.larg), ...sideTables(model, node.JoinExpr.rarg)];
  if ('RangeTableSample' in node) return sideTables(model, node.RangeTableSample.relation);
  return [];
}

/**
 * Whether the WHERE clause has a strict predicate (an equality, IN or OR of equalities) on the table:
 * PostgreSQL then drops its null-padded rows and plans the outer join as an inner join.
 */
function strictlyFiltered(rel: Rel): boolean {
  return rel.block.facts.some(({ fact, appliesTo }) => {
    if (appliesTo !== 'all') return false;
    if (fact.kind === 'eqValue' || fact.kind === 'multi') return fact.col.rel === rel;
    return fact.kind === 'eqCol' && (fact.a.rel === rel || fact.b.rel === rel);
  });
}

const JOIN_NAMES: Readonly<Record<string, string>> = { JOIN_LEFT: 'This LEFT JOIN', JOIN_RIGHT: 'This RIGHT JOIN', JOIN_FULL: 'This FULL JOIN' };

/** docs/limitless/routing.md#joins (paper): an outer join that null-pads a sharded table against a reference table runs on the router. */
function checkOuterJoins(context: RuleContext): void {
  const { statement, analysis } = context;
  if (!analysis.shapes.some((s) => s.cause === 'outer-join')) return;
  walk(context.ast, (tag, body) => {
    if (tag !== 'JoinExpr') return true;
    const type = body.jointype as string | undefined;
    const join = type ? JOIN_NAMES[type] : undefined;
    if (!join) return true;
    const left = sideTables(analysis.model, body.larg as Node | undefined);
    const right = sideTables(analysis.model, body.rarg as Node | undefined);
    // The null-padded side: the right of a LEFT JOIN, the left of a RIGHT JOIN, both of a FULL JOIN.
    const pairs: [padded: Rel[], preserved: Rel[]][] =
      type === 'JOIN_LEFT' ? [[right, left]] : type === 'JOIN_RIGHT' ? [[left, right]] : [[right, left], [left, right]];
    for (const [padded, preserved] of pairs) {
      const sharded = padded.find((r) => r.mode === 'sharded' && !strictlyFiltered(r));
      const reference = preserved.find((r) => r.mode === 'reference');
      if (!sharded || !reference) continue;
      const [primary, secondary] = right.includes(sharded) ? [sharded, reference] : [reference, sharded];
      context.report({
        messageId: 'nullPaddedSharded',
        data: { join, sharded: relLabel(sharded), reference: relLabel(reference), shardedName: sharded.display, referenceName: reference.display },
        span: statement.nameSpan(primary.offset),
        labels: [{ span: statement.nameSpan(secondary.offset), message: secondary === reference ? 'reference table, the preserved side' : 'sharded table, the null-padded side' }],
        severity: 'warning',
        note: PUSHDOWN_NOTE,
        help: 'If only `{{shardedName}}` rows with a match are needed, use an inner join, or put the sharded table on the preserved side (`{{shardedName}} LEFT JOIN {{referenceName}}`); otherwise accept that the router performs this join.',
      });
      break;
    }
    return true;
  });
}

/** docs/limitless/routing.md#joins (paper): an anti-join between a sharded and a reference table runs on the router. */
function checkAntiJoins(context: RuleContext): void {
  const { statement, analysis } = context;
  const offsets = new Set(analysis.shapes.filter((s) => s.cause === 'anti-join' || s.cause === 'is-null-anti-join').map((s) => s.offset));
  if (offsets.size === 0) return;
  walk(context.ast, (tag, body) => {
    if (tag !== 'SubLink' || typeof body.location !== 'number' || !offsets.has(statement.offsetOf(body.location))) return true;
    const inner: Rel[] = [];
    walk(body.subselect, (t, b) => {
      const rel = t === 'RangeVar' ? analysis.model.relOf(b as RangeVar) : undefined;
      if (rel?.kind === 'table') inner.push(rel);
      return true;
    });
    const first = inner[0];
    if (!first) return true;
    const outer: Rel[] = [];
    for (let b = first.block.parent; b; b = b.parent) outer.push(...b.rels.filter((r) => r.kind === 'table' && !inner.includes(r)));
    for (const [mode, otherMode] of [['reference', 'sharded'], ['sharded', 'reference']] as const) {
      const table = inner.find((r) => r.mode === mode);
      const other = outer.find((r) => r.mode === otherMode);
      if (!table || !other) continue;
      context.report({
        messageId: 'antiJoinReference',
        data: { table: relLabel(table), tableMode: mode, other: relLabel(other), otherMode, referenceName: (mode === 'reference' ? table : other).display },
        span: statement.nameSpan(table.offset),
        labels: [{ span: statement.nameSpan(other.offset), message: `${otherMode} table of the outer query` }],
        severity: 'warning',
        note: PUSHDOWN_NOTE,
        help: 'Accept the router execution if the statement is rare; otherwise check the rows against `{{referenceName}}` in a separate step (or in the application) once the sharded rows are fetched by their shard key.',
      });
      return false;
    }
    return true;
  });
}
