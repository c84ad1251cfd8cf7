/**
 * Lakehouse tables in a bucket: a Delta Lake, an Iceberg and a Hudi table folder are one table each,
 * read from their metadata (schema, partitions, location), their data and log files are not tables,
 * and plain files beside them stay tables. On the local store and on S3 (fauxqs), into the OpenMetadata
 * API test server on the oldest and the newest supported version.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { plugin as datalake } from '@om/datalake';
import { plugin as s3 } from '@om/datalake-s3';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { registryOf, runWorkflow } from '../helpers/workflow';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { deltaTable, hudiTable, icebergTable } from '../../packages/datalake/src/test-support/lakehouse';

const TOKEN = 'lakehouse-bot-token';
const BUCKET = 'lakehouse';
const KEYS = { awsAccessKeyId: 'AKIDLAKEHOUSE', awsSecretAccessKey: 'lakehouse-secret' };

async function lakeFiles(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const add = (root: string, table: Map<string, Buffer>) => {
    for (const [k, v] of table) files.set(`${root}/${k}`, v);
  };
  add('warehouse/orders', await deltaTable());
  add('warehouse/events', icebergTable());
  add('warehouse/trips', hudiTable());
  files.set('warehouse/notes.csv', Buffer.from('id,text\n1,a\n2,b\n'));
  return files;
}

const registry = () => registryOf({ '@om/datalake': datalake, '@om/datalake-s3': s3, '@om/openmetadata': openMetadataPlugin });

async function ingest(server: OmApiServer, configSource: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const wf = await runWorkflow(
    {
      source: {
        type: 'datalake',
        serviceName: 'lakehouse',
        serviceConnection: { config: { type: 'Datalake', configSource, bucketName: BUCKET } },
        sourceConfig: { config: { type: 'DatabaseMetadata', ...extra } },
      },
      sink: { type: 'metadata-rest', config: {} },
      workflowConfig: { openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
    },
    registry(),
  );
  return wf;
}

let root: string;
let s3Source: Record<string, unknown>;

beforeAll(async () => {
  const files = await lakeFiles();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-lakehouse-'));
  for (const [key, bytes] of files) {
    const file = path.join(root, BUCKET, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
  const endpoint = process.env.OM_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('OM_TEST_S3_ENDPOINT is not set: run with OM_TEST_SERVERS=fauxqs (or unset)');
  s3Source = { securityConfig: { ...KEYS, awsRegion: 'us-east-1', endPointURL: endpoint } };
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: KEYS.awsAccessKeyId, secretAccessKey: KEYS.awsSecretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  for (const [key, bytes] of files) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
  client.destroy();
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  let server: OmApiServer;
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
  });
  afterEach(async () => {
    await server.close();
  });

  const stored = () => new Map(server.store.all('table').map((t) => [t.name, t.body as Record<string, any>]));

  it.each([
    ['local', () => ({ root })],
    ['S3', () => s3Source],
  ])('%s: one table per table folder, from its metadata', async (_where, source) => {
    const wf = await ingest(server, source());
    expect(wf.summary().steps.map((s) => s.failureSamples)).toEqual([[], []]);
    expect(server.requests.filter((r) => r.status === 400)).toEqual([]);
    const tables = stored();
    expect([...tables.keys()].sort()).toEqual(['warehouse/events', 'warehouse/notes.csv', 'warehouse/orders', 'warehouse/trips']);

    const orders = tables.get('warehouse/orders')!;
    expect(orders.columns.map((c: { name: string }) => c.name)).toEqual(['id', 'customer', 'amount', 'day', 'lines', 'attrs', 'payload', 'at', 'discount']);
    expect(orders).toMatchObject({ tableType: 'External', description: 'Orders, one row per order' });
    const oldest = version === '1.2.0';
    // Partitions in each version's shape (1.2: names; 1.4 on: column details); locationPath from 1.6 on.
    expect(orders.tablePartition).toEqual(oldest ? { columns: ['day'], intervalType: 'COLUMN-VALUE' } : { columns: [{ columnName: 'day', intervalType: 'COLUMN-VALUE' }] });
    expect(orders.locationPath).toBe(oldest ? undefined : `${_where === 'S3' ? 's3' : 'file'}://${BUCKET}/warehouse/orders`);

    const events = tables.get('warehouse/events')!;
    expect(events).toMatchObject({ tableType: 'Iceberg', description: 'Click events' });
    expect(events.columns.map((c: { name: string }) => c.name)).toEqual(['event_id', 'ts', 'user', 'tags', 'amount', 'digest', 'props']);
    expect(oldest ? events.tablePartition : events.tablePartition.columns).toEqual(
      oldest ? { columns: ['ts', 'event_id'] } : [{ columnName: 'ts', intervalType: 'TIME-UNIT', interval: 'day' }, { columnName: 'event_id', intervalType: 'OTHER', interval: 'bucket[16]' }],
    );

    const trips = tables.get('warehouse/trips')!;
    expect(trips.columns.map((c: { name: string }) => c.name)).toContain('tip');
  });

  it('tableFormats: false reads every file as before (log and metadata files become tables)', async () => {
    await ingest(server, { root }, { tableFormats: false });
    const names = [...stored().keys()];
    expect(names).toContain('warehouse/orders/_delta_log/00000000000000000000.json');
    expect(names).toContain('warehouse/events/metadata/00000-0b0e0c2e-1111-4d3a-9d89-3f1d5b3c0001.metadata.json');
    expect(names).not.toContain('warehouse/orders');
    expect(names).not.toContain('warehouse/events');
  });
});
