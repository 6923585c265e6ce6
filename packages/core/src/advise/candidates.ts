import type { LearnedTable } from '../ddl/replay.js';
import type { Block } from '../route/model.js';
import type { Unit } from './prepare.js';
import type { AdviseSchema, UniqueChange } from './types.js';

/** A column of a table: `schema.table` and column name. */
export interface ColumnRef {
  readonly table: string;
  readonly column: string;
}

/** Columns linked by foreign keys and join equalities: sharding tables on them collocates the tables. */
export interface Domain {
  readonly id: number;
  readonly columns: readonly ColumnRef[];
  /** The table whose primary key the domain is (most referenced), or the most used table. */
  readonly root: string;
  /** The root's column. */
  readonly rootColumn: string;
  /** Distinct tables with a column in the domain. */
  readonly tables: number;
  /** Statements with an equality (or a list) of a column of the domain with a parameter or an expression. */
  readonly filters: number;
}

/** One place a table can take in a manifest. */
export interface TableOption {
  readonly mode: 'sharded' | 'reference' | 'standard';
  readonly shardKey: readonly string[];
  /** The collocation group: the domain of its shard key (sharded only). */
  readonly domain?: number;
  /** The table key of the group's root (sharded only). */
  readonly group?: string;
  readonly uniqueChanges: readonly UniqueChange[];
  readonly fixed: boolean;
}

/** A reference candidate is written by at most this share of the statements (calls) that use it. */
export const MAX_REFERENCE_WRITE_SHARE = 0.5;

/** Column types that make no shard key (hash partitioning on them is rarely meaningful). */
const UNSUITABLE = /^(?:boolean|json|jsonb|xml|real|double precision|float\d*|numeric|bytea|tsvector|point|.*\[\])$/;

interface Usage {
  filters: Set<number>;
  joins: Set<number>;
}

export interface Candidates {
  readonly domains: readonly Domain[];
  /** Domain id of a column. */
  readonly domainOf: (table: string, column: string) => number | undefined;
  /** The domain most statements filter on, carried by more than one table (a tenant-like key). */
  readonly dominant: number | undefined;
  /** Options per table (in table-key order), best guess first. */
  readonly options: ReadonlyMap<string, readonly TableOption[]>;
}

export interface ResolvedConstraints {
  readonly fix: ReadonlyMap<string, readonly string[]>;
  readonly reference: ReadonlySet<string>;
  readonly standard: ReadonlySet<string>;
}

/**
 * Finds the candidate places of every table: shard keys from the key graph (primary and foreign keys)
 * and from the equalities and joins of the statements, grouped in domains (columns that foreign keys
 * or joins link, whose tables collocate when sharded on them); reference for lookup tables
 * (referenced or joined, rarely written, not carrying the dominant key); standard only for a table
 * with no candidate key.
 */
