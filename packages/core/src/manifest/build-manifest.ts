import type { RuleLevel } from '../diagnostic.js';
import { canonicalType } from '../route/type-names.js';
import { closestMatch } from './edit-distance.js';
import type { Issue, KeyPath } from './issue.js';
import { parseIdentifierChain, parseQualifiedName, tableKey } from './names.js';
import type { RawDistributedFunction, RawManifest, RawRuleObject, RawTable } from './raw-manifest.js';
import type { DistributedFunction, Manifest, ManifestLocation, RuleConfig, TableInfo } from './types.js';

/** A table while the manifest is checked: its name resolved, its columns normalised. */
interface DraftTable {
  /** The key as written in the manifest. */
  readonly written: string;
  readonly key: string;
  readonly schema: string;
  readonly name: string;
  readonly raw: RawTable;
  /** Normalised shard key; `undefined` when a sharded table's is missing or invalid. */
  readonly shardKey: readonly string[] | undefined;
  readonly sequenceColumns: readonly string[];
  readonly columns: ReadonlyMap<string, string> | undefined;
}

/**
 * Checks what the JSON Schema cannot (names, shard keys against modes, collocation) and builds the
 * normalised {@link Manifest} from schema-valid data.
 *
 * @param locateKey where a key is written, for {@link TableInfo.declaredAt} and messages.
 */
export function buildManifest(
  raw: RawManifest,
  file: string | undefined,
  locateKey: (path: KeyPath) => ManifestLocation,
): { ok: true; manifest: Manifest } | { ok: false; issues: Issue[] } {
  return new ManifestBuilder(raw, locateKey).build(file);
}

class ManifestBuilder {
  private readonly issues: Issue[] = [];
  /** By normalised key, in declaration order. */
  private readonly tables = new Map<string, DraftTable>();
  private searchPath: readonly string[] = [];

  constructor(
    private readonly raw: RawManifest,
    private readonly locateKey: (path: KeyPath) => ManifestLocation,
  ) {}

  build(file: string | undefined): { ok: true; manifest: Manifest } | { ok: false; issues: Issue[] } {
    const { raw } = this;
    this.searchPath = raw.search_path.flatMap((text, i) => this.identifier(text, ['search_path', i], 'schema name') ?? []);
    for (const [written, table] of Object.entries(raw.tables)) this.declareTable(written, table);
    const collocations = this.collocations();
    const groups = this.collocationGroups(collocations);
    const immutable = raw.functions.immutable.flatMap((text, i) => this.functionName(text, ['functions', 'immutable', i]) ?? []);
    const distributed = raw.functions.distributed.flatMap((fn, i) => this.distributedFunction(fn, i) ?? []);
    if (this.issues.length > 0) return { ok: false, issues: this.issues };

    const tables = new Map<string, TableInfo>();
    for (const table of this.tables.values()) {
      const collocateWith = collocations.get(table.key);
      const group = groups.get(table.key);
      tables.set(table.key, {
        key: table.key,
        schema: table.schema,
        name: table.name,
        mode: table.raw.mode,
        shardKey: table.shardKey ?? [],
        ...(collocateWith !== undefined && { collocateWith }),
        ...(group !== undefined && { collocationGroup: group }),
        sequenceColumns: table.sequenceColumns,
        ...(table.columns !== undefined && { columns: table.columns }),
        declaredAt: this.locateKey(['tables', table.written]),
      });
    }
    return {
      ok: true,
      manifest: {
        ...(file !== undefined && { file }),
        shards: raw.shards,
        searchPath: this.searchPath,
        tables,
        unknownTables: raw.unknown_tables,
        functions: { immutable, distributed },
        rules: Object.fromEntries(Object.entries(raw.rules).map(([id, value]) => [id, toRuleConfig(value)])),
        embeddedSql: { tags: raw.embedded_sql.tags, calls: raw.embedded_sql.calls },
        include: raw.include,
        exclude: raw.exclude,
      },
    };
  }

