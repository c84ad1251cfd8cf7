// S3 helpers on the fauxqs emulator: an SDK client, bucket creation, multipart upload of a large file
// (fauxqs accepts bodies up to 11 MiB), bulk puts of small objects.
import * as fs from 'node:fs';
import { s3sdk } from './env.mjs';

export const KEYS = { awsAccessKeyId: 'AKIDBENCHONLY', awsSecretAccessKey: 'bench-secret-not-real' };

export function client(endpoint, extra = {}) {
  const { S3Client } = s3sdk();
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: KEYS.awsAccessKeyId, secretAccessKey: KEYS.awsSecretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...extra,
  });
}

/** The Datalake `configSource` for this endpoint. */
export function configSource(endpoint) {
  return { securityConfig: { ...KEYS, awsRegion: 'us-east-1', endPointURL: endpoint } };
}

export async function ensureBucket(c, bucket) {
  const { CreateBucketCommand, HeadBucketCommand } = s3sdk();
  try {
    await c.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch {
    await c.send(new CreateBucketCommand({ Bucket: bucket }));
  }
}

export async function objectExists(c, bucket, key, size) {
  const { HeadObjectCommand } = s3sdk();
  try {
    const out = await c.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return size === undefined || out.ContentLength === size;
  } catch {
    return false;
  }
}

/** Multipart upload of a local file in 8 MiB parts, `concurrency` parts at once. */
export async function uploadFile(c, bucket, key, file, concurrency = 4) {
  const { CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, PutObjectCommand } = s3sdk();
  const size = fs.statSync(file).size;
  const partSize = 8 * 1024 * 1024;
  if (size <= partSize) {
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(file) }));
    return size;
  }
  const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  const parts = [];
  const count = Math.ceil(size / partSize);
  const fd = fs.openSync(file, 'r');
  try {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const n = next++;
        const len = Math.min(partSize, size - n * partSize);
        const buf = Buffer.allocUnsafe(len);
        fs.readSync(fd, buf, 0, len, n * partSize);
        const out = await c.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: n + 1, Body: buf }));
        parts[n] = { ETag: out.ETag, PartNumber: n + 1 };
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    fs.closeSync(fd);
  }
  await c.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  return size;
}

/**
 * A bench file into `bucket` (created when missing) as `key`, unless it is already there at its size;
 * logs the upload time. Returns the size.
 */
export async function uploadBenchFile(c, bucket, key, file, log) {
  await ensureBucket(c, bucket);
  const size = fs.statSync(file).size;
  if (await objectExists(c, bucket, key, size)) return size;
  const t0 = Date.now();
  await uploadFile(c, bucket, key, file);
  log?.(`  uploaded ${key} (${(size / 2 ** 20).toFixed(0)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return size;
}

export async function deleteObject(c, bucket, key) {
  const { DeleteObjectCommand } = s3sdk();
  await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}

/** Puts `count` objects produced by `objectAt(i)` ({key, bytes}), `concurrency` at once. */
export async function putMany(c, bucket, count, objectAt, concurrency = 32) {
  const { PutObjectCommand } = s3sdk();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const { key, bytes } = objectAt(next++);
      await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Number of objects in a bucket (ListObjectsV2 pages). */
export async function countObjects(c, bucket) {
  const { ListObjectsV2Command } = s3sdk();
  let token;
  let n = 0;
  for (let page = 0; page < 100000; page++) {
    const out = await c.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
    n += out.KeyCount ?? out.Contents?.length ?? 0;
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
    if (!token) break;
  }
  return n;
}
