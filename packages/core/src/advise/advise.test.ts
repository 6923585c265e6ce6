import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '../manifest/parse.js';
import { loadParser } from '../sql/parser.js';
import type { Advice, AdviseSource } from './index.js';
import { AdviseError, advise, describeManifest, renderAdvice, schemaFromDdl, scoreManifest } from './index.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

beforeAll(() => loadParser());

function read(dir: string, ext: string): { file: string; text: string }[] {
  return readdirSync(`${fixtures}${dir}`)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => ({ file: `${dir}/${f}`, text: readFileSync(`${fixtures}${dir}/${f}`, 'utf8') }));
}

/** The demo's migrations without their Limitless settings: every table plain, as before sharding. */
function demoUnsharded() {
  const ddl = read('demo/migrations', '.sql').map((f) => ({ ...f, text: f.text.replace(/^\s*(SET LOCAL|RESET) rds_aurora\.[^;]*;/gm, '') }));
  return schemaFromDdl(ddl).schema;
}

const demoSources: AdviseSource[] = read('demo/queries', '.sql').map((f) => ({ sql: f.text, file: f.file }));

/** Work per call from route counts: 1 on one shard, the shard count on all of them. */
function workOf(local: number, scatter: number, shards: number): number {
  return (local + scatter * shards) / (local + scatter);
}

function scatterNames(advice: Advice): string[] {
  return advice.outcomes.filter((o) => !['single-shard', 'single-shard-routed'].includes(o.kind) && !(o.kind === 'reference' && !o.reasons.some((r) => r.includes('every shard')))).map((o) => o.statement.name).sort();
}

describe('schemaFromDdl', () => {
  it('learns the tables and the foreign keys (column, table and ALTER TABLE constraints)', () => {
    const { schema, problems } = schemaFromDdl([
      {
        text: `CREATE TABLE org (id bigint PRIMARY KEY);
               CREATE TABLE team (org_id bigint REFERENCES org, id bigint, PRIMARY KEY (org_id, id));
               CREATE TABLE member (org_id bigint, team_id bigint, FOREIGN KEY (org_id, team_id) REFERENCES team (org_id, id));
               ALTER TABLE member ADD COLUMN boss bigint REFERENCES org (id);
               CREATE TABLE broken (;`,
        file: 'a.sql',
      },
    ]);
    expect([...schema.tables.keys()].sort()).toEqual(['public.member', 'public.org', 'public.team']);
    expect(schema.foreignKeys).toEqual([
      { table: 'public.team', columns: ['org_id'], references: 'public.org', referencedColumns: ['id'] },
      { table: 'public.member', columns: ['org_id', 'team_id'], references: 'public.team', referencedColumns: ['org_id', 'id'] },
      { table: 'public.member', columns: ['boss'], references: 'public.org', referencedColumns: ['id'] },
    ]);
    expect(problems).toEqual([{ file: 'a.sql', parseErrors: 1 }]);
  });
});

