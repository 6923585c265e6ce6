import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUILTIN_CALLS, BUILTIN_TAGS } from '@limitless-lint/core';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from '../../cli/test/run-cli.js';
import plugin from '../src/index.js';

/**
 * fixtures/orm: one file per library that writes SQL in code, with the demo manifest. Every SQL site
 * is found with the default settings; the table gives each statement's route (`line:column route`,
 * unknown with its reason) and each finding (`rule line:column`). The CLI and the ESLint plugin
 * must report the same findings at the same places.
 */
const ORM = fileURLToPath(new URL('../../../fixtures/orm/', import.meta.url));

interface Expected {
  readonly routes: readonly string[];
  readonly findings: readonly string[];
}

const EXPECTED: Readonly<Record<string, Expected>> = {
  'drizzle.ts': {
    routes: ['6:25 single-shard', '10:30 all-shards', '13:64 single-shard'],
    findings: ['require-shard-key 10:54'],
  },
  'knex.ts': {
    // `?` and `:merchantId` are values; `??` is an identifier: unknown. knex.raw('balance > ?') is a fragment: no site.
    routes: ['5:20 single-shard', '9:20 all-shards', '13:34 unknown interpolation-not-a-value'],
    findings: ['require-shard-key 9:34'],
  },
  'kysely.ts': {
    routes: ['5:35 single-shard', '9:14 all-shards', '13:46 unknown dynamic-fragment'],
    findings: ['require-shard-key 9:28'],
  },
  'mikro-orm.ts': {
    routes: ['5:22 single-shard', '9:38 all-shards'],
    findings: ['require-shard-key 9:52'],
  },
  'pg-promise.ts': {
    routes: ['5:18 single-shard', '9:18 all-shards', '13:19 single-shard', '17:39 unknown interpolation-not-a-value'],
    findings: ['require-shard-key 9:32'],
  },
  'pg.ts': {
    routes: ['5:22 single-shard', '9:30 all-shards', '13:23 none', '14:23 single-shard', '15:23 none', '19:23 unknown non-literal-sql'],
    findings: ['require-shard-key 9:44'],
  },
  'postgres-js.ts': {
    // `select ${schema}.fn()`: unknown, like every other interpolation where a value cannot go.
    routes: ['7:14 single-shard', '11:14 all-shards', '15:22 single-shard', '19:21 unknown interpolation-not-a-value'],
    findings: ['require-shard-key 11:28', 'no-sequence-ordering 11:84'],
  },
  'prisma.ts': {
    routes: ['7:50 single-shard', '11:29 all-shards', '15:34 single-shard', '19:36 standard', '23:38 single-shard', '27:34 unknown dynamic-fragment'],
    findings: ['require-shard-key 11:36', 'no-multi-shard-write 11:36'],
  },
  'sequelize.ts': {
    // `replacements`: `?` with an array, `:name` with an object; `bind`: `$1`.
    routes: ['5:27 single-shard', '9:27 all-shards', '13:27 single-shard'],
    findings: ['require-shard-key 9:41'],
  },
  'slonik.ts': {
    routes: ['8:37 single-shard', '12:39 multi-shard', '16:30 all-shards', '19:30 unknown fragment', '22:89 unknown dynamic-fragment'],
    findings: ['require-shard-key 12:68', 'require-shard-key 16:44'],
  },
  'trpc.ts': { routes: [], findings: [] },
  'typeorm.ts': {
    routes: ['8:35 single-shard', '12:43 all-shards'],
    findings: ['require-shard-key 12:57'],
  },
};

const FILES = Object.keys(EXPECTED).sort();

interface Explained {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly route: string;
  readonly unknownReason?: string;
}

describe('fixtures/orm', () => {
  it('gives every statement of every library its route (explain)', async () => {
    const run = await runCli(['explain', '--format', 'json', ...FILES.map((f) => `fixtures/orm/src/${f}`)]);
    expect(run.stderr).toBe('');
    const explained = JSON.parse(run.stdout) as Explained[];
    const routes = Object.fromEntries(FILES.map((f) => [f, [] as string[]]));
    for (const s of explained) routes[s.file.slice('fixtures/orm/src/'.length)]?.push(`${s.line}:${s.column} ${s.route}${s.unknownReason ? ` ${s.unknownReason}` : ''}`);
    expect(routes).toEqual(Object.fromEntries(FILES.map((f) => [f, EXPECTED[f]?.routes])));
  });

  it('reports the same findings, at the same places, from the CLI and from the ESLint plugin', async () => {
    const { report } = await runJson(['fixtures/orm']);
    const cli = Object.fromEntries(report.files.map((f) => [f.path.slice('fixtures/orm/src/'.length), f.diagnostics.map((d) => `${d.ruleId} ${d.line}:${d.column}`)]));
    expect(cli).toEqual(Object.fromEntries(FILES.map((f) => [f, EXPECTED[f]?.findings])));

    const eslint = new ESLint({
      cwd: ORM,
      overrideConfigFile: true,
      overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } }, plugin.configs.recommended],
    });
    const results = await eslint.lintFiles(['src']);
    const fromEslint = Object.fromEntries(
      results.map((r) => [r.filePath.slice(`${ORM}src/`.length), r.messages.map((m) => `${(m.ruleId ?? '').replace('limitless-lint/', '')} ${m.line}:${m.column}`)]),
    );
    expect(fromEslint).toEqual(cli);
    // The CLI counts the sites it could not analyse; nothing else is silent.
    expect(report.summary.embedded).toEqual({ files: FILES.length, analysed: 33, unknown: 8 });
  });
});

describe('docs/eslint.md', () => {
  it('has every built-in tag and call in its table of styles', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/eslint.md', import.meta.url)), 'utf8');
    const table = doc.slice(doc.indexOf('### SQL-in-code styles'), doc.indexOf('### Tags, calls and patterns'));
    const rows = table.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    for (const call of BUILTIN_CALLS) {
      const member = call.pattern.slice(call.pattern.lastIndexOf('.') + 1);
      for (const library of call.libraries.split(', ')) {
        expect(rows.some((r) => (r.split('|')[1] ?? '').includes(library)), `${library} has a row`).toBe(true);
        expect(rows.some((r) => r.includes(library) && (r.includes(`.${member}(`) || r.includes(`.${member}\``))), `${library}: .${member}( in its row`).toBe(true);
      }
    }
    for (const tag of BUILTIN_TAGS) expect(table, tag).toContain(tag.replace('**.', 'x.'));
  });
});
