import { json } from './json.js';
import type { Reporter } from './reporter.js';
import { stylish } from './stylish.js';

/** The output formats, by `--format` name. */
export const reporters = { stylish, json } satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof reporters;
