import type { Pool } from 'pg';

export async function openOrders(pool: Pool) {
  return pool.query("SELECT * FROM orders WHERE status = 'open'");
}

export async function byAccount(pool: Pool, accountId: number) {
  return pool.query('SELECT * FROM orders WHERE account_id = $1', [accountId]);
}

export async function pin(pool: Pool) {
  await pool.query('SET search_path = app');
}
