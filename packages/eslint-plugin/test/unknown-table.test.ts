import { pluginRule, ruleTester } from './rule-tester.js';

ruleTester.run('unknown-table', pluginRule('unknown-table'), {
  valid: [
    'const rows = sql`SELECT * FROM accounts a JOIN currencies c ON c.code = a.currency_code WHERE a.account_id = ${id}`;',
    "await pool.query('SELECT * FROM public.audit_log');",
    // CTE names are not tables.
    'const rows = sql`WITH recent AS (SELECT * FROM transactions WHERE account_id = ${id}) SELECT * FROM recent`;',
  ],
  invalid: [
    {
      code: 'const rows = sql`SELECT * FROM refunds WHERE account_id = ${id}`;',
      errors: [{ messageId: 'unknownTable', data: { table: 'refunds' }, line: 1, column: 32, endLine: 1, endColumn: 39 }],
    },
    {
      code: 'const rows = sql`SELECT *\n  FROM accounts a\n  JOIN refunds r ON r.account_id = a.account_id\n WHERE a.account_id = ${id}`;',
      errors: [{ messageId: 'unknownTable', data: { table: 'refunds' }, line: 3, column: 8, endLine: 3, endColumn: 15 }],
    },
    {
      code: 'const rows = sql`SELECT ${a}, ${b}\r\n  FROM accounts a\r\n  JOIN refunds r ON r.account_id = a.account_id\r\n WHERE a.account_id = ${id}`;',
      errors: [{ messageId: 'unknownTable', line: 3, column: 8, endLine: 3, endColumn: 15 }],
    },
    {
      code: "await pool.query({ text: 'INSERT INTO refunds (account_id, amount) VALUES ($1, $2)', values: [id, amount] });",
      errors: [{ messageId: 'unknownTable', line: 1, column: 39, endLine: 1, endColumn: 46 }],
    },
  ],
});
