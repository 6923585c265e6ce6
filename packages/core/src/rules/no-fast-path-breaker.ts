import { limitlessDocsUrl } from '../diagnostic.js';
import type { Node } from 'libpg-query';
import type { Label, Suggestion } from '../diagnostic.js';
import { walk } from '../route/ast.js';
import type { FunctionUse, Rel } from '../route/model.js';
import type { Pin } from '../route/pinning.js';
import { clauseEnd } from '../sql/clause-end.js';
import type { Statement } from '../sql/statements.js';
import { relLabel } from '../route/model.js';
import type { RuleContext } from './types.js';
import { defineRule } from './types.js';
import { SQL_VALUE_FUNCTION_VOLATILITY, sqlValueFunctionText } from '../route/function-volatility.js';

type Pinned = Extract<Pin, { state: 'pinned' }>;

/** SQL keywords that PostgreSQL parses as `SQLValueFunction`: written without parentheses. */
const SQL_VALUE_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(SQL_VALUE_FUNCTION_VOLATILITY).map(sqlValueFunctionText));

const WHAT: Readonly<Record<string, string>> = {
  stable: 'STABLE',
  volatile: 'VOLATILE',
  mixed: 'not IMMUTABLE in every overload',
  unknown: 'a user function the manifest does not declare, so it counts as volatile',
};

export default defineRule({
  meta: {
    id: 'no-fast-path-breaker',
    description: 'Report non-immutable functions and execution-time shard-key values that keep a one-shard statement off the single-shard fast path',
    category: 'routing',
    defaultLevel: 'warn',
    facts: ['routing#fast-path-restrictions'],
    messages: {
      nonImmutableFunction: '`{{fn}}` is {{what}}: this statement reaches one shard but loses the single-shard fast path.',
      stableShardKey: '`{{table}}` is pinned by `{{predicate}}`, a value the router computes at execution time: this statement reaches one shard but loses the single-shard fast path.',
      correlatedPin: '`{{table}}` is pinned only through the outer query by `{{correlation}}`, a value known at execution time: this statement reaches one shard but loses the single-shard fast path.',
    },
    note: 'Limitless skips planning on the router and pushes a statement whole to its shard only when every function in it is IMMUTABLE or a registered distributed function, and its shard can be chosen from explicit constants or bind parameters (' + limitlessDocsUrl('routing', 'fast-path-restrictions') + '); otherwise the router plans the statement on every call and then forwards it.',
    help: 'Compute the value in the application and pass it as a bind parameter (e.g. pass `{{fn}}` as `$n`).',
    examples: {
      invalid: [
        "SELECT transaction_id, amount FROM transactions WHERE account_id = $1 AND created_at > now() - interval '1 day'",
        'SELECT a.status FROM accounts a WHERE a.account_id = $1 AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = a.account_id)',
      ],
      valid: [
        'SELECT transaction_id, amount FROM transactions WHERE account_id = $1 AND created_at > $2',
        'SELECT upper(owner_name), lower(status) FROM accounts WHERE account_id = $1',
      ],
    },
  },
  check(context) {
    const { analysis } = context;
    if (analysis.route.kind !== 'single-shard-routed') return;
    // An INSERT whose shard key the statement does not give (a column DEFAULT, or no column list) is
    // routed at execution time whatever else it calls: a different concern, left alone here.
    if (analysis.rels.some((r) => analysis.inserts.has(r.id) && r.mode === 'sharded' && omitsShardKey(context, r))) return;

    const covered = new Set<number>();
    for (const rel of analysis.rels) {
      const pin = analysis.pins.get(rel.id);
      if (rel.mode !== 'sharded' || pin?.state !== 'pinned') continue;
      if (pin.correlated) reportCorrelated(context, rel, pin);
      else if (pin.stable) reportStable(context, rel, pin, covered);
    }
    for (const f of analysis.functions) {
      if (f.volatility === 'immutable' || f.volatility === 'distributed' || covered.has(f.offset)) continue;
      const fn = display(context.statement, f);
      context.report({
        messageId: 'nonImmutableFunction',
        data: { fn, what: WHAT[f.volatility] ?? f.volatility },
        span: context.statement.nameSpan(f.offset),
        ...(f.volatility === 'unknown'
          ? { help: "Declare `{{fn}}` in the manifest: under `functions.immutable` if it is IMMUTABLE in PostgreSQL, or under `functions.distributed` if it is registered with `rds_aurora.limitless_distribute_function`; otherwise compute its value in the application and pass it as a bind parameter." }
          : {}),
      });
    }
  },
});

/** `now()` for a call, `CURRENT_TIMESTAMP` for an SQL value function, as written. */
function display(statement: Statement, f: FunctionUse): string {
  const span = statement.nameSpan(f.offset);
  const written = statement.text.slice(span.start - statement.span.start, span.end - statement.span.start);
  return SQL_VALUE_FUNCTIONS.has(f.name) ? written : `${written}()`;
}

/** Whether an INSERT leaves (part of) the shard key of its target to the server: not listed, or DEFAULT. */
function omitsShardKey(context: RuleContext, rel: Rel): boolean {
  const insert = context.analysis.inserts.get(rel.id);
  if (!insert) return false;
  const { columns } = insert;
  const key = rel.table?.shardKey ?? [];
  if (key.some((k) => !columns.includes(k))) return true;
  return keyCells(insert.source, key.map((k) => columns.indexOf(k))).some((cell) => 'SetToDefault' in cell);
}

