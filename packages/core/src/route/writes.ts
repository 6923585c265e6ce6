import type { ScopeBuilder } from './build.js';
import { isRowSource, rowsOf } from './build.js';
import { valueOf } from './facts.js';
import type { InsertSite, Value } from './model.js';
import type { Pin } from './pinning.js';
import { pinOf } from './pinning.js';

/**
 * Where the rows of an INSERT into a sharded table go (docs/limitless/routing.md#writes): one row always lands on one
 * shard; several rows on one shard only when they all carry the same shard-key value; rows from a
 * SELECT may go anywhere.
 */
export function insertPin(site: InsertSite, builder: ScopeBuilder): Pin {
  const key = site.target.table?.shardKey ?? [];
  const source = site.source;
  const sel = source && 'SelectStmt' in source ? source.SelectStmt : undefined;
  const rows = !source ? [[]] : sel && isRowSource(sel) ? rowsOf(sel) : undefined;
  if (!rows) return selectPin(site, builder) ?? { state: 'multi', count: undefined, identity: `insert-select:${site.target.id}`, texts: ['rows produced by a SELECT'] };

  const positions = key.map((k) => site.columns.indexOf(k));
  const tuples = rows.map((row) =>
    positions.map((p) => {
      const node = p >= 0 ? row[p] : undefined;
      return node ? valueOf(node, site.block, builder) : undefined;
    }),
  );
  const complete = tuples.every((t) => t.every((v) => v && v.volatility !== 'volatile'));
  if (rows.length === 1) {
    const tuple = tuples[0] ?? [];
    if (complete) {
      return {
        state: 'pinned',
        keys: tuple.map((v) => [v?.key ?? '']),
        texts: key.map((k, i) => `${k} = ${tuple[i]?.text}`),
        correlated: false,
        stable: tuple.some((v) => v?.volatility !== 'immutable'),
      };
    }
    const why = site.columns.length === 0 ? 'no column list, so the shard-key value cannot be seen — list the columns' : `${key.filter((_, i) => !tuple[i]).join(', ') || key.join(', ')} comes from a default or a volatile expression`;
    return { state: 'pinned', keys: [[`row:${site.target.id}`]], texts: [`one row; ${why}`], correlated: false, stable: true };
  }
  const distinct = new Set(tuples.map((t, i) => (complete ? t.map((v) => v?.key).join('\u0000') : `row${i}`)));
  if (distinct.size === 1) {
    const tuple = tuples[0] ?? [];
    return { state: 'pinned', keys: tuple.map((v) => [v?.key ?? '']), texts: key.map((k, i) => `${k} = ${tuple[i]?.text} in every row`), correlated: false, stable: tuple.some((v) => v?.volatility !== 'immutable') };
  }
  return {
    state: 'multi',
    count: distinct.size,
    identity: `insert:${site.target.id}`,
    texts: [complete ? `${rows.length} rows with ${distinct.size} distinct shard-key values` : `${rows.length} rows whose shard-key values cannot all be told`],
  };
}

/**
 * INSERT … SELECT whose SELECT gives every shard-key column one value: a pinned column of the SELECT
 * (`SELECT account_id, … FROM accounts WHERE account_id = $1`) or a value. Every row then lands on
 * the shard of that value, as the SELECT reads from it when the tables are collocated.
 */
function selectPin(site: InsertSite, builder: ScopeBuilder): Pin | undefined {
  const key = site.target.table?.shardKey ?? [];
  const block = builder.insertSources.get(site.target);
  const leaf = block ? builder.outputOf(block)?.leaves : undefined;
  const only = leaf?.length === 1 ? leaf[0] : undefined;
  if (!only?.names || site.columns.length === 0 || key.length === 0) return undefined;
  const values: Value[] = [];
  let correlated = false;
  for (const k of key) {
    const col = only.cols[site.columns.indexOf(k)];
    if (!col) return undefined;
    const direct = only.block.facts.find((sf) => sf.appliesTo === 'all' && sf.fact.kind === 'eqValue' && sf.fact.col.rel === col.rel && sf.fact.col.column === col.column)?.fact;
    if (direct?.kind === 'eqValue') {
      values.push(direct.value);
      continue;
    }
    const pin = col.rel.table?.shardKey.includes(col.column) ? pinOf(col.rel) : undefined;
    const i = col.rel.table?.shardKey.indexOf(col.column) ?? -1;
    const text = pin?.state === 'pinned' ? pin.texts[i] : undefined;
    const valueKey = pin?.state === 'pinned' && pin.keys[i]?.length === 1 ? pin.keys[i]?.[0] : undefined;
    if (pin?.state !== 'pinned' || text === undefined || valueKey === undefined) return undefined;
    correlated ||= pin.correlated;
    values.push({ key: valueKey, text: text.replace(/^[^=]*= /, ''), volatility: pin.stable ? 'stable' : 'immutable', type: undefined });
  }
  return {
    state: 'pinned',
    keys: values.map((v) => [v.key]),
    texts: key.map((k, i) => `${k} = ${values[i]?.text} (from the SELECT)`),
    correlated,
    stable: values.some((v) => v.volatility !== 'immutable'),
  };
}
