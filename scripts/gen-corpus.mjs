#!/usr/bin/env node
// Generates a deterministic corpus of application SQL for the demo schema (fixtures/demo): the
// benchmark's input (scripts/bench.mjs), and a realistic project to try the linter on.
//
// Usage:
//   pnpm gen:corpus [--seed 42] [--statements 100000] [--out <dir>]
//   node scripts/gen-corpus.mjs --seed 42 --statements 100000 --out .bench/corpus-42-100000
//
// Writes exactly --statements statements: two thirds as .sql files (200–500 statements each, in
// nested folders), one third as SQL embedded in TypeScript (`pool.query('…', [..])` calls and
// sql`…` tagged templates with `${}` interpolations, inside small handler functions), plus a copy of
// the demo limitless.yaml and a corpus.json that describes the corpus. The mix: single-shard
// lookups with bind parameters, collocated and reference joins, single and multi-row inserts,
// updates and deletes by key, scatters (missing shard key, ranges, IN lists, cross-group joins),
// ORDER BY created_at / transaction_id, SETs and transaction blocks, with occasional comments and
// single-line or multi-line formatting. The same seed and size always give the same bytes.
//
// The default output is .bench/corpus-<seed>-<statements> (git-ignored). An existing output folder
// is replaced only when it holds a corpus.json (i.e. was written by this script) or is empty.
//
// No dependencies beyond Node itself.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO_MANIFEST = join(ROOT, 'fixtures/demo/limitless.yaml');
const MARKER = 'corpus.json';

/** Identifies this generator's output: a corpus written by another version is regenerated. */
export const GENERATOR_HASH = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 16);

/** Default output folder for a seed and size, absolute. */
export function defaultCorpusDir(seed, statements) {
  return join(ROOT, '.bench', `corpus-${seed}-${statements}`);
}

/** mulberry32: a tiny, fast 32-bit seeded PRNG; returns floats in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  /** `k` distinct items of `items`, in their original order. */
  subset(items, k) {
    const chosen = new Set();
    while (chosen.size < Math.min(k, items.length)) chosen.add(this.int(0, items.length - 1));
    return items.filter((_, i) => chosen.has(i));
  }
}

const CURRENCIES = ['EUR', 'USD', 'GBP', 'JPY', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK'];
const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'JP', 'CH', 'SE', 'NO', 'PL', 'NL', 'ES', 'IT'];
const STATUSES = ['active', 'frozen', 'closed', 'dormant'];
const KINDS = ['card', 'sepa', 'ach', 'wallet'];
const ACTIONS = ['login', 'logout', 'card.added', 'card.removed', 'payout.requested', 'limit.changed', 'kyc.passed'];
const FLAGS = ['instant_payouts', 'new_ledger', 'card_tokens_v2', 'risk_scoring', 'multi_currency'];

const ACCOUNT_COLUMNS = ['account_id', 'owner_name', 'currency_code', 'status', 'created_at'];
const TRANSACTION_COLUMNS = ['transaction_id', 'merchant_id', 'amount', 'currency_code', 'created_at'];
const LEDGER_COLUMNS = ['entry_id', 'transaction_id', 'direction', 'amount', 'currency_code', 'created_at'];
const METHOD_COLUMNS = ['payment_method_id', 'kind', 'last4', 'expires_on', 'created_at'];

/** TypeScript type of a bind parameter, by its name. */
const PARAM_TYPES = { limit: 'number', enabled: 'boolean', amounts: 'string[]' };

/**
 * Builds one statement. `p(name, literal)` stands for a value: a bind parameter `$n` named `name` (in
 * application code, always), or the literal `literal()` (in .sql files, now and then).
 */
class StatementBuilder {
  constructor(random, literals) {
    this.random = random;
    this.literals = literals;
    this.params = [];
  }
  p(name, literal) {
    if (this.literals && literal && this.random.chance(0.3)) return literal();
    const existing = this.params.indexOf(name);
    if (existing >= 0) return `$${existing + 1}`;
    this.params.push(name);
    return `$${this.params.length}`;
  }
}

