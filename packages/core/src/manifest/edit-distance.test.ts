import { describe, expect, it } from 'vitest';
import { closestMatch, editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it.each([
    { a: 'shard_key', b: 'shard_key', expected: 0 },
    { a: 'shard_keys', b: 'shard_key', expected: 1 },
    { a: 'shareded', b: 'sharded', expected: 1 },
    { a: 'shard_kye', b: 'shard_key', expected: 1 },
    { a: '', b: 'abc', expected: 3 },
    { a: 'kitten', b: 'sitting', expected: 3 },
  ])('$a → $b: $expected', ({ a, b, expected }) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });
});

describe('closestMatch', () => {
  const keys = ['shards', 'search_path', 'tables', 'unknown_tables', 'functions', 'rules', 'embedded_sql', 'include', 'exclude'];

  it.each([
    { word: 'shard', expected: 'shards' },
    { word: 'Tables', expected: 'tables' },
    { word: 'unknown_table', expected: 'unknown_tables' },
    { word: 'embeded_sql', expected: 'embedded_sql' },
    { word: 'rule', expected: 'rules' },
    { word: 'database', expected: undefined },
    { word: 'x', expected: undefined },
  ])('$word → $expected', ({ word, expected }) => {
    expect(closestMatch(word, keys)).toBe(expected);
  });

  it('allows more edits for longer words: `warning` → `warn`', () => {
    expect(closestMatch('warning', ['off', 'info', 'warn', 'error'])).toBe('warn');
  });
});
