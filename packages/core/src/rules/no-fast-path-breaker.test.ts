import { beforeAll, describe, expect, it } from 'vitest';
import { lint, testManifest } from '../../test/rule-tester.js';
import { analyzeSql } from '../analyze.js';
import { parseManifest } from '../manifest/parse.js';
import { loadParser } from '../sql/parser.js';

beforeAll(() => loadParser());

const ruleId = 'no-fast-path-breaker';

describe(ruleId, () => {
  const invalid: { sql: string; manifest?: string; errors: { messageId: string; line: number; column: number; endColumn: number }[] }[] = [
    {
      sql: "SELECT transaction_id, amount FROM transactions WHERE account_id = $1 AND created_at > now() - interval '1 day'",
      errors: [{ messageId: 'nonImmutableFunction', line: 1, column: 88, endColumn: 91 }],
    },
    {
      sql: "SELECT transaction_id, amount\nFROM transactions\nWHERE account_id = $1\n  AND created_at > now() - interval '1 day'",
      errors: [{ messageId: 'nonImmutableFunction', line: 4, column: 20, endColumn: 23 }],
    },
    {
      sql: "SELECT * FROM transactions WHERE account_id = $1 AND created_at > CURRENT_TIMESTAMP - interval '1 day'",
      errors: [{ messageId: 'nonImmutableFunction', line: 1, column: 67, endColumn: 84 }],
    },
    {
      sql: 'SELECT random(), pg_catalog.now() FROM accounts WHERE account_id = 1',
      errors: [
        { messageId: 'nonImmutableFunction', line: 1, column: 8, endColumn: 14 },
        { messageId: 'nonImmutableFunction', line: 1, column: 18, endColumn: 32 },
      ],
    },
    // date_part(text, timestamptz) is STABLE, date_part(text, timestamp) IMMUTABLE: without types, not immutable.
    { sql: "SELECT date_part('year', created_at) FROM transactions WHERE account_id = $1", errors: [{ messageId: 'nonImmutableFunction', line: 1, column: 8, endColumn: 17 }] },
    { sql: 'SELECT my_score(owner_name) FROM accounts WHERE account_id = $1', errors: [{ messageId: 'nonImmutableFunction', line: 1, column: 8, endColumn: 16 }] },
    { sql: 'UPDATE transactions SET created_at = now() WHERE account_id = $1 AND transaction_id = $2', errors: [{ messageId: 'nonImmutableFunction', line: 1, column: 38, endColumn: 41 }] },
    {
      sql: "INSERT INTO payment_methods (account_id, payment_method_id, kind) VALUES ($1, gen_random_uuid(), 'card')",
      errors: [{ messageId: 'nonImmutableFunction', line: 1, column: 79, endColumn: 94 }],
    },
    {
      sql: "SELECT * FROM transactions WHERE account_id = current_setting('app.account_id')::bigint",
      errors: [{ messageId: 'stableShardKey', line: 1, column: 15, endColumn: 27 }],
    },
    {
      sql: "SELECT *\nFROM transactions t\nJOIN ledger_entries l ON l.account_id = t.account_id\nWHERE t.account_id = current_setting('app.account_id')::bigint AND l.created_at > now()",
      errors: [
        { messageId: 'stableShardKey', line: 2, column: 6, endColumn: 18 },
        { messageId: 'nonImmutableFunction', line: 4, column: 83, endColumn: 86 },
      ],
    },
    {
      sql: "INSERT INTO transactions (account_id, amount) VALUES (current_setting('app.account_id')::bigint, 5)",
      errors: [{ messageId: 'stableShardKey', line: 1, column: 13, endColumn: 25 }],
    },
    {
      sql: 'SELECT a.status FROM accounts a WHERE a.account_id = $1 AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = a.account_id)',
      errors: [{ messageId: 'correlatedPin', line: 1, column: 83, endColumn: 98 }],
    },
    {
      sql: 'SELECT (SELECT count(*) FROM ledger_entries l WHERE l.account_id = t.account_id)\nFROM transactions t\nWHERE t.account_id = 5 AND t.transaction_id = 7',
      errors: [{ messageId: 'correlatedPin', line: 1, column: 30, endColumn: 44 }],
    },
  ];
  it.each(invalid)('reports $sql', ({ sql, manifest, errors }) => {
    const found = lint(sql, { ruleId, ...(manifest ? { manifest } : {}) });
    expect(found.map(({ messageId, line, column, endColumn, severity }) => ({ messageId, line, column, endColumn, severity }))).toEqual(
      errors.map((e) => ({ severity: 'warning', ...e })),
    );
  });

  const valid: { sql: string; manifest?: string }[] = [
    { sql: 'SELECT transaction_id, amount FROM transactions WHERE account_id = $1 AND created_at > $2' },
    { sql: "SELECT upper(owner_name), lower(status), coalesce(status, 'x') FROM accounts WHERE account_id = $1" },
    { sql: "SELECT a.status FROM accounts a WHERE a.account_id = $1 AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = $1 AND p.kind = 'card')" },
    // Not one shard anyway: require-shard-key and no-cross-shard-join have the say.
    { sql: 'SELECT * FROM transactions WHERE created_at > now()' },
    { sql: 'SELECT * FROM transactions WHERE account_id IN (1, 2) AND created_at > now()' },
    { sql: 'SELECT * FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = 1 AND t.created_at > now()' },
    // Standard tables, reference tables, no table: not the sharded fast path.
    { sql: "INSERT INTO audit_log (action, at) VALUES ('x', now())" },
    { sql: 'SELECT now()' },
    // The shard key comes from the server (column DEFAULT): a different concern.
    { sql: 'INSERT INTO transactions (amount, created_at) VALUES (1, now())' },
    { sql: 'INSERT INTO transactions (account_id, amount, created_at) VALUES (DEFAULT, 1, now())' },
    { manifest: 'aws', sql: 'SELECT * FROM orders o JOIN products p ON p.id = o.product_id WHERE o.customer_id = $1' },
  ];
  it.each(valid)('accepts $sql', ({ sql, manifest }) => {
    expect(lint(sql, { ruleId, ...(manifest ? { manifest } : {}) })).toEqual([]);
  });

  it('exempts functions the manifest declares immutable or distributed', () => {
    const yaml = 'tables:\n  accounts: { mode: sharded, shard_key: [account_id] }\nfunctions:\n  immutable: [my_score]\n  distributed: [{ name: credit, shard_key_args: [p_account_id], collocate_with: accounts }]\n';
    const parsed = parseManifest(yaml, 'inline.yaml');
    if (!parsed.ok) throw new Error('bad inline manifest');
    const sql = 'SELECT my_score(owner_name), credit(account_id, 5), now() FROM accounts WHERE account_id = $1';
    const found = analyzeSql(sql, { manifest: parsed.manifest }).diagnostics.filter((d) => d.ruleId === ruleId);
    expect(found.map((d) => sql.slice(d.span.start, d.span.end))).toEqual(['now']);
  });

  it('says how to bind the value, or to declare an unknown function', () => {
    const help = (sql: string) => analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((d) => d.ruleId === ruleId).map((d) => d.help);
    expect(help('SELECT * FROM accounts WHERE account_id = $1 AND created_at > now()')).toEqual([
      'Compute the value in the application and pass it as a bind parameter (e.g. pass `now()` as `$n`).',
    ]);
    expect(help('SELECT my_score(owner_name) FROM accounts WHERE account_id = $1')[0]).toContain('Declare `my_score()` in the manifest: under `functions.immutable`');
  });

  it('labels the functions that make a shard-key value stable instead of reporting them again', () => {
    const sql = "SELECT * FROM transactions WHERE account_id = current_setting('app.account_id')::bigint";
    const found = analyzeSql(sql, { manifest: testManifest() }).diagnostics.filter((d) => d.ruleId === ruleId);
    expect(found).toHaveLength(1);
    expect(found[0]?.labels.map((l) => [sql.slice(l.span.start, l.span.end), l.message])).toEqual([['current_setting', 'current_setting() is STABLE']]);
  });

  it('suggests repeating the shard-key equality inside a correlated subquery', () => {
    const [d] = lint('SELECT a.status FROM accounts a WHERE a.account_id = $1 AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = a.account_id)', { ruleId });
    expect(d?.message).toBe(
      '`payment_methods p` is pinned only through the outer query by `p.account_id = a.account_id`, a value known at execution time: this statement reaches one shard but loses the single-shard fast path.',
    );
    expect(d?.suggestions).toEqual([
      'SELECT a.status FROM accounts a WHERE a.account_id = $1 AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = a.account_id AND p.account_id = $1)',
    ]);
  });
});