/** The VALUES cells at the given column positions, over every row (none for INSERT … SELECT). */
function keyCells(source: Node | undefined, positions: readonly number[]): Node[] {
  const sel = source && 'SelectStmt' in source ? source.SelectStmt : undefined;
  if (!sel?.valuesLists || sel.fromClause) return [];
  return sel.valuesLists.flatMap((row) => {
    const items = 'List' in row ? (row.List.items ?? []) : [];
    return positions.flatMap((p) => (items[p] ? [items[p]] : []));
  });
}

/**
 * A shard key pinned by a STABLE expression (`account_id = current_setting('app.account')::bigint`): the
 * shard is known only at execution time. The functions inside that expression are this report's labels,
 * not separate reports.
 */
function reportStable(context: RuleContext, rel: Rel, pin: Pinned, covered: Set<number>): void {
  const { statement, analysis } = context;
  const key = rel.table?.shardKey ?? [];
  let roots: Node[];
  const insert = analysis.inserts.get(rel.id);
  if (insert) {
    roots = keyCells(insert.source, key.map((k) => insert.columns.indexOf(k)));
  } else {
    // Only the occurrence whose own shard-key column is compared with the value: the tables pinned
    // through it by a shard-key join are fixed by the same change.
    const offsets = new Set(
      rel.block.facts.flatMap(({ fact }) =>
        fact.kind === 'eqValue' && fact.col.rel === rel && key.includes(fact.col.column) && fact.value.volatility !== 'immutable' ? [fact.offset] : [],
      ),
    );
    if (offsets.size === 0) return;
    roots = predicatesAt(statement, offsets);
  }
  const functions = functionOffsets(statement, roots);
  const uses = analysis.functions.filter((f) => functions.has(f.offset) && f.volatility !== 'immutable' && f.volatility !== 'distributed');
  for (const f of uses) covered.add(f.offset);
  const labels: Label[] = uses.map((f) => ({ span: statement.nameSpan(f.offset), message: `${display(statement, f)} is ${WHAT[f.volatility] ?? f.volatility}` }));
  const fn = uses[0] ? display(statement, uses[0]) : 'the value';
  context.report({
    messageId: 'stableShardKey',
    data: { table: relLabel(rel), predicate: pin.texts.join(' AND '), fn },
    span: statement.nameSpan(rel.offset),
    labels,
    help: 'Compute the shard-key value in the application and pass it as a bind parameter, so that the router can pick the shard before planning.',
  });
}

/** A subquery table pinned only by a correlated shard-key equality to the outer query. */
function reportCorrelated(context: RuleContext, rel: Rel, pin: Pinned): void {
  const { statement } = context;
  const key = rel.table?.shardKey ?? [];
  const links = rel.block.facts.flatMap(({ fact }) => {
    if (fact.kind !== 'eqCol') return [];
    const [mine, other] = fact.a.rel === rel ? [fact.a, fact.b] : fact.b.rel === rel ? [fact.b, fact.a] : [];
    return mine && other && key.includes(mine.column) && other.rel.block !== rel.block ? [{ mine, other }] : [];
  });
  const outer = links[0]?.other.rel;
  const correlation = links.length > 0 ? links.map(({ mine, other }) => `${mine.rel.refName}.${mine.column} = ${other.rel.refName}.${other.column}`).join(' AND ') : pin.texts.join(' AND ');
  const values = key.map((column, i) => {
    const text = pin.texts[i] ?? '';
    const prefix = `${column} = `;
    return text.startsWith(prefix) ? text.slice(prefix.length).replace(/ \(through .*\)$/, '') : undefined;
  });
  const predicate = values.every((v) => v !== undefined) ? key.map((k, i) => `${rel.refName}.${k} = ${values[i]}`).join(' AND ') : undefined;
  const at = predicate ? clauseEnd(statement, rel.offset, 'WHERE') : undefined;
  const suggestions: Suggestion[] = predicate && at !== undefined ? [{ message: `Add \`${predicate}\``, edits: [{ span: { start: at, end: at }, text: ` AND ${predicate}` }] }] : [];
  context.report({
    messageId: 'correlatedPin',
    data: { table: relLabel(rel), correlation, fix: predicate ?? `an equality on ${key.join(', ')}` },
    span: statement.nameSpan(rel.offset),
    ...(outer ? { labels: [{ span: statement.nameSpan(outer.offset), message: `${outer.refName} is pinned in the outer query` }] } : {}),
    suggestions,
    help: 'Repeat the shard-key equality inside the subquery: add `{{fix}}`.',
  });
}

/** The predicate nodes (comparisons, IN, OR) that start at the given offsets. */
function predicatesAt(statement: Statement, offsets: ReadonlySet<number>): Node[] {
  const out: Node[] = [];
  walk(statement.ast, (tag, body, node) => {
    if ((tag === 'A_Expr' || tag === 'BoolExpr') && typeof body.location === 'number' && offsets.has(statement.offsetOf(body.location))) out.push(node);
    return true;
  });
  return out;
}

/** Offsets of the function calls (and SQL value functions) inside the given nodes. */
function functionOffsets(statement: Statement, roots: readonly Node[]): Set<number> {
  const out = new Set<number>();
  walk(roots, (tag, body) => {
    if ((tag === 'FuncCall' || tag === 'SQLValueFunction') && typeof body.location === 'number') out.add(statement.offsetOf(body.location));
    return true;
  });
  return out;
}
