import { pluginRule, ruleTester } from './rule-tester.js';

ruleTester.run('require-shard-key', pluginRule('require-shard-key'), {
  valid: [
    "const rows = await pool.query('SELECT * FROM transactions WHERE account_id = $1', [id]);",
    'const rows = sql`SELECT * FROM transactions WHERE account_id = ${accountId}`;',
    // Not SQL sites: other tags, untagged templates, calls whose argument cannot be SQL.
    'const html = css`SELECT * FROM transactions`;',
    'const text = `SELECT * FROM transactions`;',
    'const list = t.procedure.query(async () => db.select());',
    "request.get('/transactions').query('page=2');",
    // No verdict for SQL that cannot be determined statically.
    'const rows = sql`SELECT * FROM transactions ${where}`;',
    'const rows = sql`SELECT * FROM transactions WHERE ${cond ? sql`account_id = ${a}` : sql`true`}`;',
    'await pool.query(queryText, [id]);',
    // A suppression inside the SQL.
    'const rows = sql`-- limitless-lint-ignore require-shard-key: nightly report\nSELECT count(*) FROM transactions`;',
  ],
  invalid: [
    {
      // Found by default: Prisma's tags and calls, any receiver's `query` with literal SQL, knex's `raw`.
      code: 'const rows = Prisma.sql`SELECT * FROM transactions`;',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 39, endLine: 1, endColumn: 51 }],
    },
    {
      code: "this.db.query('SELECT * FROM transactions');",
      errors: [{ messageId: 'missingShardKey', line: 1, column: 30, endLine: 1, endColumn: 42 }],
    },
    {
      code: 'await prisma.$queryRaw`SELECT * FROM transactions WHERE merchant_id = ${m}`;',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 38, endLine: 1, endColumn: 50 }],
    },
    {
      code: "await knex.raw('SELECT * FROM transactions WHERE merchant_id = ?', [m]);",
      errors: [{ messageId: 'missingShardKey', line: 1, column: 31, endLine: 1, endColumn: 43 }],
    },
    {
      code: 'const rows = sql`SELECT * FROM transactions WHERE merchant_id = ${merchantId}`;',
      errors: [{ messageId: 'missingShardKey', data: { table: 'transactions', column: 'account_id', shards: '16' }, line: 1, column: 32, endLine: 1, endColumn: 44 }],
    },
    {
      // After interpolations on the same line: each `${…}` is two characters of SQL but longer in the source.
      code: 'const rows = sql`SELECT ${first} AS a, ${second} AS b FROM transactions WHERE merchant_id = ${merchantId}`;',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 60, endLine: 1, endColumn: 72 }],
    },
    {
      code: [
        'export async function list(merchantId: string) {',
        '  return sql`',
        '    SELECT t.transaction_id, t.amount',
        '      FROM transactions t',
        '     WHERE t.merchant_id = ${merchantId}',
        '  `;',
        '}',
      ].join('\n'),
      errors: [{ messageId: 'missingShardKey', line: 4, column: 12, endLine: 4, endColumn: 24 }],
    },
    {
      // CRLF line ends: one SQL line break is two source characters.
      code: 'const rows = sql`SELECT *\r\n  FROM accounts a\r\n  JOIN transactions t ON t.merchant_id = ${m}\r\n WHERE a.account_id = ${id}`;',
      errors: [
        {
          messageId: 'missingShardKey',
          line: 3,
          column: 8,
          endLine: 3,
          endColumn: 20,
          suggestions: [
            {
              messageId: 'suggestion',
              data: { description: 'Add `t.account_id = a.account_id`' },
              output: 'const rows = sql`SELECT *\r\n  FROM accounts a\r\n  JOIN transactions t ON t.merchant_id = ${m} AND t.account_id = a.account_id\r\n WHERE a.account_id = ${id}`;',
            },
          ],
        },
      ],
    },
    {
      // Tabs count as one column, as in ESLint.
      code: 'const rows = sql`SELECT *\n\tFROM\ttransactions\n\tWHERE\tmerchant_id = ${m}`;',
      errors: [{ messageId: 'missingShardKey', line: 2, column: 7, endLine: 2, endColumn: 19 }],
    },
    {
      code: "await pool.query({ text: 'SELECT * FROM transactions WHERE merchant_id = $1', values: [m] });",
      errors: [{ messageId: 'missingShardKey', line: 1, column: 41, endLine: 1, endColumn: 53 }],
    },
    {
      // Escapes before the finding: `\n` and `\"` are two source characters for one of SQL.
      code: 'await client.query("SELECT \'\\n\' AS nl, \\"amount\\" FROM transactions WHERE merchant_id = $1", [m]);',
      errors: [{ messageId: 'missingShardKey', line: 1, column: 56, endLine: 1, endColumn: 68 }],
    },
    {
      code: 'const rows = sql`SELECT * FROM transactions WHERE account_id IN (${a}, ${b})`;',
      errors: [{ messageId: 'multiShard', data: { table: 'transactions', predicate: 'account_id IN ($1, $2)', fanout: '2' }, line: 1, column: 32, endLine: 1, endColumn: 44 }],
    },
    {
      // The suggestion's edit is mapped into the template: after `${tx}`, in the quasi that follows it.
      code: 'const rows = sql`SELECT * FROM accounts a\n  JOIN ledger_entries l ON l.transaction_id = ${tx}\n WHERE a.account_id = ${id}`;',
      errors: [
        {
          messageId: 'missingShardKey',
          line: 2,
          column: 8,
          endLine: 2,
          endColumn: 22,
          suggestions: [
            {
              messageId: 'suggestion',
              data: { description: 'Add `l.account_id = a.account_id`' },
              output: 'const rows = sql`SELECT * FROM accounts a\n  JOIN ledger_entries l ON l.transaction_id = ${tx} AND l.account_id = a.account_id\n WHERE a.account_id = ${id}`;',
            },
          ],
        },
      ],
    },
  ],
});
