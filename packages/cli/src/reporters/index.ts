import { compact } from './compact.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { json } from './json.js';
import { junit } from './junit.js';
import type { Reporter } from './reporter.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';

/** The output formats, by `--format` name. */
export const reporters = { stylish, compact, json, sarif, github, gitlab, junit } satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof reporters;

/**
 * Whether a format needs every statement's fingerprint (`lintFiles(…, { statements: true })`) for
 * its line-independent finding fingerprints. Fingerprinting parses each statement a second time
 * (about 5–15 % more analysis time), so the other formats go without.
 */
export function reporterNeedsStatements(name: ReporterName): boolean {
  return name === 'sarif' || name === 'gitlab';
}
