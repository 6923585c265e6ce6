import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanVerdict } from '../../src/live/plan.js';
import { classifyPlan, compareWithPlan } from '../../src/live/plan.js';
import { repoRoot } from '../run-cli.js';

const plan = (file: string) => readFileSync(join(repoRoot, 'fixtures/live/plans', file), 'utf8');

describe('classifyPlan on the plans of AWS documentation and the blog post (fixtures/live/plans)', () => {
  // Each case: the fixture, the shard count of its cluster, and what the verifier must read from it.
  const cases: { file: string; shards: number; expected: Partial<PlanVerdict> }[] = [
    { file: 'sso-select.txt', shards: 4, expected: { kind: 'single-shard', fanout: 1, singleShardOptimized: true, partitions: [], relations: [] } },
    { file: 'sso-left-join-reference.txt', shards: 4, expected: { kind: 'single-shard', fanout: 1, singleShardOptimized: true, partitions: [], relations: [] } },
    { file: 'sso-update.txt', shards: 4, expected: { kind: 'single-shard', singleShardOptimized: true, partitions: ['public.customers_fs00001'], relations: ['public.customers'] } },
    { file: 'sso-delete.txt', shards: 4, expected: { kind: 'single-shard', singleShardOptimized: true, partitions: ['public.customers_fs00001'] } },
    { file: 'security-barrier-view.txt', shards: 4, expected: { kind: 'single-shard-routed', fanout: 1, singleShardOptimized: false, partitions: ['public.customers_fs00001'] } },
    { file: 'distributed-function.txt', shards: 4, expected: { kind: 'single-shard', fanout: 1, singleShardOptimized: true } },
    { file: 'shard-plans.txt', shards: 4, expected: { kind: 'single-shard', partitions: [], relations: [], remoteShards: ['postgres_s3'] } },
    { file: 'blog-in-one-value.txt', shards: 2, expected: { kind: 'single-shard', fanout: 1 } },
    { file: 'blog-in-three-values.txt', shards: 4, expected: { kind: 'multi-shard', fanout: 2, partitions: ['my_sharded_table_fs00001', 'my_sharded_table_fs00002'] } },
    { file: 'blog-range.txt', shards: 2, expected: { kind: 'all-shards', fanout: 2, singleShardOptimized: false } },
  ];
  for (const { file, shards, expected } of cases) {
    it(`${file}: ${expected.kind}`, () => {
      expect(classifyPlan(plan(file), { shards })).toMatchObject(expected);
    });
  }

  it('says what gave the verdict', () => {
    expect(classifyPlan(plan('sso-select.txt'), { shards: 4 }).evidence).toBe('the plan ends with Single Shard Optimized');
    expect(classifyPlan(plan('security-barrier-view.txt'), { shards: 4 }).evidence).toBe('one shard: public.customers_fs00001, without Single Shard Optimized');
    expect(classifyPlan(plan('blog-in-three-values.txt'), { shards: 16 }).evidence).toBe('2 of 16 shards: my_sharded_table_fs00001, my_sharded_table_fs00002');
  });

  it('counts shards, not partitions: collocated partitions with the same number are one shard', () => {
    const text = [
      'Nested Loop',
      '  ->  Foreign Scan on public.accounts_fs00003 a',
      '  ->  Foreign Scan on public.transactions_fs00003 t',
      'Query Identifier: -4601796954801339954',
    ].join('\n');
    expect(classifyPlan(text, { shards: 16 })).toMatchObject({ kind: 'single-shard-routed', fanout: 1, queryId: '-4601796954801339954' });
  });

  it('reads plain PostgreSQL scan nodes, not index names, function scans or Remote SQL', () => {
    const text = [
      'Append',
      '  ->  Bitmap Heap Scan on public.accounts_fs00001 accounts_1',
      '        ->  Bitmap Index Scan on accounts_fs00001_pkey',
      '  ->  Index Scan using accounts_fs00002_pkey on public.accounts_fs00002 accounts_2',
      '  ->  Function Scan on pg_catalog.generate_series g',
      '  ->  Foreign Scan on public."Odd Name_fs00004" o',
      '        Remote SQL: SELECT 1 FROM public.x_fs00009 on true',
    ].join('\n');
    expect(classifyPlan(text, { shards: 16 })).toMatchObject({
      kind: 'multi-shard',
      fanout: 3,
      partitions: ['public.accounts_fs00001', 'public.accounts_fs00002', 'public."Odd Name_fs00004"'],
      relations: [],
    });
  });

  it('leaves the fan-out of an INSERT into a sharded table unknown: its rows are routed when it runs', () => {
    const text = 'Insert on public.payment_methods\n  ->  Result\n        Output: 1';
    expect(classifyPlan(text, { shards: 4, shardedTables: new Set(['public.payment_methods']) })).toMatchObject({ kind: 'unknown', fanout: 4 });
    expect(classifyPlan(text, { shards: 4 })).toMatchObject({ kind: 'single-shard-routed', relations: ['public.payment_methods'] });
    expect(classifyPlan('Result\n  Output: 1', { shards: 4 })).toMatchObject({ kind: 'none', fanout: 0 });
  });
});

