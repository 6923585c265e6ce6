/**
 * A known reason why the CLI cannot run (a missing path, an invalid manifest …). `main` prints the
 * message as one line, then each detail line, and exits 2; no stack trace.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** Further lines, e.g. one per problem in a manifest. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The analyzer threw while linting a file: a bug in limitless-lint. `main` names the file, then
 * rethrows the original error so its stack trace is printed.
 */
export class AnalyzerCrash extends Error {
  constructor(
    /** The file being linted, as displayed. */
    readonly file: string,
    cause: unknown,
  ) {
    super(`the analyzer crashed on ${file}`, { cause });
    this.name = 'AnalyzerCrash';
  }
}