const lit = {
  account: (r) => () => String(r.int(1, 9_999_999)),
  transaction: (r) => () => String(r.int(1, 99_999_999)),
  merchant: (r) => () => String(r.int(1, 99_999)),
  uuid: (r) => () => `'${uuid(r)}'`,
  text: (r, items) => () => `'${r.pick(items)}'`,
  amount: (r) => () => `${r.int(1, 99_999)}.${String(r.int(0, 99)).padStart(2, '0')}`,
  date: (r) => () => `'2025-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}'`,
};

function uuid(r) {
  const hex = (n) => Array.from({ length: n }, () => r.int(0, 15).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-7${hex(3)}-a${hex(3)}-${hex(12)}`;
}

function cols(r, columns, alias) {
  const chosen = r.subset(columns, r.int(2, columns.length));
  return chosen.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
}

/**
 * The statement templates: `[weight, name, build]`. `build(r, s)` returns the statement's clauses
 * (each becomes a line in multi-line layout), or an array of them for a unit of several statements
 * (a transaction block). Names become handler names in the TypeScript files.
 */
const TEMPLATES = [
  // --- single-shard lookups ---
  [6, 'findAccount', (r, s) => [
    `SELECT ${cols(r, ACCOUNT_COLUMNS)}`,
    'FROM accounts',
    `WHERE account_id = ${s.p('accountId', lit.account(r))}`,
  ]],
  [5, 'findTransaction', (r, s) => [
    `SELECT ${cols(r, TRANSACTION_COLUMNS)}`,
    'FROM transactions',
    `WHERE account_id = ${s.p('accountId', lit.account(r))} AND transaction_id = ${s.p('transactionId', lit.transaction(r))}`,
  ]],
  [5, 'recentTransactions', (r, s) => [
    `SELECT ${cols(r, TRANSACTION_COLUMNS)}`,
    'FROM transactions',
    `WHERE account_id = ${s.p('accountId', lit.account(r))}`,
    r.chance(0.5) ? 'ORDER BY created_at DESC, transaction_id DESC' : 'ORDER BY created_at DESC',
    `LIMIT ${s.p('limit', () => String(r.pick([10, 20, 50, 100])))}`,
  ]],
  [3, 'listPaymentMethods', (r, s) => [
    `SELECT ${cols(r, METHOD_COLUMNS)}`,
    'FROM payment_methods',
    `WHERE account_id = ${s.p('accountId', lit.account(r))}${r.chance(0.4) ? ` AND kind = ${s.p('kind', lit.text(r, KINDS))}` : ''}`,
    'ORDER BY created_at',
  ]],
  [3, 'ledgerForTransaction', (r, s) => [
    `SELECT ${cols(r, LEDGER_COLUMNS)}`,
    'FROM ledger_entries',
    `WHERE account_id = ${s.p('accountId', lit.account(r))} AND transaction_id = ${s.p('transactionId', lit.transaction(r))}`,
    'ORDER BY created_at',
  ]],
  [3, 'findMerchant', (r, s) => [
    'SELECT merchant_id, name, country_code',
    'FROM merchants',
    `WHERE merchant_id = ${s.p('merchantId', lit.merchant(r))}`,
  ]],
  [3, 'balanceByCurrency', (r, s) => [
    'SELECT currency_code, sum(amount) AS total, count(*) AS n',
    'FROM transactions',
    `WHERE account_id = ${s.p('accountId', lit.account(r))}`,
    'GROUP BY currency_code',
  ]],
  [1, 'accountWithCard', (r, s) => [
    'SELECT a.account_id, a.status',
    'FROM accounts a',
    `WHERE a.account_id = ${s.p('accountId', lit.account(r))}`,
    `  AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = a.account_id AND p.kind = ${s.p('kind', lit.text(r, KINDS))})`,
  ]],
  [1, 'lockAccount', (r, s) => [
    'SELECT account_id, status',
    'FROM accounts',
    `WHERE account_id = ${s.p('accountId', lit.account(r))}`,
    'FOR UPDATE',
  ]],
  // --- collocated joins ---
  [4, 'accountTransactions', (r, s) => [
    `SELECT a.owner_name, ${cols(r, TRANSACTION_COLUMNS, 't')}`,
    'FROM accounts a',
    'JOIN transactions t ON t.account_id = a.account_id',
    `WHERE a.account_id = ${s.p('accountId', lit.account(r))}`,
    'ORDER BY t.created_at DESC',
    `LIMIT ${r.pick([20, 50, 100])}`,
  ]],
  [3, 'transactionLedger', (r, s) => [
    'SELECT t.transaction_id, t.amount, l.entry_id, l.direction, l.amount AS entry_amount',
    'FROM accounts a',
    'JOIN transactions t ON t.account_id = a.account_id',
    'JOIN ledger_entries l ON l.account_id = t.account_id AND l.transaction_id = t.transaction_id',
    `WHERE a.account_id = ${s.p('accountId', lit.account(r))}`,
  ]],
  [2, 'transactionsWithMethods', (r, s) => [
    'SELECT t.transaction_id, t.amount, p.kind, p.last4',
    'FROM transactions t',
    'JOIN payment_methods p ON p.account_id = t.account_id',
    `WHERE t.account_id = ${s.p('accountId', lit.account(r))} AND p.payment_method_id = ${s.p('paymentMethodId', lit.uuid(r))}`,
  ]],
  [1, 'recentSpend', (r, s) => [
    'WITH recent AS (',
    `  SELECT transaction_id, amount, currency_code FROM transactions WHERE account_id = ${s.p('accountId', lit.account(r))} ORDER BY created_at DESC LIMIT 100`,
    ')',
    'SELECT currency_code, sum(amount) AS spent FROM recent GROUP BY currency_code',
  ]],
  // --- reference joins ---
  [4, 'transactionWithCurrency', (r, s) => [
    'SELECT t.transaction_id, t.amount, c.name AS currency_name, c.minor_units',
    'FROM transactions t',
    'JOIN currencies c ON c.code = t.currency_code',
    `WHERE t.account_id = ${s.p('accountId', lit.account(r))} AND t.transaction_id = ${s.p('transactionId', lit.transaction(r))}`,
  ]],
  [2, 'merchantWithCountry', (r, s) => [
    'SELECT m.merchant_id, m.name, co.name AS country_name',
    'FROM merchants m',
    'JOIN countries co ON co.code = m.country_code',
    `WHERE m.merchant_id = ${s.p('merchantId', lit.merchant(r))}`,
  ]],
  [2, 'accountCurrency', (r, s) => [
    'SELECT a.account_id, a.owner_name, c.name AS currency_name',
    'FROM accounts a',
    'LEFT JOIN currencies c ON c.code = a.currency_code',
    `WHERE a.account_id = ${s.p('accountId', lit.account(r))}`,
  ]],
  // --- inserts ---
  [4, 'createTransaction', (r, s) => [
    'INSERT INTO transactions (account_id, merchant_id, amount, currency_code)',
    `VALUES (${s.p('accountId', lit.account(r))}, ${s.p('merchantId', lit.merchant(r))}, ${s.p('amount', lit.amount(r))}, ${s.p('currencyCode', lit.text(r, CURRENCIES))})`,
    'RETURNING transaction_id, created_at',
  ]],
  [4, 'postLedgerLines', (r, s) => {
    const account = s.p('accountId', lit.account(r));
    const transaction = s.p('transactionId', lit.transaction(r));
    const currency = s.p('currencyCode', lit.text(r, CURRENCIES));
    const rows = r.int(2, 4);
    const values = Array.from({ length: rows }, (_, k) =>
      `  (${account}, ${transaction}, '${k % 2 === 0 ? 'debit' : 'credit'}', ${s.p(`amount${k + 1}`, lit.amount(r))}, ${currency})${k < rows - 1 ? ',' : ''}`);
    return ['INSERT INTO ledger_entries (account_id, transaction_id, direction, amount, currency_code)', 'VALUES', ...values];
  }],
  [2, 'savePaymentMethod', (r, s) => [
    'INSERT INTO payment_methods (account_id, payment_method_id, kind, last4, expires_on)',
    `VALUES (${s.p('accountId', lit.account(r))}, ${s.p('paymentMethodId', lit.uuid(r))}, ${s.p('kind', lit.text(r, KINDS))}, ${s.p('last4', () => `'${r.int(1000, 9999)}'`)}, ${s.p('expiresOn', lit.date(r))})`,
    'ON CONFLICT (account_id, payment_method_id) DO UPDATE SET last4 = EXCLUDED.last4, expires_on = EXCLUDED.expires_on',
  ]],
  [3, 'audit', (r, s) => [
    'INSERT INTO audit_log (account_id, action)',
    `VALUES (${s.p('accountId', lit.account(r))}, ${s.p('action', lit.text(r, ACTIONS))})`,
  ]],
  [2, 'openAccount', (r, s) => [
    'INSERT INTO accounts (account_id, owner_name, currency_code)',
    `VALUES (${s.p('accountId', lit.account(r))}, ${s.p('ownerName', () => `'${r.pick(['Ada', 'Grace', 'Linus', 'Barbara'])} ${r.pick(['Lovelace', 'Hopper', 'Liskov', 'Knuth'])}'`)}, ${s.p('currencyCode', lit.text(r, CURRENCIES))})`,
    'RETURNING account_id, created_at',
  ]],
  // --- updates and deletes by key ---
  [3, 'setAccountStatus', (r, s) => [
    'UPDATE accounts',
    `SET status = ${s.p('status', lit.text(r, STATUSES))}`,
    `WHERE account_id = ${s.p('accountId', lit.account(r))}`,
  ]],
  [2, 'renewCard', (r, s) => [
    'UPDATE payment_methods',
    `SET expires_on = ${s.p('expiresOn', lit.date(r))}`,
    `WHERE account_id = ${s.p('accountId', lit.account(r))} AND payment_method_id = ${s.p('paymentMethodId', lit.uuid(r))}`,
  ]],
  [2, 'removeCard', (r, s) => [
    'DELETE FROM payment_methods',
    `WHERE account_id = ${s.p('accountId', lit.account(r))} AND payment_method_id = ${s.p('paymentMethodId', lit.uuid(r))}`,
  ]],
  [2, 'adjustTransaction', (r, s) => [
    'UPDATE transactions',
    `SET amount = ${s.p('amount', lit.amount(r))}`,
    `WHERE account_id = ${s.p('accountId', lit.account(r))} AND transaction_id = ${s.p('transactionId', lit.transaction(r))}`,
    'RETURNING amount',
  ]],
  [1, 'toggleFlag', (r, s) => [
    'UPDATE feature_flags',
    `SET enabled = ${s.p('enabled', () => r.pick(['true', 'false']))}`,
    `WHERE name = ${s.p('flag', lit.text(r, FLAGS))}`,
  ]],
  // --- scatters and other findings ---
  [3, 'merchantTransactions', (r, s) => [
    'SELECT transaction_id, account_id, amount, created_at',
    'FROM transactions',
    `WHERE merchant_id = ${s.p('merchantId', lit.merchant(r))}`,
    'ORDER BY created_at DESC',
  ]],
  [2, 'accountsAfter', (r, s) => [
    'SELECT account_id, owner_name',
    'FROM accounts',
    r.chance(0.5)
      ? `WHERE account_id > ${s.p('afterId', lit.account(r))}`
      : `WHERE account_id BETWEEN ${s.p('fromId', lit.account(r))} AND ${s.p('toId', lit.account(r))}`,
    'ORDER BY account_id',
    'LIMIT 1000',
  ]],
  [2, 'accountsByIds', (r) => [
    'SELECT account_id, status',
    'FROM accounts',
    `WHERE account_id IN (${Array.from({ length: r.int(2, 8) }, () => r.int(1, 9_999_999)).join(', ')})`,
  ]],
  [2, 'dailyVolume', (r, s) => [
    'SELECT currency_code, date_trunc(\'day\', created_at) AS day, sum(amount) AS volume',
    'FROM transactions',
    `WHERE created_at >= ${s.p('from', lit.date(r))} AND created_at < ${s.p('to', lit.date(r))}`,
    'GROUP BY 1, 2',
    'ORDER BY 2, 1',
  ]],
  [2, 'transactionsWithMerchant', (r, s) => [
    'SELECT t.transaction_id, t.amount, m.name AS merchant_name',
    'FROM transactions t',
    'JOIN merchants m ON m.merchant_id = t.merchant_id',
    `WHERE t.account_id = ${s.p('accountId', lit.account(r))}`,
  ]],
  [2, 'latestBySequence', (r, s) => [
    'SELECT *',
    'FROM transactions',
    `WHERE account_id = ${s.p('accountId', lit.account(r))}${r.chance(0.5) ? ` AND transaction_id > ${s.p('afterId', lit.transaction(r))}` : ''}`,
    'ORDER BY transaction_id DESC',
    'LIMIT 20',
  ]],
  [1, 'pruneAuditLog', () => [
    'DELETE FROM audit_log',
    "WHERE at < now() - interval '90 days'",
  ]],
  [1, 'markDormant', (r, s) => [
    'UPDATE accounts',
    "SET status = 'dormant'",
    `WHERE status = 'active' AND created_at < ${s.p('before', lit.date(r))}`,
  ]],
  [1, 'countActive', () => [
    "SELECT count(*) FROM accounts WHERE status = 'active'",
  ]],
  [1, 'lastDayTransactions', (r, s) => [
    'SELECT transaction_id, amount, created_at',
    'FROM transactions',
    `WHERE account_id = ${s.p('accountId', lit.account(r))} AND created_at > now() - interval '1 day'`,
  ]],
  // --- reference and standard tables ---
  [2, 'listCurrencies', () => [
    'SELECT code, name, minor_units',
    'FROM currencies',
    'ORDER BY code',
  ]],
  [2, 'isEnabled', (r, s) => [
    'SELECT enabled',
    'FROM feature_flags',
    `WHERE name = ${s.p('flag', lit.text(r, FLAGS))}`,
  ]],
  [1, 'countryName', (r, s) => [
    `SELECT name FROM countries WHERE code = ${s.p('countryCode', lit.text(r, COUNTRIES))}`,
  ]],
  // --- session and transaction control ---
  [2, 'setTimeout', (r) => [
    r.pick([
      `SET statement_timeout = '${r.pick([2, 5, 30])}s'`,
      `SET LOCAL lock_timeout = '${r.pick([1, 2, 5])}s'`,
      "SET application_name = 'payments-api'",
      'SET LOCAL idle_in_transaction_session_timeout = 10000',
    ]),
  ]],
  [1, 'setUser', (r, s) => [
    `SELECT set_config('app.user', ${s.p('userId', () => `'${uuid(r)}'`)}, true)`,
  ]],
  [1, 'lockForPayout', (r, s) => [
    `SELECT pg_advisory_xact_lock(${s.p('accountId', lit.account(r))})`,
  ]],
  [3, 'transfer', (r, s) => {
    const account = s.p('accountId', lit.account(r));
    return [
      ['BEGIN'],
      [`SELECT status FROM accounts WHERE account_id = ${account} FOR UPDATE`],
      [
        'INSERT INTO transactions (account_id, merchant_id, amount, currency_code)',
        `VALUES (${account}, ${s.p('merchantId', lit.merchant(r))}, ${s.p('amount', lit.amount(r))}, ${s.p('currencyCode', lit.text(r, CURRENCIES))})`,
      ],
      ['UPDATE accounts', 'SET status = \'active\'', `WHERE account_id = ${account}`],
      ['COMMIT'],
    ];
  }],
];

const TOTAL_WEIGHT = TEMPLATES.reduce((sum, [w]) => sum + w, 0);
const SINGLE_TEMPLATES = TEMPLATES.filter(([, name]) => name !== 'transfer');
const SINGLE_WEIGHT = SINGLE_TEMPLATES.reduce((sum, [w]) => sum + w, 0);

const COMMENTS = {
  findAccount: 'Point lookup on the shard key.',
  recentTransactions: 'Newest first, by timestamp.',
  merchantTransactions: 'Merchant report: no account_id, so every shard.',
  accountsByIds: 'Batch lookup for the dashboard.',
  postLedgerLines: 'Double-entry lines of one transaction.',
  transfer: 'Debit within one account, in one transaction.',
  dailyVolume: 'Nightly volume report.',
  latestBySequence: 'Keyset paging.',
  setTimeout: 'Connection setup.',
};

const SUPPRESSIBLE = {
  merchantTransactions: 'require-shard-key: merchant report, runs nightly on a replica',
  dailyVolume: 'require-shard-key: nightly report, the scatter is expected',
  latestBySequence: 'no-sequence-ordering: paging only, order does not matter here',
};

function pickTemplate(r, singleOnly) {
  const table = singleOnly ? SINGLE_TEMPLATES : TEMPLATES;
  let x = r.next() * (singleOnly ? SINGLE_WEIGHT : TOTAL_WEIGHT);
  for (const t of table) {
    x -= t[0];
    if (x < 0) return t;
  }
  return table[table.length - 1];
}

/** One unit: a template's statements, as clause lists, with their parameter names. */
function buildUnit(r, literals, remaining) {
  const [, name, build] = pickTemplate(r, remaining < 5);
  const s = new StatementBuilder(r, literals);
  const built = build(r, s);
  const statements = Array.isArray(built[0]) ? built : [built];
  return { name, statements, params: s.params };
}

/** Lays out a statement's clauses on one line or one per line. */
function layout(r, clauses, multiLine) {
  if (!multiLine || clauses.length === 1) return clauses.map((c) => c.trim()).join(' ').replace(/\( /g, '(').replace(/ \)/g, ')');
  return clauses.join('\n');
}

// --- .sql files -------------------------------------------------------------------------------

const AREAS = ['accounts', 'payments', 'ledger', 'merchants', 'reporting', 'admin'];
const SQL_KINDS = ['queries', 'jobs', 'reports'];

function sqlFile(r, count, header) {
  const parts = [`-- ${header}\n-- Generated by scripts/gen-corpus.mjs; not meant to be edited.\n`];
  let written = 0;
  while (written < count) {
    const unit = buildUnit(r, true, count - written);
    const multiLine = r.chance(0.6);
    if (COMMENTS[unit.name] && r.chance(0.3)) parts.push(`\n-- ${COMMENTS[unit.name]}`);
    else if (r.chance(0.04)) parts.push(`\n/* ${unit.name}: reviewed ${2020 + r.int(0, 5)} */`);
    if (SUPPRESSIBLE[unit.name] && r.chance(0.15)) parts.push(`\n-- limitless-lint-ignore ${SUPPRESSIBLE[unit.name]}`);
    const texts = unit.statements.map((clauses) => `${layout(r, clauses, multiLine)};`);
    parts.push(`\n${texts.join('\n')}\n`);
    written += unit.statements.length;
  }
  return { text: parts.join(''), statements: written };
}

// --- .ts files --------------------------------------------------------------------------------

/** A JavaScript string literal for `text`: quotes chosen so that escapes are rare. */
function jsString(text) {
  if (text.includes('\n')) return `\`${text.replace(/[`\\]|\$\{/g, (m) => `\\${m}`)}\``;
  if (text.includes("'")) return `"${text.replace(/["\\]/g, (m) => `\\${m}`)}"`;
  return `'${text.replace(/\\/g, '\\\\')}'`;
}

