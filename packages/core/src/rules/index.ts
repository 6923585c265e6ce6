import invalidSuppression from './invalid-suppression.js';
import noCollocationMismatch from './no-collocation-mismatch.js';
import noCrossShardJoin from './no-cross-shard-join.js';
import noFastPathBreaker from './no-fast-path-breaker.js';
import noHotShardKey from './no-hot-shard-key.js';
import noMultiShardWrite from './no-multi-shard-write.js';
import noReferenceTableWrite from './no-reference-table-write.js';
import noSequenceOrdering from './no-sequence-ordering.js';
import noSessionPinning from './no-session-pinning.js';
import noShardKeyUpdate from './no-shard-key-update.js';
import noUnsupportedFeature from './no-unsupported-feature.js';
import parseError from './parse-error.js';
import requireShardKeyInUnique from './require-shard-key-in-unique.js';
import requireShardKey from './require-shard-key.js';
import type { RuleModule } from './types.js';
import unknownTable from './unknown-table.js';
import unusedSuppression from './unused-suppression.js';

/** The rule catalogue, in documentation order. Each rule's id is its file name. */
export const rules: readonly RuleModule[] = [
  // routing
  requireShardKey,
  noCrossShardJoin,
  noFastPathBreaker,
  noShardKeyUpdate,
  noReferenceTableWrite,
  noMultiShardWrite,
  // connections
  noSessionPinning,
  // sequences
  noSequenceOrdering,
  // schema
  requireShardKeyInUnique,
  noHotShardKey,
  noUnsupportedFeature,
  noCollocationMismatch,
  // housekeeping
  parseError,
  unknownTable,
  invalidSuppression,
  unusedSuppression,
];

const byId = new Map(rules.map((r) => [r.meta.id, r]));

/** The rule with this id, if there is one. */
export function getRule(id: string): RuleModule | undefined {
  return byId.get(id);
}

/** Rule ids the engine reports itself rather than through a rule's `check`. */
export const ENGINE_RULE_IDS: ReadonlySet<string> = new Set(['parse-error', 'invalid-suppression', 'unused-suppression']);
