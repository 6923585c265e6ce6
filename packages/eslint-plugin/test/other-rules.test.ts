import { pluginRule, ruleTester } from './rule-tester.js';

// One or two cases per remaining core rule: the adapter reports each at its exact place. The rules'
// own behaviour is tested in core; these only show that ids, messages and positions come through.

ruleTester.run('no-session-pinning', pluginRule('no-session-pinning'), {
  valid: ["await client.query(\"SET LOCAL statement_timeout = '5s'\");"],
  invalid: [
    {
      code: "await pool.query('SET statement_timeout = 5000');",
      errors: [{ messageId: 'setVariable', data: { command: 'SET statement_timeout' }, line: 1, column: 19, endLine: 1, endColumn: 40 }],
    },
  ],
});

ruleTester.run('no-sequence-ordering', pluginRule('no-sequence-ordering'), {
  valid: ['const page = sql`SELECT * FROM transactions WHERE account_id = ${id} ORDER BY created_at DESC, transaction_id DESC LIMIT 20`;'],
  invalid: [
    {
      code: 'const page = sql`SELECT * FROM transactions WHERE account_id = ${id} ORDER BY transaction_id DESC LIMIT 20`;',
      errors: [{ messageId: 'latest', line: 1, column: 79, endLine: 1, endColumn: 98 }],
    },
  ],
});

ruleTester.run('no-cross-shard-join', pluginRule('no-cross-shard-join'), {
  valid: ['const rows = sql`SELECT * FROM transactions t JOIN accounts a ON a.account_id = t.account_id WHERE t.account_id = ${id}`;'],
  invalid: [
    {
      code: 'const rows = sql`SELECT t.*, m.name FROM transactions t\n  JOIN merchants m ON m.merchant_id = t.merchant_id\n WHERE t.account_id = ${accountId}`;',
      errors: [{ messageId: 'differentGroups', line: 2, column: 8, endLine: 2, endColumn: 17 }],
    },
  ],
});

ruleTester.run('no-shard-key-update', pluginRule('no-shard-key-update'), {
  valid: ['await sql`UPDATE transactions SET amount = ${amount} WHERE account_id = ${id} AND transaction_id = ${tx}`;'],
  invalid: [
    {
      code: 'await sql`UPDATE transactions SET account_id = ${to} WHERE account_id = ${from} AND transaction_id = ${id}`;',
      errors: [{ messageId: 'shardKeyUpdate', line: 1, column: 35, endLine: 1, endColumn: 45 }],
    },
  ],
});

ruleTester.run('no-reference-table-write', pluginRule('no-reference-table-write'), {
  valid: ["await pool.query('SELECT * FROM currencies WHERE code = $1', [code]);"],
  invalid: [
    {
      code: "await pool.query(\"UPDATE currencies SET minor_units = 2 WHERE code = 'JPY'\");",
      errors: [{ messageId: 'referenceWrite', line: 1, column: 26, endLine: 1, endColumn: 36 }],
    },
  ],
});

ruleTester.run('no-fast-path-breaker', pluginRule('no-fast-path-breaker'), {
  valid: ['const rows = sql`SELECT * FROM transactions WHERE account_id = ${id} AND created_at > ${since}`;'],
  invalid: [
    {
      code: 'const rows = sql`SELECT * FROM transactions WHERE account_id = ${id} AND created_at > now()`;',
      errors: [{ messageId: 'nonImmutableFunction', line: 1, column: 87, endLine: 1, endColumn: 90 }],
    },
  ],
});
