import { Command, Option } from 'commander';
import type { CiOptions } from '../ci/ci-run.js';
import { DEFAULT_BASELINE } from '../ci/ci-run.js';
import type { ExitCode } from '../util/exit-codes.js';
import type { CliIo } from '../util/io.js';
import { adviseCommand } from './advise.js';
import { runExplain } from './explain.js';
import { runInit } from './init.js';
import { runLint } from './lint.js';
import type { ConnectionFlags } from '../live/commands.js';
import { addVerifyOptions, auditCommand, schemaCommand, verifyOption } from '../live/commands.js';
import type { ReporterName } from '../reporters/index.js';
import { reporters } from '../reporters/index.js';
import { runRules } from './rules.js';
import { packageVersion } from '../version.js';
import { verifyCommand } from '../verify-local/register.js';
import { collect, colorOptions, configure, parseCount, parsePositive, parseShards, useColor } from './options.js';

const EXAMPLES = `
Examples:
  $ limitless-lint                                  # every *.sql below .
  $ limitless-lint migrations/ queries/report.sql   # a directory and a file
  $ limitless-lint --config db/limitless.yaml sql/  # one manifest for all
  $ limitless-lint --max-warnings 0 sql/            # CI: fail on any warning
  $ limitless-lint --format json sql/ > lint.json   # machine-readable
  $ limitless-lint --format compact 'sql/**/*.sql'  # one line per finding: path:line:col: severity: message [rule]
  $ limitless-lint src/ --exclude '*.test.ts'       # SQL in TypeScript, without tests
  $ cat q.sql | limitless-lint - --stdin-filename db/q.sql   # standard input
  $ limitless-lint --update-baseline sql/           # adopt: accept today's findings
  $ limitless-lint --baseline limitless-lint-baseline.json sql/
  $ limitless-lint --changed-since origin/main --compare-to origin/main sql/

Each file is analysed with the nearest limitless.yaml (or limitless.yml) in
its directory or above it, unless --config names one. A file without one
stops the run (exit 2): write one with 'limitless-lint init --from-ddl
<migrations>', or lint with --no-manifest (only the rules that need none).

Paths may be globs, quoted: 'queries/**/*.sql'. Files above --max-file-size
(100 MiB for SQL, 10 MiB for TS/JS) are not linted.

Exit codes:
  0  no errors, and no more warnings than --max-warnings
  1  errors, or too many warnings
  2  could not run, or could not lint every file (bad option, missing path,
     no or invalid manifest, binary, unreadable or too large file, a TS/JS
     file that does not parse, an internal error)

Documentation: https://github.com/limitless-lint/limitless-lint/blob/main/docs/cli.md
`;

