import { isAbsolute, relative, sep } from 'node:path';

/**
 * How a file is named in messages and reports: relative to the working directory when it lies
 * below it, absolute otherwise.
 */
export function displayPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return absolute;
  return rel;
}
