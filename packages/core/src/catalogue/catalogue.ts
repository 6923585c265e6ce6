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
import { tableKey } from '../manifest/names.js';
import type { Manifest, TableInfo } from '../manifest/types.js';
import { canonicalType } from '../route/type-names.js';

/** A table as the catalogue knows it: the manifest's shape, plus where it came from and what its DDL said. */
export interface CatalogueTable extends TableInfo {
  /** Which source decided its placement (mode, shard key, collocation). */
  readonly source: 'manifest' | 'ddl';
  /** What DDL (of this text or of other files) says of its columns and keys, when some DDL created it. */
  readonly learned?: LearnedTable;
}

const EMPTY: ReadonlyMap<string, LearnedTable> = new Map();


/** Built per statement (a schema state is a snapshot as of one statement); lookups are memoised. */
export class TableCatalogue {
  readonly searchPath: readonly string[];
  private readonly memo = new Map<string, CatalogueTable | null>();

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
    let table = this.memo.get(key);
    if (table === undefined) this.memo.set(key, (table = this.build(key) ?? null));
    return table ?? undefined;
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

  private build(key: string): CatalogueTable | undefined {
    const learned = this.tables.get(key);
    const info = this.manifest?.tables.get(key);
    if (info) return withLearned(info, learned);
    return learned ? this.fromDdl(learned) : undefined;
  }

  private fromDdl(t: LearnedTable): CatalogueTable {
    const sequence = t.columns.filter((c) => c.sequence).map((c) => c.name);
    const group = t.mode === 'sharded' ? this.groupOf(t) : undefined;
    return {
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
    };
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

function withLearned(info: TableInfo, learned: LearnedTable | undefined): CatalogueTable {
  if (!learned) return { ...info, source: 'manifest' };
  const extra = learned.columns.filter((c) => c.sequence && !info.sequenceColumns.includes(c.name)).map((c) => c.name);
  return { ...info, sequenceColumns: extra.length > 0 ? [...info.sequenceColumns, ...extra] : info.sequenceColumns, source: 'manifest', learned };
}