function indent(text, prefix) {
  return text.split('\n').map((line) => (line ? prefix + line : line)).join('\n');
}

/** One handler function holding the unit's statements, as calls or tagged templates. */
function handler(r, unit, fnName) {
  const usesTag = unit.statements.length === 1 && r.chance(0.5);
  const multiLine = r.chance(0.5);
  const receiver = unit.statements.length > 1 ? 'client' : 'pool';
  const args = unit.params.map((p) => `${p}: ${PARAM_TYPES[p] ?? 'string'}`);
  const first = usesTag ? 'db: Db' : receiver === 'client' ? 'client: PoolClient' : 'pool: Pool';
  const lines = [`export async function ${fnName}(${[first, ...args].join(', ')}) {`];
  if (COMMENTS[unit.name] && r.chance(0.2)) lines.push(`  // ${COMMENTS[unit.name]}`);
  if (usesTag) {
    const sqlText = layout(r, unit.statements[0], multiLine).replace(/\$(\d+)/g, (_, n) => `\${${unit.params[Number(n) - 1]}}`);
    const body = multiLine ? `\n${indent(sqlText, '    ')}\n  ` : sqlText;
    lines.push(`  return db.${r.pick(['many', 'maybeOne', 'one'])}(sql\`${body}\`);`);
  } else {
    unit.statements.forEach((clauses, k) => {
      const sqlText = layout(r, clauses, multiLine);
      const used = [...new Set([...sqlText.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      // Each statement numbers its own parameters from $1.
      const renumbered = sqlText.replace(/\$(\d+)/g, (_, n) => `$${used.indexOf(Number(n)) + 1}`);
      const values = used.map((n) => unit.params[n - 1]);
      const literal = multiLine && renumbered.includes('\n') ? `\`\n${indent(renumbered, '      ')}\n    \`` : jsString(renumbered);
      const call = `${receiver}.query(${literal}${values.length > 0 ? `, [${values.join(', ')}]` : ''})`;
      const isLast = k === unit.statements.length - 1;
      lines.push(isLast && unit.statements.length === 1 ? `  const { rows } = await ${call};` : `  await ${call};`);
    });
    if (unit.statements.length === 1) lines.push('  return rows;');
  }
  lines.push('}');
  return lines.join('\n');
}

function tsFile(r, count, header) {
  const handlers = [];
  let written = 0;
  while (written < count) {
    const unit = buildUnit(r, false, count - written);
    handlers.push(handler(r, unit, `${unit.name}${handlers.length + 1}`));
    written += unit.statements.length;
  }
  const body = handlers.join('\n\n');
  // Import only what the handlers use, as a linted project would.
  const pgTypes = ['Pool', 'PoolClient'].filter((t) => body.includes(`: ${t}`));
  const imports = [
    pgTypes.length > 0 && `import type { ${pgTypes.join(', ')} } from 'pg';`,
    body.includes('db: Db') && "import type { Db } from '../../db/sql.js';",
    body.includes('sql`') && "import { sql } from '../../db/sql.js';",
  ].filter(Boolean);
  const text = `// ${header}\n// Generated by scripts/gen-corpus.mjs; not meant to be edited.\n\n${imports.join('\n')}\n\n${body}\n`;
  return { text, statements: written };
}

const DB_MODULE = `// A minimal typed query helper, so that the generated handlers type-check in shape.
export interface Query {
  readonly text: string;
  readonly values: readonly unknown[];
}

export interface Db {
  many(query: Query): Promise<unknown[]>;
  maybeOne(query: Query): Promise<unknown | undefined>;
  one(query: Query): Promise<unknown>;
}

export function sql(strings: TemplateStringsArray, ...values: unknown[]): Query {
  const text = strings.reduce((out, part, k) => \`\${out}$\${k}\${part}\`);
  return { text, values };
}
`;

const TSCONFIG = `{
  "compilerOptions": {
    "target": "ES2022",
    "module": "NodeNext",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true
  },
  "include": ["src"]
}
`;

/**
 * Writes the corpus. Returns its description (also written to `<out>/corpus.json`).
 *
 * @throws when `out` exists, is not empty and was not written by this script.
 */
export function generateCorpus({ seed = 42, statements = 100_000, out = defaultCorpusDir(seed, statements) } = {}) {
  const dir = resolve(out);
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${dir} exists, is not empty and holds no ${MARKER}: refusing to replace it`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  const r = new Random(seed);
  const tsTarget = Math.floor(statements / 3);
  const sqlTarget = statements - tsTarget;
  const files = [];
  let sqlWritten = 0;
  for (let n = 1; sqlWritten < sqlTarget; n++) {
    const area = r.pick(AREAS);
    const kind = r.pick(SQL_KINDS);
    const count = Math.min(r.int(200, 500), sqlTarget - sqlWritten);
    const file = sqlFile(r, count, `${area}/${kind}: application SQL for the demo payment system`);
    files.push({ path: `sql/${area}/${kind}/${area}-${kind}-${String(n).padStart(4, '0')}.sql`, ...file });
    sqlWritten += file.statements;
  }
  let tsWritten = 0;
  for (let n = 1; tsWritten < tsTarget; n++) {
    const area = r.pick(AREAS);
    const kind = r.pick(['handlers', 'repositories']);
    const count = Math.min(r.int(40, 120), tsTarget - tsWritten);
    const file = tsFile(r, count, `${area}/${kind}: data access of the demo payment system`);
    files.push({ path: `src/${area}/${kind}/${area}-${String(n).padStart(4, '0')}.ts`, ...file });
    tsWritten += file.statements;
  }
  files.push({ path: 'src/db/sql.ts', text: DB_MODULE, statements: 0 });
  files.push({ path: 'tsconfig.json', text: TSCONFIG, statements: 0 });
  files.push({ path: 'limitless.yaml', text: readFileSync(DEMO_MANIFEST, 'utf8'), statements: 0 });

  const made = new Set();
  let bytes = 0;
  for (const file of files) {
    const path = join(dir, file.path);
    const parent = dirname(path);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(path, file.text);
    bytes += Buffer.byteLength(file.text);
  }
  const description = {
    generator: 'scripts/gen-corpus.mjs',
    generatorHash: GENERATOR_HASH,
    seed,
    statements: sqlWritten + tsWritten,
    sqlStatements: sqlWritten,
    tsStatements: tsWritten,
    sqlFiles: files.filter((f) => f.path.endsWith('.sql')).length,
    tsFiles: files.filter((f) => f.path.endsWith('.ts') && f.statements > 0).length,
    bytes,
  };
  writeFileSync(join(dir, MARKER), `${JSON.stringify(description, null, 2)}\n`);
  return { dir, ...description };
}

/** The description (corpus.json) of a corpus folder written by this script, or undefined. */
export function readCorpusDescription(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, MARKER), 'utf8'));
  } catch {
    return undefined;
  }
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--seed') options.seed = wholeNumber(arg, value());
    else if (arg === '--statements') options.statements = wholeNumber(arg, value());
    else if (arg === '--out') options.out = value();
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  return options;
}

function wholeNumber(name, text) {
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number, got ${text}`);
  return Number(text);
}

const USAGE = 'usage: node scripts/gen-corpus.mjs [--seed 42] [--statements 100000] [--out <dir>]\n';

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`gen-corpus: ${error.message}\n${USAGE}`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write(USAGE);
  } else {
    const started = performance.now();
    try {
      const c = generateCorpus(options);
      const ms = Math.round(performance.now() - started);
      process.stdout.write(
        `gen-corpus: ${c.statements} statements (${c.sqlStatements} in ${c.sqlFiles} .sql files, ` +
          `${c.tsStatements} in ${c.tsFiles} .ts files), ${(c.bytes / 1e6).toFixed(1)} MB in ${c.dir} (${ms} ms)\n`,
      );
    } catch (error) {
      process.stderr.write(`gen-corpus: ${error.message}\n`);
      process.exit(2);
    }
  }
}
