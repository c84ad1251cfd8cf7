/**
 * Sample data and PII classification end to end: a local lake → Datalake source → orm-profiler
 * (Profiler pipeline with generateSampleData / processPiiSensitive) → metadata-rest, into the
 * strict OpenMetadata API test server, on every impersonated version.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as datalakePlugin } from '@om/datalake';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { profilerPlugin } from '@om/profiler';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { labelledPiiCsv, precisionRecall } from '../../packages/profiler/src/testing/pii-table';

const TOKEN = 'e2e-sample-classify-token';
const SERVICE = 'pii_lake';
const PEOPLE = `${SERVICE}.default.crm."people.csv"`;
const WIDE = `${SERVICE}.default.crm."notes.csv"`;
const SKIPPED = `${SERVICE}.default.crm."skipped.csv"`;

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(datalakePlugin, '@om/datalake');
  r.addDescriptor(openMetadataPlugin, '@om/openmetadata');
  r.addDescriptor(profilerPlugin, '@om/profiler');
  return r;
}

type Tag = { tagFQN: string; labelType?: string; state?: string; source?: string };
type StoredColumn = { name: string; tags?: Tag[] };

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  let server: OmApiServer;
  let root: string;
  const { csv, columns: labelled } = labelledPiiCsv(80);

  const run = async (sourceConfig: Record<string, unknown>, processorConfig: Record<string, unknown> = {}) => {
    const wf = await Workflow.create(
      {
        source: {
          type: 'datalake',
          serviceName: SERVICE,
          serviceConnection: { config: { type: 'Datalake', configSource: { root }, bucketName: '', prefix: '' } },
          sourceConfig: { config: sourceConfig },
        },
        ...(sourceConfig.type === 'DatabaseMetadata' ? {} : { processor: { type: 'orm-profiler', config: processorConfig } }),
        sink: { type: 'metadata-rest', config: {} },
        workflowConfig: { loggerLevel: 'ERROR', openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
      },
      { registry: registry(), logger: silentLogger, env: {} },
    );
    try {
      await wf.execute();
    } finally {
      await wf.stop();
    }
    expect(JSON.stringify(wf.summary())).not.toContain(TOKEN);
    return wf;
  };
  const table = (fqn: string) => server.store.all('table').find((t) => t.fullyQualifiedName === fqn)!;

  beforeAll(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-e2e-pii-'));
    fs.mkdirSync(path.join(root, 'crm'));
    fs.writeFileSync(path.join(root, 'crm', 'people.csv'), csv);
    const long = 'y'.repeat(3000);
    fs.writeFileSync(path.join(root, 'crm', 'notes.csv'), `id,body,secret\n${Array.from({ length: 120 }, (_, i) => `${i},${long},s${i}`).join('\n')}\n`);
    fs.writeFileSync(path.join(root, 'crm', 'skipped.csv'), 'id,email\n1,a@example.com\n');
    const meta = await run({ type: 'DatabaseMetadata' });
    expect(meta.summary().state).toBe('success');

    // A person tags customer_email by hand before the profiler runs.
    const people = table(PEOPLE);
    const index = (people.body.columns as StoredColumn[]).findIndex((c) => c.name === 'customer_email');
    const res = await fetch(`${server.hostPort}/v1/tables/${people.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json-patch+json' },
      body: JSON.stringify([{ op: 'add', path: `/columns/${index}/tags`, value: [{ tagFQN: 'PII.NonSensitive', source: 'Classification', labelType: 'Manual', state: 'Confirmed' }] }]),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('profiles, sends capped sample data and tags PII columns, keeping the tag a person set', async () => {
    const wf = await run(
      { type: 'Profiler', processPiiSensitive: true, confidence: 80, sampleDataCount: 25, tableFilterPattern: { excludes: ['skipped\\.csv'] } },
      { tableConfig: [{ fullyQualifiedName: WIDE, columnConfig: { excludeColumns: ['secret'] } }] },
    );
    expect(wf.summary().state).toBe('success');

    // Sample data: sampleDataCount rows, every column of people.csv, validated by the server's tableData schema.
    const people = table(PEOPLE);
    const sample = people.sampleData as { columns: string[]; rows: unknown[][] };
    expect(sample.columns).toEqual(labelled.map((c) => c.name));
    expect(sample.rows).toHaveLength(25);
    // The first rows of the file, every cell as the CSV has it (pandas reads these columns as text or numbers).
    const firstRow = csv.split('\n')[1].split(',');
    // Numbers of number columns come as numbers (pandas reads them so); integers past 2^53 stay text.
    const asPandas = (v: string) => (/^-?\d+(\.\d+)?$/.test(v) && (v.includes('.') || Number.isSafeInteger(Number(v))) ? String(Number(v)) : v);
    expect(sample.rows[0].map(String)).toEqual(firstRow.map(asPandas));

    // Cells are cut at 1000 characters; excludeColumns leaves the column out of the sample.
    const wide = table(WIDE).sampleData as { columns: string[]; rows: unknown[][] };
    expect(wide.columns).toEqual(['id', 'body']);
    expect(wide.rows).toHaveLength(25);
    expect((wide.rows[0][1] as string).length).toBe(1000);

    // tableFilterPattern: the filtered table gets neither a profile nor sample data.
    expect(table(SKIPPED).sampleData).toBeUndefined();
    expect(table(SKIPPED).profiles).toHaveLength(0);

    // PII tags as OpenMetadata's PII processor writes them, only above the confidence.
    const stored = table(PEOPLE).body.columns as StoredColumn[];
    const email = stored.find((c) => c.name === 'customer_email')!;
    expect(email.tags).toEqual([{ tagFQN: 'PII.NonSensitive', source: 'Classification', labelType: 'Manual', state: 'Confirmed' }]);
    const predicted = new Map(
      stored
        .filter((c) => c.name !== 'customer_email')
        .flatMap((c) => (c.tags ?? []).filter((t) => t.labelType === 'Automated').map((t) => [c.name, t.tagFQN as 'PII.Sensitive' | 'PII.NonSensitive'] as const)),
    );
    for (const c of stored) for (const t of c.tags ?? []) if (t.labelType === 'Automated') expect(t).toEqual({ tagFQN: t.tagFQN, source: 'Classification', labelType: 'Automated', state: 'Suggested' });
    const score = precisionRecall(labelled.filter((c) => c.name !== 'customer_email'), predicted);
    expect(score).toMatchObject({ expected: 21, predicted: 21 });
    expect(score.precision).toBeGreaterThanOrEqual(0.95);
    expect(score.recall).toBeGreaterThanOrEqual(0.9);
    // notes.csv: "secret" was not sampled, and no column there looks personal.
    expect((table(WIDE).body.columns as StoredColumn[]).every((c) => !c.tags?.length)).toBe(true);

    // A second run adds nothing: every tagged column already has its PII tag.
    const before = server.requestsFor('PATCH', '/tables/').length;
    const again = await run({ type: 'Profiler', processPiiSensitive: true, sampleDataCount: 25, tableFilterPattern: { excludes: ['skipped\\.csv'] } });
    expect(again.summary().state).toBe('success');
    expect(server.requestsFor('PATCH', '/tables/').length).toBe(before);
  });

  it('generateSampleData: false sends no sample data', async () => {
    const puts = server.requestsFor('PUT', '/sampleData').length;
    const wf = await run({ type: 'Profiler', generateSampleData: false, tableFilterPattern: { includes: ['notes\\.csv'] } });
    expect(wf.summary().state).toBe('success');
    expect(server.requestsFor('PUT', '/sampleData').length).toBe(puts);
  });
});
