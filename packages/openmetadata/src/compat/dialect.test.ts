import { ConsoleLogger, SecretMasker } from '@om/core';
import { startOmApiServer, type OmApiServer } from '../../../../tests/om-api-server';
import { changeOf } from '../client';
import type { MetadataRestSink } from '../sink';
import { metadataRestSinkFactory } from '../sink-factory';
import { ServerDialect, signedTypeFor } from './dialect';

const lines: string[] = [];
const logger = new ConsoleLogger({ level: 'DEBUG', write: (l) => lines.push(l) });
const table = (extra: Record<string, unknown> = {}) => ({
  name: 'orders.jsonl',
  databaseSchema: 'svc.db.sch',
  fileFormat: 'jsonl',
  columns: [
    { name: 'n', dataType: 'UINT', dataTypeDisplay: 'uint16' },
    { name: 'tags', dataType: 'ARRAY', arrayDataType: 'UINT', dataTypeDisplay: 'list<uint64>' },
    { name: 's', dataType: 'STRUCT', children: [{ name: 'big', dataType: 'LARGEINT' }] },
  ],
  tablePartition: { columns: [{ columnName: 'n', intervalType: 'COLUMN-VALUE' }] },
  locationPath: 's3://b/orders.jsonl',
  ...extra,
});

describe('ServerDialect', () => {
  beforeEach(() => {
    lines.length = 0;
  });

  it('sends a 1.2 server only what its schemas know, with a DEBUG line per fallback', () => {
    const body = new ServerDialect('1.2.0', logger).table(table(), 'svc.db.sch."orders.jsonl"');
    expect(body).toEqual({
      name: 'orders.jsonl',
      databaseSchema: 'svc.db.sch',
      fileFormat: 'json',
      columns: [
        { name: 'n', dataType: 'INT', dataTypeDisplay: 'uint16' },
        { name: 'tags', dataType: 'ARRAY', arrayDataType: 'NUMERIC', dataTypeDisplay: 'list<uint64>' },
        { name: 's', dataType: 'STRUCT', children: [{ name: 'big', dataType: 'NUMERIC' }] },
      ],
      tablePartition: { columns: ['n'], intervalType: 'COLUMN-VALUE' },
    });
    expect(lines.filter((l) => l.includes('DEBUG'))).toHaveLength(4);
    expect(lines[0]).toMatch(/OpenMetadata 1\.2\.0 does not accept fileFormat "jsonl"; sending "json" for svc\.db\.sch\."orders\.jsonl"/);
  });

  it('leaves a newer server the newer values, and speaks the newest API when the version is unknown', () => {
    for (const version of ['2.0.7', undefined]) {
      expect(new ServerDialect(version, logger).table(table(), 't')).toEqual(table());
    }
    // csv.gz arrived in 1.10 (PR #22666), pq in 1.9 (PR #22027): a 1.9 server gets csv for csv.gz only.
    const d = new ServerDialect('1.9.4', logger);
    expect(d.table(table({ fileFormat: 'csv.gz' }), 't').fileFormat).toBe('csv');
    expect(d.table(table({ fileFormat: 'pq' }), 't').fileFormat).toBe('pq');
    expect(d.table(table(), 't').locationPath).toBe('s3://b/orders.jsonl');
    expect(new ServerDialect('1.5.3', logger).table(table(), 't').locationPath).toBeUndefined();
  });

  it('picks the narrowest signed type that holds an unsigned width', () => {
    expect(['uint8', 'uint16', 'uint32', 'uint64', 'uint'].map(signedTypeFor)).toEqual(['SMALLINT', 'INT', 'BIGINT', 'NUMERIC', 'NUMERIC']);
  });

  it('shapes test results for the incident era: testCaseFailureStatus before 1.3, row counts after', () => {
    const result = { timestamp: 1700000000000, testCaseStatus: 'Failed', testResultValue: [{ name: 'nullCount', value: '2' }], passedRows: 8, failedRows: 2 };
    expect(new ServerDialect('1.2.0', logger).testCaseResult(result)).toEqual({
      timestamp: 1700000000000,
      testCaseStatus: 'Failed',
      testResultValue: [{ name: 'nullCount', value: '2' }],
      testCaseFailureStatus: { testCaseFailureStatusType: 'New', updatedAt: 1700000000000 },
    });
    expect(new ServerDialect('1.2.0', logger).testCaseResult({ ...result, testCaseStatus: 'Success' })).not.toHaveProperty('testCaseFailureStatus');
    expect(new ServerDialect('2.0.7', logger).testCaseResult(result)).toEqual(result);
  });

  it('learns a refused value from the 400 and falls back for the rest of the run', () => {
    const d = new ServerDialect(undefined, logger);
    expect(d.table(table(), 't').fileFormat).toBe('jsonl');
    const message = 'PUT /tables → 400: Cannot deserialize value of type `FileFormat` from String "jsonl": not one of the values accepted';
    expect(d.learn(message)).toBe(true);
    expect(d.learn(message)).toBe(false);
    expect(d.table(table(), 't').fileFormat).toBe('json');
    expect(d.learn('Unrecognized field "locationPath" (class CreateTable)')).toBe(true);
    expect(d.table(table(), 't')).not.toHaveProperty('locationPath');
    expect(d.learn('Unrecognized field "columns" (class CreateTable)')).toBe(false);
  });
});

