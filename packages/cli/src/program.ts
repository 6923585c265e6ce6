import { Command, InvalidArgumentError, Option } from 'commander';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { runExplain } from './explain-command.js';
import { runInit } from './init-command.js';
import { runLint } from './lint-command.js';
import type { ReporterName } from './reporters/index.js';
import { reporters } from './reporters/index.js';
import { runRules } from './rules-command.js';
import { packageVersion } from './version.js';

const EXAMPLES = `
Examples:
  $ limitless-lint                                  # every *.sql below .
  $ limitless-lint migrations/ queries/report.sql   # a directory and a file
  $ limitless-lint --config db/limitless.yaml sql/  # one manifest for all
  $ limitless-lint --max-warnings 0 sql/            # CI: fail on any warning
  $ limitless-lint --format json sql/ > lint.json   # machine-readable

Each file is analysed with the nearest limitless.yaml (or limitless.yml) in
its directory or above it, unless --config names one.

Exit codes:
  0  no errors, and no more warnings than --max-warnings
  1  errors, or too many warnings
  2  could not run, or could not lint every file (bad option, missing path,
     invalid manifest, binary or unreadable file)

Documentation: https://github.com/limitless-lint/limitless-lint/blob/main/docs/cli.md
`;

/** The options as commander parses them. */
interface ParsedOptions {
  readonly config?: string;
  readonly format: ReporterName;
  readonly color: boolean;
  readonly quiet?: boolean;
  readonly maxWarnings?: number;
}

/**
 * Builds the `limitless-lint` command, fresh for each run so that tests can run it in-process. It
 * writes only to `io`, never exits the process: commander's exits become thrown `CommanderError`s
 * (`exitOverride`), and the lint run's exit code is passed to `setExitCode`.
 */
export function createProgram(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  const program = configure(new Command('limitless-lint'), io)
    // The lint command's options are read only before a subcommand, so `explain --config …` is explain's.
    .enablePositionalOptions()
    .description('Static shard-locality linter for Aurora PostgreSQL Limitless: lints SQL files.')
    .argument('[paths...]', 'files and directories to lint; directories are searched for *.sql (default: .)')
    .option('-c, --config <file>', 'manifest (limitless.yaml) for every file, instead of the nearest one above each file')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(Object.keys(reporters)).default('stylish'),
    )
    .option('--no-color', 'no colours (also when NO_COLOR is set or stdout is not a terminal)')
    .option('--quiet', 'report errors only (warnings still count for --max-warnings)')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', parseMaxWarnings)
    .version(packageVersion(), '-v, --version', 'print the version')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], options: ParsedOptions) => {
      const code = await runLint(
        paths,
        {
          format: options.format,
          color: options.color && io.stdout.isTTY === true && !noColorRequested(io.env),
          quiet: options.quiet === true,
          ...(options.config !== undefined && { config: options.config }),
          ...(options.maxWarnings !== undefined && { maxWarnings: options.maxWarnings }),
        },
        io,
      );
      setExitCode(code);
    });
  program.addCommand(explainCommand(io, setExitCode));
  program.addCommand(initCommand(io, setExitCode));
  program.addCommand(
    configure(new Command('rules'), io)
      .description('List the rule catalogue: id, default level, description.')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
      .addHelpText('after', '\nExamples:\n  $ limitless-lint rules\n  $ limitless-lint rules --format json\n')
      .action((options: { format: 'text' | 'json' }) => runRules(options.format, io)),
  );
  return program;
}

const EXPLAIN_EXAMPLES = `
Examples:
  $ limitless-lint explain queries/report.sql
  $ limitless-lint explain -e "SELECT * FROM transactions WHERE account_id = 42"
  $ limitless-lint explain --config db/limitless.yaml --format json sql/ > routes.json

Routes: single-shard (the fast path), single-shard-routed (one shard, fast path off),
multi-shard, all-shards (scatter-gather), reference, standard, router, none, unknown.
The JSON output is an array of { sql, file, line, column, route, fanout, reasons, tables }
(documented in docs/cli.md). Exit code 0 when every input was read, 2 otherwise.
`;

function explainCommand(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  return configure(new Command('explain'), io)
    .description("Print each statement's Limitless route, fan-out and the reasons.")
    .argument('[paths...]', 'SQL files or directories')
    .option('-e, --eval <sql>', 'explain this SQL instead of files')
    .option('-c, --config <file>', 'manifest (limitless.yaml); default: the nearest one above each file (or the working directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours')
    .addHelpText('after', EXPLAIN_EXAMPLES)
    .action(async (paths: string[], options: { eval?: string; config?: string; format: 'text' | 'json'; color: boolean }) => {
      const code = await runExplain(
        paths,
        {
          format: options.format,
          color: options.color && io.stdout.isTTY === true && !noColorRequested(io.env),
          ...(options.eval !== undefined && { eval: options.eval }),
          ...(options.config !== undefined && { config: options.config }),
        },
        io,
      );
      setExitCode(code);
    });
}

const INIT_EXAMPLES = `
Examples:
  $ limitless-lint init --from-ddl migrations/
  $ limitless-lint init --from-ddl migrations/ --output - | less
  $ limitless-lint init --from-ddl db/0001_init.sql db/0002_shard.sql --shards 32 --force

Files are replayed in the order given (directories sorted by path), as a Limitless session runs them:
SET / SET LOCAL / RESET of rds_aurora.limitless_create_table_mode, _shard_key and _collocate_with,
CREATE TABLE, CALL rds_aurora.limitless_alter_table_type_sharded / _reference, renames and drops.
`;

function initCommand(io: CliIo, setExitCode: (code: ExitCode) => void): Command {
  return configure(new Command('init'), io)
    .description('Write limitless.yaml from the DDL of your migrations.')
    .argument('<paths...>', 'migration files or directories, replayed in order')
    .requiredOption('--from-ddl', 'learn the tables from DDL (the only source so far)')
    .option('-o, --output <file>', 'where to write the manifest; - prints it', 'limitless.yaml')
    .option('--force', 'overwrite an existing manifest')
    .option('--shards <n>', 'shard count to write', parseShards)
    .addHelpText('after', INIT_EXAMPLES)
    .action(async (paths: string[], options: { output: string; force?: boolean; shards?: number }) => {
      setExitCode(await runInit(paths, { output: options.output, force: options.force === true, ...(options.shards !== undefined && { shards: options.shards }) }, io));
    });
}

function parseShards(value: string): number {
  if (!/^[1-9]\d*$/.test(value)) throw new InvalidArgumentError('Expected a positive whole number.');
  return Number(value);
}

/** Output, exits and help width shared by every command. */
function configure(command: Command, io: CliIo): Command {
  return command
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    });
}

function parseMaxWarnings(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Expected a whole number, 0 or more.');
  return Number(value);
}

/** https://no-color.org: set and not empty. */
function noColorRequested(env: CliIo['env']): boolean {
  return env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
}
