import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sqlcConfigFor, sqlcQueryPaths } from './config.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/sqlc/', import.meta.url));

describe('sqlcQueryPaths', () => {
  it.each([
    ['version 2, one path', 'version: "2"\nsql:\n  - engine: postgresql\n    queries: query.sql\n    schema: schema.sql\n', ['/p/query.sql']],
    ['version 2, a list', 'version: "2"\nsql:\n  - engine: postgresql\n    queries: [a.sql, q/]\n', ['/p/a.sql', '/p/q']],
    ['version 1 (JSON)', '{"version":"1","packages":[{"name":"db","path":"db","queries":"./sql/","schema":"schema.sql","engine":"postgresql"}]}', ['/p/sql']],
    ['other engines are not PostgreSQL', 'version: "2"\nsql:\n  - engine: mysql\n    queries: my.sql\n  - engine: postgresql\n    queries: pg.sql\n', ['/p/pg.sql']],
    ['not a configuration', 'just: [text', []],
  ])('%s', (_name, text, expected) => {
    expect(sqlcQueryPaths(text, '/p/sqlc.yaml')).toEqual(expected);
  });
});

describe('sqlcConfigFor', () => {
  it('finds the configuration above a query file that it lists (a directory of queries)', () => {
    expect(sqlcConfigFor(`${fixtures}queries/accounts.sql`)).toBe(`${fixtures}sqlc.yaml`);
  });

  it('does not claim files the configuration does not list as queries', () => {
    expect(sqlcConfigFor(`${fixtures}numbered/accounts.sql`)).toBeUndefined();
    expect(sqlcConfigFor(`${fixtures}schema/001_schema.sql`)).toBeUndefined();
  });
});
