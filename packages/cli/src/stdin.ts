import { CliError } from './errors.js';

/** Standard input as the CLI reads it: `process.stdin`, or any stream of chunks in tests. */
export type InputStream = AsyncIterable<Uint8Array | string>;

/**
 * Reads standard input to its end, as bytes (decoded later with the same checks as a file).
 *
 * @throws {CliError} when there is no standard input to read.
 */
export async function readStdin(stdin: InputStream | undefined): Promise<Buffer> {
  if (!stdin) throw new CliError('- reads standard input, but there is none');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
  return Buffer.concat(chunks);
}
