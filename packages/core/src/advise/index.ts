export type {
  Advice,
  AdviceScore,
  AdviseConstraints,
  AdviseOptions,
  AdviseSchema,
  AdviseSource,
  AdvisedManifest,
  AdvisedStatement,
  AdvisedTable,
  ForeignKey,
  ScoredKind,
  StatementOutcome,
  TableRationale,
  UniqueChange,
  WorkloadRow,
} from './types.js';
export { EXHAUSTIVE_LIMIT, KEYS_PER_TABLE } from './types.js';
export type { DdlSource, SchemaFromDdl } from './schema.js';
export { adviseSchema, schemaFromDdl } from './schema.js';
export { AdviseError, MAX_ROUNDS, advise, scoreManifest } from './advise.js';
export type { RenderAdviceOptions } from './render.js';
export { because, describeManifest, percent, renderAdvice } from './render.js';
