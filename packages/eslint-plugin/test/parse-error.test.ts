import { pluginRule, ruleTester } from './rule-tester.js';

ruleTester.run('parse-error', pluginRule('parse-error'), {
  valid: [
    'const rows = sql`SELECT * FROM accounts WHERE account_id = ${id}`;',
    // A fragment is not a statement: parsed only where it is used.
    'const byAccount = sql`AND account_id = ${id}`;',
    'const none = sql``;',
    // An identifier interpolated as SQL text: no verdict rather than a false syntax error.
    'const rows = sql`SELECT * FROM ${table} WHERE account_id = ${id}`;',
    'await pool.query(`SELECT * FROM accounts ORDER BY ${column} ${direction}`);',
    // Not SQL.
    'const greeting = html`<p>SELEC ${name}</p>`;',
    "await cache.get('SELEC');",
  ],
  invalid: [
    {
      code: "await pool.query('SELEC * FROM accounts');",
      errors: [{ messageId: 'syntaxError', data: { message: 'syntax error at or near "SELEC"' }, line: 1, column: 19, endLine: 1, endColumn: 24 }],
    },
    {
      code: 'const rows = sql`SELECT *\n  FROM accounts\n WHERE account_id = ${id} ORDER transaction_id`;',
      errors: [{ messageId: 'syntaxError', data: { message: 'syntax error at or near "transaction_id"' }, line: 3, column: 33, endLine: 3, endColumn: 47 }],
    },
    {
      code: 'const rows = sql`SELECT *\r\n  FROM accounts\r\n WHERE account_id = ${id} ORDER transaction_id`;',
      errors: [{ messageId: 'syntaxError', line: 3, column: 33, endLine: 3, endColumn: 47 }],
    },
    {
      code: 'const rows = sql`SELECT *\n\t\tFROM accounts\n\t\tWHERE account_id = ${id}\n\t\tORDER transaction_id`;',
      errors: [{ messageId: 'syntaxError', line: 4, column: 9, endLine: 4, endColumn: 23 }],
    },
    {
      // Two statements in one call: the second one's error, the first is still analysed.
      code: "await client.query('SELECT 1; SELEC 2');",
      errors: [{ messageId: 'syntaxError', line: 1, column: 31, endLine: 1, endColumn: 36 }],
    },
  ],
});
