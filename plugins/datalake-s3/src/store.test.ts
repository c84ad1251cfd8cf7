import type { S3Client } from '@aws-sdk/client-s3';
import { checkedReads, collectStream, readsInto } from '@om/object-store';
import { FaultProxy } from '../../../tests/cloud/fault-proxy';
import { createS3ObjectStore } from './factory';
import { S3ObjectStore } from './store';
import { adminClient, createBucket, s3ConfigSource, TEST_KEYS, uniqueBucket } from './testing/helpers';
import { listAll, storeError } from '@om/object-store/testing';

const BUCKET = uniqueBucket('s3store');
const MANY = uniqueBucket('s3many');
const TEXT = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
let admin: S3Client;
let store: S3ObjectStore;
const proxy = { current: undefined as FaultProxy | undefined };

/** A store that talks to fauxqs through a fault-injecting proxy. */
async function proxied(extra: Record<string, unknown> = {}): Promise<{ s: S3ObjectStore; p: FaultProxy }> {
  const p = new FaultProxy(process.env.OM_TEST_S3_ENDPOINT!);
  await p.start();
  proxy.current = p;
  return { s: createS3ObjectStore(s3ConfigSource(p.endpoint, extra)), p };
}

beforeAll(async () => {
  admin = adminClient();
  await createBucket(admin, BUCKET, { 'a/text.txt': TEXT, 'a/b/c.csv': 'x,y\n1,2\n', 'top.json': '{}', 'empty.csv': '' });
  const many: Record<string, string> = {};
  for (let i = 0; i < 1050; i++) many[`k/${String(i).padStart(5, '0')}.csv`] = 'a\n1\n';
  await createBucket(admin, MANY, many);
  store = createS3ObjectStore(s3ConfigSource());
});

afterEach(async () => {
  await proxy.current?.stop();
  proxy.current = undefined;
});

afterAll(async () => {
  await store.close();
  admin.destroy();
});

