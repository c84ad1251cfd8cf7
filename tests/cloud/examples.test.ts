/**
 * The S3, GCS and Azure example configs (OpenMetadata's workflow shape) validate, and run against the
 * emulators with only environment variables changed. The metadata-rest sink is swapped for a file
 * sink to run them (there is no OpenMetadata server here).
 */
import { generateKeyPairSync } from 'node:crypto';
import * as path from 'node:path';
import { ConfigError, expandEnv, readConfigFile, validateWorkflowConfig } from '@om/core';
import { plugin as openmetadata } from '@om/openmetadata';
import { plugin as s3 } from '@om/datalake-s3';
import { allStorePlugins, EXAMPLES, registryWith, runToFile } from './helpers';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BlobServiceClient } from '@azure/storage-blob';
import { Storage } from '@google-cloud/storage';

const BUCKET = 'om-examples';
const FILES: Record<string, string> = { 'orders.csv': 'id,amount,placed_at\n1,9.5,2024-01-02\n2,3,2024-01-03\n', 'nested/items.jsonl': '{"sku":"a","qty":1}\n{"sku":"b","qty":2}\n' };

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run with OM_TEST_SERVERS=fauxqs,azurite,gcs-emulator (or unset)`);
  return value;
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const common = { DATALAKE_BUCKET: BUCKET, OM_JWT_TOKEN: 'jwt-for-validation-only' };
const envs: Record<string, () => NodeJS.ProcessEnv> = {
  'datalake-s3.yaml': () => ({ ...common, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example-secret-key-0000', S3_ENDPOINT_URL: env('OM_TEST_S3_ENDPOINT') }),
  'datalake-gcs.yaml': () => ({
    ...common,
    GCP_PROJECT_ID: 'demo-om',
    GCP_PRIVATE_KEY_ID: 'kid-1',
    // As it often arrives through an environment variable: one line with literal \n.
    GCP_PRIVATE_KEY: PEM.replace(/\n/g, '\\n'),
    GCP_CLIENT_EMAIL: 'reader@demo-om.iam.gserviceaccount.com',
    GCP_CLIENT_ID: '1234567890',
    GCP_CLIENT_CERT_URL: 'https://www.googleapis.com/robot/v1/metadata/x509/reader%40demo-om.iam.gserviceaccount.com',
  }),
  'datalake-azure.yaml': () => ({ ...common, AZURE_STORAGE_ACCOUNT: env('OM_TEST_AZURE_ACCOUNT_NAME'), AZURE_STORAGE_CONNECTION_STRING: env('OM_TEST_AZURE_CONNECTION_STRING') }),
};

function registry() {
  return registryWithOm();
}
function registryWithOm() {
  const r = registryWith(allStorePlugins());
  r.addDescriptor(openmetadata, '@om/openmetadata', '0.1.0');
  return r;
}

beforeAll(async () => {
  process.env.STORAGE_EMULATOR_HOST = env('OM_TEST_GCS_ENDPOINT');
  const s3c = new S3Client({
    endpoint: env('OM_TEST_S3_ENDPOINT'),
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3c.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const blob = BlobServiceClient.fromConnectionString(env('OM_TEST_AZURE_CONNECTION_STRING'));
  await blob.getContainerClient(BUCKET).create();
  const gcs = new Storage({ projectId: 'demo-om' });
  for (const [key, body] of Object.entries(FILES)) {
    await s3c.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: Buffer.from(body) }));
    await blob.getContainerClient(BUCKET).getBlockBlobClient(key).uploadData(Buffer.from(body));
    await gcs.bucket(BUCKET).file(key).save(Buffer.from(body), { resumable: false });
  }
  s3c.destroy();
});

afterAll(() => {
  delete process.env.STORAGE_EMULATOR_HOST;
});

test.each(Object.keys(envs))('%s validates unchanged and runs against the emulator', async (file) => {
  const raw = readConfigFile(path.join(EXAMPLES, file));
  const expanded = expandEnv(raw, envs[file]());
  expect(expanded.violations).toEqual([]);
  const validated = await validateWorkflowConfig(expanded.value, registry());
  expect(validated.capabilities.map((c) => c.capability)).toEqual(
    expect.arrayContaining(['source:datalake', 'sink:metadata-rest', `objectStore:${file.replace(/^datalake-|\.yaml$/g, '')}`]),
  );

  const run = await runToFile(raw, registryWithOm(), envs[file]());
  expect(run.workflow.source.status.failureSamples).toEqual([]);
  const tables = run.records.filter((r) => Array.isArray(r.columns)).map((r) => [r.name, (r.columns as { name: string }[]).map((c) => c.name)]);
  expect(tables).toEqual([
    ['nested/items.jsonl', ['sku', 'qty']],
    ['orders.csv', ['id', 'amount', 'placed_at']],
  ]);
  // Secrets from the environment never reach the output or the logs.
  const text = JSON.stringify(run.records) + run.logs.join('\n');
  for (const secret of ['example-secret-key-0000', PEM.split('\n')[1], env('OM_TEST_AZURE_ACCOUNT_KEY')]) expect(text).not.toContain(secret);
});

test('a gcsConfig with only the S3 plugin installed fails naming @om/datalake-gcs', async () => {
  const raw = readConfigFile(path.join(EXAMPLES, 'datalake-gcs.yaml'));
  const expanded = expandEnv(raw, envs['datalake-gcs.yaml']()).value;
  const onlyS3 = registryWith([{ descriptor: s3, pkg: '@om/datalake-s3' }]);
  onlyS3.addDescriptor(openmetadata, '@om/openmetadata', '0.1.0');
  let caught: unknown;
  try {
    await validateWorkflowConfig(expanded, onlyS3);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  const message = (caught as ConfigError).message + JSON.stringify((caught as ConfigError).violations);
  expect(message).toContain('@om/datalake-gcs');
  expect(message).not.toContain('@om/datalake-s3 ');
});