describe('counting what a PUT did', () => {
  it('trusts the server header, and never counts an unmoved version as an update', () => {
    expect(changeOf(201, '', {})).toBe('created');
    expect(changeOf(200, 'entityCreated', {})).toBe('created');
    expect(changeOf(200, 'entityNoChange', { version: 0.2 })).toBe('unchanged');
    expect(changeOf(200, 'entityUpdated', { version: 0.2 })).toBe('updated');
    expect(changeOf(200, 'entityUpdated', { version: 0.2, changeDescription: { previousVersion: 0.2 } })).toBe('unchanged');
    // Without the header: a version that did not move is unchanged (a re-run answered with the same entity).
    expect(changeOf(200, '', { version: 0.1 })).toBe('unchanged');
    expect(changeOf(200, '', { version: 0.2, changeDescription: { previousVersion: 0.1 } })).toBe('updated');
    expect(changeOf(200, '', { version: 0.2, incrementalChangeDescription: { fieldsUpdated: [] } })).toBe('unchanged');
    expect(changeOf(200, '', { version: 0.2, incrementalChangeDescription: { fieldsUpdated: [{ name: 'description' }] } })).toBe('updated');
  });
});

describe('a server whose version is not checked', () => {
  let server: OmApiServer;
  beforeAll(async () => {
    server = await startOmApiServer({ version: '1.2.0' });
  });
  afterAll(async () => {
    await server.close();
  });

  it('retries a table refused for an enum value once with the fallback, and remembers it', async () => {
    lines.length = 0;
    // The sink alone, fed records the way the workflow feeds it.
    const sink = await sinkFor(server);
    expect(sink.dialect.version).toBeUndefined();
    for (const name of ['a.jsonl', 'b.jsonl']) {
      const out = await sink.write({ kind: 'table', entity: { ...table({ locationPath: undefined, tablePartition: undefined }), name, databaseSchema: 'svc.db.sch' } } as never);
      if (!out.ok) throw new Error(out.error.error);
      const settled = await out.value.pending!;
      expect(settled).toMatchObject({ ok: true });
    }
    const stored = server.store.all('table').map((t) => [t.name, t.body.fileFormat]);
    expect(stored).toEqual([['a.jsonl', 'json'], ['b.jsonl', 'json']]);
    // Three refusals (jsonl, UINT, LARGEINT), each retried once and learnt; the second table is right the first time.
    expect(server.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/tables')).map((r) => r.status)).toEqual([400, 400, 400, 201, 201]);
    expect(lines.filter((l) => l.includes('falling back for the rest of the run'))).toHaveLength(3);
    await sink.close();
  });
});

async function sinkFor(server: OmApiServer): Promise<MetadataRestSink> {
  for (const [kind, body] of [
    ['services/databaseServices', { name: 'svc', serviceType: 'Datalake', connection: { config: { type: 'Datalake', configSource: {} } } }],
    ['databases', { name: 'db', service: 'svc' }],
    ['databaseSchemas', { name: 'sch', database: 'svc.db' }],
  ] as const) {
    await fetch(`${server.url}/api/v1/${kind}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
  const sink = await metadataRestSinkFactory.create({
    workflowConfig: { workflowConfig: { openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'no-auth', enableVersionValidation: false } } },
    stepConfig: { config: {} },
    masker: new SecretMasker(),
    logger,
  } as never);
  await sink.prepare();
  return sink;
}
