/** Standard input as the CLI reads it: `process.stdin`, or any stream of chunks in tests. */
export type InputStream = AsyncIterable<Uint8Array | string>;

/** Where the CLI writes: `process.stdout`/`process.stderr`, or string buffers in tests. */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal; colour is used only then. */
  readonly isTTY?: boolean;
  /** Terminal width, for help text. */
  readonly columns?: number;
}

/**
 * Everything the CLI takes from its process, passed in so that `main` reads no global state and
 * tests can run it in-process.
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Relative paths on the command line are resolved against this directory. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Standard input, read when `-` is given as the path (`process.stdin`). */
  readonly stdin?: InputStream;
}
