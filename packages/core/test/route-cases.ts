/**
 * The route analyzer's table of cases (docs/architecture.md "The route"): each is one statement, the manifest it is
 * analysed against, the expected route and fan-out, and optionally fragments that ONE of the reasons must
 * contain. `route.test.ts` checks the analyzer against them; the planner oracle (`verify --local`, in
 * packages/cli/test/verify-local.test.ts) checks them against PostgreSQL's own partition pruning.
 */
import { readFileSync } from 'node:fs';
import type { RouteKind } from '../src/route/types.js';

const fixture = (path: string): string => readFileSync(new URL(`../../../fixtures/demo/${path}`, import.meta.url), 'utf8');

// ---------------------------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------------------------

export const MANIFESTS = {
  /** The demo payment system: accounts group (accounts, transactions, ledger_entries, payment_methods), merchants, 2 reference, 2 standard; 16 shards. */
  demo: fixture('limitless.yaml'),

  /** The AWS sample schema (docs/limitless/tables.md#converting-tables, docs/limitless/routing.md#single-shard-optimization): customers → orders, order_details collocated on customer_id; products reference. */
  aws: `
shards: 16
search_path: [public]
tables:
  customers:     { mode: sharded, shard_key: [customer_id] }
  orders:        { mode: sharded, shard_key: [customer_id], collocate_with: customers }
  order_details: { mode: sharded, shard_key: [customer_id], collocate_with: customers }
  products:      { mode: reference }
functions:
  immutable: [my_hash]
  distributed: [{ name: credit, shard_key_args: [p_customer_id], collocate_with: customers }]
`,

  /** A two-column shard key (tenant_id, region), a table collocated with it, a one-column group, a reference table. */
  multikey: `
shards: 16
tables:
  events:     { mode: sharded, shard_key: [tenant_id, region] }
  event_tags: { mode: sharded, shard_key: [tenant_id, region], collocate_with: events }
  tenants:    { mode: sharded, shard_key: [tenant_id] }
  regions:    { mode: reference }
`,

  /** Non-public schemas, a table name in two schemas, a quoted mixed-case table and column; search_path [app, public]. */
  schemas: `
shards: 16
search_path: [app, public]
tables:
  app.users:        { mode: sharded, shard_key: [user_id] }
  public.users:     { mode: standard }
  billing.invoices: { mode: sharded, shard_key: [user_id], collocate_with: app.users }
  public.settings:  { mode: standard }
  '"App"."UserEvents"': { mode: sharded, shard_key: ['"UserId"'], collocate_with: app.users }
  public.countries: { mode: reference }
`,

  /** Declared column types: a bigint key, a numeric key, a text key. */
  typed: `
shards: 16
tables:
  accounts: { mode: sharded, shard_key: [account_id], columns: { account_id: bigint, balance: numeric, created_at: timestamptz } }
  ledgers:  { mode: sharded, shard_key: [ledger_no], columns: { ledger_no: numeric } }
  tenants:  { mode: sharded, shard_key: [slug], columns: { slug: text } }
`,

  /** Four shards: fan-outs are capped at 4. */
  shards4: `
shards: 4
tables:
  items: { mode: sharded, shard_key: [item_id] }
  tags:  { mode: reference }
`,
} as const;

export type ManifestName = keyof typeof MANIFESTS;

