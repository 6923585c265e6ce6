import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { limitlessDocsUrl } from '../src/diagnostic.js';
import { allRules as rules } from '../src/rules/index.js';

/**
 * The facts behind the rules live in docs/limitless/, which ships with the project. Everything the
 * project ships must point there (or to AWS), never to the team's research notes, which users do not
 * have; and every link into docs/limitless/ must reach a page and a heading that exist.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const LIMITLESS = join(root, 'docs/limitless');

/** Shipped text: sources, package READMEs and schemas, the docs, the README and the fixtures. */
function shippedFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (statSync(path).size < 2_000_000) files.push(path);
    }
  };
  for (const pkg of readdirSync(join(root, 'packages'))) {
    for (const part of ['src', 'schema', 'README.md']) {
      const path = join(root, 'packages', pkg, part);
      if (!existsSync(path)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  }
  walk(join(root, 'docs'));
  walk(join(root, 'fixtures'));
  files.push(join(root, 'README.md'));
  return files;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replaceAll(' ', '-');
}

const anchors = new Map<string, Set<string>>();
for (const name of readdirSync(LIMITLESS).filter((n) => n.endsWith('.md'))) {
  const headings = readFileSync(join(LIMITLESS, name), 'utf8')
    .split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => slug(line.replace(/^#+ /, '')));
  anchors.set(name.replace(/\.md$/, ''), new Set(headings));
}

/** Why `page#anchor` does not resolve, or undefined when it does. */
function broken(page: string, anchor: string | undefined): string | undefined {
  const headings = anchors.get(page);
  if (!headings) return `no page docs/limitless/${page}.md`;
  if (anchor !== undefined && !headings.has(anchor)) return `no heading #${anchor} in docs/limitless/${page}.md`;
  return undefined;
}

const files = shippedFiles();
const texts = files.map((file) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') }));

describe('shipped text', () => {
  it('finds the files it checks', () => {
    expect(texts.length).toBeGreaterThan(100);
    expect(texts.some((t) => t.file === 'docs/limitless/routing.md')).toBe(true);
  });

  it('never names the team research notes', () => {
    // Built from parts so that this file does not name them either.
    // A bare section sign with one digit (`§2.1`) is a section of those notes too (ECMA-262's are §12…).
    const research = new RegExp(['domain', 'md'].join('\\.') + '|\\.\\./' + 'shared\\b|§\\s?\\d(?!\\d)');
    const offenders = texts.flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, i) => (research.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offenders).toEqual([]);
  });

  it('links only to pages and headings of docs/limitless that exist', () => {
    const problems: string[] = [];
    for (const { file, text } of texts) {
      for (const m of text.matchAll(/limitless\/([A-Za-z-]+)\.md(?:#([\w-]+))?/g)) {
        const why = broken(m[1] as string, m[2]);
        if (why) problems.push(`${file}: ${m[0]}: ${why}`);
      }
      for (const m of text.matchAll(/limitlessDocsUrl\('([\w-]+)'(?:, '([\w-]+)')?\)/g)) {
        const why = broken(m[1] as string, m[2]);
        if (why) problems.push(`${file}: ${m[0]}: ${why}`);
      }
      if (file.startsWith('docs/limitless/')) {
        for (const m of text.matchAll(/\]\((?!https?:)([\w-]+)\.md(?:#([\w-]+))?\)|\]\(#([\w-]+)\)/g)) {
          const page = m[1] ?? file.replace(/^docs\/limitless\/|\.md$/g, '');
          const why = broken(page, m[2] ?? m[3]);
          if (why) problems.push(`${file}: ${m[0]}: ${why}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('rule metadata facts', () => {
  it.each(rules.map((rule) => rule.meta))('$id: every fact is a section of docs/limitless', (meta) => {
    for (const fact of meta.facts) {
      const [page, anchor] = fact.split('#');
      expect(broken(page as string, anchor), fact).toBeUndefined();
    }
  });

  it('every rule about Limitless behaviour names at least one fact', () => {
    const housekeeping = rules.filter((rule) => rule.meta.category !== 'housekeeping' && rule.meta.facts.length === 0);
    expect(housekeeping.map((rule) => rule.meta.id)).toEqual([]);
  });

  it('limitlessDocsUrl links a section with the same scheme as the rule pages', () => {
    expect(limitlessDocsUrl('routing', 'joins')).toBe('https://github.com/limitless-lint/limitless-lint/blob/main/docs/limitless/routing.md#joins');
    expect(limitlessDocsUrl('unsupported')).toBe('https://github.com/limitless-lint/limitless-lint/blob/main/docs/limitless/unsupported.md');
  });
});
