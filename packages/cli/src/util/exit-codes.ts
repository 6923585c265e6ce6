/**
 * The process exit codes, as in ESLint and knip: users' CI scripts already know them.
 *
 * - `Clean` (0): no errors, and no more warnings than `--max-warnings` allows.
 * - `Problems` (1): at least one error, or too many warnings.
 * - `CouldNotRun` (2): bad usage, a missing path, an invalid manifest, or a file that could not be
 *   linted (binary, not UTF-8, unreadable): the run did not lint everything it was asked to.
 */
export const ExitCode = {
  Clean: 0,
  Problems: 1,
  CouldNotRun: 2,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
