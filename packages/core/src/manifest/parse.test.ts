import { describe, expect, it } from 'vitest';
import { parseManifest } from './parse.js';
import type { Manifest, ManifestProblem } from './types.js';

function manifestOf(text: string): Manifest {
  const result = parseManifest(text);
  if (!result.ok) throw new Error(`unexpected problems: ${JSON.stringify(result.problems)}`);
  return result.manifest;
}

function problemsOf(text: string, file?: string): ManifestProblem[] {
  const result = parseManifest(text, file);
  if (result.ok) throw new Error('expected problems, got a manifest');
  return result.problems;
}

const SKETCH = `shards: 16                      # shard count, for fan-out and cost figures
search_path: [public]
tables:
  accounts:      { mode: sharded, shard_key: [account_id] }
  transactions:  { mode: sharded, shard_key: [account_id], collocate_with: accounts,
                   sequence_columns: [transaction_id] }
  currencies:    { mode: reference }
  audit_log:     { mode: standard }
unknown_tables: warn            # what a table missing from the manifest gets
functions:
  distributed: [{ name: credit, shard_key_args: [p_account_id], collocate_with: accounts }]
  immutable: [my_hash]
rules:
  no-session-pinning: error
  no-sequence-ordering: warn
embedded_sql:                   # how SQL is found in TypeScript
  tags: [sql, SQL]
  calls: ["*.query", "*.execute"]
`;

describe('parseManifest: valid manifests', () => {
  it('reads the design sketch', () => {
    const manifest = manifestOf(SKETCH);
    expect(manifest.shards).toBe(16);
    expect(manifest.searchPath).toEqual(['public']);
    expect([...manifest.tables.keys()]).toEqual(['public.accounts', 'public.transactions', 'public.currencies', 'public.audit_log']);
    expect(manifest.tables.get('public.transactions')).toEqual({
      key: 'public.transactions',
      schema: 'public',
      name: 'transactions',
      mode: 'sharded',
      shardKey: ['account_id'],
      collocateWith: 'public.accounts',
      collocationGroup: 'public.accounts',
      sequenceColumns: ['transaction_id'],
      declaredAt: { line: 5, column: 3 },
    });
    expect(manifest.tables.get('public.currencies')).toEqual({
      key: 'public.currencies',
      schema: 'public',
      name: 'currencies',
      mode: 'reference',
      shardKey: [],
      sequenceColumns: [],
      declaredAt: { line: 7, column: 3 },
    });
    expect(manifest.unknownTables).toBe('warn');
    expect(manifest.functions).toEqual({
      immutable: ['my_hash'],
      distributed: [{ name: 'credit', shardKeyArgs: ['p_account_id'], collocateWith: 'public.accounts' }],
    });
    expect(manifest.rules).toEqual({
      'no-session-pinning': { level: 'error', options: {} },
      'no-sequence-ordering': { level: 'warn', options: {} },
    });
    expect(manifest.embeddedSql).toEqual({ tags: ['sql', 'SQL'], calls: ['*.query', '*.execute'] });
  });

  it('fills in defaults', () => {
    const manifest = manifestOf('tables: {}\n');
    expect(manifest).toEqual({
      shards: 16,
      searchPath: ['public'],
      tables: new Map(),
      unknownTables: 'warn',
      functions: { immutable: [], distributed: [] },
      rules: {},
      embeddedSql: { tags: ['sql', 'SQL'], calls: ['*.query'] },
      include: [],
      exclude: [],
    });
  });

  it('fills in defaults of nested mappings that are present', () => {
    const manifest = manifestOf('functions: { immutable: [f] }\nembedded_sql: { tags: [q] }\n');
    expect(manifest.functions).toEqual({ immutable: ['f'], distributed: [] });
    expect(manifest.embeddedSql).toEqual({ tags: ['q'], calls: ['*.query'] });
  });

  it('normalises names and puts unqualified tables in the first search_path schema', () => {
    const manifest = manifestOf(`search_path: [App, public]
tables:
  Users: { mode: sharded, shard_key: [User_Id, '"TenantId"'], sequence_columns: ['"Seq"', Other] }
  '"Billing"."Invoices"': { mode: sharded, shard_key: [user_id, "tenantid"], collocate_with: users }
  public.Countries: { mode: reference }
functions:
  immutable: [Util.My_Hash, '"Exact"']
`);
    expect(manifest.searchPath).toEqual(['app', 'public']);
    expect([...manifest.tables.keys()]).toEqual(['app.users', 'Billing.Invoices', 'public.countries']);
    expect(manifest.tables.get('app.users')).toMatchObject({ shardKey: ['user_id', 'TenantId'], sequenceColumns: ['Seq', 'other'] });
    expect(manifest.tables.get('Billing.Invoices')).toMatchObject({ schema: 'Billing', name: 'Invoices', collocateWith: 'app.users' });
    expect(manifest.functions.immutable).toEqual(['util.my_hash', 'Exact']);
  });

  it('accepts a shard key written as a single string', () => {
    expect(manifestOf('tables:\n  t: { mode: sharded, shard_key: Id }\n').tables.get('public.t')?.shardKey).toEqual(['id']);
  });

  it('gives every table of a collocate_with chain the root as its collocation group', () => {
    const manifest = manifestOf(`tables:
  line_items: { mode: sharded, shard_key: [customer_id], collocate_with: orders }
  orders:     { mode: sharded, shard_key: [customer_id], collocate_with: customers }
  customers:  { mode: sharded, shard_key: [customer_id] }
  events:     { mode: sharded, shard_key: [event_id] }
  countries:  { mode: reference }
`);
    const group = (name: string) => manifest.tables.get(`public.${name}`)?.collocationGroup;
    expect(group('line_items')).toBe('public.customers');
    expect(group('orders')).toBe('public.customers');
    expect(group('customers')).toBe('public.customers');
    expect(group('events')).toBe('public.events');
    expect(group('countries')).toBeUndefined();
  });

  it('splits a rule object into level and options', () => {
    const manifest = manifestOf('rules:\n  no-unsupported-feature: { level: error, allow: [merge] }\n  no-hot-shard-key: off\n');
    expect(manifest.rules).toEqual({
      'no-unsupported-feature': { level: 'error', options: { allow: ['merge'] } },
      'no-hot-shard-key': { level: 'off', options: {} },
    });
  });

  it('reads `off` and `no` as strings (YAML 1.2)', () => {
    expect(manifestOf('unknown_tables: off\n').unknownTables).toBe('off');
  });

  it('records the file in the manifest and in table locations', () => {
    const manifest = parseManifest('tables:\n  t: { mode: standard }\n', '/repo/limitless.yaml');
    expect(manifest).toMatchObject({
      ok: true,
      manifest: { file: '/repo/limitless.yaml', tables: new Map([['public.t', expect.objectContaining({ declaredAt: { file: '/repo/limitless.yaml', line: 2, column: 3 } })]]) },
    });
  });

  it('accepts a byte-order mark', () => {
    expect(manifestOf('\ufeffshards: 4\n').shards).toBe(4);
  });
});

