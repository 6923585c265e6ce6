import { Command, InvalidArgumentError, Option } from 'commander';
import type { ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';
import { runLint } from './lint-command.js';
import type { ReporterName } from './reporters/index.js';
import { reporters } from './reporters/index.js';
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
  return new Command('limitless-lint')
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
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
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
}

function parseMaxWarnings(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Expected a whole number, 0 or more.');
  return Number(value);
}

/** https://no-color.org: set and not empty. */
function noColorRequested(env: CliIo['env']): boolean {
  return env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '';
}
