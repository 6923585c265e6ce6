import { DEMO_MANIFEST, pluginRule, ruleTester } from './rule-tester.js';

const REPORT_UNKNOWN = { 'limitless-lint': { manifest: DEMO_MANIFEST, reportUnknown: true } };

ruleTester.run('unanalysable-sql', pluginRule('unanalysable-sql'), {
  valid: [
    'const rows = sql`SELECT * FROM transactions WHERE account_id = ${id}`;',
    // A query call with a variable is everyday code: noted only with reportUnknown.
    'await pool.query(queryText, [id]);',
    // A fragment on its own is everyday code: noted only with reportUnknown.
    'const byAccount = sql`account_id = ${id}`;',
  ],
  invalid: [
    {
      // Nested past core's depth limit: core does not analyse it, and says so (as the CLI does).
      code: `const rows = sql\`SELECT 1 WHERE ${'NOT '.repeat(2000)}true\`;`,
      errors: [{ messageId: 'unanalysable', line: 1, column: 18 }],
    },
    {
      code: 'const rows = sql`SELECT * FROM transactions WHERE account_id = ${id} ${cond ? sql`AND amount > ${min}` : sql``}`;',
      errors: [
        {
          messageId: 'unanalysable',
          data: { message: 'A `${…}` of this statement inserts a SQL fragment, so the statement cannot be determined statically.' },
          line: 1,
          column: 70,
          endLine: 1,
          endColumn: 112,
        },
      ],
    },
    {
      code: 'const rows = sql`\n  SELECT *\n    FROM ${table}\n   WHERE account_id = ${id}`;',
      errors: [
        {
          messageId: 'unanalysable',
          data: {
            message:
              'PostgreSQL cannot parse this statement with `${…}` as the bind parameter $1: it inserts SQL text (an identifier or a fragment), so the statement cannot be determined statically.',
          },
          line: 3,
          column: 10,
          endLine: 3,
          endColumn: 18,
        },
      ],
    },
    {
      code: 'const byAccount = sql`account_id = ${id}`;',
      settings: REPORT_UNKNOWN,
      errors: [{ messageId: 'unanalysable', line: 1, column: 22, endLine: 1, endColumn: 42 }],
    },
    {
      code: 'await pool.query(queryText, [id]);',
      settings: REPORT_UNKNOWN,
      errors: [
        { messageId: 'unanalysable', data: { message: 'The SQL of this `pool.query` call is not a literal, so it cannot be analysed statically.' }, line: 1, column: 18, endLine: 1, endColumn: 27 },
      ],
    },
  ],
});