interface MistakeCase {
  readonly name: string;
  readonly yaml: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
  readonly suggestion?: string;
}

const MISTAKES: readonly MistakeCase[] = [
  {
    name: 'YAML syntax error',
    yaml: 'tables:\n  accounts: { mode: sharded\n  currencies: { mode: reference }\n',
    line: 3,
    column: 3,
    path: '',
    message: 'Flow map in block collection must be sufficiently indented and end with a }',
  },
  {
    name: 'YAML duplicate key',
    yaml: 'shards: 4\nshards: 8\n',
    line: 2,
    column: 1,
    path: '',
    message: 'Map keys must be unique',
  },
  {
    name: 'several YAML documents',
    yaml: 'shards: 4\n---\nshards: 8\n',
    line: 2,
    column: 1,
    path: '',
    message: 'a manifest is one YAML document',
  },
  {
    name: 'unknown top-level key',
    yaml: 'shard: 16\n',
    line: 1,
    column: 1,
    path: 'shard',
    message: 'unknown key `shard`',
    suggestion: 'shards',
  },
  {
    name: 'unknown top-level key, nothing close',
    yaml: 'tables: {}\ndatabase: main\n',
    line: 2,
    column: 1,
    path: 'database',
    message: 'unknown key `database`',
  },
  {
    name: 'typo in a table property',
    yaml: 'tables:\n  transactions:\n    mode: sharded\n    shard_keys: [account_id]\n',
    line: 4,
    column: 5,
    path: 'tables.transactions.shard_keys',
    message: 'unknown key `shard_keys`',
    suggestion: 'shard_key',
  },
  {
    name: 'typo in the required mode key',
    yaml: 'tables:\n  accounts: { mood: reference }\n',
    line: 2,
    column: 15,
    path: 'tables.accounts.mood',
    message: 'unknown key `mood`',
    suggestion: 'mode',
  },
  {
    name: 'mode missing',
    yaml: 'tables:\n  accounts: {}\n',
    line: 2,
    column: 3,
    path: 'tables.accounts.mode',
    message: 'missing required key `mode`',
  },
  {
    name: 'bad mode value',
    yaml: 'tables:\n  accounts:\n    mode: shareded\n    shard_key: [account_id]\n',
    line: 3,
    column: 11,
    path: 'tables.accounts.mode',
    message: '`shareded` is not one of `sharded`, `reference`, `standard`',
    suggestion: 'sharded',
  },
  {
    name: 'mode left empty',
    yaml: 'tables:\n  accounts:\n    mode:\n',
    line: 3,
    column: 5,
    path: 'tables.accounts.mode',
    message: 'must be one of `sharded`, `reference`, `standard`, got an empty value',
  },
  {
    name: 'table without properties',
    yaml: 'tables:\n  accounts:\n',
    line: 2,
    column: 3,
    path: 'tables.accounts',
    message: 'must be a mapping, got an empty value',
  },
  {
    name: 'shard_key missing on a sharded table',
    yaml: 'tables:\n  accounts: { mode: sharded }\n',
    line: 2,
    column: 3,
    path: 'tables.accounts.shard_key',
    message: 'a sharded table needs a `shard_key`',
  },
  {
    name: 'shard_key an empty list',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: [] }\n',
    line: 2,
    column: 41,
    path: 'tables.accounts.shard_key',
    message: 'must not be empty',
  },
  {
    name: 'shard_key with an empty column name',
    yaml: 'tables:\n  accounts:\n    mode: sharded\n    shard_key: [account_id, ""]\n',
    line: 4,
    column: 29,
    path: 'tables.accounts.shard_key[1]',
    message: 'must not be empty',
  },
  {
    name: 'shard_key not a string or list',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: 42 }\n',
    line: 2,
    column: 41,
    path: 'tables.accounts.shard_key',
    message: 'must be a string or a list, got the number `42`',
  },
  {
    name: 'shard_key column listed twice after normalisation',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: [Tenant, tenant] }\n',
    line: 2,
    column: 50,
    path: 'tables.accounts.shard_key[1]',
    message: '`tenant` is listed twice',
  },
  {
    name: 'shard_key column not an identifier',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: [account id] }\n',
    line: 2,
    column: 42,
    path: 'tables.accounts.shard_key[0]',
    message: '`account id` is not a valid column name',
  },
  {
    name: 'shard_key on a reference table',
    yaml: 'tables:\n  currencies:\n    mode: reference\n    shard_key: [code]\n',
    line: 4,
    column: 5,
    path: 'tables.currencies.shard_key',
    message: '`shard_key` is only allowed on sharded tables, not on a reference table',
  },
  {
    name: 'collocate_with on a standard table',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: id }\n  audit: { mode: standard, collocate_with: accounts }\n',
    line: 3,
    column: 28,
    path: 'tables.audit.collocate_with',
    message: '`collocate_with` is only allowed on sharded tables, not on a standard table',
  },
  {
    name: 'collocate_with an unknown table',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: id }\n  transactions: { mode: sharded, shard_key: id, collocate_with: acounts }\n',
    line: 3,
    column: 65,
    path: 'tables.transactions.collocate_with',
    message: 'no table `acounts` in the manifest',
    suggestion: 'accounts',
  },
  {
    name: 'collocate_with a reference table',
    yaml: 'tables:\n  currencies: { mode: reference }\n  prices: { mode: sharded, shard_key: id, collocate_with: currencies }\n',
    line: 3,
    column: 59,
    path: 'tables.prices.collocate_with',
    message: '`currencies` is a reference table; collocation needs a sharded table',
  },
  {
    name: 'collocate_with a table with another number of shard-key columns',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: [tenant, id] }\n  transactions: { mode: sharded, shard_key: tenant, collocate_with: accounts }\n',
    line: 3,
    column: 69,
    path: 'tables.transactions.collocate_with',
    message: '`transactions` has 1 shard-key column but `accounts` has 2 shard-key columns',
  },
  {
    name: 'collocation cycle',
    yaml: 'tables:\n  a: { mode: sharded, shard_key: id, collocate_with: c }\n  b: { mode: sharded, shard_key: id, collocate_with: a }\n  c: { mode: sharded, shard_key: id, collocate_with: b }\n',
    line: 2,
    column: 54,
    path: 'tables.a.collocate_with',
    message: 'collocation cycle: `a` → `c` → `b` → `a`',
  },
  {
    name: 'table collocated with itself',
    yaml: 'tables:\n  a: { mode: sharded, shard_key: id, collocate_with: public.A }\n',
    line: 2,
    column: 54,
    path: 'tables.a.collocate_with',
    message: 'collocation cycle: `a` → `a`',
  },
  {
    name: 'two table keys that normalise to the same name',
    yaml: 'tables:\n  accounts: { mode: standard }\n  Accounts: { mode: standard }\n',
    line: 3,
    column: 3,
    path: 'tables.Accounts',
    message: '`Accounts` names the same table as `accounts` (line 2): `public.accounts`',
  },
  {
    name: 'a qualified and an unqualified key for the same table',
    yaml: 'tables:\n  public.accounts: { mode: standard }\n  accounts: { mode: standard }\n',
    line: 3,
    column: 3,
    path: 'tables.accounts',
    message: '`accounts` names the same table as `public.accounts` (line 2)',
  },
  {
    name: 'table name with three parts',
    yaml: 'tables:\n  db.billing.accounts: { mode: standard }\n',
    line: 2,
    column: 3,
    path: 'tables.db.billing.accounts',
    message: '`db.billing.accounts` is not a valid table name: write `name` or `schema.name`',
  },
  {
    name: 'shards zero',
    yaml: 'shards: 0\n',
    line: 1,
    column: 9,
    path: 'shards',
    message: 'must be at least 1, got `0`',
  },
  {
    name: 'shards not an integer',
    yaml: 'shards: 2.5\n',
    line: 1,
    column: 9,
    path: 'shards',
    message: 'must be an integer, got the number `2.5`',
  },
  {
    name: 'shards a string',
    yaml: 'shards: "16"\n',
    line: 1,
    column: 9,
    path: 'shards',
    message: 'must be an integer, got the string `16`',
  },
  {
    name: 'bad rule level',
    yaml: 'rules:\n  no-session-pinning: warning\n',
    line: 2,
    column: 23,
    path: 'rules.no-session-pinning',
    message: '`warning` is not one of `off`, `info`, `warn`, `error`',
    suggestion: 'warn',
  },
  {
    name: 'bad rule level inside a rule object',
    yaml: 'rules:\n  no-scatter: { level: eror, max: 2 }\n',
    line: 2,
    column: 24,
    path: 'rules.no-scatter.level',
    message: '`eror` is not one of `off`, `info`, `warn`, `error`',
    suggestion: 'error',
  },
  {
    name: 'rule object without a level',
    yaml: 'rules:\n  no-scatter: { max: 2 }\n',
    line: 2,
    column: 3,
    path: 'rules.no-scatter.level',
    message: 'missing required key `level`',
  },
  {
    name: 'rule value neither a level nor a mapping',
    yaml: 'rules:\n  no-scatter: [error]\n',
    line: 2,
    column: 15,
    path: 'rules.no-scatter',
    message: 'must be a string or a mapping, got a list',
  },
  {
    name: 'bad unknown_tables',
    yaml: 'unknown_tables: errors\n',
    line: 1,
    column: 17,
    path: 'unknown_tables',
    message: '`errors` is not one of `off`, `info`, `warn`, `error`',
    suggestion: 'error',
  },
  {
    name: 'search_path empty',
    yaml: 'search_path: []\n',
    line: 1,
    column: 14,
    path: 'search_path',
    message: 'must not be empty',
  },
  {
    name: 'typo in a distributed function',
    yaml: 'functions:\n  distributed:\n    - { name: credit, shard_key_arg: [p_id] }\n',
    line: 3,
    column: 23,
    path: 'functions.distributed[0].shard_key_arg',
    message: 'unknown key `shard_key_arg`',
    suggestion: 'shard_key_args',
  },
  {
    name: 'distributed function collocated with an unknown table',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: id }\nfunctions:\n  distributed:\n    - { name: credit, shard_key_args: [p_id], collocate_with: acount }\n',
    line: 5,
    column: 63,
    path: 'functions.distributed[0].collocate_with',
    message: 'no table `acount` in the manifest',
    suggestion: 'accounts',
  },
  {
    name: 'distributed function with too few shard-key arguments',
    yaml: 'tables:\n  accounts: { mode: sharded, shard_key: [tenant, id] }\nfunctions:\n  distributed:\n    - { name: credit, shard_key_args: [p_id], collocate_with: accounts }\n',
    line: 5,
    column: 39,
    path: 'functions.distributed[0].shard_key_args',
    message: '1 shard-key argument but `accounts` has 2 shard-key columns',
  },
  {
    name: 'empty file',
    yaml: '',
    line: 1,
    column: 1,
    path: '',
    message: 'manifest is empty',
  },
  {
    name: 'file with only comments',
    yaml: '# limitless.yaml\n\n# nothing yet\n',
    line: 1,
    column: 1,
    path: '',
    message: 'manifest is empty',
  },
  {
    name: 'top level a list',
    yaml: '# tables\n- accounts\n- transactions\n',
    line: 2,
    column: 1,
    path: '',
    message: 'manifest must be a mapping of keys such as `shards` and `tables`, not a list',
  },
  {
    name: 'top level a scalar',
    yaml: 'accounts\n',
    line: 1,
    column: 1,
    path: '',
    message: 'manifest must be a mapping of keys such as `shards` and `tables`, not a single value',
  },
  {
    name: 'unknown rule id',
    yaml: 'rules:\n  no-sesion-pinning: error\n',
    line: 2,
    column: 3,
    path: 'rules.no-sesion-pinning',
    message: 'unknown rule `no-sesion-pinning`',
    suggestion: 'no-session-pinning',
  },
  {
    name: 'unknown rule option',
    yaml: 'rules:\n  no-session-pinning: { level: warn, setlocal: true }\n',
    line: 2,
    column: 38,
    path: 'rules.no-session-pinning.setlocal',
    message: 'unknown option `setlocal` of rule `no-session-pinning` (its options: `setLocal`, `ignoreVariables`',
    suggestion: 'setLocal',
  },
  {
    name: 'option of a rule that has none',
    yaml: 'rules:\n  parse-error:\n    level: warn\n    allow: [x]\n',
    line: 4,
    column: 5,
    path: 'rules.parse-error.allow',
    message: 'unknown option `allow`: rule `parse-error` has no options, only `level`',
  },
  {
    name: 'boolean option given a string',
    yaml: 'rules:\n  no-session-pinning: { level: warn, setLocal: "yes" }\n',
    line: 2,
    column: 48,
    path: 'rules.no-session-pinning.setLocal',
    message: 'must be true or false, got the string `yes`',
  },
  {
    name: 'list option given a string',
    yaml: 'rules:\n  no-unsupported-feature: { level: warn, allow: merge }\n',
    line: 2,
    column: 49,
    path: 'rules.no-unsupported-feature.allow',
    message: 'must be a list of strings, got the string `merge`',
  },
  {
    name: 'list option with a number in it',
    yaml: 'rules:\n  no-unsupported-feature: { level: warn, allow: [merge, 3] }\n',
    line: 2,
    column: 49,
    path: 'rules.no-unsupported-feature.allow',
    message: 'must be a list of strings, got a list',
  },
  {
    name: 'unknown YAML tag',
    yaml: 'shards: !shards 4\n',
    line: 1,
    column: 9,
    path: '',
    message: 'unknown YAML tag: !shards: a manifest uses plain YAML values; remove the tag',
  },
  {
    name: 'unknown verbatim YAML tag',
    yaml: 'tables:\n  t: { mode: !<tag:example.com,2026:mode> sharded, shard_key: id }\n',
    line: 2,
    column: 14,
    path: '',
    message: 'unknown YAML tag: tag:example.com,2026:mode',
  },
  {
    name: 'shard count beyond any shard group',
    yaml: 'shards: 99999999999999999999999\n',
    line: 1,
    column: 9,
    path: 'shards',
    message: 'must be between 1 and 65536, got `1e+23`',
  },
  {
    name: 'duplicate table among many',
    yaml: 'tables:\n  a: { mode: standard }\n  b: { mode: standard }\n  a: { mode: reference }\n',
    line: 4,
    column: 3,
    path: '',
    message: 'Map keys must be unique: `a` is repeated',
  },
  {
    name: 'alias to a missing anchor',
    yaml: 'tables: *all\n',
    line: 1,
    column: 1,
    path: '',
    message: 'Unresolved alias',
  },
];

