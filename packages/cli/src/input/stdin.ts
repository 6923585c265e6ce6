import { CliError } from '../util/errors.js';
import type { InputStream } from '../util/io.js';
import { formatBytes } from './read-file.js';

/**
 * Reads standard input to its end, as bytes (decoded later with the same checks as a file).
 *
 * @throws {CliError} when there is no standard input to read, or more than `limit` bytes of it.
 */
export async function readStdin(stdin: InputStream | undefined, limit = Number.POSITIVE_INFINITY): Promise<Buffer> {
  if (!stdin) throw new CliError('- reads standard input, but there is none');
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    total += bytes.length;
    if (total > limit) throw new CliError(`standard input is too large (more than ${formatBytes(limit)}; raise the limit with --max-file-size)`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