describe('compareWithPlan', () => {
  const verdict = (file: string, shards = 4) => classifyPlan(plan(file), { shards });

  it('agrees when the plan is what the route says', () => {
    expect(compareWithPlan('single-shard', 1, 4, verdict('sso-select.txt'), true)).toEqual({ outcome: 'agrees', note: 'agrees' });
    expect(compareWithPlan('single-shard-routed', 1, 4, verdict('security-barrier-view.txt'), true).outcome).toBe('agrees');
    expect(compareWithPlan('all-shards', 2, 2, verdict('blog-range.txt', 2), true).outcome).toBe('agrees');
    expect(compareWithPlan('multi-shard', 3, 16, verdict('blog-in-three-values.txt', 16), true).outcome).toBe('agrees');
  });

  it('lets a multi-shard route land on one shard: the sample values may hash together', () => {
    expect(compareWithPlan('multi-shard', 3, 16, verdict('blog-in-one-value.txt', 16), true)).toEqual({ outcome: 'agrees', note: 'agrees: the sample values fell on one shard' });
  });

  it('tells a wrong verdict (more distributed) from a conservative one (more local)', () => {
    expect(compareWithPlan('single-shard', 1, 2, verdict('blog-range.txt', 2), true)).toEqual({
      outcome: 'more-distributed',
      note: 'the plan is more distributed than single-shard: the static verdict is wrong here (please report it)',
    });
    expect(compareWithPlan('single-shard', 1, 4, verdict('security-barrier-view.txt'), true).outcome).toBe('more-distributed');
    expect(compareWithPlan('all-shards', 16, 16, verdict('sso-select.txt', 16), true)).toEqual({
      outcome: 'more-local',
      note: 'the plan is more local than all-shards: the static analysis was conservative here',
    });
  });

  it('compares one shard as one shard on a server without the footer', () => {
    expect(compareWithPlan('single-shard', 1, 4, verdict('security-barrier-view.txt'), false)).toEqual({
      outcome: 'agrees',
      note: 'agrees on one shard (this server does not print Single Shard Optimized)',
    });
  });

  it('does not compare what a plan cannot show', () => {
    expect(compareWithPlan('reference', 4, 4, verdict('sso-update.txt'), true).outcome).toBe('not-comparable');
    expect(compareWithPlan('unknown', 4, 4, verdict('sso-select.txt'), true).outcome).toBe('not-comparable');
    expect(compareWithPlan('router', 1, 4, verdict('security-barrier-view.txt'), true).outcome).toBe('agrees');
    expect(compareWithPlan('router', 1, 4, verdict('sso-select.txt'), true).outcome).toBe('more-local');
  });
});
