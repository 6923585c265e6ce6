import { Command, Option } from 'commander';
import { configure, parsePositive } from '../commands/options.js';
import { CliError } from '../util/errors.js';
import type { ExitCode } from '../util/exit-codes.js';
import type { CliIo } from '../util/io.js';
import { MAX_PARTITIONS } from './schema.js';

const EXAMPLES = `
Examples:
  $ limitless-lint verify --local fixtures/demo
  $ limitless-lint verify --local --config db/limitless.yaml migrations/ queries/ --format json

Builds the manifest's schema in an embedded PostgreSQL (no server: PGlite), every sharded table
hash-partitioned on its shard key with one partition per shard (at most ${MAX_PARTITIONS}), plans every
statement there and compares the partitions the plan touches with the static route. Column types come
from the manifest's columns:, then from the DDL in the given files, else defaults (docs/verify-local.md).
Exit code 1 when a verdict is unsafe (one shard claimed, several planned), 0 otherwise, 2 when it
could not run.
`;

/** `verify --local`: the static routes against PostgreSQL's partition pruning (verify-local/command.ts). */
export function verifyCommand(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  return configure(new Command('verify'), io)
    .description("Compare each statement's route with PostgreSQL's own partition pruning.")
    .argument('[paths...]', 'SQL or TypeScript/JavaScript files or directories (with the migrations that create the tables)')
    .option('--local', 'plan in an embedded PostgreSQL (the only mode so far; for a live database use explain --verify)')
    .option('-c, --config <file>', 'manifest (limitless.yaml); default: the nearest one above each file')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--all', 'list agreements too, not only disagreements')
    .option('--partitions <n>', `partitions per sharded table (default: the manifest's shard count, at most ${MAX_PARTITIONS})`, parsePositive)
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], options: { local?: boolean; config?: string; format: 'text' | 'json'; all?: boolean; partitions?: number }) => {
      if (options.local !== true) throw new CliError('verify needs --local (for a live database: explain --verify)');
      // Loaded only when this command runs: PGlite is large, and nothing else needs it.
      const { runVerifyLocal } = await import('./command.js');
      setExitCode(
        await runVerifyLocal(paths, { format: options.format, all: options.all === true, ...(options.config !== undefined && { config: options.config }), ...(options.partitions !== undefined && { maxPartitions: options.partitions }) }, io),
      );
    });
}