test('lists buckets, and objects under a prefix with sizes, etags and storage classes', async () => {
  const buckets: string[] = [];
  for await (const b of store.listBuckets()) buckets.push(b);
  expect(buckets).toEqual(expect.arrayContaining([BUCKET, MANY]));

  const all = await listAll(store, BUCKET);
  expect(all.map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt', 'empty.csv', 'top.json']);
  const text = all.find((o) => o.key === 'a/text.txt')!;
  expect(text.size).toBe(TEXT.length);
  expect(text.storageClass).toBe('STANDARD');
  expect(text.etag).toMatch(/^[0-9a-f]{32}$/);
  expect(text.lastModified).toBeInstanceOf(Date);
  expect((await listAll(store, BUCKET, 'a/')).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt']);
});

test('follows ListObjectsV2 continuation tokens (1,050 objects: two pages)', async () => {
  const { s, p } = await proxied();
  const keys = (await listAll(s, MANY, 'k/')).map((o) => o.key);
  expect(keys).toHaveLength(1050);
  expect(keys[0]).toBe('k/00000.csv');
  expect(keys[1049]).toBe('k/01049.csv');
  const pages = p.log.filter((r) => r.method === 'GET' && r.url.includes('list-type=2'));
  expect(pages).toHaveLength(2);
  expect(pages[1].url).toContain('continuation-token=');
  await s.close();
});

test('asks for the next listing page before handing out the objects of the current one; a failed page fails after the objects before it', async () => {
  const { s, p } = await proxied();
  const listPages = () => p.log.filter((r) => r.method === 'GET' && r.url.includes('list-type=2'));
  const it = s.listObjects(MANY, 'k/')[Symbol.asyncIterator]();
  expect((await it.next()).value.key).toBe('k/00000.csv');
  for (let i = 0; i < 100 && listPages().length < 2; i++) await new Promise((r) => setTimeout(r, 20));
  expect(listPages()).toHaveLength(2);
  await it.return!();

  p.fault((r) => (r.url.includes('continuation-token=') ? ACCESS_DENIED : undefined));
  const seen: string[] = [];
  const err = await (async () => {
    try {
      for await (const o of s.listObjects(MANY, 'k/')) seen.push(o.key);
    } catch (e) {
      return e as Error;
    }
    return undefined;
  })();
  expect(seen).toHaveLength(1000);
  expect(err).toMatchObject({ code: 'AccessDenied' });
  await s.close();
});

test('reads byte ranges with Range headers, clipped at the end', async () => {
  const { s, p } = await proxied();
  expect(Buffer.from(await s.readRange(BUCKET, 'a/text.txt', 10, 21)).toString()).toBe(TEXT.slice(10, 21));
  expect(Buffer.from(await s.readRange(BUCKET, 'a/text.txt', 54, 1000)).toString()).toBe(TEXT.slice(54));
  expect(await s.readRange(BUCKET, 'a/text.txt', 62, 70)).toHaveLength(0);
  expect(await s.readRange(BUCKET, 'a/text.txt', 5, 5)).toHaveLength(0);
  expect(await s.readRange(BUCKET, 'empty.csv', 0, 8)).toHaveLength(0);
  const ranges = p.log.filter((r) => r.method === 'GET' && r.url.includes('text.txt')).map((r) => r.headers.range);
  expect(ranges).toEqual(['bytes=10-20', 'bytes=54-999', 'bytes=62-69']);
  await s.close();
});

test('streams whole objects and ranges; objectSize uses HeadObject', async () => {
  expect(Buffer.from(await collectStream(await store.openStream(BUCKET, 'a/text.txt'))).toString()).toBe(TEXT);
  expect(Buffer.from(await collectStream(await store.openStream(BUCKET, 'a/text.txt', 60))).toString()).toBe('YZ');
  expect(Buffer.from(await collectStream(await store.openStream(BUCKET, 'a/text.txt', 1, 4))).toString()).toBe('123');
  expect(await collectStream(await store.openStream(BUCKET, 'a/text.txt', 100))).toHaveLength(0);
  expect(await store.objectSize(BUCKET, 'a/text.txt')).toBe(TEXT.length);
  expect(await store.objectSize(BUCKET, 'empty.csv')).toBe(0);
});

test('ranged reads come over kept connections of our own, their bodies read straight into the caller buffer', async () => {
  const { s, p } = await proxied();
  const ranged = await s.openStream(BUCKET, 'a/text.txt', 3, 13);
  if (!readsInto(ranged)) throw new Error('a ranged body reads into a buffer');
  const into = new Uint8Array(16);
  let at = 0;
  for (let n; (n = await ranged.readInto(into.subarray(at))) > 0; ) at += n;
  expect(Buffer.from(into.subarray(0, at)).toString()).toBe(TEXT.slice(3, 13));
  // A whole object (no Range) goes through the SDK's own handler.
  expect(readsInto(await s.openStream(BUCKET, 'a/text.txt'))).toBe(false);
  // A checked read of a listed object fills the given buffer, over the connection kept from before.
  const part = new Uint8Array(20);
  expect(await checkedReads(s, BUCKET, 'a/text.txt', TEXT.length).readRangeInto!(BUCKET, 'a/text.txt', 40, part)).toBe(20);
  expect(Buffer.from(part).toString()).toBe(TEXT.slice(40, 60));
  expect(p.log.filter((r) => r.method === 'GET' && r.headers.range).map((r) => r.headers.range)).toEqual(['bytes=3-12', 'bytes=40-59']);
  await s.close();
});

test('a missing bucket or object is NotFound, naming it', async () => {
  const noBucket = await storeError(() => listAll(store, 'no-such-bucket-om'));
  expect(noBucket.code).toBe('NotFound');
  expect(noBucket.userError).toBe(true);
  expect(noBucket.bucket).toBe('no-such-bucket-om');
  expect(noBucket.message).toMatch(/bucket "no-such-bucket-om" does not exist/);

  const noKey = await storeError(() => store.readRange(BUCKET, 'missing.csv', 0, 10));
  expect(noKey.code).toBe('NotFound');
  expect(noKey.message).toContain(`s3://${BUCKET}/missing.csv`);
  const noHead = await storeError(() => store.objectSize(BUCKET, 'missing.csv'));
  expect(noHead.code).toBe('NotFound');
  expect(noHead.message).toContain(`s3://${BUCKET}/missing.csv does not exist`);
  await expect(store.openStream(BUCKET, 'missing.csv')).rejects.toMatchObject({ code: 'NotFound', key: 'missing.csv' });
});

const ACCESS_DENIED = {
  status: 403,
  headers: { 'content-type': 'application/xml' },
  body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>R1</RequestId></Error>',
};

test('a denied object or listing is AccessDenied, naming the object and the permission', async () => {
  const { s } = await proxied();
  proxy.current!.fault((req) => (req.url.includes('/a/text.txt') ? ACCESS_DENIED : undefined));
  proxy.current!.fault((req) => (req.url.split('?')[0].replace(/\/$/, '') === `/${MANY}` ? ACCESS_DENIED : undefined));
  const denied = await storeError(() => s.readRange(BUCKET, 'a/text.txt', 0, 4));
  expect(denied.code).toBe('AccessDenied');
  expect(denied.message).toContain(`GetObject on s3://${BUCKET}/a/text.txt was denied (AccessDenied)`);
  expect(denied.message).toContain('s3:GetObject');
  // Other objects still read.
  expect(Buffer.from(await s.readRange(BUCKET, 'top.json', 0, 2)).toString()).toBe('{}');
  const listing = await storeError(() => listAll(s, MANY));
  expect(listing.code).toBe('AccessDenied');
  expect(listing.message).toContain(`ListObjectsV2 on bucket "${MANY}" was denied`);
  expect(listing.message).toContain('s3:ListBucket');
  for (const e of [denied, listing]) expect(e.message).not.toContain(TEST_KEYS.awsSecretAccessKey);
  await s.close();
});

test('rejected credentials say so (fauxqs accepts any key, so the proxy answers as S3 would)', async () => {
  const { s } = await proxied();
  proxy.current!.fault(() => ({
    status: 403,
    headers: { 'content-type': 'application/xml' },
    body: `<?xml version="1.0"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message><StringToSign>AWS4-HMAC-SHA256 secret-ish</StringToSign><AWSAccessKeyId>${TEST_KEYS.awsAccessKeyId}</AWSAccessKeyId></Error>`,
  }));
  const err = await storeError(async () => {
    for await (const _ of s.listBuckets()) void _;
  });
  expect(err.code).toBe('AccessDenied');
  expect(err.message).toMatch(/ListBuckets failed: the AWS credentials were rejected/);
  expect(err.message).not.toContain(TEST_KEYS.awsSecretAccessKey);
  expect(err.message).not.toContain('secret-ish');
  await s.close();
});

test('retries 503 SlowDown and 500 once, then succeeds', async () => {
  const { s, p } = await proxied();
  const slowDown = {
    status: 503,
    headers: { 'content-type': 'application/xml' },
    body: '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>',
  };
  p.faultTimes((r) => r.url.includes('list-type=2'), slowDown, 1);
  p.faultTimes((r) => r.url.includes('/top.json'), { status: 500, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' }, 1);
  expect((await listAll(s, BUCKET, 'a/')).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt']);
  expect(Buffer.from(await s.readRange(BUCKET, 'top.json', 0, 2)).toString()).toBe('{}');
  expect(p.log.filter((r) => r.injected).map((r) => r.status)).toEqual([503, 500]);
  expect(p.log.filter((r) => !r.injected)).toHaveLength(2);
  await s.close();
});

test('throttling that outlasts the retries is reported as Throttled', async () => {
  const { s, p } = await proxied({ maxAttempts: 2 });
  p.fault(() => ({ status: 503, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>' }));
  const err = await storeError(() => listAll(s, BUCKET));
  expect(err.code).toBe('Throttled');
  expect(err.userError).toBe(false);
  expect(err.message).toContain('throttled after all retries');
  expect(p.log).toHaveLength(2);
  await s.close();
});

test('skipColdStorage leaves out GLACIER, DEEP_ARCHIVE and GLACIER_IR objects', async () => {
  // fauxqs stores every object as STANDARD: the proxy marks some as cold, as S3 lists them.
  const markCold = (body: string) =>
    body.replace(/<Key>([^<]*)<\/Key>([\s\S]*?)<StorageClass>STANDARD<\/StorageClass>/g, (m, key: string, mid: string) =>
      key === 'a/text.txt' ? `<Key>${key}</Key>${mid}<StorageClass>GLACIER</StorageClass>` : key === 'top.json' ? `<Key>${key}</Key>${mid}<StorageClass>DEEP_ARCHIVE</StorageClass>` : m,
    );
  const { s: plain, p } = await proxied();
  p.rewrite((req, body) => (req.url.includes('list-type=2') ? markCold(body) : undefined));
  const seen = await listAll(plain, BUCKET);
  expect(seen.map((o) => [o.key, o.storageClass])).toEqual([
    ['a/b/c.csv', 'STANDARD'],
    ['a/text.txt', 'GLACIER'],
    ['empty.csv', 'STANDARD'],
    ['top.json', 'DEEP_ARCHIVE'],
  ]);
  const skipped: number[] = [];
  const skipping = new S3ObjectStore(plain.client, { skipColdStorage: true, onColdSkipped: (_b, _p, n) => skipped.push(n) });
  expect((await listAll(skipping, BUCKET)).map((o) => o.key)).toEqual(['a/b/c.csv', 'empty.csv']);
  expect(skipped).toEqual([2]);
  await plain.close();
});

test('a GetObject or ListObjectsV2 that never answers fails after the read timeout and the retries, naming the object', async () => {
  const { s, p } = await proxied({ maxAttempts: 2, readTimeoutSeconds: 0.3 });
  p.fault((r) => (r.url.includes('/top.json') || r.url.includes('list-type=2') ? { hang: true } : undefined));
  const read = await storeError(() => s.readRange(BUCKET, 'top.json', 0, 2));
  expect(read.message).toContain(`s3://${BUCKET}/top.json`);
  expect(read.message).toMatch(/no answer within the read timeout/);
  const listing = await storeError(() => listAll(s, BUCKET));
  expect(listing.message).toContain(`bucket "${BUCKET}"`);
  // Both requests were sent twice (maxAttempts 2): the timeout is retried like any transient error.
  expect(p.injected).toHaveLength(4);
  // Other objects still read through the same client.
  expect(Buffer.from(await s.readRange(BUCKET, 'a/text.txt', 0, 4)).toString()).toBe('0123');
  await s.close();
});

test("the run's stop signal aborts a GetObject in flight", async () => {
  const p = new FaultProxy(process.env.OM_TEST_S3_ENDPOINT!);
  await p.start();
  proxy.current = p;
  p.fault((r) => (r.url.includes('/top.json') ? { hang: true } : undefined));
  const stop = new AbortController();
  const s = createS3ObjectStore(s3ConfigSource(p.endpoint), { logger: silent, masker: { redact: (t: string) => t }, signal: stop.signal } as never);
  const pending = s.readRange(BUCKET, 'top.json', 0, 2);
  await new Promise((r) => setTimeout(r, 100));
  stop.abort();
  await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  await s.close();
});

test("resolves the SDK middleware once per command class for requests that carry only the run's signal", async () => {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const stop = new AbortController();
  const s = createS3ObjectStore(s3ConfigSource(), { logger: silent, masker: { redact: (t: string) => t }, signal: stop.signal } as never);
  const resolve = jest.spyOn(GetObjectCommand.prototype, 'resolveMiddleware');
  try {
    const reads = await Promise.all([0, 1, 2, 3, 4].map((i) => s.readRange(BUCKET, 'a/text.txt', i, i + 3)));
    expect(reads.map((r) => Buffer.from(r).toString())).toEqual(['012', '123', '234', '345', '456']);
    expect(resolve).toHaveBeenCalledTimes(1);
  } finally {
    resolve.mockRestore();
    await s.close();
  }
});

test('connection resets on every attempt are named as resets, not as timeouts', async () => {
  const { s, p } = await proxied({ maxAttempts: 2 });
  p.fault((r) => (r.url.includes('/top.json') ? { drop: true } : undefined));
  const err = await storeError(() => s.readRange(BUCKET, 'top.json', 0, 2));
  expect(err.message).toContain(`s3://${BUCKET}/top.json`);
  expect(err.message).toMatch(/connection was reset/);
  expect(err.message).not.toMatch(/TimeoutError/);
  await s.close();
});

const silent = { level: 'ERROR', debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