describe('advise on the demo, its tables declared standard', () => {
  it('recovers the account collocation group and the reference tables, and scores better than the demo manifest', () => {
    const schema = demoUnsharded();
    expect([...schema.tables.values()].every((t) => t.mode === 'standard')).toBe(true);
    const advice = advise(schema, demoSources);
    const best = advice.manifests[0];
    if (!best) throw new Error('no manifest');
    const tables = describeManifest(best);
    // The demo's own choices: accounts and what hangs off it on account_id, in one group; currencies and countries reference.
    for (const t of ['transactions', 'ledger_entries', 'payment_methods']) expect(tables).toContain(`public.${t}: sharded(account_id) with public.accounts`);
    expect(tables).toContain('public.accounts: sharded(account_id)');
    expect(tables).toContain('public.currencies: reference');
    expect(tables).toContain('public.countries: reference');
    // Where it differs (merchants as a reference table keeps the merchant join local; the audit log
    // and feature flags leave the standard shard), it scores better — both scores are computed the same way.
    const demo = parseManifest(readFileSync(`${fixtures}demo/limitless.yaml`, 'utf8'));
    if (!demo.ok) throw new Error('demo manifest');
    const current = scoreManifest(schema, demoSources, demo.manifest);
    // 17 on one shard (15 + 1 routed + 1 reference read), 1 on 3 shards, 9 on all 16 (5 all-shards, 1 router, 2 standard, 1 reference write).
    expect(current.score.work).toBeCloseTo((17 + 3 + 9 * 16) / 27, 10);
    expect(current.score.counts).toMatchObject({ 'single-shard': 15, 'single-shard-routed': 1, 'multi-shard': 1, 'all-shards': 5, router: 1, standard: 2, reference: 2 });
    expect(best.score.counts).toMatchObject({ 'single-shard': 18, 'single-shard-routed': 1, 'multi-shard': 1, 'all-shards': 4, router: 0, standard: 0, reference: 3 });
    // 21 statements on one shard (18 + 1 routed + 2 reference reads), 1 on 3 shards, 5 on all 16 (4 all-shards, 1 reference write).
    expect(best.score.work).toBeCloseTo((21 + 3 + 5 * 16) / 27, 10);
    expect(best.score.work).toBeLessThan(current.score.work);
    expect(best.score.uniqueChanges).toEqual([{ table: 'public.audit_log', columns: ['id'], primaryKey: true, shardKey: ['account_id'] }]);
  });

  it('finds the same best manifest greedily as exhaustively, and the same answer every time', () => {
    const schema = demoUnsharded();
    const exhaustive = advise(schema, demoSources);
    const greedy = advise(schema, demoSources, { exhaustiveLimit: 0 });
    expect(exhaustive.search.mode).toBe('exhaustive');
    expect(greedy.search.mode).toBe('greedy');
    expect(greedy.search.evaluated).toBeLessThan(exhaustive.search.evaluated);
    expect(greedy.manifests[0]).toEqual(exhaustive.manifests[0]);
    expect(advise(schema, demoSources)).toEqual(exhaustive);
  });

  it('keeps what the user fixes, and rejects unknown tables and columns', () => {
    const schema = demoUnsharded();
    const fixed = advise(schema, demoSources, { constraints: { fix: new Map([['merchants', ['merchant_id']]]), standard: ['feature_flags'], shards: 4 } });
    const tables = describeManifest(fixed.manifests[0] as NonNullable<(typeof fixed.manifests)[0]>);
    expect(tables).toContain('public.merchants: sharded(merchant_id)');
    expect(tables).toContain('public.feature_flags: standard');
    expect(fixed.shards).toBe(4);
    expect(fixed.rationale.get('public.merchants')?.fixed).toBe(true);
    expect(() => advise(schema, demoSources, { constraints: { reference: ['nope'] } })).toThrow(AdviseError);
    expect(() => advise(schema, demoSources, { constraints: { fix: new Map([['accounts', ['nope']]]) } })).toThrow(/no column nope/);
  });

  it('writes a valid manifest with a reason on every table', () => {
    const schema = demoUnsharded();
    const advice = advise(schema, demoSources);
    const yaml = renderAdvice(advice, schema);
    const parsed = parseManifest(yaml);
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
    expect(parsed.manifest.tables.get('public.transactions')).toMatchObject({ mode: 'sharded', shardKey: ['account_id'], collocationGroup: 'public.accounts', sequenceColumns: ['transaction_id'] });
    expect(yaml).toMatch(/# sharded on account_id, with accounts: 12 of 14 statements filter or join on it; 2 not on one shard: demo\/queries\/bad\.sql:7, demo\/queries\/bad\.sql:68\n {2}transactions:/);
    expect(yaml).toContain('# primary key (id) must include account_id: make it (account_id, id)');
    expect(yaml.match(/^ {2}[a-z_]+:$/gm)).toHaveLength(schema.tables.size);
    expect(yaml.match(/^ {2}# (sharded|reference|standard)/gm)).toHaveLength(schema.tables.size);
  });
});

describe('advise on the SaaS fixture', () => {
  const sqlSources = (): AdviseSource[] => read('saas/queries', '.sql').map((f) => ({ sql: f.text, file: f.file }));

  it('proposes tenant_id for every tenant table, collocated with tenants, and the global catalog as reference tables', () => {
    const { schema } = schemaFromDdl(read('saas/migrations', '.sql'));
    expect(schema.tables.size).toBe(28);
    const advice = advise(schema, sqlSources());
    expect(advice.search.mode).toBe('greedy');
    const best = advice.manifests[0];
    if (!best) throw new Error('no manifest');
    const reference = best.tables.filter((t) => t.mode === 'reference').map((t) => t.key);
    expect(reference).toEqual(['public.countries', 'public.currencies', 'public.feature_catalog', 'public.permissions', 'public.plans']);
    const sharded = best.tables.filter((t) => t.mode === 'sharded');
    expect(sharded).toHaveLength(23);
    for (const t of sharded) expect(t).toMatchObject({ shardKey: ['tenant_id'], group: 'public.tenants' });
    expect(advice.domains[0]).toMatchObject({ root: 'public.tenants', column: 'tenant_id', tables: 23 });
    // The global unique keys cannot include tenant_id: they are the cost of this manifest.
    expect(best.score.uniqueChanges.map((u) => `${u.table}(${u.columns.join(',')})`)).toEqual(['public.api_keys(key_hash)', 'public.attachments(storage_key)', 'public.invoices(invoice_number)', 'public.tenants(slug)']);
    // What stays off the fast path is what the application asks across tenants, and catalog writes.
    expect(scatterNames(advice)).toEqual(
      [
        'CountTenantsByCountry', 'CountUsersPerTenant', 'CreateFeature', 'CreatePlan', 'DueTodayAllTenants', 'FindUserByEmailAnyTenant',
        'GetAttachmentByStorageKey', 'GetInvoiceByNumber', 'GetTenantBySlug', 'ListAllTenants', 'ListArchivedProjectsAllTenants',
        'ListTenantsOnPlan', 'MonthlyRevenue', 'RenameCountry', 'TenantsUsingFeature', 'UnpaidInvoicesAllTenants', 'UpdatePlanPrice',
      ].sort(),
    );
    const n = advice.statements.scored;
    expect(n).toBe(114);
    expect(best.score.work).toBeCloseTo(workOf(n - 17, 17, 16), 10);
    expect(best.score.local).toBeCloseTo((n - 17) / n, 10);
    expect(best.score.referenceWrites).toBe(4);
    expect(best.score.crossGroupJoins).toBe(0);
    // Every other ranked manifest scores no better.
    for (const m of advice.manifests.slice(1)) expect(m.score.work).toBeGreaterThanOrEqual(best.score.work - 1e-12);
  });
});

describe('the worked example of docs/advise.md', () => {
  const schemaOf = () => schemaFromDdl([
    {
      text: `CREATE TABLE plans    (plan_id integer PRIMARY KEY, name text NOT NULL);
             CREATE TABLE tenants  (tenant_id bigint PRIMARY KEY, name text NOT NULL, plan_id integer REFERENCES plans);
             CREATE TABLE projects (tenant_id bigint REFERENCES tenants, project_id bigint, name text, PRIMARY KEY (tenant_id, project_id));
             CREATE TABLE tasks    (tenant_id bigint, task_id bigint, project_id bigint, title text, PRIMARY KEY (tenant_id, task_id),
                                    FOREIGN KEY (tenant_id, project_id) REFERENCES projects);`,
    },
  ]).schema;
  const statements: [string, string, number][] = [
    ['GetProject', 'SELECT name FROM projects WHERE tenant_id = $1 AND project_id = $2', 6000],
    ['ListTasks', 'SELECT t.title FROM tasks t JOIN projects p ON p.tenant_id = t.tenant_id AND p.project_id = t.project_id WHERE t.tenant_id = $1 AND t.project_id = $2', 3000],
    ['GetTaskById', 'SELECT title FROM tasks WHERE task_id = $1', 500],
    ['TenantWithPlan', 'SELECT t.name, p.name FROM tenants t JOIN plans p ON p.plan_id = t.plan_id WHERE t.tenant_id = $1', 499],
    ['RenamePlan', 'UPDATE plans SET name = $2 WHERE plan_id = $1', 1],
  ];
  const sources = statements.map(([name, sql]) => ({ name, sql }));
  const workload = statements.map(([, query, calls]) => ({ query: query.replace('$1', '42'), calls }));
  const best = (fix: [string, string][] = []) => advise(schemaOf(), sources, { workload, constraints: { fix: new Map(fix.map(([t, c]) => [t, [c]])) } });

  it('scores A, B and C as the page says, and ranks A first', () => {
    const a = best();
    expect(a.search).toMatchObject({ mode: 'exhaustive', space: 24 });
    expect(describeManifest(a.manifests[0] as AdvisedManifestLike)).toEqual([
      'public.plans: reference',
      'public.projects: sharded(tenant_id) with public.tenants',
      'public.tasks: sharded(tenant_id) with public.tenants',
      'public.tenants: sharded(tenant_id)',
    ]);
    expect(a.manifests[0]?.score.work).toBeCloseTo((6000 + 3000 + 500 * 16 + 499 + 16) / 10_000, 12);
    // A' ties with A and ranks second: two collocation groups instead of one.
    expect(describeManifest(a.manifests[1] as AdvisedManifestLike)).toContain('public.tasks: sharded(project_id) with public.projects');
    expect(a.manifests[1]?.score.work).toBeCloseTo(a.manifests[0]?.score.work ?? 0, 12);
    expect(best([['plans', 'plan_id']]).manifests[0]?.score.work).toBeCloseTo((9000 + 8000 + 7984 + 1) / 10_000, 12);
    expect(best([['tasks', 'task_id']]).manifests[0]?.score.work).toBeCloseTo((6000 + 48_000 + 500 + 499 + 16) / 10_000, 12);
    expect(advise(schemaOf(), sources).manifests[0]?.score.work).toBeCloseTo((1 + 1 + 16 + 1 + 16) / 5, 12);
  });
});

type AdvisedManifestLike = Parameters<typeof describeManifest>[0];

/** A synthetic schema: one root, `tenantTables` tables carrying its key in FK chains, lookups; `perTable` statements each. */
function synthetic(tenantTables: number, lookups: number, perTable: number): { ddl: string; sources: AdviseSource[] } {
  const ddl = ['CREATE TABLE orgs (org_id bigint PRIMARY KEY, name text NOT NULL);'];
  for (let k = 0; k < lookups; k++) ddl.push(`CREATE TABLE lk${k} (code integer PRIMARY KEY, label text NOT NULL);`);
  const sources: AdviseSource[] = [];
  for (let k = 0; k < tenantTables; k++) {
    const parent = k === 0 ? 'orgs' : `t${k - 1}`;
    const lk = `lk${k % lookups}`;
    ddl.push(
      `CREATE TABLE t${k} (org_id bigint NOT NULL REFERENCES orgs, id bigint NOT NULL, parent_id bigint, code integer REFERENCES ${lk} (code), name text, status text,` +
        ` PRIMARY KEY (org_id, id)${k === 0 ? '' : `, FOREIGN KEY (org_id, parent_id) REFERENCES ${parent} (org_id, id)`});`,
    );
    const sql: string[] = [];
    for (let i = 0; i < perTable; i++) {
      switch (i % 8) {
        case 0: sql.push(`SELECT id, name FROM t${k} WHERE org_id = $1 AND id = $2 LIMIT ${i + 1}`); break;
        case 1: sql.push(`SELECT id FROM t${k} WHERE org_id = $1 ORDER BY id LIMIT ${i + 1}`); break;
        case 2: sql.push(`INSERT INTO t${k} (org_id, id, name, status) VALUES ($1, $2, $3, 'v${i}')`); break;
        case 3: sql.push(`UPDATE t${k} SET name = $3, status = 's${i}' WHERE org_id = $1 AND id = $2`); break;
        case 4: sql.push(k === 0 ? `SELECT o.name FROM orgs o JOIN t0 c ON c.org_id = o.org_id WHERE o.org_id = $1 LIMIT ${i}` : `SELECT c.id FROM t${k} c JOIN t${k - 1} p ON p.org_id = c.org_id AND p.id = c.parent_id WHERE c.org_id = $1 LIMIT ${i}`); break;
        case 5: sql.push(`SELECT c.id, l.label FROM t${k} c JOIN ${lk} l ON l.code = c.code WHERE c.org_id = $1 AND c.id = $2 LIMIT ${i}`); break;
        case 6: sql.push(`SELECT org_id, id FROM t${k} WHERE name = $1 LIMIT ${i}`); break;
        default: sql.push(`DELETE FROM t${k} WHERE org_id = $1 AND id = $2 AND status = 'x${i}'`);
      }
    }
    sources.push({ sql: sql.join(';\n'), file: `t${k}.sql` });
  }
  const lookupsSql: string[] = [];
  for (let k = 0; k < lookups; k++) lookupsSql.push(`SELECT label FROM lk${k} WHERE code = $1`, `SELECT code, label FROM lk${k} ORDER BY code`);
  sources.push({ sql: lookupsSql.join(';\n'), file: 'lookups.sql' }, { sql: 'SELECT name FROM orgs WHERE org_id = $1', file: 'orgs.sql' });
  return { ddl: ddl.join('\n'), sources };
}

describe('advise at scale', () => {
  it('answers for 100 tables and 2,000 statements in seconds, with the root key everywhere', () => {
    const { ddl, sources } = synthetic(79, 20, 25);
    const { schema } = schemaFromDdl([{ text: ddl }]);
    expect(schema.tables.size).toBe(100);
    const start = performance.now();
    const advice = advise(schema, sources);
    const ms = performance.now() - start;
    expect(advice.statements.scored).toBe(79 * 25 + 41);
    expect(advice.statements.scored).toBeGreaterThanOrEqual(2_000);
    const best = advice.manifests[0];
    if (!best) throw new Error('no manifest');
    for (const t of best.tables.filter((x) => x.key.startsWith('public.t'))) expect(t).toMatchObject({ mode: 'sharded', shardKey: ['org_id'], group: 'public.orgs' });
    for (const t of best.tables.filter((x) => x.key.startsWith('public.lk'))) expect(t.mode).toBe('reference');
    // Only the lookups by name (one per table in 8) leave the fast path.
    expect(best.score.counts['all-shards']).toBe(79 * 3);
    console.info(`advise: 100 tables, ${advice.statements.scored} statements: ${Math.round(ms)} ms, ${advice.search.evaluated} manifests scored, ${advice.search.routed} routes computed`);
    // Generous for a loaded CI machine; the figure measured on a quiet one is in docs/advise.md.
    expect(ms).toBeLessThan(30_000);
  });
});
