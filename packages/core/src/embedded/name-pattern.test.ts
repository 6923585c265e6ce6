import { parse } from '@typescript-eslint/typescript-estree';
import { describe, expect, it } from 'vitest';
import { dottedName, NameMatcher, NamePattern } from './name-pattern.js';

describe('NamePattern', () => {
  it.each([
    { pattern: '*.query', name: 'pool.query', matches: true },
    { pattern: '*.query', name: 'client.query', matches: true },
    { pattern: '*.query', name: 'this.query', matches: true },
    { pattern: '*.query', name: 'this.db.query', matches: false },
    { pattern: '*.query', name: 'query', matches: false },
    { pattern: '*.query', name: '<expression>.query', matches: true },
    { pattern: '**.query', name: 'this.db.query', matches: true },
    { pattern: '**.query', name: 'query', matches: true },
    { pattern: 'this.*.query', name: 'this.pool.query', matches: true },
    { pattern: 'db.execute', name: 'db.execute', matches: true },
    { pattern: 'db.execute', name: 'db.query', matches: false },
    { pattern: 'sql', name: 'sql', matches: true },
    { pattern: 'sql', name: 'sql.raw', matches: false },
    { pattern: 'Prisma.sql', name: 'Prisma.sql', matches: true },
    { pattern: '*.sql', name: 'Prisma.sql', matches: true },
    // A wildcard never matches the raw-text members of a tag library.
    { pattern: 'sql.*', name: 'sql.unsafe', matches: false },
    { pattern: 'sql.**', name: 'sql.raw', matches: false },
    { pattern: 'sql.*', name: 'sql.typeAlias', matches: true },
    // Named exactly, it does.
    { pattern: 'sql.unsafe', name: 'sql.unsafe', matches: true },
  ])('$pattern ~ $name: $matches', ({ pattern, name, matches }) => {
    expect(new NamePattern(pattern).matches(name)).toBe(matches);
  });

  it('derives the names whose members build fragments', () => {
    expect(new NameMatcher(['sql', 'Prisma.sql', '*.sql']).fragmentRoots()).toEqual(['sql', 'Prisma.sql', 'Prisma']);
  });
});

describe('dottedName', () => {
  it.each([
    { code: 'sql', name: 'sql' },
    { code: 'Prisma.sql', name: 'Prisma.sql' },
    { code: 'this.db.query', name: 'this.db.query' },
    { code: 'pool?.query', name: 'pool.query' },
    { code: "pool['query']", name: 'pool.query' },
    { code: 'pool!.query', name: 'pool.query' },
    { code: 'getPool().query', name: '<expression>.query' },
    { code: 'pool[name]', name: undefined },
  ])('$code', ({ code, name }) => {
    const statement = parse(code, { range: true }).body[0];
    if (statement?.type !== 'ExpressionStatement') throw new Error('expected an expression');
    expect(dottedName(statement.expression)).toBe(name);
  });
});