describe('parseManifest: one problem per mistake', () => {
  it.each(MISTAKES)('$name', ({ yaml, line, column, path, message, suggestion }) => {
    const problems = problemsOf(yaml);
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem).toMatchObject({ line, column, path });
    expect(problem?.message).toContain(message);
    expect(problem?.suggestion).toBe(suggestion);
  });
});

describe('parseManifest: several problems', () => {
  it('reports all of them, sorted by position, each with the file', () => {
    const problems = problemsOf(
      `tables:
  transactions: { mode: sharded, shard_key: id, collocate_with: acounts }
  accounts: { mode: sharded }
  currencies: { mode: reference, shard_key: code }
`,
      'limitless.yaml',
    );
    expect(problems.map(({ file, line, column, path }) => ({ file, line, column, path }))).toEqual([
      { file: 'limitless.yaml', line: 2, column: 65, path: 'tables.transactions.collocate_with' },
      { file: 'limitless.yaml', line: 3, column: 3, path: 'tables.accounts.shard_key' },
      { file: 'limitless.yaml', line: 4, column: 34, path: 'tables.currencies.shard_key' },
    ]);
  });

  it('reports every schema violation at once', () => {
    const problems = problemsOf('shards: -1\nunknown_tables: loud\nexclud: []\n');
    expect(problems.map((p) => p.path)).toEqual(['shards', 'unknown_tables', 'exclud']);
    expect(problems[2]?.suggestion).toBe('exclude');
  });

  it('reports a cycle once, not once per member or per table leading into it', () => {
    const problems = problemsOf(`tables:
  feeder: { mode: sharded, shard_key: id, collocate_with: a }
  a: { mode: sharded, shard_key: id, collocate_with: b }
  b: { mode: sharded, shard_key: id, collocate_with: a }
`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ line: 3, path: 'tables.a.collocate_with', message: 'collocation cycle: `a` → `b` → `a`' });
  });
});

