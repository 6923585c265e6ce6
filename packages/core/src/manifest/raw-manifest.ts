import type { RuleLevel } from '../diagnostic.js';
import type { TableMode } from './types.js';

/** `limitless.yaml` as the JSON Schema guarantees it once defaults are filled: names not yet normalised. */
export interface RawManifest {
  readonly shards: number;
  readonly search_path: readonly string[];
  readonly tables: Readonly<Record<string, RawTable>>;
  readonly unknown_tables: RuleLevel;
  readonly functions: {
    readonly immutable: readonly string[];
    readonly distributed: readonly RawDistributedFunction[];
  };
  readonly rules: Readonly<Record<string, RuleLevel | RawRuleObject>>;
  readonly embedded_sql: { readonly tags: readonly string[]; readonly calls: readonly string[] };
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export interface RawTable {
  readonly mode: TableMode;
  readonly shard_key?: string | readonly string[];
  readonly collocate_with?: string;
  readonly sequence_columns: readonly string[];
  readonly columns?: Readonly<Record<string, string>>;
}

export interface RawDistributedFunction {
  readonly name: string;
  readonly shard_key_args: readonly string[];
  readonly collocate_with?: string;
}

export interface RawRuleObject {
  readonly level: RuleLevel;
  readonly [option: string]: unknown;
}
