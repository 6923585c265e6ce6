export type {
  DistributedFunction,
  EmbeddedSqlConfig,
  Manifest,
  ManifestLocation,
  ManifestProblem,
  QualifiedName,
  RuleConfig,
  TableInfo,
  TableMode,
} from './types.js';
export { MAX_SHARDS, parseManifest, type ManifestResult } from './parse.js';
export {
  findManifest,
  formatManifestProblem,
  loadManifest,
  loadManifestSync,
  ManifestError,
  MANIFEST_FILE_NAMES,
  MAX_MANIFEST_BYTES,
  type LoadResult,
} from './load.js';
export { lookupTable, normalizeIdentifier, parseQualifiedName, tableKey } from './names.js';
