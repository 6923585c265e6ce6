import { defineRule } from './types.js';

/** Reported by the engine for every statement PostgreSQL cannot parse; this module holds its metadata. */
export default defineRule({
  meta: {
    id: 'parse-error',
    description: 'Report statements that PostgreSQL cannot parse',
    category: 'housekeeping',
    defaultLevel: 'error',
    facts: [],
    messages: { syntaxError: 'PostgreSQL cannot parse this statement: {{message}}.' },
    note: 'The statement is not analysed; the other statements of the file still are.',
    help: 'Fix the syntax, or exclude the file if it is not plain PostgreSQL (psql variables such as :name are not SQL).',
    examples: { invalid: ['SELEC * FROM accounts'], valid: ['SELECT * FROM accounts WHERE account_id = $1'] },
  },
  check() {},
});
