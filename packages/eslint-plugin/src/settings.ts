/** `settings['limitless-lint']` of an ESLint config, checked. */
export interface PluginSettings {
  /** Path of limitless.yaml, relative to ESLint's working directory; found by walking up from each file when absent. */
  readonly manifest?: string;
  /** Template tags holding SQL besides the built-in ones (`!name` leaves one out); overrides the manifest's `embedded_sql.tags`. */
  readonly tags?: readonly string[];
  /** Call patterns holding SQL besides the built-in ones (`!name` leaves one out); overrides the manifest's `embedded_sql.calls`. */
  readonly calls?: readonly string[];
  /** Let `unanalysable-sql` also report query calls whose SQL is not a literal (`pool.query(text)`) and fragments on their own. */
  readonly reportUnknown: boolean;
}

export const SETTINGS_KEY = 'limitless-lint';

/** Reads the plugin's settings; the problems are messages for people, empty when the settings are fine. */
export function readSettings(all: Readonly<Record<string, unknown>> | undefined): { settings: PluginSettings; problems: string[] } {
  const problems: string[] = [];
  const raw = all?.[SETTINGS_KEY];
  if (raw === undefined) return { settings: { reportUnknown: false }, problems };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { settings: { reportUnknown: false }, problems: [`settings['${SETTINGS_KEY}'] must be an object.`] };
  }
  const value = raw as Record<string, unknown>;
  const known = new Set(['manifest', 'tags', 'calls', 'reportUnknown']);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) problems.push(`settings['${SETTINGS_KEY}'] has an unknown key \`${key}\` (known: manifest, tags, calls, reportUnknown).`);
  }
  const stringList = (key: 'tags' | 'calls'): readonly string[] | undefined => {
    const v = value[key];
    if (v === undefined) return undefined;
    if (Array.isArray(v) && v.length === 0) {
      // `tags: [], calls: []` once turned every check off without a word.
      problems.push(
        `settings['${SETTINGS_KEY}'].${key} is empty, which does not turn SQL detection off: the built-in tags and calls are always looked for (see docs/eslint.md). Leave one out with \`!name\` (\`'!sql'\`), or turn the limitless-lint rules off for files without SQL.`,
      );
      return undefined;
    }
    if (Array.isArray(v) && v.every((x) => typeof x === 'string' && x !== '' && x !== '!')) return v as string[];
    problems.push(`settings['${SETTINGS_KEY}'].${key} must be a list of non-empty strings (a name pattern, or \`!\` and a pattern to leave out).`);
    return undefined;
  };
  const manifest = value.manifest;
  if (manifest !== undefined && (typeof manifest !== 'string' || manifest === '')) problems.push(`settings['${SETTINGS_KEY}'].manifest must be a path.`);
  const reportUnknown = value.reportUnknown;
  if (reportUnknown !== undefined && typeof reportUnknown !== 'boolean') problems.push(`settings['${SETTINGS_KEY}'].reportUnknown must be true or false.`);
  const tags = stringList('tags');
  const calls = stringList('calls');
  return {
    settings: {
      ...(typeof manifest === 'string' && manifest !== '' ? { manifest } : {}),
      ...(tags ? { tags } : {}),
      ...(calls ? { calls } : {}),
      reportUnknown: reportUnknown === true,
    },
    problems,
  };
}
