/** Chunks are gathered up to this size before each write. */
export const WRITE_BATCH = 64 * 1024;

/**
 * The chunks joined into strings of at least `size` characters (the last may be shorter), so that a
 * report of many small chunks is written in few system calls.
 */
export function* batches(chunks: Iterable<string>, size = WRITE_BATCH): Generator<string> {
  let pending = '';
  for (const chunk of chunks) {
    pending += chunk;
    if (pending.length >= size) {
      yield pending;
      pending = '';
    }
  }
  if (pending !== '') yield pending;
}