  private declareTable(written: string, table: RawTable): void {
    const path = ['tables', written];
    const name = parseQualifiedName(written, this.searchPath);
    if (!name) {
      this.report(path, 'key', `\`${written}\` is not a valid table name: write \`name\` or \`schema.name\`; ${NAME_HINT}`);
      return;
    }
    const key = tableKey(name.schema, name.name);
    const first = this.tables.get(key);
    if (first) {
      const line = this.locateKey(['tables', first.written]).line;
      this.report(path, 'key', `\`${written}\` names the same table as \`${first.written}\` (line ${line}): \`${key}\``);
      return;
    }
    const sharded = table.mode === 'sharded';
    if (sharded && table.shard_key === undefined) this.report([...path, 'shard_key'], 'key', 'a sharded table needs a `shard_key`');
    for (const property of ['shard_key', 'collocate_with'] as const) {
      if (!sharded && table[property] !== undefined) {
        this.report([...path, property], 'key', `\`${property}\` is only allowed on sharded tables, not on a ${table.mode} table`);
      }
    }
    this.tables.set(key, {
      written,
      key,
      ...name,
      raw: table,
      shardKey: !sharded ? [] : table.shard_key === undefined ? undefined : this.names(table.shard_key, [...path, 'shard_key'], 'column name'),
      sequenceColumns: this.names(table.sequence_columns, [...path, 'sequence_columns'], 'column name') ?? [],
      columns: table.columns === undefined ? undefined : this.columnTypes(table.columns, [...path, 'columns']),
    });
  }

  /** Resolves each sharded table's `collocate_with`: table key → key of the table it names. */
  private collocations(): Map<string, string> {
    const collocations = new Map<string, string>();
    for (const table of this.tables.values()) {
      if (table.raw.mode !== 'sharded' || table.raw.collocate_with === undefined) continue;
      const path = ['tables', table.written, 'collocate_with'];
      const target = this.shardedTable(table.raw.collocate_with, path);
      if (!target) continue;
      if (target.shardKey && table.shardKey && target.shardKey.length !== table.shardKey.length) {
        this.report(
          path,
          'value',
          `\`${table.written}\` has ${count(table.shardKey, 'shard-key column')} but \`${target.written}\` has ` +
            `${count(target.shardKey, 'shard-key column')}; ` +
            'collocated tables need shard keys with the same number of columns',
        );
        continue;
      }
      collocations.set(table.key, target.key);
    }
    return collocations;
  }

  /**
   * Follows `collocate_with` chains to their root, the table that names no other: the key of the
   * collocation group. Reports each cycle once, at its first-declared member.
   */
  private collocationGroups(collocations: ReadonlyMap<string, string>): Map<string, string> {
    const groups = new Map<string, string>();
    const inReportedCycle = new Set<string>();
    for (const table of this.tables.values()) {
      if (table.raw.mode !== 'sharded') continue;
      const chain = [table.key];
      for (let next = collocations.get(table.key); next !== undefined; next = collocations.get(next)) {
        const start = chain.indexOf(next);
        if (start >= 0) {
          const cycle = chain.slice(start);
          if (!cycle.some((key) => inReportedCycle.has(key))) this.reportCycle(cycle);
          for (const key of cycle) inReportedCycle.add(key);
          break;
        }
        chain.push(next);
      }
      groups.set(table.key, chain[chain.length - 1] as string);
    }
    return groups;
  }

  private reportCycle(cycle: readonly string[]): void {
    const first = [...this.tables.values()].find((table) => cycle.includes(table.key)) as DraftTable;
    const at = cycle.indexOf(first.key);
    const members = [...cycle.slice(at), ...cycle.slice(0, at), first.key].map((key) => `\`${this.tables.get(key)?.written}\``);
    this.report(['tables', first.written, 'collocate_with'], 'value', `collocation cycle: ${members.join(' → ')}`);
  }

