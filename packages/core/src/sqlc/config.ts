import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';

/** sqlc's configuration files, in the order sqlc looks for them. */
export const SQLC_CONFIG_FILE_NAMES = ['sqlc.yaml', 'sqlc.yml', 'sqlc.json'] as const;

/** The query paths (files or directories) of a sqlc configuration's PostgreSQL entries, absolute. */
export function sqlcQueryPaths(configText: string, configFile: string): string[] {
  let config: unknown;
  try {
    // JSON is YAML.
    config = parse(configText, { maxAliasCount: 100 });
  } catch {
    return [];
  }
  if (!config || typeof config !== 'object') return [];
  const { sql, packages } = config as { sql?: unknown; packages?: unknown };
  const entries = [...(Array.isArray(sql) ? sql : []), ...(Array.isArray(packages) ? packages : [])] as unknown[];
  const base = dirname(configFile);
  const out: string[] = [];
  for (const entry of entries) {
    if (!entry || typeof entry !== 'object') continue;
    const { engine, queries } = entry as { engine?: unknown; queries?: unknown };
    if (engine !== undefined && engine !== 'postgresql') continue;
    const list = typeof queries === 'string' ? [queries] : Array.isArray(queries) ? queries : [];
    for (const q of list) if (typeof q === 'string' && q !== '') out.push(resolve(base, q));
  }
  return out;
}

const configInDir = new Map<string, string | null>();
const queryPathsOf = new Map<string, readonly string[]>();

/**
 * The sqlc configuration that lists `file` among its queries (a file named there, or one below a
 * directory named there), looking in the file's directory and every one above it; undefined when
 * there is none. Configurations are read once per process.
 */
export function sqlcConfigFor(file: string): string | undefined {
  const absolute = resolve(file);
  let dir = dirname(absolute);
  for (;;) {
    const config = configIn(dir);
    if (config && listsFile(config, absolute)) return config;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function configIn(dir: string): string | undefined {
  let found = configInDir.get(dir);
  if (found === undefined) {
    found = null;
    for (const name of SQLC_CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) {
        found = candidate;
        break;
      }
    }
    configInDir.set(dir, found);
  }
  return found ?? undefined;
}

function listsFile(config: string, file: string): boolean {
  let paths = queryPathsOf.get(config);
  if (!paths) {
    let text = '';
    try {
      text = readFileSync(config, 'utf8');
    } catch {
      // An unreadable configuration lists nothing.
    }
    queryPathsOf.set(config, (paths = sqlcQueryPaths(text, config)));
  }
  return paths.some((p) => {
    if (p === file) return true;
    const r = relative(p, file);
    return r !== '' && !r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r);
  });
}
