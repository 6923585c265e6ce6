import { CommanderError } from 'commander';
import { AnalyzerCrash, CliError } from './util/errors.js';
import { ExitCode } from './util/exit-codes.js';
import type { CliIo } from './util/io.js';
import { createProgram } from './commands/program.js';
import { printable } from './reporters/printable.js';

/**
 * Runs `limitless-lint` with `argv` (the arguments after the program name) and returns the exit
 * code; never exits the process and sets no global state. Known failures (bad usage, a missing
 * path, an invalid manifest) are printed as one line (plus detail lines) and give exit code 2.
 *
 * @throws the original error, after printing one line, when something unexpected fails (a bug).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = ExitCode.Clean;
  const program = createProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (or the help, or the version).
      return error.exitCode === 0 ? ExitCode.Clean : ExitCode.CouldNotRun;
    }
    if (error instanceof CliError) {
      // Messages quote paths and names from the user's files: no control character reaches the terminal.
      io.stderr.write(`limitless-lint: ${printable(error.message)}\n`);
      for (const line of error.details) io.stderr.write(`${printable(line)}\n`);
      return ExitCode.CouldNotRun;
    }
    if (error instanceof AnalyzerCrash) {
      io.stderr.write(`limitless-lint: internal error: ${error.message}; this is a bug, please report it with that file\n`);
      throw error.cause;
    }
    io.stderr.write('limitless-lint: internal error; this is a bug, please report it with the output below\n');
    throw error;
  }
}