export interface Case {
  readonly sql: string;
  readonly manifest: ManifestName;
  /** `parse-error`: the statement does not parse, so it has no route. */
  readonly route: RouteKind | 'parse-error';
  readonly fanout: number;
  /** Fragments that one single reason must all contain. */
  readonly reasonIncludes?: string | readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Cases
// ---------------------------------------------------------------------------------------------

/**
 * Values whose type changes the comparison (docs/limitless/routing.md): PostgreSQL prunes only when the
 * key is compared on its own operator family. An untyped parameter inside an overloaded function picks
 * an overload by PostgreSQL's preferences (`abs($1)` is `abs(double precision)`), so the column is cast.
 */
const typedValues: Case[] = [
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = abs($1)`, route: 'all-shards', fanout: 16, reasonIncludes: ['abs($1)', 'double precision'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = abs($1::bigint)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = abs($1)::bigint`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = round($1::numeric)`, route: 'all-shards', fanout: 16, reasonIncludes: ['round($1::numeric)', 'numeric'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = trunc(2.5)`, route: 'all-shards', fanout: 16, reasonIncludes: ['trunc(2.5)', 'numeric'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = $1 * 1.5`, route: 'all-shards', fanout: 16, reasonIncludes: ['numeric'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = hashtext($1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = length($1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN (1, 2.5)`, route: 'all-shards', fanout: 16, reasonIncludes: ['2.5', 'numeric'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = ANY($1::numeric[])`, route: 'all-shards', fanout: 16, reasonIncludes: ['numeric'] },
  // Literals beyond int4 are bigint to PostgreSQL, not numeric.
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1.0`, route: 'all-shards', fanout: 16, reasonIncludes: ['of type numeric', 'declare the type of `customer_id` in the manifest'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 68719476736`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 99999999999999999999`, route: 'all-shards', fanout: 16, reasonIncludes: 'numeric' },
  // Volatility per overload: the argument types choose the overload (pg_proc signatures).
  { manifest: 'aws', sql: `SELECT to_tsvector('english', name) FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT to_tsvector(name) FROM customers WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'to_tsvector() is STABLE' },
  { manifest: 'aws', sql: `SELECT timezone('UTC', created_at) FROM customers WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: ['timezone()', 'declare the column types'] },
  { manifest: 'typed', sql: `SELECT timezone('UTC', created_at) FROM accounts WHERE account_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT timezone('UTC', $2::timestamptz) FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  // Array casts keep their brackets in messages.
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = ANY($1::text[])`, route: 'multi-shard', fanout: 16, reasonIncludes: 'ANY($1::text[])' },
  // Constant folding, as PostgreSQL folds before pruning.
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE NOT (customer_id <> $1)`, route: 'single-shard', fanout: 1, reasonIncludes: 'customer_id = $1' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE NOT (customer_id = $1)`, route: 'all-shards', fanout: 16, reasonIncludes: 'NOT' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = coalesce($1, 0)`, route: 'single-shard', fanout: 1, reasonIncludes: 'coalesce($1, 0)' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = coalesce($1, 1.5)`, route: 'all-shards', fanout: 16, reasonIncludes: 'numeric' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN (7, NULL)`, route: 'single-shard', fanout: 1, reasonIncludes: 'customer_id = 7' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN (7, NULL, 8)`, route: 'multi-shard', fanout: 2 },
  // With the key's type declared the comparison is decided.
  { manifest: 'typed', sql: `SELECT * FROM accounts WHERE account_id = 1.5`, route: 'all-shards', fanout: 16, reasonIncludes: ['casts the column (bigint)'] },
  { manifest: 'typed', sql: `SELECT * FROM ledgers WHERE ledger_no = 1.5`, route: 'single-shard', fanout: 1 },
  { manifest: 'typed', sql: `SELECT * FROM ledgers WHERE ledger_no = 42`, route: 'single-shard', fanout: 1 },
  { manifest: 'typed', sql: `SELECT * FROM ledgers WHERE ledger_no = $1::float8`, route: 'all-shards', fanout: 16, reasonIncludes: 'casts the column (numeric)' },
  { manifest: 'typed', sql: `SELECT * FROM tenants WHERE slug = lower($1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'typed', sql: `SELECT * FROM tenants WHERE slug = $1::varchar`, route: 'single-shard', fanout: 1 },
];

/** fixtures/demo/queries/good.sql, every statement, in order. */
const demoGood: Case[] = [
  { manifest: 'demo', sql: `SELECT account_id, owner_name, currency_code, status, created_at FROM accounts WHERE account_id = $1`, route: 'single-shard', fanout: 1, reasonIncludes: ['accounts', 'account_id = $1'] },
  { manifest: 'demo', sql: `SELECT t.transaction_id, t.amount, t.currency_code, t.created_at FROM accounts a JOIN transactions t ON t.account_id = a.account_id WHERE a.account_id = $1`, route: 'single-shard', fanout: 1, reasonIncludes: ['transactions', 'account_id = $1'] },
  { manifest: 'demo', sql: `SELECT t.transaction_id, l.entry_id, l.direction, l.amount FROM accounts a JOIN transactions t ON t.account_id = a.account_id JOIN ledger_entries l ON l.account_id = t.account_id AND l.transaction_id = t.transaction_id WHERE a.account_id = $1`, route: 'single-shard', fanout: 1, reasonIncludes: ['ledger_entries', 'account_id = $1'] },
  { manifest: 'demo', sql: `SELECT t.transaction_id, t.amount, c.name AS currency_name, c.minor_units FROM transactions t JOIN currencies c ON c.code = t.currency_code WHERE t.account_id = $1 AND t.transaction_id = $2`, route: 'single-shard', fanout: 1, reasonIncludes: ['transactions', 'account_id = $1'] },
  { manifest: 'demo', sql: `SELECT a.account_id, a.owner_name, c.name AS currency_name FROM accounts a LEFT JOIN currencies c ON c.code = a.currency_code WHERE a.account_id = $1`, route: 'single-shard', fanout: 1, reasonIncludes: ['accounts', 'account_id = $1'] },
  { manifest: 'demo', sql: `SELECT transaction_id, amount, currency_code, created_at FROM transactions WHERE account_id = $1 ORDER BY created_at DESC, transaction_id DESC LIMIT 20`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT currency_code, sum(amount) AS total, count(*) AS n FROM transactions WHERE account_id = $1 GROUP BY currency_code`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT a.account_id, a.status FROM accounts a WHERE a.account_id = $1 AND EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = $1 AND p.kind = 'card')`, route: 'single-shard', fanout: 1, reasonIncludes: ['payment_methods', 'account_id = $1'] },
  { manifest: 'demo', sql: `BEGIN`, route: 'none', fanout: 0 },
  { manifest: 'demo', sql: `INSERT INTO payment_methods (account_id, payment_method_id, kind, last4, expires_on, created_at) VALUES ($1, $2, 'card', $3, $4, $5)`, route: 'single-shard', fanout: 1, reasonIncludes: ['payment_methods', 'account_id = $1'] },
  { manifest: 'demo', sql: `UPDATE transactions SET amount = $3 WHERE account_id = $1 AND transaction_id = $2`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `COMMIT`, route: 'none', fanout: 0 },
  { manifest: 'demo', sql: `UPDATE accounts SET status = 'closed' WHERE account_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `DELETE FROM payment_methods WHERE account_id = $1 AND payment_method_id = $2`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT code, name, minor_units FROM currencies WHERE code = $1`, route: 'reference', fanout: 1, reasonIncludes: 'currencies' },
  { manifest: 'demo', sql: `SELECT name, enabled FROM feature_flags ORDER BY name`, route: 'standard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT action, at FROM audit_log WHERE account_id = $1 ORDER BY at DESC LIMIT 50`, route: 'standard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT 1`, route: 'none', fanout: 0 },
];

/** fixtures/demo/queries/bad.sql, every statement, in order. */
const demoBad: Case[] = [
  { manifest: 'demo', sql: `SELECT transaction_id, amount, created_at FROM transactions WHERE merchant_id = $1`, route: 'all-shards', fanout: 16, reasonIncludes: ['transactions', 'account_id'] },
  { manifest: 'demo', sql: `SELECT account_id, owner_name FROM accounts WHERE account_id > 10`, route: 'all-shards', fanout: 16, reasonIncludes: ['accounts', 'account_id', 'range'] },
  { manifest: 'demo', sql: `SELECT account_id, status FROM accounts WHERE account_id IN (1, 2, 3)`, route: 'multi-shard', fanout: 3, reasonIncludes: ['accounts', 'account_id', 'IN (1, 2, 3)'] },
  { manifest: 'demo', sql: `SELECT t.transaction_id, t.amount, m.name AS merchant_name FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = $1`, route: 'all-shards', fanout: 16, reasonIncludes: ['merchants', 'merchant_id'] },
  // The AWS transitivity trap on the demo schema: the fix names ledger_entries' shard key.
  { manifest: 'demo', sql: `SELECT a.account_id, t.transaction_id, l.entry_id, l.amount FROM accounts a JOIN transactions t ON t.account_id = a.account_id JOIN ledger_entries l ON l.transaction_id = t.transaction_id WHERE a.account_id = $1`, route: 'all-shards', fanout: 16, reasonIncludes: ['ledger_entries', 'transaction_id', 'l.account_id ='] },
  { manifest: 'demo', sql: `SELECT l.action, l.at, a.owner_name FROM audit_log l JOIN accounts a ON a.account_id = l.account_id WHERE a.account_id = $1`, route: 'router', fanout: 2, reasonIncludes: ['audit_log', 'router'] },
  { manifest: 'demo', sql: `SELECT transaction_id, amount, created_at FROM transactions WHERE account_id = $1 AND created_at > now() - interval '1 day'`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'now()' },
  // The route of a shard-key UPDATE is that of its WHERE; rejecting it is the no-shard-key-update rule's job.
  { manifest: 'demo', sql: `UPDATE transactions SET account_id = $2 WHERE account_id = $1 AND transaction_id = $3`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `UPDATE currencies SET minor_units = 2 WHERE code = 'JPY'`, route: 'reference', fanout: 16, reasonIncludes: ['currencies', 'every shard'] },
  { manifest: 'demo', sql: `DELETE FROM transactions WHERE created_at < $1`, route: 'all-shards', fanout: 16, reasonIncludes: ['transactions', 'account_id'] },
  { manifest: 'demo', sql: `SET statement_timeout = '5s'`, route: 'none', fanout: 0 },
  { manifest: 'demo', sql: `SELECT set_config('app.user', $1, false)`, route: 'none', fanout: 0 },
  { manifest: 'demo', sql: `SELECT pg_advisory_lock(42)`, route: 'none', fanout: 0 },
  { manifest: 'demo', sql: `CREATE TEMP TABLE recent_account_ids (account_id bigint PRIMARY KEY)`, route: 'none', fanout: 0 },
  { manifest: 'demo', sql: `SELECT * FROM transactions WHERE account_id = $1 ORDER BY transaction_id DESC LIMIT 20`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT * FROM transactions WHERE account_id = $1 AND transaction_id > $2 ORDER BY transaction_id LIMIT 100`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `LISTEN payments`, route: 'none', fanout: 0 },
  { manifest: 'demo', sql: `SELEC * FROM accounts`, route: 'parse-error', fanout: 0 },
  { manifest: 'demo', sql: `SELECT refund_id, amount FROM refunds WHERE account_id = $1`, route: 'unknown', fanout: 16, reasonIncludes: ['refunds', 'not in the manifest'] },
];

export const cases: Case[] = [
  ...typedValues,
  ...demoGood,
  ...demoBad,

  // ----- docs/limitless/routing.md#single-shard-optimization: the AWS transitivity worked example, exactly ------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers c, orders o, order_details od WHERE c.customer_id = 1 AND c.customer_id = o.customer_id AND od.order_id = o.order_id`, route: 'all-shards', fanout: 16, reasonIncludes: ['order_details', 'customer_id', 'od.customer_id ='] },
  { manifest: 'aws', sql: `SELECT * FROM customers c, orders o, order_details od WHERE c.customer_id = 1 AND c.customer_id = o.customer_id AND od.order_id = o.order_id AND o.customer_id = od.customer_id`, route: 'single-shard', fanout: 1, reasonIncludes: ['order_details', 'customer_id = 1'] },
  // The same with JOIN syntax.
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o ON c.customer_id = o.customer_id JOIN order_details od ON od.order_id = o.order_id WHERE c.customer_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['order_details', 'order_id', 'od.customer_id ='] },
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o ON c.customer_id = o.customer_id JOIN order_details od ON od.order_id = o.order_id AND od.customer_id = o.customer_id WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  // The pin may come from any occurrence of the chain, here from the ON clause of an inner join.
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o ON o.customer_id = c.customer_id AND o.customer_id = $1 JOIN order_details od ON od.customer_id = o.customer_id`, route: 'single-shard', fanout: 1 },
  // A join on a non-shard-key column never carries the pin.
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o ON o.order_id = c.customer_id WHERE c.customer_id = $1`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders', 'order_id'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN customers c2 ON c2.referrer = c.customer_id WHERE c.customer_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers c2', 'referrer'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c, customers c2 WHERE c.customer_id = 1 AND c2.customer_id = c.customer_id`, route: 'single-shard', fanout: 1 },

  // ----- docs/limitless/routing.md#single-shard-optimization: the examples marked "Single Shard Optimized" ---------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 100`, route: 'single-shard', fanout: 1, reasonIncludes: ['customers', 'customer_id = 100'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN products p ON p.product_id = c.favorite_product WHERE customer_id = 11`, route: 'single-shard', fanout: 1, reasonIncludes: ['customers', 'customer_id = 11'] },
  { manifest: 'aws', sql: `INSERT INTO customers (customer_id, name) VALUES (1, 'a')`, route: 'single-shard', fanout: 1, reasonIncludes: ['customers', 'customer_id = 1'] },
  { manifest: 'aws', sql: `UPDATE customers SET balance = 0 WHERE customer_id = 100`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `DELETE FROM customers WHERE customer_id = 100 AND balance = 0`, route: 'single-shard', fanout: 1 },

  // ----- docs/limitless/routing.md#in-lists-or-and-ranges: IN lists, ANY, OR, ranges ------------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN (40)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN (40, 41, 42)`, route: 'multi-shard', fanout: 3, reasonIncludes: ['customers', 'customer_id'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id BETWEEN 40 AND 42`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers', 'customer_id', 'BETWEEN'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN ($1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN ($1, $2)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN ($1, $1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN (1, 1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = ANY(ARRAY[1, 2])`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = ANY(ARRAY[7])`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = ANY($1)`, route: 'multi-shard', fanout: 16, reasonIncludes: ['customers', 'ANY($1)'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = ANY('{1,2,3}')`, route: 'multi-shard', fanout: 3 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 OR customer_id = 2`, route: 'multi-shard', fanout: 2, reasonIncludes: ['customers', 'customer_id'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 OR customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE (customer_id = 1 AND name = 'a') OR (customer_id = 2 AND name = 'b')`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE (customer_id = 1 AND name = 'a') OR (customer_id = 1 AND name = 'b')`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IN (1, 2) OR customer_id = 3`, route: 'multi-shard', fanout: 3 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE (customer_id = 1 OR customer_id = 2) AND customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 AND (name = 'a' OR name = 'b')`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o ON o.customer_id = c.customer_id WHERE c.customer_id IN (1, 2)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id <> 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers', 'customer_id', '<>'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id NOT IN (1, 2)`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'NOT IN'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id LIKE '1%'`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'LIKE'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id >= 1 AND customer_id <= 3`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'range'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IS NULL`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'NULL'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id IS NOT DISTINCT FROM 1`, route: 'all-shards', fanout: 16, reasonIncludes: 'customer_id' },
  // A range next to an equality does not spoil the equality.
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id > 1 AND customer_id = 5`, route: 'single-shard', fanout: 1 },
  // Fan-out is capped at the manifest's shard count.
  { manifest: 'shards4', sql: `SELECT * FROM items WHERE item_id IN (1, 2, 3, 4, 5, 6)`, route: 'multi-shard', fanout: 4 },
  { manifest: 'shards4', sql: `SELECT * FROM items WHERE item_id IN (1, 2)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'shards4', sql: `SELECT * FROM items WHERE item_id = ANY($1)`, route: 'multi-shard', fanout: 4 },
  { manifest: 'shards4', sql: `SELECT * FROM items`, route: 'all-shards', fanout: 4, reasonIncludes: ['items', 'item_id'] },
  { manifest: 'shards4', sql: `DELETE FROM items WHERE item_id > 3`, route: 'all-shards', fanout: 4 },

  // ----- Things that look pinned but are not (soundness) -------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id::text = '1'`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers', 'customer_id', 'cast'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE CAST(customer_id AS text) = '1'`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'cast'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id + 0 = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'expression'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE abs(customer_id) = 1`, route: 'all-shards', fanout: 16, reasonIncludes: 'customer_id' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE NOT (customer_id <> 1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE NOT (customer_id = 1)`, route: 'all-shards', fanout: 16, reasonIncludes: 'customer_id' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 OR name = 'x'`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'OR'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = (SELECT 1)`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'subquery'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = (SELECT customer_id FROM orders WHERE order_id = 5)`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers', 'subquery'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id IN (SELECT customer_id FROM orders WHERE order_id = 5)`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers c', 'subquery'] },
  { manifest: 'aws', sql: `UPDATE customers c SET name = 'x' WHERE c.customer_id = (SELECT customer_id FROM orders WHERE order_id = 1 AND customer_id = 1)`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers c', 'subquery'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = random()::int`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'random()', 'volatile'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = my_fn('x')`, route: 'all-shards', fanout: 16, reasonIncludes: ['customer_id', 'my_fn'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE true`, route: 'all-shards', fanout: 16 },
  // Two different parameters: may be two shards (a join across them runs on the router).
  { manifest: 'aws', sql: `SELECT * FROM customers c, orders o WHERE c.customer_id = $1 AND o.customer_id = $2`, route: 'router', fanout: 2, reasonIncludes: ['customers c', 'orders o', 'differ'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = $1 AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = $2)`, route: 'multi-shard', fanout: 2, reasonIncludes: ['orders o', 'differ'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c, orders o WHERE c.customer_id IN (1, 2) AND o.customer_id IN (3, 4)`, route: 'router', fanout: 4 },
  // The same parameter, or the same constant, on both occurrences is one shard.
  { manifest: 'aws', sql: `SELECT * FROM customers c, orders o WHERE c.customer_id = $1 AND o.customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c, orders o WHERE c.customer_id = 1 AND o.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o ON o.customer_id = c.customer_id WHERE c.customer_id = $1 AND o.customer_id = $2`, route: 'single-shard', fanout: 1 },

  // ----- Values the router can compute before choosing a shard ------------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE 1 = customer_id`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE (customer_id) = (1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = $1::bigint`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = CAST($1 AS bigint)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = '42'`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = -1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = abs(-5)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = $1 + 1`, route: 'single-shard', fanout: 1 },
  // A user function's result type is unknown: if it is not the key's type, the column is cast (no pruning).
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = my_hash('x')`, route: 'all-shards', fanout: 16, reasonIncludes: ['my_hash', 'cast the value'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = my_hash('x')::bigint`, route: 'single-shard', fanout: 1 },
  // A STABLE value prunes only at execution time.
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = now()::int`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'now()' },

  // ----- docs/limitless/routing.md#fast-path-restrictions: functions and the fast path ------------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 AND created_at > now()`, route: 'single-shard-routed', fanout: 1, reasonIncludes: ['now()', 'STABLE'] },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 AND created_at > current_timestamp`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'CURRENT_TIMESTAMP' },
  { manifest: 'aws', sql: `SELECT random() FROM customers WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: ['random()', 'VOLATILE'] },
  { manifest: 'aws', sql: `SELECT gen_random_uuid() FROM customers WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'gen_random_uuid()' },
  { manifest: 'aws', sql: `SELECT nextval('s') FROM customers WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'nextval()' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 AND clock_timestamp() > created_at`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'clock_timestamp()' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 ORDER BY random()`, route: 'single-shard-routed', fanout: 1 },
  { manifest: 'aws', sql: `SELECT to_char(created_at, 'YYYY') FROM customers WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'to_char()' },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 AND name = current_user`, route: 'single-shard-routed', fanout: 1 },
  { manifest: 'aws', sql: `SELECT my_fn(name) FROM customers WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: ['my_fn()', 'manifest'] },
  { manifest: 'aws', sql: `UPDATE customers SET updated_at = now() WHERE customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'now()' },
  { manifest: 'aws', sql: `SELECT * FROM generate_series(now(), now() + interval '1 day', interval '1 hour') g, customers c WHERE c.customer_id = 1`, route: 'single-shard-routed', fanout: 1 },
  // Immutable functions, and those the manifest declares immutable or distributed, keep the fast path.
  { manifest: 'aws', sql: `SELECT upper(name), count(*) FROM customers WHERE customer_id = 1 GROUP BY name`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 AND name = lower('X')`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT my_hash(name) FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT credit(customer_id, 2) FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 AND created_at > $1::timestamptz`, route: 'single-shard', fanout: 1 },
  // ANALYZER DISAGREES (precision): generate_series(1, 3) resolves to generate_series(int4, int4),
  // which is IMMUTABLE in pg_proc; only the timestamp overloads are STABLE. docs/limitless/routing.md#fast-path-restrictions: an
  // immutable function keeps SSO. The analyzer answers single-shard-routed ("not immutable in
  // every overload") although integer literal arguments leave no overload doubt.
  { manifest: 'aws', sql: `SELECT generate_series(1, 3) FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  // ANALYZER DISAGREES: docs/limitless/routing.md#distributed-functions — a call of a distributed function is pushed to the shard of
  // its shard-key argument ("Foreign Scan … Remote SQL: SELECT func(...) … Single Shard
  // Optimized"). The analyzer answers `none` x0 ("touches no table").
  { manifest: 'aws', sql: `SELECT credit(1, 2)`, route: 'single-shard', fanout: 1, reasonIncludes: 'credit' },
  { manifest: 'aws', sql: `SELECT credit($1, 2)`, route: 'single-shard', fanout: 1, reasonIncludes: 'credit' },
  // A user function the manifest does not declare, with no table: its body is not analysed.
  { manifest: 'aws', sql: `SELECT my_fn(1)`, route: 'unknown', fanout: 16, reasonIncludes: 'my_fn()' },
  { manifest: 'aws', sql: `SELECT now()`, route: 'none', fanout: 0 },

  // ----- Correlated subqueries: pinned only through the outer query ----------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = $1 AND EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)`, route: 'single-shard-routed', fanout: 1, reasonIncludes: ['orders o', 'outer query'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.customer_id)`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'orders o' },
  { manifest: 'aws', sql: `SELECT (SELECT count(*) FROM orders o WHERE o.customer_id = c.customer_id) FROM customers c WHERE c.customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'orders o' },
  { manifest: 'aws', sql: `UPDATE customers c SET balance = (SELECT sum(total) FROM orders o WHERE o.customer_id = c.customer_id) WHERE c.customer_id = $1`, route: 'single-shard-routed', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM orders o WHERE customer_id = 1 AND EXISTS (SELECT 1 FROM order_details od WHERE od.customer_id = o.customer_id)`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'order_details od' },
  // Repeating the equality inside the subquery restores the fast path.
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = 1)`, route: 'single-shard', fanout: 1 },
  // Outer query unpinned: both scatter.
  { manifest: 'aws', sql: `SELECT (SELECT count(*) FROM orders o WHERE o.customer_id = c.customer_id) FROM customers c`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = $1 AND EXISTS (SELECT 1 FROM orders o WHERE o.order_id = c.last_order)`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders o', 'order_id'] },

  // ----- Subqueries, CTEs, set operations: every part analysed ---------------------------------
  { manifest: 'aws', sql: `WITH o AS (SELECT * FROM orders WHERE customer_id = 1) SELECT * FROM o`, route: 'single-shard', fanout: 1 },
  // PostgreSQL inlines a CTE referenced once and pushes the filter into it, where it prunes (checked by
  // verify --local); a MATERIALIZED or twice-referenced CTE is scanned whole (docs/limitless/routing.md).
  { manifest: 'aws', sql: `WITH o AS (SELECT * FROM orders) SELECT * FROM o WHERE customer_id = 1`, route: 'single-shard', fanout: 1, reasonIncludes: ['orders', 'customer_id = 1'] },
  { manifest: 'aws', sql: `WITH o AS MATERIALIZED (SELECT * FROM orders) SELECT * FROM o WHERE customer_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders', 'customer_id'] },
  { manifest: 'aws', sql: `WITH o AS (SELECT * FROM orders) SELECT * FROM o WHERE customer_id = 1 UNION ALL SELECT * FROM o`, route: 'all-shards', fanout: 16 },
  // PostgreSQL inlines a copy per reference; the analyzer has one copy, so it stays on the safe side.
  { manifest: 'aws', sql: `WITH o AS NOT MATERIALIZED (SELECT * FROM orders) SELECT * FROM o WHERE customer_id = 1 UNION ALL SELECT * FROM o WHERE customer_id = 1`, route: 'all-shards', fanout: 16 },
  // Filters on derived tables, UNION ALL and grouped subqueries are pushed down; not past LIMIT or a window.
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id, count(*) FROM orders GROUP BY customer_id) s WHERE customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id, product_id, count(*) FROM orders GROUP BY product_id, customer_id) s WHERE s.customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id FROM orders UNION ALL SELECT customer_id FROM customers) s WHERE customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id FROM orders UNION SELECT customer_id FROM customers) s WHERE customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT * FROM orders LIMIT 10) s WHERE s.customer_id = $1`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id, row_number() OVER () AS n FROM orders) s WHERE customer_id = $1`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id, row_number() OVER (PARTITION BY customer_id) AS n FROM orders) s WHERE customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id, row_number() OVER w AS n FROM orders WINDOW w AS (PARTITION BY product_id)) s WHERE customer_id = $1`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT customer_id AS k FROM orders) s WHERE k IN (1, 2)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `WITH a AS (SELECT * FROM orders WHERE customer_id = 1), b AS (SELECT * FROM a) SELECT * FROM b`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `WITH RECURSIVE r AS (SELECT customer_id, 1 AS d FROM customers WHERE customer_id = 1 UNION ALL SELECT r.customer_id, d + 1 FROM r WHERE d < 3) SELECT * FROM r`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `WITH x AS (UPDATE orders SET qty = 1 WHERE customer_id = 1 RETURNING *) SELECT * FROM x`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `WITH x AS (DELETE FROM orders WHERE qty = 0 RETURNING *) SELECT * FROM x`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders', 'customer_id'] },
  { manifest: 'aws', sql: `WITH x AS (INSERT INTO orders (customer_id, order_id) VALUES (1, 1) RETURNING *) SELECT * FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `WITH x AS (INSERT INTO orders (customer_id, order_id) VALUES (2, 1) RETURNING *) SELECT * FROM customers WHERE customer_id = 1`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `WITH x AS (INSERT INTO products (product_id) VALUES (1) RETURNING *) SELECT * FROM customers WHERE customer_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['products', 'every shard'] },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT * FROM orders WHERE customer_id = 3) sub`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM (SELECT * FROM orders) sub WHERE sub.customer_id = 3`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND c.customer_id IN (SELECT o.customer_id FROM orders o WHERE o.customer_id = 1)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND c.name = (SELECT name FROM customers WHERE customer_id = 2)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `SELECT p.*, (SELECT count(*) FROM orders o WHERE o.customer_id = 1) FROM products p`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `UPDATE customers SET name = (SELECT name FROM products WHERE id = 1) WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 UNION ALL SELECT * FROM customers WHERE customer_id = 2`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 UNION SELECT * FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 UNION SELECT * FROM customers`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT customer_id FROM orders WHERE customer_id = 1 INTERSECT SELECT customer_id FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT c.customer_id FROM customers c WHERE c.customer_id = 1 EXCEPT SELECT p.owner FROM products p`, route: 'single-shard', fanout: 1 },

  // ----- CTE names that shadow tables -----------------------------------------------------------
  { manifest: 'aws', sql: `WITH customers AS (SELECT 1 AS customer_id) SELECT * FROM customers`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `WITH customers AS (SELECT * FROM products) SELECT * FROM customers`, route: 'reference', fanout: 1 },
  // A schema-qualified name is never a CTE.
  { manifest: 'aws', sql: `WITH customers AS (SELECT 1 AS customer_id) SELECT * FROM public.customers`, route: 'all-shards', fanout: 16 },
  // A CTE defined in a subquery is not visible outside it.
  { manifest: 'aws', sql: `SELECT (WITH orders AS (SELECT 1 AS x) SELECT x FROM orders) FROM orders`, route: 'all-shards', fanout: 16 },
  { manifest: 'demo', sql: `WITH accounts AS (SELECT * FROM currencies) SELECT * FROM accounts`, route: 'reference', fanout: 1 },
  // The CTE's pin holds for its output column, and the join carries it to payment_methods.
  { manifest: 'demo', sql: `WITH accounts AS (SELECT account_id FROM transactions WHERE account_id = $1) SELECT * FROM accounts a JOIN payment_methods p ON p.account_id = a.account_id`, route: 'single-shard', fanout: 1, reasonIncludes: ['payment_methods', 'account_id = $1'] },
  // ANALYZER DISAGREES (soundness): in a non-recursive WITH, a CTE's own name inside its body is the
  // real table (PostgreSQL: without RECURSIVE a WITH query sees only the sibling WITH queries
  // before it). `orders` inside the body is the sharded table, unfiltered: every shard
  // (docs/limitless/routing.md#ctes-and-subqueries). The analyzer binds it to the CTE and answers `none` x0.
  { manifest: 'aws', sql: `WITH orders AS (SELECT * FROM orders) SELECT * FROM orders`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders', 'customer_id'] },
  // ANALYZER DISAGREES: same binding error; the body reads orders pinned to 7 (single-shard), the analyzer says `none` x0.
  { manifest: 'aws', sql: `WITH orders AS (SELECT * FROM orders WHERE customer_id = 7) SELECT * FROM orders`, route: 'single-shard', fanout: 1 },
  // ANALYZER DISAGREES (soundness): `b` inside `a` is a forward reference, so it is the table b,
  // which the manifest does not have → unknown (docs/architecture.md: unknown table). The analyzer binds it to
  // the later CTE b and answers single-shard.
  { manifest: 'aws', sql: `WITH a AS (SELECT * FROM b), b AS (SELECT * FROM orders WHERE customer_id = 1) SELECT * FROM a`, route: 'unknown', fanout: 16, reasonIncludes: 'b' },

  // ----- Aliases, qualified and quoted names, search_path ---------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM "customers" WHERE "customer_id" = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM CUSTOMERS WHERE CUSTOMER_ID = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM "Customers" WHERE customer_id = 1`, route: 'unknown', fanout: 16, reasonIncludes: 'Customers' },
  { manifest: 'aws', sql: `SELECT * FROM public.customers WHERE public.customers.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customers.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM other.customers WHERE customer_id = 1`, route: 'unknown', fanout: 16, reasonIncludes: 'other.customers' },
  // An alias hides the table name: customers.customer_id does not refer to x (PostgreSQL rejects it), so nothing pins x.
  { manifest: 'aws', sql: `SELECT * FROM customers x WHERE customers.customer_id = 1`, route: 'all-shards', fanout: 16 },
  { manifest: 'schemas', sql: `SELECT * FROM users WHERE user_id = 1`, route: 'single-shard', fanout: 1, reasonIncludes: ['users', 'user_id = 1'] },
  { manifest: 'schemas', sql: `SELECT * FROM app.users WHERE app.users.user_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'schemas', sql: `SELECT * FROM "app"."users" WHERE "user_id" = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'schemas', sql: `SELECT * FROM "APP"."USERS" WHERE user_id = 1`, route: 'unknown', fanout: 16 },
  { manifest: 'schemas', sql: `SELECT * FROM public.users WHERE user_id = 1`, route: 'standard', fanout: 1 },
  { manifest: 'schemas', sql: `SELECT * FROM users u JOIN public.users pu ON pu.id = u.user_id WHERE u.user_id = 1`, route: 'router', fanout: 2, reasonIncludes: ['public.users', 'router'] },
  // search_path [app, public]: app.settings is not in the manifest, public.settings is.
  { manifest: 'schemas', sql: `SELECT * FROM settings`, route: 'standard', fanout: 1 },
  { manifest: 'schemas', sql: `SELECT * FROM app.settings`, route: 'unknown', fanout: 16, reasonIncludes: 'app.settings' },
  // billing is not on the search_path.
  { manifest: 'schemas', sql: `SELECT * FROM invoices WHERE user_id = 1`, route: 'unknown', fanout: 16, reasonIncludes: 'invoices' },
  { manifest: 'schemas', sql: `SELECT * FROM billing.invoices WHERE user_id = 1`, route: 'single-shard', fanout: 1, reasonIncludes: 'billing.invoices' },
  { manifest: 'schemas', sql: `SELECT * FROM billing.invoices i JOIN users u ON u.user_id = i.user_id WHERE u.user_id = $1`, route: 'single-shard', fanout: 1, reasonIncludes: ['billing.invoices i', 'user_id = $1'] },
  { manifest: 'schemas', sql: `SELECT * FROM billing.invoices JOIN users u ON u.user_id = invoices.user_id WHERE billing.invoices.user_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'schemas', sql: `SELECT * FROM billing.invoices i JOIN users u ON u.user_id = i.user_id WHERE billing.invoices.user_id = $1`, route: 'all-shards', fanout: 16 },
  { manifest: 'schemas', sql: `SELECT * FROM "App"."UserEvents" WHERE "UserId" = 1`, route: 'single-shard', fanout: 1, reasonIncludes: ['UserEvents', 'UserId = 1'] },
  // Unquoted names fold to lower case: userid is not "UserId", App.UserEvents is app.userevents.
  { manifest: 'schemas', sql: `SELECT * FROM "App"."UserEvents" WHERE userid = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['UserEvents', 'UserId'] },
  { manifest: 'schemas', sql: `SELECT * FROM App.UserEvents WHERE "UserId" = 1`, route: 'unknown', fanout: 16 },
  { manifest: 'schemas', sql: `SELECT * FROM "UserEvents" WHERE "UserId" = 1`, route: 'unknown', fanout: 16 },
  { manifest: 'schemas', sql: `SELECT * FROM "App"."UserEvents" e JOIN app.users u ON u.user_id = e."UserId" WHERE u.user_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'schemas', sql: `SELECT * FROM users u JOIN countries c ON c.code = u.country WHERE u.user_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'schemas', sql: `SELECT * FROM users u JOIN settings s ON s.k = u.k WHERE u.user_id = 1`, route: 'router', fanout: 2, reasonIncludes: ['settings', 'router'] },
  { manifest: 'schemas', sql: `UPDATE billing.invoices SET paid = true WHERE user_id = $1 AND invoice_id = $2`, route: 'single-shard', fanout: 1 },
  { manifest: 'schemas', sql: `INSERT INTO "App"."UserEvents" ("UserId", kind) VALUES ($1, 'x')`, route: 'single-shard', fanout: 1 },
  { manifest: 'schemas', sql: `INSERT INTO "App"."UserEvents" (userid, kind) VALUES ($1, 'x')`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'UserId' },
  { manifest: 'schemas', sql: `DELETE FROM public.users WHERE id = 1`, route: 'standard', fanout: 1 },

  // ----- Unqualified columns: resolved only without guessing -------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o USING (customer_id) WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c NATURAL JOIN orders o WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  // Ambiguous (both tables have customer_id): not resolved, so nothing is pinned.
  { manifest: 'aws', sql: `SELECT * FROM customers c, orders o WHERE customer_id = 1`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN orders o ON o.customer_id = c.customer_id WHERE customer_id = 1`, route: 'all-shards', fanout: 16 },
  // Only customers can have it (were products to have it too, PostgreSQL would reject the statement).
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN products p ON p.id = c.fav WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  // The innermost scope wins: customer_id is order_details'.
  { manifest: 'aws', sql: `SELECT * FROM orders o WHERE o.customer_id = 1 AND EXISTS (SELECT 1 FROM order_details od WHERE customer_id = 1)`, route: 'single-shard', fanout: 1 },
  // products (columns unknown) may have a customer_id: the subquery's column is not the outer one.
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE EXISTS (SELECT 1 FROM products p WHERE customer_id = 1)`, route: 'all-shards', fanout: 16 },

  // ----- Derived tables, LATERAL, VALUES, set-returning functions ------------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers c, LATERAL (SELECT * FROM orders o WHERE o.customer_id = c.customer_id) x WHERE c.customer_id = 1`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'orders o' },
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN LATERAL (SELECT * FROM orders o WHERE o.customer_id = c.customer_id LIMIT 3) x ON true WHERE c.customer_id = 1`, route: 'single-shard-routed', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c, LATERAL (SELECT * FROM orders o WHERE o.customer_id = c.customer_id) x`, route: 'all-shards', fanout: 16 },
  { manifest: 'demo', sql: `SELECT * FROM accounts a, LATERAL (SELECT * FROM transactions t WHERE t.account_id = a.account_id AND t.account_id = $1) x WHERE a.account_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM products p JOIN LATERAL (SELECT * FROM orders o WHERE o.customer_id = 1 AND o.product_id = p.id) x ON true`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM (VALUES (1), (2)) v(id) JOIN customers c ON c.customer_id = v.id`, route: 'all-shards', fanout: 16, reasonIncludes: 'customers c' },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND c.x IN (VALUES (1), (2))`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM generate_series(1, 3) g JOIN customers c ON c.customer_id = g`, route: 'all-shards', fanout: 16, reasonIncludes: 'customer_id' },
  { manifest: 'aws', sql: `SELECT * FROM unnest($1::int[]) u(id) JOIN customers c ON c.customer_id = u.id`, route: 'all-shards', fanout: 16 },

  // ----- docs/limitless/routing.md#joins: joins with reference tables ------------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM products p JOIN customers c ON c.fav = p.id WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c CROSS JOIN products p WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  // docs/limitless/routing.md#single-shard-optimization (Cartesian product): a cross join of two sharded tables needs a pin on both.
  { manifest: 'aws', sql: `SELECT * FROM customers c CROSS JOIN orders o WHERE c.customer_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders o', 'customer_id'] },
  // reference RIGHT JOIN sharded is sharded LEFT JOIN reference: the reference side is null-padded.
  { manifest: 'aws', sql: `SELECT * FROM products p RIGHT JOIN customers c ON c.fav = p.id WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND EXISTS (SELECT 1 FROM products p WHERE p.product_id = c.favorite_product)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM products p WHERE p.id IN (SELECT fav FROM customers WHERE customer_id = 1)`, route: 'single-shard', fanout: 1 },
  // The sharded side is null-padded against a reference table: not pushed down.
  { manifest: 'aws', sql: `SELECT * FROM products p LEFT JOIN customers c ON c.fav = p.id AND c.customer_id = 1`, route: 'router', fanout: 1, reasonIncludes: ['reference LEFT JOIN sharded'] },
  // A strict WHERE predicate on the null-padded sharded side turns the outer join into an inner one
  // (a FULL JOIN into a LEFT JOIN that pads the reference side): pushed down again.
  { manifest: 'aws', sql: `SELECT * FROM customers c RIGHT JOIN products p ON c.favorite_product = p.product_id WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c FULL JOIN products p ON c.favorite_product = p.product_id WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c RIGHT JOIN products p ON c.favorite_product = p.product_id AND c.customer_id = 1`, route: 'router', fanout: 1, reasonIncludes: 'null-padded' },
  { manifest: 'aws', sql: `SELECT * FROM customers c RIGHT JOIN products p ON c.favorite_product = p.product_id WHERE c.customer_id IS NULL OR c.customer_id = 1`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND NOT EXISTS (SELECT 1 FROM products p WHERE p.product_id = c.favorite_product)`, route: 'router', fanout: 1, reasonIncludes: 'anti-join' },
  { manifest: 'aws', sql: `SELECT * FROM customers c WHERE c.customer_id = 1 AND c.favorite_product NOT IN (SELECT product_id FROM products)`, route: 'router', fanout: 1, reasonIncludes: 'anti-join' },
  { manifest: 'aws', sql: `SELECT * FROM products p WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.fav = p.id AND c.customer_id = 1)`, route: 'router', fanout: 1, reasonIncludes: 'anti-join' },
  { manifest: 'aws', sql: `DELETE FROM customers c WHERE c.customer_id = 1 AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = c.fav)`, route: 'router', fanout: 1 },
  // Unpinned and null-padded: the most distributed part wins.
  { manifest: 'aws', sql: `SELECT * FROM products p LEFT JOIN customers c ON c.fav = p.id`, route: 'all-shards', fanout: 16 },
  // ANALYZER DISAGREES: `x <> ALL (subquery)` is exactly `NOT IN (subquery)` (PostgreSQL parses
  // NOT IN as NOT (= ANY)); the analyzer routes the NOT IN form to the router as an anti-join
  // (docs/limitless/routing.md#joins) but answers single-shard for this spelling.
  { manifest: 'aws', sql: `SELECT * FROM products p WHERE p.id <> ALL (SELECT fav FROM customers WHERE customer_id = 1)`, route: 'router', fanout: 1, reasonIncludes: 'anti-join' },
  // ANALYZER DISAGREES: the derived table is pulled up, so this is reference LEFT JOIN sharded with
  // the sharded side null-padded (docs/limitless/routing.md#joins: not pushed down). The analyzer only looks at the
  // derived table's own mode and answers single-shard.
  { manifest: 'aws', sql: `SELECT * FROM products p LEFT JOIN (SELECT * FROM orders WHERE customer_id = 1) x ON x.product_id = p.id`, route: 'router', fanout: 1 },
  // ANALYZER DISAGREES: PostgreSQL turns `LEFT JOIN … WHERE inner.key IS NULL` (the key strict in
  // the join condition) into an Anti Join, the same plan as NOT EXISTS; docs/limitless/routing.md#joins (PAPER):
  // sharded × reference anti-joins are not pushed down. The analyzer answers single-shard here
  // while it answers router for the NOT EXISTS spelling.
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN products p ON p.id = c.fav WHERE p.id IS NULL AND c.customer_id = 1`, route: 'router', fanout: 1 },

  // ----- Outer joins between sharded tables ------------------------------------------------------
  // The pin is only in the ON clause of a LEFT JOIN: it filters the null-padded side, not the preserved one.
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND c.customer_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers c', 'customer_id'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.customer_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers c', 'customer_id'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1 },
  // A strict WHERE condition on the null-padded side turns the LEFT JOIN into an inner join.
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id WHERE o.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.customer_id = 1 WHERE o.order_id = 5`, route: 'single-shard', fanout: 1 },
  // ANALYZER DISAGREES (soundness), four cases: a WHERE condition on the null-padded side that is
  // NOT strict (IS NULL, IS DISTINCT FROM, an OR with a preserved-side branch, coalesce) keeps the
  // outer join, so customers c is restricted by nothing and every shard is read (docs/limitless/routing.md#single-shard-optimization:
  // every sharded table needs a filter or shard-key join predicate that restricts it).
  // The analyzer imports orders' ON-clause pin into customers through the WHERE condition and
  // answers single-shard. (The first query returns every customer except customer 1.)
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.customer_id = 1 WHERE o.customer_id IS NULL`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers c', 'customer_id'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.customer_id = 1 WHERE o.customer_id IS DISTINCT FROM 2`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM customers c LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.customer_id = 1 WHERE o.customer_id = 1 OR c.name = 'x'`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM orders o RIGHT JOIN customers c ON o.customer_id = c.customer_id AND o.customer_id = 1 WHERE coalesce(o.customer_id, 0) = 0`, route: 'all-shards', fanout: 16 },
  // FULL JOIN: neither side is restricted by the ON clause.
  { manifest: 'aws', sql: `SELECT * FROM customers c FULL JOIN orders o ON o.customer_id = c.customer_id AND c.customer_id = 1`, route: 'all-shards', fanout: 16 },
  // A strict WHERE on one side drops the rows the other side pads: PostgreSQL plans a one-sided join, and
  // the ON equality carries the pin (checked by verify --local).
  { manifest: 'aws', sql: `SELECT * FROM customers c FULL JOIN orders o ON o.customer_id = c.customer_id WHERE c.customer_id = 1`, route: 'single-shard', fanout: 1, reasonIncludes: ['orders o', 'customer_id = 1'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c FULL JOIN orders o USING (customer_id) WHERE customer_id = $1`, route: 'single-shard', fanout: 1, reasonIncludes: ['orders o', 'customer_id = $1'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c FULL JOIN orders o USING (customer_id) WHERE o.customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers c FULL JOIN orders o ON o.customer_id = c.customer_id WHERE c.customer_id = 1 OR o.customer_id = 2`, route: 'all-shards', fanout: 16 },
  // A semi-join carries the pin when planning: PostgreSQL derives o.customer_id = $1.
  { manifest: 'aws', sql: `SELECT * FROM customers a WHERE a.customer_id = $1 AND a.customer_id IN (SELECT o.customer_id FROM orders o)`, route: 'single-shard', fanout: 1, reasonIncludes: ['orders o', 'customer_id = $1'] },
  { manifest: 'aws', sql: `SELECT * FROM customers a WHERE a.customer_id = $1 OR a.customer_id IN (SELECT o.customer_id FROM orders o)`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM customers a WHERE a.customer_id = $1 AND a.customer_id NOT IN (SELECT o.customer_id FROM orders o)`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `SELECT * FROM customers c FULL JOIN orders o ON o.customer_id = c.customer_id WHERE c.customer_id = 1 AND o.customer_id = 1`, route: 'single-shard', fanout: 1 },

  // ----- Collocation groups ------------------------------------------------------------------------
  { manifest: 'demo', sql: `SELECT * FROM transactions t JOIN merchants m ON m.merchant_id = t.merchant_id WHERE t.account_id = $1 AND m.merchant_id = $2`, route: 'router', fanout: 2, reasonIncludes: ['merchants m', 'collocation group'] },
  { manifest: 'demo', sql: `SELECT * FROM transactions t WHERE t.account_id = $1 AND t.merchant_id IN (SELECT merchant_id FROM merchants WHERE merchant_id = $2)`, route: 'multi-shard', fanout: 2, reasonIncludes: ['merchants', 'collocation group'] },
  { manifest: 'demo', sql: `WITH t AS (SELECT * FROM transactions WHERE account_id = $1) SELECT * FROM t JOIN merchants m ON m.merchant_id = t.merchant_id`, route: 'all-shards', fanout: 16, reasonIncludes: ['merchants m', 'merchant_id'] },
  { manifest: 'demo', sql: `SELECT * FROM accounts a JOIN countries c ON c.code = a.country JOIN currencies cu ON cu.code = a.currency_code WHERE a.account_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `SELECT * FROM events e JOIN tenants t ON t.tenant_id = e.tenant_id WHERE e.tenant_id = 1 AND e.region = 'eu'`, route: 'router', fanout: 2, reasonIncludes: ['tenants t', 'collocation group'] },

  // ----- Multi-column shard keys: every column is needed --------------------------------------------
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE tenant_id = 1 AND region = 'eu'`, route: 'single-shard', fanout: 1, reasonIncludes: ['events', 'tenant_id = 1', "region = 'eu'"] },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE tenant_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['events', 'region'] },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE region = 'eu'`, route: 'all-shards', fanout: 16, reasonIncludes: ['events', 'tenant_id'] },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE tenant_id = $1 AND region = $2`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE (tenant_id, region) = (1, 'eu')`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE (tenant_id, region) IN ((1, 'eu'))`, route: 'single-shard', fanout: 1 },
  // PostgreSQL's hash pruning needs every column of a compound key in each OR arm (or row): a list on
  // one column prunes nothing (checked against the planner by verify --local).
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE tenant_id = 1 AND region IN ('eu', 'us')`, route: 'all-shards', fanout: 16, reasonIncludes: ['region', 'compound shard key (tenant_id, region)'] },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE tenant_id IN (1, 2) AND region IN ('eu', 'us')`, route: 'all-shards', fanout: 16, reasonIncludes: 'compound shard key' },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE (tenant_id = 1 OR tenant_id = 2) AND region = 'eu'`, route: 'all-shards', fanout: 16, reasonIncludes: 'compound shard key' },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE tenant_id IN (1, 2) AND region = 'eu'`, route: 'all-shards', fanout: 16, reasonIncludes: ['tenant_id IN (1, 2)', '(tenant_id, region) IN'] },
  // ANALYZER DISAGREES (fan-out precision), two cases: two (tenant_id, region) pairs are at most two
  // shard-key values, so at most 2 shards (docs/limitless/routing.md#in-lists-or-and-ranges: pruned to the partitions hit; docs/architecture.md:
  // fan-out k). The analyzer multiplies the per-column counts and answers 4.
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE (tenant_id, region) IN ((1, 'eu'), (2, 'us'))`, route: 'multi-shard', fanout: 2 },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE (tenant_id = 1 AND region = 'eu') OR (tenant_id = 2 AND region = 'us')`, route: 'multi-shard', fanout: 2 },
  { manifest: 'multikey', sql: `SELECT * FROM events WHERE tenant_id = 1 AND region LIKE 'e%'`, route: 'all-shards', fanout: 16, reasonIncludes: ['region', 'LIKE'] },
  { manifest: 'multikey', sql: `SELECT * FROM events e JOIN event_tags t ON t.tenant_id = e.tenant_id AND t.region = e.region WHERE e.tenant_id = 1 AND e.region = 'eu'`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `SELECT * FROM events e JOIN event_tags t ON t.tenant_id = e.tenant_id WHERE e.tenant_id = 1 AND e.region = 'eu'`, route: 'all-shards', fanout: 16, reasonIncludes: ['event_tags t', 'region', 't.region = e.region'] },
  { manifest: 'multikey', sql: `SELECT * FROM events e JOIN event_tags t ON t.tenant_id = e.tenant_id AND t.event_id = e.event_id WHERE e.tenant_id = 1 AND e.region = 'eu' AND t.region = 'eu'`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `SELECT * FROM events e JOIN event_tags t USING (tenant_id, region) WHERE tenant_id = 1 AND region = 'eu'`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `SELECT * FROM events e JOIN regions r ON r.code = e.region WHERE e.tenant_id = 1 AND e.region = 'eu'`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `INSERT INTO events (tenant_id, region, id) VALUES (1, 'eu', 5)`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `INSERT INTO events (tenant_id, id) VALUES (1, 5)`, route: 'single-shard-routed', fanout: 1, reasonIncludes: ['events', 'region'] },
  { manifest: 'multikey', sql: `INSERT INTO events (tenant_id, region, id) VALUES (1, 'eu', 5), (1, 'us', 6)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'multikey', sql: `INSERT INTO events (tenant_id, region, id) VALUES (1, 'eu', 5), (1, 'eu', 6)`, route: 'single-shard', fanout: 1 },
  { manifest: 'multikey', sql: `UPDATE events SET x = 1 WHERE tenant_id = 1`, route: 'all-shards', fanout: 16, reasonIncludes: ['events', 'region'] },
  { manifest: 'multikey', sql: `DELETE FROM event_tags WHERE region = 'eu' AND tenant_id = $1`, route: 'single-shard', fanout: 1 },

  // ----- docs/limitless/routing.md#writes: INSERT ------------------------------------------------------------------
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES (1, 10), (1, 11)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES ($1, 10), ($1, 11)`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES (1, 10), (2, 11)`, route: 'multi-shard', fanout: 2, reasonIncludes: 'orders' },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES ($1, 10), ($2, 11)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES (1, 10), (1, 11), (2, 12)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'shards4', sql: `INSERT INTO items (item_id) VALUES (1), (2), (3), (4), (5)`, route: 'multi-shard', fanout: 4 },
  // One row is one shard, but the router picks it only at execution time.
  { manifest: 'aws', sql: `INSERT INTO orders (order_id) VALUES (10)`, route: 'single-shard-routed', fanout: 1, reasonIncludes: ['orders', 'customer_id'] },
  { manifest: 'aws', sql: `INSERT INTO orders VALUES (1, 10)`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'column list' },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES (nextval('s'), 1)`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'nextval()' },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id, created_at) VALUES (1, 10, now())`, route: 'single-shard-routed', fanout: 1, reasonIncludes: 'now()' },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES (1, 10) RETURNING *`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) VALUES (1, 10) ON CONFLICT (customer_id, order_id) DO UPDATE SET qty = orders.qty + 1`, route: 'single-shard', fanout: 1 },
  // INSERT … SELECT within one pinned tenant of one collocation group stays on its shard; otherwise it
  // runs through the router, or everywhere when its SELECT scatters.
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) SELECT customer_id, 1 FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1, reasonIncludes: 'customer_id = 1 (from the SELECT)' },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) SELECT c.customer_id, o.order_id FROM customers c JOIN order_details o ON o.customer_id = c.customer_id WHERE c.customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) SELECT customer_id, 1 FROM customers WHERE customer_id IN (1, 2)`, route: 'router', fanout: 16, reasonIncludes: 'rows produced by a SELECT' },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) SELECT * FROM (VALUES (1, 2)) v`, route: 'router', fanout: 16 },
  // A SELECT of expressions without FROM is one row; a set-returning function makes it several.
  { manifest: 'demo', sql: `INSERT INTO transactions (account_id, transaction_id, amount) SELECT $1, nextval('transactions_transaction_id_seq'), $2`, route: 'single-shard-routed', fanout: 1 },
  { manifest: 'demo', sql: `INSERT INTO accounts (account_id) SELECT generate_series(1, 10)`, route: 'router', fanout: 16 },
  { manifest: 'aws', sql: `INSERT INTO orders (customer_id, order_id) SELECT customer_id, 1 FROM customers`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers', 'customer_id'] },
  { manifest: 'demo', sql: `INSERT INTO transactions (account_id, amount, created_at) VALUES ($1, $2, now()) RETURNING transaction_id`, route: 'single-shard-routed', fanout: 1 },
  { manifest: 'demo', sql: `INSERT INTO audit_log (account_id, action) VALUES ($1, 'x')`, route: 'standard', fanout: 1 },
  { manifest: 'demo', sql: `INSERT INTO audit_log (account_id, action) SELECT account_id, 'x' FROM accounts WHERE account_id = $1`, route: 'router', fanout: 2, reasonIncludes: 'audit_log' },

  // ----- docs/limitless/routing.md#writes: UPDATE / DELETE, UPDATE … FROM, DELETE … USING ----------------------------
  { manifest: 'aws', sql: `UPDATE customers SET name = 'x'`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers', 'customer_id'] },
  { manifest: 'aws', sql: `UPDATE customers SET name = 'x' WHERE customer_id IN (1, 2)`, route: 'multi-shard', fanout: 2 },
  { manifest: 'aws', sql: `DELETE FROM customers WHERE customer_id = ANY($1)`, route: 'multi-shard', fanout: 16 },
  { manifest: 'aws', sql: `DELETE FROM customers WHERE customer_id = 1 RETURNING *`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `UPDATE orders o SET status = 'x' FROM customers c WHERE c.customer_id = 1 AND o.customer_id = c.customer_id`, route: 'single-shard', fanout: 1, reasonIncludes: ['orders o', 'customer_id = 1'] },
  { manifest: 'aws', sql: `UPDATE orders o SET status = 'x' FROM customers c WHERE c.customer_id = 1 AND o.order_id = c.last_order`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders o', 'order_id', 'o.customer_id ='] },
  { manifest: 'aws', sql: `UPDATE orders o SET status = 'x' FROM products p WHERE p.product_id = o.product_id AND o.customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `DELETE FROM orders o USING customers c WHERE c.customer_id = 1 AND o.customer_id = c.customer_id`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `DELETE FROM orders o USING customers c WHERE c.customer_id = 1 AND o.order_id = c.last_order`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders o', 'order_id'] },
  { manifest: 'aws', sql: `DELETE FROM orders o USING products p WHERE p.product_id = o.product_id AND p.discontinued`, route: 'all-shards', fanout: 16, reasonIncludes: ['orders o', 'customer_id'] },
  { manifest: 'demo', sql: `UPDATE accounts a SET status = 'x' FROM audit_log l WHERE l.account_id = a.account_id AND a.account_id = $1`, route: 'router', fanout: 2, reasonIncludes: 'audit_log' },

  // ----- Writes to reference tables touch every shard; TRUNCATE; COPY -------------------------------
  { manifest: 'aws', sql: `INSERT INTO products (product_id, name) VALUES (1, 'x')`, route: 'reference', fanout: 16, reasonIncludes: ['products', 'every shard'] },
  { manifest: 'aws', sql: `DELETE FROM products WHERE product_id = 1`, route: 'reference', fanout: 16 },
  { manifest: 'aws', sql: `INSERT INTO products (product_id) SELECT product_id FROM products`, route: 'reference', fanout: 16 },
  { manifest: 'aws', sql: `TRUNCATE products`, route: 'reference', fanout: 16 },
  { manifest: 'aws', sql: `UPDATE products SET name = 'y' FROM customers c WHERE c.customer_id = 1 AND c.favorite_product = products.product_id`, route: 'all-shards', fanout: 16, reasonIncludes: ['products', 'every shard'] },
  { manifest: 'shards4', sql: `UPDATE tags SET name = 'x' WHERE tag_id = 1`, route: 'reference', fanout: 4, reasonIncludes: ['tags', '4'] },
  { manifest: 'aws', sql: `TRUNCATE customers`, route: 'all-shards', fanout: 16, reasonIncludes: 'customers' },
  { manifest: 'aws', sql: `TRUNCATE customers, products`, route: 'all-shards', fanout: 16 },
  { manifest: 'shards4', sql: `TRUNCATE items`, route: 'all-shards', fanout: 4 },
  { manifest: 'aws', sql: `COPY customers FROM STDIN`, route: 'all-shards', fanout: 16, reasonIncludes: 'customers' },
  { manifest: 'aws', sql: `COPY customers TO STDOUT`, route: 'all-shards', fanout: 16 },
  { manifest: 'aws', sql: `COPY (SELECT * FROM customers WHERE customer_id = 1) TO STDOUT`, route: 'single-shard', fanout: 1 },

  // ----- MERGE (the target is joined to a preserved source) --------------------------------------
  { manifest: 'aws', sql: `MERGE INTO orders o USING (SELECT * FROM customers WHERE customer_id = 1) c ON o.customer_id = 1 AND o.order_id = c.last_order WHEN MATCHED THEN DELETE`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `MERGE INTO orders o USING products p ON o.customer_id = 1 AND o.product_id = p.product_id WHEN MATCHED THEN UPDATE SET price = p.price`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `MERGE INTO orders o USING (VALUES (1, 10)) v(cid, oid) ON o.customer_id = 1 AND o.order_id = v.oid WHEN MATCHED THEN DELETE`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `MERGE INTO orders o USING customers c ON o.customer_id = c.customer_id WHEN NOT MATCHED THEN INSERT (customer_id, order_id) VALUES (c.customer_id, 1)`, route: 'all-shards', fanout: 16 },
  // The ON condition restricts only the target: the source customers is read whole.
  { manifest: 'aws', sql: `MERGE INTO orders o USING customers c ON o.customer_id = c.customer_id AND c.customer_id = 1 WHEN MATCHED THEN DELETE`, route: 'all-shards', fanout: 16, reasonIncludes: ['customers c', 'customer_id'] },

  // ----- docs/limitless/tables.md#table-types: standard tables ------------------------------------------------
  { manifest: 'demo', sql: `SELECT * FROM audit_log a JOIN feature_flags f ON f.name = a.action`, route: 'standard', fanout: 1 },
  { manifest: 'demo', sql: `UPDATE feature_flags SET enabled = true WHERE name = $1`, route: 'standard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT * FROM audit_log a JOIN currencies c ON c.code = a.currency`, route: 'router', fanout: 2, reasonIncludes: ['audit_log', 'currencies'] },
  { manifest: 'demo', sql: `SELECT * FROM accounts WHERE account_id = $1 AND EXISTS (SELECT 1 FROM feature_flags WHERE name = 'x' AND enabled)`, route: 'router', fanout: 2, reasonIncludes: 'feature_flags' },
  { manifest: 'demo', sql: `SELECT * FROM accounts a JOIN audit_log l ON l.account_id = a.account_id`, route: 'all-shards', fanout: 16, reasonIncludes: ['accounts', 'account_id'] },
  { manifest: 'demo', sql: `SELECT * FROM countries c JOIN currencies cu ON cu.code = c.currency`, route: 'reference', fanout: 1 },

  // ----- Tables missing from the manifest ----------------------------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN refunds r ON r.customer_id = c.customer_id WHERE c.customer_id = 1`, route: 'unknown', fanout: 16, reasonIncludes: ['refunds', 'not in the manifest'] },
  { manifest: 'aws', sql: `SELECT * FROM customers c JOIN refunds r ON r.customer_id = c.customer_id`, route: 'all-shards', fanout: 16, reasonIncludes: 'refunds' },
  { manifest: 'shards4', sql: `SELECT * FROM nope`, route: 'unknown', fanout: 4 },

  // ----- System catalogs ------------------------------------------------------------------------------
  { manifest: 'aws', sql: `SELECT * FROM pg_class`, route: 'none', fanout: 0, reasonIncludes: 'pg_class' },
  { manifest: 'aws', sql: `SELECT * FROM pg_catalog.pg_tables`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `SELECT * FROM information_schema.tables`, route: 'none', fanout: 0 },
  // ANALYZER DISAGREES: the catalog is read on the router, so the join with a shard's rows runs on
  // the router; docs/limitless/routing.md#single-shard-optimization gives SSO only when "all relations are sharded tables with a filtered
  // shard key on the same shard, or reference tables" — pg_class is neither. The analyzer answers
  // single-shard.
  { manifest: 'aws', sql: `SELECT c.relname FROM pg_class c JOIN customers cu ON cu.name = c.relname WHERE cu.customer_id = 1`, route: 'router', fanout: 1 },

  // ----- Utility statements, EXECUTE, DO, statements wrapping a query ------------------------------
  { manifest: 'aws', sql: `SET search_path = app`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `SET LOCAL rds_aurora.limitless_create_table_mode = 'sharded'`, route: 'none', fanout: 0 },
  // docs/limitless/tables.md#converting-tables: converting a table is a DDL operation, like CREATE INDEX.
  { manifest: 'aws', sql: `CALL rds_aurora.limitless_alter_table_type_sharded('public.customers', ARRAY['customer_id'])`, route: 'none', fanout: 0 },
  // ANALYZER DISAGREES (soundness): a procedure the manifest does not declare runs SQL that is not
  // analysed, exactly like DO or a call of an undeclared function (`SELECT my_fn(1)` → unknown);
  // docs/architecture.md: "unknown — cannot be decided statically … said honestly, never guessed". The analyzer
  // answers `none` x0, i.e. "touches no table", with no reason at all.
  { manifest: 'aws', sql: `CALL my_proc(1)`, route: 'unknown', fanout: 16, reasonIncludes: 'my_proc' },
  // ANALYZER DISAGREES (lower confidence): rds_aurora.limitless_distribute_function is the AWS
  // system function that registers a distributed function (docs/limitless/routing.md#distributed-functions), a catalog change like
  // DDL; it is not a user function to declare in the manifest. The analyzer answers `unknown` x16
  // and asks to declare it under functions.distributed or functions.immutable.
  { manifest: 'aws', sql: `SELECT rds_aurora.limitless_distribute_function('credit(integer, integer)', ARRAY['p_customer_id'], 'customers')`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `CREATE TABLE x (id int)`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `CREATE INDEX ON customers (name)`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `ALTER TABLE customers ADD COLUMN z int`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `VACUUM customers`, route: 'none', fanout: 0 },
  { manifest: 'aws', sql: `EXECUTE q(1)`, route: 'unknown', fanout: 16, reasonIncludes: 'EXECUTE' },
  { manifest: 'aws', sql: `DO $$ BEGIN PERFORM 1; END $$`, route: 'unknown', fanout: 16, reasonIncludes: 'DO' },
  { manifest: 'aws', sql: `PREPARE q AS SELECT * FROM customers WHERE customer_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `EXPLAIN SELECT * FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `DECLARE cur CURSOR FOR SELECT * FROM customers WHERE customer_id = 1`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `SELECT * FROM customers WHERE customer_id = 1 FOR UPDATE OF customers SKIP LOCKED`, route: 'single-shard', fanout: 1 },
  { manifest: 'aws', sql: `CREATE TABLE x AS SELECT * FROM customers WHERE customer_id = 1`, route: 'router', fanout: 1, reasonIncludes: 'CREATE TABLE AS' },
  { manifest: 'aws', sql: `SELECT * INTO x FROM customers WHERE customer_id = 1`, route: 'router', fanout: 1, reasonIncludes: 'SELECT INTO' },
  // Found by an adversarial review: values compared through a cast on the column, casts that change
  // a value, and the standard table's own shard.
  { manifest: 'demo', sql: `SELECT * FROM transactions WHERE account_id = 1.0`, route: 'all-shards', fanout: 16, reasonIncludes: ['1.0', 'of type numeric', 'declare the type of `account_id`'] },
  { manifest: 'demo', sql: `SELECT * FROM transactions WHERE account_id = $1::numeric`, route: 'all-shards', fanout: 16, reasonIncludes: ['of type numeric', 'declare the type of `account_id`'] },
  { manifest: 'demo', sql: `SELECT * FROM transactions WHERE account_id IN (1.0)`, route: 'all-shards', fanout: 16 },
  { manifest: 'demo', sql: `UPDATE transactions SET amount = 0 WHERE account_id = 2.0`, route: 'all-shards', fanout: 16 },
  { manifest: 'demo', sql: `SELECT * FROM transactions WHERE account_id = $1::int8`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT * FROM transactions t, ledger_entries l WHERE l.account_id = $1::varchar(1) AND t.account_id = $1`, route: 'router', fanout: 2 },
  // `"char"` (quoted) is PostgreSQL's one-byte type, not character(1): a bigint key has no operator for it.
  { manifest: 'demo', sql: `SELECT * FROM transactions t, ledger_entries l WHERE l.account_id = '12'::"char" AND t.account_id = '12'`, route: 'all-shards', fanout: 16, reasonIncludes: ['"char"'] },
  { manifest: 'demo', sql: `SELECT * FROM transactions t, ledger_entries l WHERE l.account_id = $1::bigint AND t.account_id = $1`, route: 'single-shard', fanout: 1 },
  { manifest: 'demo', sql: `SELECT * FROM transactions t JOIN audit_log a ON a.id = t.transaction_id WHERE t.account_id = 1`, route: 'router', fanout: 2 },
];

