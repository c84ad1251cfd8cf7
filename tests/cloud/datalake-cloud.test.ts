/**
 * End to end: the examples data lake uploaded to each storage emulator gives the same records
 * (databases, schemas, tables, columns) as the local run of the same folder; failures name what
 * failed and the rest of the run continues.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';
import { FaultProxy } from './fault-proxy';
import { datalakeSource, exampleBuckets, exampleObjects, LAKE, normalize, runToFile, workflowConfig } from './helpers';

const S3_KEYS = { awsAccessKeyId: 'AKIDCLOUDTEST', awsSecretAccessKey: 'cloud-secret-never-printed-42' };
const GCS_PROJECT = 'demo-om';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run with OM_TEST_SERVERS=fauxqs,azurite,gcs-emulator (or unset)`);
  return value;
}

const s3Source = (endpoint = env('OM_TEST_S3_ENDPOINT')) => ({ securityConfig: { ...S3_KEYS, awsRegion: 'us-east-1', endPointURL: endpoint } });
const azureSource = (extra: Record<string, unknown> = {}) => ({
  securityConfig: { accountName: env('OM_TEST_AZURE_ACCOUNT_NAME'), accountKey: env('OM_TEST_AZURE_ACCOUNT_KEY'), blobEndpoint: env('OM_TEST_AZURE_BLOB_ENDPOINT'), ...extra },
  retryDelayMs: 20,
});
const gcsSource = () => ({ securityConfig: { gcpConfig: { type: 'gcp_adc', projectId: GCS_PROJECT } }, maxRetryDelayMs: 50 });

let local: string[];

beforeAll(async () => {
  process.env.STORAGE_EMULATOR_HOST = env('OM_TEST_GCS_ENDPOINT');
  const objects = exampleObjects();
  const buckets = exampleBuckets();

  const s3 = new S3Client({
    endpoint: env('OM_TEST_S3_ENDPOINT'),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: S3_KEYS.awsAccessKeyId, secretAccessKey: S3_KEYS.awsSecretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  for (const b of buckets) await s3.send(new CreateBucketCommand({ Bucket: b }));
  await Promise.all(objects.map((o) => s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: o.bytes }))));
  s3.destroy();

  const blob = BlobServiceClient.fromConnectionString(env('OM_TEST_AZURE_CONNECTION_STRING'));
  for (const b of buckets) await blob.getContainerClient(b).create();
  await Promise.all(objects.map((o) => blob.getContainerClient(o.bucket).getBlockBlobClient(o.key).uploadData(o.bytes)));

  const gcs = new Storage({ projectId: GCS_PROJECT });
  await Promise.all(objects.map((o) => gcs.bucket(o.bucket).file(o.key).save(o.bytes, { resumable: false })));

  const run = await runToFile(workflowConfig(datalakeSource('lake_local', { root: LAKE })));
  expect(run.workflow.source.status.errors).toBe(0);
  local = normalize(run.records, 'lake_local', 'default');
}, 120_000);

afterAll(() => {
  delete process.env.STORAGE_EMULATOR_HOST;
});

test('the local run of the examples finds tables with columns (the reference)', () => {
  const tables = local.map((r) => JSON.parse(r) as { columns?: unknown[]; name?: string }).filter((r) => Array.isArray(r.columns));
  expect(tables.length).toBeGreaterThan(5);
  for (const t of tables) expect(t.columns!.length).toBeGreaterThan(0);
});

test.each([
  ['s3 (fauxqs)', 'lake_s3', () => s3Source(), 'default'],
  ['azure (azurite)', 'lake_azure', () => azureSource(), 'default'],
  ['gcs (firebase storage emulator)', 'lake_gcs', () => gcsSource(), GCS_PROJECT],
])('%s gives the same databases, schemas, tables and columns as the local run', async (_name, service, source, database) => {
  const run = await runToFile(workflowConfig(datalakeSource(service, source())));
  expect(run.workflow.source.status.failureSamples).toEqual([]);
  expect(normalize(run.records, service, database)).toEqual(local);
});

test('s3: a denied object and a missing bucket fail by name; the other files and buckets continue', async () => {
  const proxy = new FaultProxy(env('OM_TEST_S3_ENDPOINT'));
  proxy.fault((r) =>
    r.method === 'GET' && r.url.startsWith('/sales/orders.csv')
      ? {
          status: 403,
          headers: { 'content-type': 'application/xml' },
          body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
        }
      : undefined,
  );
  await proxy.start();
  try {
    const source = datalakeSource('lake_s3_denied', s3Source(proxy.endpoint));
    (source.sourceConfig as { config: Record<string, unknown> }).config.schemaFilterPattern = { includes: ['^sales$', '^warehouse$', '^om-no-such-bucket$'] };
    const run = await runToFile(workflowConfig(source));
    const failures = run.workflow.source.status.failureSamples.map((f) => `${f.name}: ${f.error}`);
    expect(failures.join('\n')).toContain('s3://sales/orders.csv');
    expect(failures.join('\n')).toMatch(/denied \(AccessDenied\)/);
    const names = run.records.map((r) => r.name);
    expect(names).not.toContain('orders.csv');
    expect(names).toEqual(expect.arrayContaining(['customers.tsv', 'products.json']));
    expect(run.logs.join('\n')).not.toContain(S3_KEYS.awsSecretAccessKey);

    // A missing bucket is found by the connection test, before anything is written.
    await expect(runToFile(workflowConfig(datalakeSource('lake_s3_missing', s3Source(), { bucketName: 'om-no-such-bucket' })))).rejects.toThrow(
      /source\.serviceConnection\.config\.bucketName: S3 ListObjectsV2 failed: bucket "om-no-such-bucket" does not exist/,
    );
  } finally {
    await proxy.stop();
  }
});

test('azure: a wrong account key fails naming the container and hiding the key; a missing container is named', async () => {
  const wrongKey = Buffer.from('definitely-not-the-azurite-account-key-000').toString('base64');
  // Both are found by the connection test, before anything is written.
  const badKey = await runToFile(workflowConfig(datalakeSource('lake_az_badkey', azureSource({ accountKey: wrongKey }), { bucketName: 'sales' }))).catch((err: unknown) => err as Error);
  expect(badKey).toBeInstanceOf(Error);
  const message = (badKey as Error).message;
  expect(message).toMatch(/^Connection test failed for source datalake \(list one page of azure:\/\/sales\/\): source\.serviceConnection\.config\.configSource\.securityConfig: .*container "sales"/);
  expect(message).toMatch(/AuthenticationFailed|AuthorizationFailure/);
  expect(message).not.toContain(wrongKey);

  await expect(runToFile(workflowConfig(datalakeSource('lake_az_missing', azureSource(), { bucketName: 'no-such-container' })))).rejects.toThrow(
    /source\.serviceConnection\.config\.bucketName: .*container "no-such-container" does not exist/,
  );
});

test('gcs: a denied object fails by name; the other files continue', async () => {
  const proxy = new FaultProxy(env('OM_TEST_GCS_ENDPOINT'));
  proxy.fault((r) =>
    r.url.startsWith('/b/sales/o/orders.csv')
      ? {
          status: 403,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ error: { code: 403, message: 'reader does not have storage.objects.get access', errors: [{ reason: 'forbidden' }] } }),
        }
      : undefined,
  );
  await proxy.start();
  const before = process.env.STORAGE_EMULATOR_HOST;
  process.env.STORAGE_EMULATOR_HOST = proxy.endpoint;
  try {
    const run = await runToFile(workflowConfig(datalakeSource('lake_gcs_denied', gcsSource(), { bucketName: 'sales' })));
    const failures = run.workflow.source.status.failureSamples.map((f) => f.error).join('\n');
    expect(failures).toContain('gs://sales/orders.csv');
    expect(failures).toContain('storage.objects.get');
    expect(run.records.map((r) => r.name)).toEqual(expect.arrayContaining(['customers.tsv', 'products.json']));
  } finally {
    process.env.STORAGE_EMULATOR_HOST = before;
    await proxy.stop();
  }
});
