// Shared by the repository's scripts (kept free of other imports: bench/util.mjs has start-up side effects).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Files below `dir` whose names end in `ext` (any case), sorted; node_modules and dot-folders skipped, as the CLI does. */
export function filesBelow(dir, ext) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && !entry.name.startsWith('.')) walk(path);
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith(ext)) {
        found.push(path);
      }
    }
  };
  walk(dir);
  return found.sort();
}
