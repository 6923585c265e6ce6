import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { ERROR_SQL, tempProject } from './reporters-support.js';
import { runCli } from './run-cli.js';

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

/** Parses with a conforming XML 1.0 parser, which throws on anything not well-formed. */
function parseXml(xml: string): XmlElement {
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [document];
  const top = () => stack[stack.length - 1] as XmlElement;
  const parser = new SaxesParser();
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attributes: { ...tag.attributes }, children: [], text: '' };
    top().children.push(element);
    stack.push(element);
  });
  parser.on('text', (text) => {
    top().text += text;
  });
  parser.on('closetag', () => {
    const element = stack.pop() as XmlElement;
    // Indentation between child elements is not content.
    if (element.children.length > 0 && element.text.trim() === '') element.text = '';
  });
  parser.write(xml).close();
  expect(document.children).toHaveLength(1);
  return document.children[0] as XmlElement;
}

async function runJunit(args: readonly string[], cwd?: string): Promise<{ code: number; xml: string; root: XmlElement }> {
  const run = await runCli(['--format', 'junit', ...args], cwd === undefined ? {} : { cwd });
  return { code: run.code, xml: run.stdout, root: parseXml(run.stdout) };
}

const bad = 'fixtures/demo/queries/bad.sql';

describe('--format junit', () => {
  it('writes one suite per file, one failed test case per diagnostic and a passing one per clean file', async () => {
    const { code, xml, root } = await runJunit(['fixtures/demo']);
    expect(code).toBe(1);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toEqual({ name: 'limitless-lint', tests: '30', failures: '24', errors: '0' });
    expect(root.children.map((s) => [s.attributes['name'], s.attributes['tests'], s.attributes['failures']])).toEqual([
      ['fixtures/demo/migrations/0001_reference_tables.sql', '1', '0'],
      ['fixtures/demo/migrations/0002_accounts.sql', '1', '0'],
      ['fixtures/demo/migrations/0003_transactions.sql', '1', '0'],
      ['fixtures/demo/migrations/0004_merchants.sql', '1', '0'],
      ['fixtures/demo/migrations/0005_standard_tables.sql', '1', '0'],
      [bad, '24', '24'],
      ['fixtures/demo/queries/good.sql', '1', '0'],
    ]);
    const clean = root.children[0]?.children[0];
    expect(clean).toEqual({ name: 'testcase', attributes: { classname: 'fixtures/demo/migrations/0001_reference_tables.sql', name: 'no problems', file: 'fixtures/demo/migrations/0001_reference_tables.sql' }, children: [], text: '' });
    const cases = root.children[5]?.children ?? [];
    expect(cases).toHaveLength(24);
    expect(cases[0]?.attributes).toEqual({ classname: bad, name: 'require-shard-key at 8:6', file: bad, line: '8' });
    const failure = cases[0]?.children[0];
    expect(failure?.name).toBe('failure');
    expect(failure?.attributes).toEqual({
      type: 'require-shard-key',
      message: '`transactions` has no equality on its shard key `account_id`, so this statement runs on every shard.',
    });
    expect(failure?.text).toBe(
      [
        `${bad}:8:6: error: \`transactions\` has no equality on its shard key \`account_id\`, so this statement runs on every shard. [require-shard-key]`,
        'note: Limitless prunes shards only on explicit predicates on the shard key of every sharded table; a scatter-gather runs on all 16 shards and is billed about 16 times.',
        'help: Add an equality on `account_id` (a constant or a bind parameter) for `transactions`.',
        'docs: https://github.com/limitless-lint/limitless-lint/blob/main/docs/rules/require-shard-key.md',
      ].join('\n'),
    );
    expect(cases.map((c) => c.attributes['name']).slice(-2)).toEqual(['parse-error at 111:1', 'unknown-table at 116:6']);
    // Warnings are failed test cases too: JUnit has no severities.
    expect(cases.filter((c) => c.children[0]?.text.includes(': warning: '))).toHaveLength(7);
  });

  it('writes this exact document for two parse errors', async () => {
    const { xml } = await runJunit(['fixtures/cli/parse-errors']);
    const file = 'fixtures/cli/parse-errors/two-errors.sql';
    const testcase = (line: number, column: number, near: string) => [
      `    <testcase classname="${file}" name="parse-error at ${line}:${column}" file="${file}" line="${line}">`,
      `      <failure type="parse-error" message="PostgreSQL cannot parse this statement: syntax error at or near &quot;${near}&quot;.">${file}:${line}:${column}: error: PostgreSQL cannot parse this statement: syntax error at or near "${near}". [parse-error]`,
      'note: The statement is not analysed; the other statements of the file still are.',
      'help: Fix the syntax, or exclude the file if it is not plain PostgreSQL (psql variables such as :name are not SQL).',
      'docs: https://github.com/limitless-lint/limitless-lint/blob/main/docs/rules/parse-error.md</failure>',
      '    </testcase>',
    ];
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="limitless-lint" tests="2" failures="2" errors="0">',
        `  <testsuite name="${file}" tests="2" failures="2" errors="0" skipped="0">`,
        ...testcase(6, 1, 'SELEC'),
        ...testcase(14, 18, 'AND'),
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('escapes markup and replaces characters XML cannot hold', async () => {
    const dir = tempProject({ 'a&b<c>.sql': 'SELECT * FROM "a<b>&""c\'";\nSELECT * FROM "ctl\u0001x";\n' });
    const { xml, root } = await runJunit(['.'], dir);
    expect(xml).toContain('<testsuite name="a&amp;b&lt;c&gt;.sql" ');
    expect(xml).toContain('message="`a&lt;b&gt;&amp;&quot;c&apos;` is not in the manifest, so its route cannot be decided."');
    const [first, second] = root.children[0]?.children ?? [];
    expect(first?.attributes['file']).toBe('a&b<c>.sql');
    expect(first?.children[0]?.attributes['message']).toBe('`a<b>&"c\'` is not in the manifest, so its route cannot be decided.');
    expect(first?.children[0]?.text).toContain('a&b<c>.sql:1:15: info: `a<b>&"c\'` is not in the manifest');
    expect(second?.children[0]?.attributes['message']).toBe('`ctl\ufffdx` is not in the manifest, so its route cannot be decided.');
  });

  it('reports a path that could not be linted as an errored test case', async () => {
    const dir = tempProject({ 'bin.sql': Buffer.from([0x00]), 'q.sql': `${ERROR_SQL}\n` });
    const { code, root } = await runJunit(['.'], dir);
    expect(code).toBe(2);
    expect(root.attributes).toEqual({ name: 'limitless-lint', tests: '2', failures: '1', errors: '1' });
    expect(root.children.map((s) => s.attributes['name'])).toEqual(['q.sql', 'bin.sql']);
    expect(root.children[1]).toEqual({
      name: 'testsuite',
      attributes: { name: 'bin.sql', tests: '1', failures: '0', errors: '1', skipped: '0' },
      children: [
        {
          name: 'testcase',
          attributes: { classname: 'bin.sql', name: 'not linted', file: 'bin.sql' },
          children: [{ name: 'error', attributes: { type: 'not-linted', message: 'binary file, not linted' }, children: [], text: 'bin.sql: binary file, not linted' }],
          text: '',
        },
      ],
      text: '',
    });
  });
});
