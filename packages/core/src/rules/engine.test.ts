import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql } from '../analyze.js';
import { origins } from '../route/lineage.js';
import type { Block } from '../route/model.js';
import { loadParser } from '../sql/parser.js';
import { testManifest } from '../../test/rule-tester.js';
import type { RuleModule } from './types.js';
import { defineRule } from './types.js';

beforeAll(() => loadParser());

/** A rule that records what the engine's traversal hands its visitors. */
function recorder(seen: string[]): RuleModule {
  const label = (block: Block | undefined) => block?.label ?? '-';
  return defineRule({
    meta: {
      id: 'test-recorder',
      description: 'Records visits',
      category: 'housekeeping',
      defaultLevel: 'warn',
      facts: [],
      messages: { seen: 'seen' },
      note: '',
      help: '',
      examples: { invalid: [], valid: [] },
    },
    create: () => ({
      SelectStmt: (_node, block) => void seen.push(`select in ${label(block)}`),
      FuncCall: (node, block) => void seen.push(`call ${node.funcname?.map((n) => ('String' in n ? n.String.sval : '')).join('.')} in ${label(block)}`),
      UpdateStmt: (_node, block) => void seen.push(`update in ${label(block)}`),
      ColumnRef: (node, block) => {
        const names = (node.fields ?? []).flatMap((f) => ('String' in f ? [f.String.sval ?? ''] : []));
        if (!block || names.length !== 1) return;
        // The model's lineage, as a rule reads it.
        for (const rel of block.rels) {
          for (const o of origins({ rel, column: names[0] as string })) seen.push(`${names[0]} of ${rel.refName} from ${o.rel.display}.${o.column}`);
        }
      },
    }),
  });
}

function visits(sql: string): string[] {
  const seen: string[] = [];
  analyzeSql(sql, { manifest: testManifest(), rules: [recorder(seen)], cache: false });
  return seen;
}

describe('rules engine: node visitors in one traversal', () => {
  it('visits every SELECT, set-operation branches included, each with its own block', () => {
    expect(visits('SELECT 1 UNION ALL SELECT 2').filter((v) => v.startsWith('select'))).toEqual([
      'select in main',
      'select in main (set operation branch)',
      'select in main (set operation branch)',
    ]);
  });

  it('hands nodes inside a subquery the subquery’s block, parents first', () => {
    const seen = visits('UPDATE accounts SET status = lower($2) WHERE account_id = (SELECT max(account_id) FROM accounts)');
    expect(seen.filter((v) => !v.includes(' of '))).toEqual(['update in UPDATE', 'call lower in UPDATE', 'select in subquery', 'call max in subquery']);
  });

  it('runs no visitors on a statement that did not parse', () => {
    expect(visits('SELEC 1')).toEqual([]);
  });

  it('gives rules the lineage of derived tables, CTEs and set operations', () => {
    const seen = visits('WITH c AS (SELECT transaction_id AS t FROM transactions UNION SELECT entry_id FROM ledger_entries) SELECT t FROM c');
    expect(seen).toContain('t of c from transactions.transaction_id');
    expect(seen).toContain('t of c from ledger_entries.entry_id');
  });
});
