/**
 * Contract fidelity: a bucket holding every format, codec, nested and unsigned column the Datalake source
 * reads, ingested from S3 (fauxqs) into the OpenMetadata API test server impersonating the oldest and the
 * newest supported version. The server judges every body by OpenMetadata's own JSON Schemas for that
 * version, so a value one version does not know (fileFormat `jsonl`, dataType `UINT`) is a 400 there.
 * Done when: 0 rejected requests, first run a success, re-run "0 updated" — on both versions.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as avro from 'avsc';
import { plugin as datalake } from '@om/datalake';
import { plugin as s3 } from '@om/datalake-s3';
import { plugin as openMetadataPlugin, type MetadataRestSink } from '@om/openmetadata';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { duckdb, TYPES_SELECT } from '../../packages/datalake/src/test-support/duckdb';
import { makeZip } from '../../packages/datalake/src/test-support/zip';
import { REPO_ROOT } from '../helpers/user-project';
import { registryOf, runWorkflow } from '../helpers/workflow';

const TOKEN = 'contract-bot-token';
const KEYS = { awsAccessKeyId: 'AKIDCONTRACT', awsSecretAccessKey: 'contract-secret-never-printed' };
const BUCKET = 'hidden-lake';

function endpoint(): string {
  const value = process.env.OM_TEST_S3_ENDPOINT;
  if (!value) throw new Error('OM_TEST_S3_ENDPOINT is not set: run with OM_TEST_SERVERS=fauxqs (or unset)');
  return value;
}

/** Avro with logical types, fixed, enum, map, array and nested records, as avsc (a real producer) writes it. */
const AVRO_SCHEMA = {
  type: 'record', name: 'Order', fields: [
    { name: 'id', type: 'long' },
    { name: 'amount', type: 'double' },
    { name: 'note', type: ['null', 'string'] },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16 } },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'long' } },
    { name: 'geo', type: { type: 'record', name: 'Geo', fields: [{ name: 'lat', type: 'double' }, { name: 'lon', type: 'double' }] } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
  ],
};

async function avroFile(codec: string): Promise<Buffer> {
  const encoder = new avro.streams.BlockEncoder(AVRO_SCHEMA as avro.Schema, { codec } as never);
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => encoder.on('end', resolve).on('error', reject));
  for (let i = 0; i < 100; i++) {
    encoder.write({
      id: i, amount: i / 3, note: i % 2 ? null : 'x', price: Buffer.from([0, i]), hash: Buffer.alloc(16, i), kind: i % 2 ? 'A' : 'B',
      tags: ['t'], attrs: { k: i }, geo: { lat: i, lon: -i }, at: 1_700_000_000_000 + i, day: 19_000 + i, uid: '6f1c7d9e-0000-4000-8000-000000000000',
    });
  }
  encoder.end();
  await done;
  return Buffer.concat(chunks);
}

