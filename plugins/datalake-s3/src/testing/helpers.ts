/** Test helpers: talk to the S3 emulator (fauxqs) started by tests/setup. */
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

/** fauxqs ignores access keys; these only prove that secrets never reach messages. */
export const TEST_KEYS = { awsAccessKeyId: 'AKIDS3TESTONLY', awsSecretAccessKey: 's3-secret-never-printed-0123' };

export function s3Endpoint(): string {
  const endpoint = process.env.OM_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('OM_TEST_S3_ENDPOINT is not set: run with OM_TEST_SERVERS=fauxqs (or unset) so tests/setup starts fauxqs');
  return endpoint;
}

export function s3ConfigSource(endpoint = s3Endpoint(), extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { securityConfig: { ...TEST_KEYS, awsRegion: 'us-east-1', endPointURL: endpoint }, ...extra };
}

export function adminClient(endpoint = s3Endpoint()): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: TEST_KEYS.awsAccessKeyId, secretAccessKey: TEST_KEYS.awsSecretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** A bucket name unique to one test file (S3 names: lowercase, digits, dashes). */
export function uniqueBucket(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export async function createBucket(client: S3Client, bucket: string, objects: Record<string, string | Uint8Array> = {}): Promise<void> {
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await putObjects(client, bucket, objects);
}

export async function putObjects(client: S3Client, bucket: string, objects: Record<string, string | Uint8Array>, concurrency = 16): Promise<void> {
  const entries = Object.entries(objects);
  for (let i = 0; i < entries.length; i += concurrency) {
    await Promise.all(entries.slice(i, i + concurrency).map(([Key, Body]) => client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: typeof Body === 'string' ? Buffer.from(Body) : Body }))));
  }
}