/** The options as commander parses them. */
interface ParsedOptions extends CiOptions {
  readonly config?: string;
  readonly manifest: boolean;
  readonly format: ReporterName;
  readonly color?: boolean;
  readonly quiet?: boolean;
  readonly include?: string[];
  readonly exclude?: string[];
  readonly gitignore: boolean;
  readonly stdinFilename?: string;
  readonly jobs?: number;
  readonly maxFileSize?: number;
  readonly progress: boolean;
  readonly sqlc?: boolean;
  readonly maxWarnings?: number;
  readonly outputFile?: string;
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
    .description('Static shard-locality linter for Aurora PostgreSQL Limitless: lints SQL files and the SQL in TypeScript/JavaScript files.')
    .argument('[paths...]', 'files, directories and quoted globs to lint, or - for standard input; directories are searched for *.sql and TS/JS files (default: .)')
    .option('-c, --config <file>', 'manifest (limitless.yaml) for every file, instead of the nearest one above each file')
    .option('--no-manifest', 'lint without a manifest: only the rules that need none (pinning, unsupported SQL, schema DDL, parse errors)')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(Object.keys(reporters)).default('stylish'),
    )
    .addOption(colorOptions()[0])
    .addOption(colorOptions()[1])    .option('--quiet', 'report errors only (warnings still count for --max-warnings)')
    .option('--max-warnings <n>', 'exit 1 when there are more than n warnings', parseCount)
    .option('--include <glob>', 'lint only files matching this glob, relative to the working directory (repeatable)', collect)
    .option('--exclude <glob>', 'do not lint files matching this glob, relative to the working directory (repeatable)', collect)
    .option('--no-gitignore', 'walk directories without applying .gitignore files')
    .option('--stdin-filename <path>', 'with - as the path: the file name standard input stands for (language, manifest, globs)')
    .option('--sqlc', 'read every .sql file as a sqlc query file (@name, sqlc.arg(name) … are parameters); by default only files with -- name: annotations or listed as queries in a sqlc.yaml')
    .option('-j, --jobs <n>', 'threads to lint on, at most one per CPU (default: one per CPU above 200 files or 5 MB, else 1)', parsePositive)
    .option('--max-file-size <MiB>', 'skip (and report) files larger than this (default: 100 for SQL, 10 for TS/JS)', parsePositive)
    .option('--no-progress', 'no progress bar (it is drawn on stderr only when it is a terminal, never in CI)')
    .option('-o, --output-file <file>', 'write the report to this file (atomically) instead of stdout')
    .option('--baseline <file>', 'hide the known findings listed in this baseline file; report its stale entries')
    .option('--update-baseline', `write every finding of this run to the baseline (--baseline, or ${DEFAULT_BASELINE}), pruning stale entries`)
    .option('--fail-on-stale-baseline', 'exit 1 when baseline entries no longer match any finding')
    .option('--changed-since <ref>', 'report only findings in statements changed since the merge base of <ref> and HEAD (git)')
    .option('--compare-to <ref>', 'print the locality diff: statements whose route got worse or better since <ref>, and new ones')
    .option('--summary-file <file>', 'append a Markdown summary (routes, problems, locality diff) to this file, e.g. $GITHUB_STEP_SUMMARY')
    .version(packageVersion(), '-v, --version', 'print the version')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], options: ParsedOptions) => {
      const code = await runLint(
        paths,
        {
          format: options.format,
          color: useColor(io, options.color),
          quiet: options.quiet === true,
          ...(options.config !== undefined && { config: options.config }),
          noManifest: !options.manifest,
          ...(options.maxWarnings !== undefined && { maxWarnings: options.maxWarnings }),
          select: {
            ...(options.include && { include: options.include }),
            ...(options.exclude && { exclude: options.exclude }),
            gitignore: options.gitignore,
            ...(options.stdinFilename !== undefined && { stdinFilename: options.stdinFilename }),
          },
          run: {
            ...(options.jobs !== undefined && { jobs: options.jobs }),
            ...(options.maxFileSize !== undefined && { maxFileSize: options.maxFileSize }),
            progress: options.progress,
            ...(options.sqlc === true && { sqlc: true }),
          },
          ...(options.outputFile !== undefined && { outputFile: options.outputFile }),
          ci: options,
        },
        io,
      );
      setExitCode(code);
    });
  program.addCommand(explainCommand(io, setExitCode));
  program.addCommand(initCommand(io, setExitCode));
  program.addCommand(schemaCommand(io, setExitCode));
  program.addCommand(auditCommand(io, setExitCode));
  program.addCommand(adviseCommand(io, setExitCode));
  program.addCommand(verifyCommand(io, setExitCode));
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
  return addVerifyOptions(configure(new Command('explain'), io))
    .description("Print each statement's Limitless route, fan-out and the reasons.")
    .argument('[paths...]', 'SQL or TypeScript/JavaScript files, directories, or - for standard input (SQL)')
    .option('-e, --eval <sql>', 'explain this SQL instead of files')
    .option('-c, --config <file>', 'manifest (limitless.yaml); default: the nearest one above each file (or the working directory)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addOption(colorOptions()[0])
    .addOption(colorOptions()[1])
    .addHelpText('after', EXPLAIN_EXAMPLES)
    .action(async (paths: string[], options: { eval?: string; config?: string; format: 'text' | 'json'; color?: boolean; verify?: boolean } & ConnectionFlags) => {
      const code = await runExplain(
        paths,
        {
          format: options.format,
          color: useColor(io, options.color),
          ...(options.eval !== undefined && { eval: options.eval }),
          ...(options.config !== undefined && { config: options.config }),
          ...verifyOption(options),
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
    .option('--advise', "propose shard keys from the DDL and the statements under . instead (limitless-lint advise; docs/advise.md)")
    .addHelpText('after', INIT_EXAMPLES)
    .action(async (paths: string[], options: { output: string; force?: boolean; shards?: number; advise?: boolean }) => {
      setExitCode(await runInit(paths, { output: options.output, force: options.force === true, ...(options.shards !== undefined && { shards: options.shards }), advise: options.advise === true }, io));
    });
}