  /** The sharded table a `collocate_with` names, or `undefined` after reporting why there is none. */
  private shardedTable(text: string, path: KeyPath): DraftTable | undefined {
    const name = parseQualifiedName(text, this.searchPath);
    if (!name) {
      this.report(path, 'value', `\`${text}\` is not a valid table name: write \`name\` or \`schema.name\`; ${NAME_HINT}`);
      return undefined;
    }
    const target = this.tables.get(tableKey(name.schema, name.name));
    if (!target) {
      const sameSchema = [...this.tables.values()].filter((table) => table.schema === name.schema);
      const match = closestMatch(name.name, sameSchema.map((table) => table.name));
      const suggestion = sameSchema.find((table) => table.name === match)?.written;
      this.report(path, 'value', `no table \`${text}\` in the manifest`, suggestion);
      return undefined;
    }
    if (target.raw.mode !== 'sharded') {
      this.report(path, 'value', `\`${target.written}\` is a ${target.raw.mode} table; collocation needs a sharded table`);
      return undefined;
    }
    return target;
  }

  private distributedFunction(fn: RawDistributedFunction, index: number): DistributedFunction | undefined {
    const path = ['functions', 'distributed', index];
    const name = this.functionName(fn.name, [...path, 'name']);
    const shardKeyArgs = this.names(fn.shard_key_args, [...path, 'shard_key_args'], 'argument name');
    const target = fn.collocate_with === undefined ? undefined : this.shardedTable(fn.collocate_with, [...path, 'collocate_with']);
    if (target?.shardKey && shardKeyArgs && target.shardKey.length !== shardKeyArgs.length) {
      this.report(
        [...path, 'shard_key_args'],
        'value',
        `${count(shardKeyArgs, 'shard-key argument')} but \`${target.written}\` has ${count(target.shardKey, 'shard-key column')}; ` +
          'a distributed function needs one argument per shard-key column of its collocated table',
      );
    }
    if (name === undefined || shardKeyArgs === undefined) return undefined;
    return { name, shardKeyArgs, ...(target && { collocateWith: target.key }) };
  }

  /** A function name, `name` or `schema.name`, normalised. */
  private functionName(text: string, path: KeyPath): string | undefined {
    const parts = parseIdentifierChain(text);
    if (parts && parts.length <= 2) return parts.join('.');
    this.report(path, 'value', `\`${text}\` is not a valid function name: ${NAME_HINT}`);
    return undefined;
  }

  /** Normalised single identifiers (columns, arguments); `undefined` if any is invalid or repeated. */
  /** `columns: { account_id: bigint }`: normalised column name → type name (`int8` read as `bigint`). */
  private columnTypes(columns: Readonly<Record<string, string>>, path: KeyPath): ReadonlyMap<string, string> {
    const types = new Map<string, string>();
    for (const [written, type] of Object.entries(columns)) {
      const name = this.identifier(written, [...path, written], 'column name');
      if (name === undefined) continue;
      if (types.has(name)) this.report([...path, written], 'key', `\`${name}\` is listed twice`);
      types.set(name, canonicalType(type));
    }
    return types;
  }

  private names(value: string | readonly string[], path: KeyPath, what: string): string[] | undefined {
    const list = typeof value === 'string' ? [value] : value;
    const names: string[] = [];
    let valid = true;
    for (const [i, text] of list.entries()) {
      const at = typeof value === 'string' ? path : [...path, i];
      const name = this.identifier(text, at, what);
      if (name === undefined) {
        valid = false;
      } else if (names.includes(name)) {
        this.report(at, 'value', `\`${name}\` is listed twice`);
        valid = false;
      } else {
        names.push(name);
      }
    }
    return valid ? names : undefined;
  }

  private identifier(text: string, path: KeyPath, what: string): string | undefined {
    const parts = parseIdentifierChain(text);
    if (parts?.length === 1) return parts[0];
    this.report(path, 'value', `\`${text}\` is not a valid ${what}: ${NAME_HINT}`);
    return undefined;
  }

  private report(path: KeyPath, at: 'key' | 'value', message: string, suggestion?: string): void {
    this.issues.push({ path, at, message, suggestion });
  }
}

const NAME_HINT = 'double-quote names that contain characters other than letters, digits, `_` and `$`';

/** `1 shard-key column`, `2 shard-key columns`. */
function count(items: readonly unknown[], noun: string): string {
  return `${items.length} ${noun}${items.length === 1 ? '' : 's'}`;
}

function toRuleConfig(value: RuleLevel | RawRuleObject): RuleConfig {
  if (typeof value === 'string') return { level: value, options: {} };
  const { level, ...options } = value;
  return { level, options };
}
