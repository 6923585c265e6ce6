/**
 * The one table catalogue (docs/architecture.md#table-catalogue): what routing and every rule know
 * about a table, from the manifest and from the DDL replayed so far, with one precedence:
 *
 * 1. the manifest, for the tables it lists: it is the declared placement (mode, shard key,
 *    collocation), and a script that creates a table without the Limitless session variables (a
 *    plain migration, converted elsewhere) must not turn a sharded table into a standard one;
 * 2. the replayed DDL, for the tables the manifest does not list: this text's DDL up to this
 *    statement, over the DDL of other files it started from (a `CREATE TABLE` under
 *    `limitless_create_table_mode = 'sharded'` makes a sharded table, not an unknown one).
 *
 * Column knowledge merges whichever source places the table: the sequence columns of both, column
 * types from the manifest's `columns:` first, then from the DDL, and the DDL's columns, primary key
 * and unique keys (`learned`) whenever some DDL created the table.
 */
import type { LearnedTable } from '../ddl/replay.js';
import { qualifyTableName } from '../ddl/replay.js';
import { tableKey } from '../manifest/names.js';
import type { Manifest, TableInfo } from '../manifest/types.js';
import { canonicalType } from '../route/type-names.js';

/** A table as the catalogue knows it: the manifest's shape, plus where it came from and what its DDL said. */
export interface CatalogueTable extends TableInfo {
  /** Which source decided its placement (mode, shard key, collocation). */
  readonly source: 'manifest' | 'ddl';
  /** What DDL (of this text or of other files) says of its columns and keys, when some DDL created it. */
  readonly learned?: LearnedTable;
  /** Placed by DDL whose placement the text does not determine (`LearnedTable.placementUnknown`): routed as unknown. */
  readonly placementUnknown?: true;
}

const EMPTY: ReadonlyMap<string, LearnedTable> = new Map();

/**
 * Built per statement (a schema state is a snapshot as of one statement). Entries are kept on the
 * manifest's and the replay's table objects (both immutable), so a lookup allocates nothing once made.
 */
export class TableCatalogue {
  readonly searchPath: readonly string[];

  constructor(
    readonly manifest: Manifest | undefined,
    /** The replayed schema state's tables: other files' tables with this text's DDL so far applied. */
    private readonly tables: ReadonlyMap<string, LearnedTable> = EMPTY,
  ) {
    this.searchPath = manifest?.searchPath ?? ['public'];
  }

  /** A table named in SQL (normalised parts): unqualified names follow the search path. */
  lookup(schema: string | undefined, name: string): CatalogueTable | undefined {
    if (schema !== undefined) return this.byKey(tableKey(schema, name));
    for (const s of this.searchPath) {
      const table = this.byKey(tableKey(s, name));
      if (table) return table;
    }
    return undefined;
  }

  /** A table by key (`schema.name`, normalised), e.g. a collocation target. */
  byKey(key: string): CatalogueTable | undefined {
    const learned = this.tables.size > 0 ? this.tables.get(key) : undefined;
    const info = this.manifest?.tables.get(key);
    if (info) return withLearned(info, learned);
    return learned ? this.fromDdl(learned) : undefined;
  }

  /**
   * One source's view, for the rules that compare the two (a CREATE TABLE against the manifest's
   * declaration) or ask what a conversion procedure converts: the manifest's entry, the DDL's table.
   * Every other question goes through {@link lookup} / {@link byKey}.
   */
  declared(key: string): TableInfo | undefined {
    return this.manifest?.tables.get(key);
  }

  learned(key: string): LearnedTable | undefined {
    return this.tables.get(key);
  }

  /** A table name given as a string (a procedure argument, a session variable), as the DDL resolves it → its key. */
  qualify(text: string): string | undefined {
    return qualifyTableName(text, this.tables, this.searchPath);
  }

  /** A column's type: the manifest's `columns:` first, then the DDL's (canonical names). */
  columnType(table: CatalogueTable, column: string): string | undefined {
    const declared = table.columns?.get(column);
    if (declared !== undefined) return declared;
    const type = table.learned?.columns.find((c) => c.name === column)?.type;
    return type === undefined || type === '' ? undefined : canonicalType(type);
  }

  /** The table's name as messages show it: without the schema when that is the first of the search path. */
  display(table: TableInfo): string {
    return table.schema === (this.searchPath[0] ?? 'public') ? table.name : table.key;
  }

  private fromDdl(t: LearnedTable): CatalogueTable {
    // A table collocated with another depends on where that one is: not kept.
    const kept = t.collocateWith === undefined ? FROM_DDL.get(t) : undefined;
    if (kept) return kept;
    const sequence = t.columns.filter((c) => c.sequence).map((c) => c.name);
    const group = t.mode === 'sharded' ? this.groupOf(t) : undefined;
    const table: CatalogueTable = {
      key: t.key,
      schema: t.schema,
      name: t.name,
      mode: t.mode,
      shardKey: t.mode === 'sharded' ? t.shardKey : [],
      ...(t.collocateWith !== undefined && { collocateWith: t.collocateWith }),
      ...(group !== undefined && { collocationGroup: group }),
      sequenceColumns: sequence,
      source: 'ddl',
      learned: t,
      ...(t.placementUnknown && { placementUnknown: true }),
    };
    if (t.collocateWith === undefined) FROM_DDL.set(t, table);
    return table;
  }

  /** The root of a DDL table's `collocate_with` chain, through the catalogue's precedence. */
  private groupOf(t: LearnedTable): string {
    const seen = new Set([t.key]);
    let root = t.key;
    for (let next = t.collocateWith; next !== undefined && !seen.has(next); ) {
      seen.add(next);
      root = next;
      const info = this.manifest?.tables.get(next);
      if (info) return info.collocationGroup ?? next;
      next = this.tables.get(next)?.collocateWith;
    }
    return root;
  }
}

/** Entries kept per manifest table (and per DDL table that also describes it), and per DDL-only table. */
const FROM_MANIFEST = new WeakMap<TableInfo, CatalogueTable>();
const WITH_DDL = new WeakMap<TableInfo, WeakMap<LearnedTable, CatalogueTable>>();
const FROM_DDL = new WeakMap<LearnedTable, CatalogueTable>();

function withLearned(info: TableInfo, learned: LearnedTable | undefined): CatalogueTable {
  if (!learned) {
    let table = FROM_MANIFEST.get(info);
    if (!table) FROM_MANIFEST.set(info, (table = { ...info, source: 'manifest' }));
    return table;
  }
  let byLearned = WITH_DDL.get(info);
  if (!byLearned) WITH_DDL.set(info, (byLearned = new WeakMap()));
  let table = byLearned.get(learned);
  if (!table) {
    const extra = learned.columns.filter((c) => c.sequence && !info.sequenceColumns.includes(c.name)).map((c) => c.name);
    table = { ...info, sequenceColumns: extra.length > 0 ? [...info.sequenceColumns, ...extra] : info.sequenceColumns, source: 'manifest', learned };
    byLearned.set(learned, table);
  }
  return table;
}