describe('parseManifest: size', () => {
  // Locating keys and checking duplicate keys scanned a mapping once per key: 16,000 tables took 32 s
  // on the shared CI machine, 92,000 tables (10 MB) 13.5 minutes. Linear now (16,000: about 4 s there).
  it('loads a manifest of 20,000 tables in linear time', () => {
    const lines = ['shards: 16', 'tables:'];
    for (let i = 0; i < 20_000; i++) {
      lines.push(
        i % 2 === 0
          ? `  t${i}: { mode: sharded, shard_key: [account_id] }`
          : `  t${i}: { mode: sharded, shard_key: [account_id], collocate_with: t${i - 1} }`,
      );
    }
    const manifest = manifestOf(`${lines.join('\n')}\n`);
    expect(manifest.tables.size).toBe(20_000);
    expect(manifest.tables.get('public.t19999')).toMatchObject({ collocationGroup: 'public.t19998', declaredAt: { line: 20_002, column: 3 } });
  }, 30_000);
});

describe('parseManifest: never throws', () => {
  it.each(['{', ':::', '[1, 2', '"', 'a: &x [*x]', 'a: !!binary zz', '? [a]\n: b\n', 'tables:\n  ? [a]\n  : { mode: standard }\n'])(
    '%j',
    (text) => {
      expect(() => parseManifest(text)).not.toThrow();
    },
  );
});

describe('parseManifest: column types', () => {
  it('reads columns: as normalised names and PostgreSQL type names', () => {
    const result = parseManifest('tables:\n  t: { mode: sharded, shard_key: [Id], columns: { Id: INT8, "Name": varchar(20), tags: "text[]" } }\n');
    expect(result.ok && [...(result.manifest.tables.get('public.t')?.columns ?? [])]).toEqual([
      ['id', 'bigint'],
      ['name', 'character varying'],
      ['tags', 'text[]'],
    ]);
  });

  it('rejects a type that is not a string', () => {
    const result = parseManifest('tables:\n  t: { mode: standard, columns: { id: 5 } }\n');
    expect(result.ok).toBe(false);
  });

  it('leaves columns out when the manifest gives none', () => {
    const result = parseManifest('tables:\n  t: { mode: standard }\n');
    expect(result.ok && result.manifest.tables.get('public.t')?.columns).toBeUndefined();
  });
});