/** Every file the lake holds: name → bytes. Written by DuckDB (a real producer) where it can. */
async function lakeFiles(): Promise<Map<string, Buffer>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-contract-'));
  const q = (name: string) => `'${path.join(dir, name)}'`;
  const rows = `SELECT i AS id, 'name ' || i AS name, i * 1.5 AS amount, DATE '2024-01-01' + (i % 30)::INTEGER AS day FROM range(200) t(i)`;
  const nested = `SELECT i AS id, {'city': 'c' || i, 'geo': {'lat': i * 0.5, 'lon': -i * 0.5}} AS address, [i, i + 1] AS codes, [{'sku': 's' || i, 'qty': i}] AS lines FROM range(50) t(i)`;
  await duckdb([
    `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
    `CREATE TABLE types AS ${TYPES_SELECT}`,
    `COPY types TO ${q('types.parquet')} (FORMAT parquet)`,
    `COPY types TO ${q('types_zstd.parquet')} (FORMAT parquet, COMPRESSION zstd)`,
    `COPY types TO ${q('types_gzip.parquet')} (FORMAT parquet, COMPRESSION gzip)`,
    `COPY types TO ${q('types_plain.parquet')} (FORMAT parquet, COMPRESSION uncompressed)`,
    `COPY (SELECT i8, u8, u16, u32, u64 FROM types) TO ${q('unsigned.pq')} (FORMAT parquet)`,
    `COPY (SELECT i32, txt FROM types) TO ${q('short.parquet.snappy')} (FORMAT parquet, COMPRESSION snappy)`,
    `COPY (${rows}) TO ${q('orders.csv')} (FORMAT csv, HEADER)`,
    `COPY (${rows}) TO ${q('orders.csv.gz')} (FORMAT csv, HEADER, COMPRESSION gzip)`,
    `COPY (${rows}) TO ${q('orders.tsv')} (FORMAT csv, HEADER, DELIMITER '\t')`,
    `COPY (${rows}) TO ${q('orders.json')} (FORMAT json, ARRAY true)`,
    `COPY (${rows}) TO ${q('orders.jsonl')} (FORMAT json)`,
    `COPY (${nested}) TO ${q('nested.jsonl')} (FORMAT json)`,
    `COPY (${nested}) TO ${q('nested.parquet')} (FORMAT parquet)`,
  ]);
  const files = new Map<string, Buffer>();
  for (const name of fs.readdirSync(dir)) files.set(`raw/${name}`, fs.readFileSync(path.join(dir, name)));
  const json = files.get('raw/orders.json')!;
  const jsonl = files.get('raw/orders.jsonl')!;
  files.set('raw/orders.json.gz', zlib.gzipSync(json));
  files.set('raw/orders.jsonl.gz', zlib.gzipSync(jsonl));
  files.set('raw/orders.json.zip', makeZip([{ name: 'orders.json', data: json }]));
  files.set('raw/orders.jsonl.zip', makeZip([{ name: 'orders.jsonl', data: jsonl }]));
  files.set('raw/clicks.avro', fs.readFileSync(path.join(REPO_ROOT, 'examples', 'datalake', 'warehouse', 'clicks.avro')));
  for (const codec of ['null', 'deflate']) files.set(`raw/orders_${codec}.avro`, await avroFile(codec));
  for (const month of ['01', '02']) {
    const part = path.join(REPO_ROOT, 'examples', 'datalake', 'warehouse', 'events', `year=2024`, `month=${month}`, 'part-0.parquet');
    files.set(`events/year=2024/month=${month}/part-0.parquet`, fs.readFileSync(part));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return files;
}

const registry = () => registryOf({ '@om/datalake': datalake, '@om/datalake-s3': s3, '@om/openmetadata': openMetadataPlugin });

async function ingest(server: OmApiServer) {
  const wf = await runWorkflow(
    {
      source: {
        type: 'datalake',
        serviceName: 'hidden_lake',
        serviceConnection: {
          config: {
            type: 'Datalake',
            configSource: { securityConfig: { ...KEYS, awsRegion: 'us-east-1', endPointURL: endpoint() } },
            bucketName: BUCKET,
          },
        },
        sourceConfig: { config: { type: 'DatabaseMetadata', markDeletedTables: true, partitionedTables: true } },
      },
      sink: { type: 'metadata-rest', config: {} },
      workflowConfig: { openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
    },
    registry(),
  );
  return { wf, sink: wf.sink as MetadataRestSink };
}

let objectCount = 0;

beforeAll(async () => {
  const files = await lakeFiles();
  objectCount = files.size;
  const client = new S3Client({
    endpoint: endpoint(),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: KEYS.awsAccessKeyId, secretAccessKey: KEYS.awsSecretAccessKey },
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, bytes] of files) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
  client.destroy();
}, 120_000);

describe.each(IMPERSONATED_VERSIONS)('every format, codec, nested and unsigned column into OpenMetadata %s', (version) => {
  let server: OmApiServer;

  beforeAll(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
  });

  afterAll(async () => {
    await server.close();
  });

  const rejected = () => server.requests.filter((r) => r.status >= 400 && r.status !== 404);
  const tables = () => new Map(server.store.all('table').map((t) => [t.name, t.body as Record<string, unknown>]));

  it('lands with 0 rejected requests, a successful first run and nothing updated on a re-run', async () => {
    const first = await ingest(server);
    expect(first.wf.summary().steps.map((s) => [s.step, s.failureSamples])).toEqual(first.wf.summary().steps.map((s) => [s.step, []]));
    expect(first.wf.summary().state).toBe('success');
    expect(rejected()).toEqual([]);
    // One table per file, the partitioned folder as one table.
    expect(server.store.all('table')).toHaveLength(objectCount - 1);

    const second = await ingest(server);
    expect(second.wf.summary().state).toBe('success');
    const totals = second.sink.status.totals();
    expect(totals).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    // The existing service is read, not overwritten (counted unchanged), then the database, the schema, every table.
    expect(totals.unchanged).toBe(3 + objectCount - 1);
    expect(rejected()).toEqual([]);
  });

  it('sends each value the way this version accepts it', () => {
    const t = tables();
    const column = (table: string, name: string) => ((t.get(table)!.columns as Record<string, unknown>[]).find((c) => c.name === name) ?? {}) as Record<string, unknown>;
    const oldest = version === '1.2.0';
    // Values 1.2 does not know fall back to the closest older one (packages/openmetadata compat/server-versions.ts).
    expect(t.get('raw/orders.jsonl')!.fileFormat).toBe(oldest ? 'json' : 'jsonl');
    expect(t.get('raw/orders.jsonl.gz')!.fileFormat).toBe(oldest ? 'json.gz' : 'jsonl.gz');
    expect(t.get('raw/orders.csv.gz')!.fileFormat).toBe(oldest ? 'csv' : 'csv.gz');
    expect(t.get('raw/unsigned.pq')!.fileFormat).toBe(oldest ? 'parquet' : 'pq');
    expect(t.get('raw/short.parquet.snappy')!.fileFormat).toBe(oldest ? 'parquet' : 'parquet.snappy');
    expect(column('raw/unsigned.pq', 'u8').dataType).toBe(oldest ? 'SMALLINT' : 'UINT');
    expect(column('raw/unsigned.pq', 'u16').dataType).toBe(oldest ? 'INT' : 'UINT');
    expect(column('raw/unsigned.pq', 'u32').dataType).toBe(oldest ? 'BIGINT' : 'UINT');
    expect(column('raw/unsigned.pq', 'u64').dataType).toBe(oldest ? 'NUMERIC' : 'UINT');
    expect(column('raw/unsigned.pq', 'u64').dataTypeDisplay).toBe('uint64');
    // 1.2 lists partition columns by name; 1.5 on, as {columnName, intervalType}.
    expect(t.get('events')!.tablePartition).toEqual(
      oldest ? { columns: ['year', 'month'], intervalType: 'COLUMN-VALUE' } : { columns: [{ columnName: 'year', intervalType: 'COLUMN-VALUE' }, { columnName: 'month', intervalType: 'COLUMN-VALUE' }] },
    );
  });
});
