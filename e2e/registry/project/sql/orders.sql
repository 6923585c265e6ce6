-- One shard: the shard key is pinned.
SELECT * FROM orders WHERE account_id = $1;

-- Every shard: no equality on the shard key.
SELECT * FROM orders WHERE status = 'open';

-- Pins an RDS Proxy connection.
SET search_path = app;

-- Distributed sequence values are not ordered.
SELECT order_id FROM orders WHERE account_id = $1 ORDER BY order_id DESC LIMIT 10;