export function findCandidates(schema: AdviseSchema, units: readonly Unit[], constraints: ResolvedConstraints, keysPerTable: number): Candidates {
  const tables = [...schema.tables.keys()].sort();
  const node = (table: string, column: string) => `${table}\u0000${column}`;
  const parent = new Map<string, string>();
  /** Columns a foreign key or a join links to another. */
  const linked = new Set<string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as string;
    let at = x;
    while (at !== root) {
      const next = parent.get(at) as string;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  const typeOf = (table: string, column: string) => schema.tables.get(table)?.columns.find((c) => c.name === column)?.type;
  const hasColumn = (table: string, column: string) => schema.tables.get(table)?.columns.some((c) => c.name === column) === true;
  const union = (a: ColumnRef, b: ColumnRef) => {
    if (!hasColumn(a.table, a.column) || !hasColumn(b.table, b.column)) return;
    const ta = typeOf(a.table, a.column);
    const tb = typeOf(b.table, b.column);
    if (ta !== undefined && tb !== undefined && baseType(ta) !== baseType(tb)) return;
    linked.add(node(a.table, a.column)).add(node(b.table, b.column));
    const ra = find(node(a.table, a.column));
    const rb = find(node(b.table, b.column));
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };

  const referenced = new Map<string, number>();
  for (const fk of schema.foreignKeys) {
    fk.columns.forEach((c, i) => union({ table: fk.table, column: c }, { table: fk.references, column: fk.referencedColumns[i] as string }));
    referenced.set(fk.references, (referenced.get(fk.references) ?? 0) + 1);
  }

  const usage = new Map<string, Usage>();
  const use = (table: string, column: string) => {
    const key = node(table, column);
    let u = usage.get(key);
    if (!u) usage.set(key, (u = { filters: new Set(), joins: new Set() }));
    return u;
  };
  const writes = new Map<string, number>();
  const touches = new Map<string, number>();
  for (const unit of units) {
    // Statements the workload never ran still count a little, so that a table's uses are known.
    const w = Math.max(unit.info.weight, 1e-6);
    const blocks = new Set<Block>();
    for (const rel of unit.base.rels) for (let b: Block | undefined = rel.block; b; b = b.parent) blocks.add(b);
    for (const block of blocks) {
      for (const { fact } of block.facts) {
        if (fact.kind === 'eqValue' || fact.kind === 'multi') {
          // A column compared with constants only (`status = 'active'`) is an enumeration: a poor,
          // hot shard key. Parameters and expressions are the values an application looks rows up by.
          if (fact.kind === 'eqValue' ? fact.value.key.startsWith('c:') : fact.keys?.every((k) => k.startsWith('c:'))) continue;
          const t = fact.col.rel.table?.key;
          if (t && hasColumn(t, fact.col.column)) use(t, fact.col.column).filters.add(unit.index);
        } else if (fact.kind === 'eqCol') {
          const ta = fact.a.rel.table?.key;
          const tb = fact.b.rel.table?.key;
          if (!ta || !tb || fact.a.rel === fact.b.rel) continue;
          if (!hasColumn(ta, fact.a.column) || !hasColumn(tb, fact.b.column)) continue;
          use(ta, fact.a.column).joins.add(unit.index);
          use(tb, fact.b.column).joins.add(unit.index);
          union({ table: ta, column: fact.a.column }, { table: tb, column: fact.b.column });
        }
      }
    }
    for (const t of unit.tables) touches.set(t, (touches.get(t) ?? 0) + w);
    const written = new Set(unit.base.rels.filter((r) => r.access === 'write' && r.table).map((r) => r.table?.key as string));
    for (const t of written) writes.set(t, (writes.get(t) ?? 0) + w);
  }

  // Domains: every column that a key or a statement links, or that statements filter on.
  const members = new Map<string, ColumnRef[]>();
  const addMember = (table: string, column: string) => {
    const root = find(node(table, column));
    const list = members.get(root) ?? [];
    if (!list.some((c) => c.table === table && c.column === column)) list.push({ table, column });
    members.set(root, list);
  };
  for (const t of tables) {
    const info = schema.tables.get(t) as LearnedTable;
    for (const c of info.columns) {
      const n = node(t, c.name);
      if (linked.has(n) || usage.has(n) || (info.primaryKey?.length === 1 && info.primaryKey[0] === c.name)) addMember(t, c.name);
    }
  }
  const domains: Domain[] = [];
  const domainByRoot = new Map<string, number>();
  const roots = [...members.keys()].sort();
  for (const r of roots) {
    const columns = (members.get(r) as ColumnRef[]).sort((a, b) => cmp(a.table, b.table) || cmp(a.column, b.column));
    const filterUnits = new Set<number>();
    for (const c of columns) for (const u of usage.get(node(c.table, c.column))?.filters ?? []) filterUnits.add(u);
    const owners = columns.filter((c) => {
      const pk = schema.tables.get(c.table)?.primaryKey;
      return pk?.length === 1 && pk[0] === c.column;
    });
    const score = (c: ColumnRef) => (referenced.get(c.table) ?? 0) * 1000 + (touches.get(c.table) ?? 0);
    const pick = (list: readonly ColumnRef[]) => [...list].sort((a, b) => score(b) - score(a) || cmp(a.table, b.table))[0] as ColumnRef;
    const root = owners.length > 0 ? pick(owners) : pick(columns);
    const id = domains.length;
    domainByRoot.set(r, id);
    domains.push({ id, columns, root: root.table, rootColumn: root.column, tables: new Set(columns.map((c) => c.table)).size, filters: filterUnits.size });
  }
  const domainOf = (table: string, column: string): number | undefined => {
    const n = node(table, column);
    return members.has(find(n)) ? domainByRoot.get(find(n)) : undefined;
  };
  const dominant = [...domains]
    .filter((d) => d.tables > 1)
    .sort((a, b) => b.filters - a.filters || b.tables - a.tables || cmp(a.root, b.root))[0]?.id;

  const options = new Map<string, TableOption[]>();
  for (const t of tables) {
    const info = schema.tables.get(t) as LearnedTable;
    const sharded = (key: readonly string[], fixed: boolean): TableOption => {
      const d = key.length === 1 ? domainOf(t, key[0] as string) : undefined;
      return { mode: 'sharded', shardKey: key, ...(d !== undefined ? { domain: d, group: (domains[d] as Domain).root } : { group: t }), uniqueChanges: uniqueChanges(info, key), fixed };
    };
    const fixedKey = constraints.fix.get(t);
    if (fixedKey) {
      options.set(t, [sharded(fixedKey, true)]);
      continue;
    }
    if (constraints.reference.has(t)) {
      options.set(t, [{ mode: 'reference', shardKey: [], uniqueChanges: [], fixed: true }]);
      continue;
    }
    if (constraints.standard.has(t)) {
      options.set(t, [{ mode: 'standard', shardKey: [], uniqueChanges: [], fixed: true }]);
      continue;
    }
    const dominantColumn = (d: number | undefined) => (d !== undefined && d === dominant ? 1 : 0);
    const keys = info.columns
      .filter((c) => !UNSUITABLE.test(c.type) && domainOf(t, c.name) !== undefined)
      .map((c) => {
        const u = usage.get(node(t, c.name));
        const d = domainOf(t, c.name);
        return { column: c.name, dominant: dominantColumn(d), used: (u?.filters.size ?? 0) + (u?.joins.size ?? 0), domainFilters: d === undefined ? 0 : (domains[d] as Domain).filters };
      })
      .sort((a, b) => b.dominant - a.dominant || b.used - a.used || b.domainFilters - a.domainFilters || cmp(a.column, b.column))
      .slice(0, keysPerTable);
    const list: TableOption[] = keys.map((k) => sharded([k.column], false));
    const carriesDominant = dominant !== undefined && info.columns.some((c) => domainOf(t, c.name) === dominant) && (domains[dominant] as Domain).root !== t;
    const isRoot = dominant !== undefined && (domains[dominant] as Domain).root === t;
    const written = writes.get(t) ?? 0;
    const touched = touches.get(t) ?? 0;
    // Sizes are not known statically: a table that does not carry the dominant key (so does not grow
    // with it) and that the statements mostly read may be a lookup table.
    if (!carriesDominant && !isRoot && written <= MAX_REFERENCE_WRITE_SHARE * touched) list.push({ mode: 'reference', shardKey: [], uniqueChanges: [], fixed: false });
    if (list.length === 0) list.push({ mode: 'standard', shardKey: [], uniqueChanges: [], fixed: false });
    options.set(t, list);
  }
  return { domains, domainOf, dominant, options };
}

/** The primary and unique keys of `table` that do not contain every column of `shardKey`. */
export function uniqueChanges(table: LearnedTable, shardKey: readonly string[]): UniqueChange[] {
  const out: UniqueChange[] = [];
  const keys = [...(table.primaryKey ? [{ columns: table.primaryKey, primaryKey: true }] : []), ...table.uniques.map((columns) => ({ columns, primaryKey: false }))];
  const seen = new Set<string>();
  for (const k of keys) {
    const id = k.columns.join(',');
    if (seen.has(id)) continue;
    seen.add(id);
    if (!shardKey.every((c) => k.columns.includes(c))) out.push({ table: table.key, columns: k.columns, primaryKey: k.primaryKey, shardKey });
  }
  return out;
}

/** Types that compare equal for collocation (PostgreSQL's aliases, without modifiers). */
function baseType(type: string): string {
  const t = type.toLowerCase().replace(/\(.*\)$/, '').trim();
  if (t === 'int' || t === 'int4' || t === 'integer' || t === 'serial' || t === 'serial4') return 'integer';
  if (t === 'int8' || t === 'bigint' || t === 'bigserial' || t === 'serial8') return 'bigint';
  if (t === 'int2' || t === 'smallint' || t === 'smallserial' || t === 'serial2') return 'smallint';
  if (t === 'varchar' || t === 'character varying') return 'varchar';
  return t;
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
