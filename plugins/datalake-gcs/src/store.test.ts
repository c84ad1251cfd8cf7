import { generateKeyPairSync } from 'node:crypto';
import type { Storage } from '@google-cloud/storage';
import { checkedReads, collectStream } from '@om/object-store';
import { FaultProxy } from '../../../tests/cloud/fault-proxy';
import { createGcsObjectStore, storageOptions } from './factory';
import { GcsObjectStore } from './store';
import { adminStorage, gcsConfigSource, gcsEndpoint, putObjects, uniqueBucket, withEmulatorHost } from './testing/helpers';
import { all, listAll, storeError } from '@om/object-store/testing';

const B = uniqueBucket('gcsstore');
const TEXT = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
let admin: Storage;
let store: GcsObjectStore;
const proxies: FaultProxy[] = [];

async function proxied(extra: Record<string, unknown> = {}, pageSize?: number): Promise<{ s: GcsObjectStore; p: FaultProxy }> {
  const p = new FaultProxy(gcsEndpoint());
  await p.start();
  proxies.push(p);
  const made = withEmulatorHost(p.endpoint, () => createGcsObjectStore(gcsConfigSource(extra)));
  return { s: pageSize ? new GcsObjectStore(made.storage, { pageSize }) : made, p };
}

beforeAll(async () => {
  admin = adminStorage();
  await putObjects(admin, B, { 'a/text.txt': TEXT, 'a/b/c.csv': 'x,y\n1,2\n', 'top.json': '{}', 'empty.csv': '' });
  store = withEmulatorHost(gcsEndpoint(), () => createGcsObjectStore(gcsConfigSource()));
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
});

test('one Database per project id; lists buckets and objects with sizes and storage classes', async () => {
  expect(store.databaseNames()).toEqual(['demo-om']);
  const multi = withEmulatorHost(gcsEndpoint(), () => createGcsObjectStore(gcsConfigSource({}, { type: 'gcp_adc', projectId: ['p-one', 'p-two'] })));
  expect(multi.databaseNames()).toEqual(['p-one', 'p-two']);

  const buckets: string[] = [];
  for await (const b of store.listBuckets('demo-om')) buckets.push(b);
  expect(buckets).toContain(B);

  const all = await listAll(store, B);
  expect(all.map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt', 'empty.csv', 'top.json']);
  const text = all.find((o) => o.key === 'a/text.txt')!;
  expect(text.size).toBe(TEXT.length);
  expect(text.lastModified).toBeInstanceOf(Date);
  expect(text.storageClass).toBe('STANDARD');
  expect((await listAll(store, B, 'a/')).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt']);
});

test('follows page tokens', async () => {
  const { s, p } = await proxied({}, 2);
  expect((await listAll(s, B)).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt', 'empty.csv', 'top.json']);
  const pages = p.log.filter((r) => r.url.startsWith(`/b/${B}/o?`));
  expect(pages).toHaveLength(2);
  expect(pages[1].url).toContain('pageToken=');
});

test('reads byte ranges with Range headers, clipped at the end', async () => {
  const { s, p } = await proxied();
  expect(Buffer.from(await s.readRange(B, 'a/text.txt', 10, 21)).toString()).toBe(TEXT.slice(10, 21));
  expect(Buffer.from(await s.readRange(B, 'a/text.txt', 54, 1000)).toString()).toBe(TEXT.slice(54));
  expect(await s.readRange(B, 'a/text.txt', 62, 70)).toHaveLength(0);
  expect(await s.readRange(B, 'empty.csv', 0, 8)).toHaveLength(0);
  const ranges = p.log.filter((r) => r.url.includes('text.txt') && r.url.includes('alt=media')).map((r) => r.headers.range);
  expect(ranges).toEqual(['bytes=10-20', 'bytes=54-999', 'bytes=62-69']);
});

test('streams whole objects and ranges; objectSize reads the metadata', async () => {
  expect(Buffer.from(await collectStream(await store.openStream(B, 'a/text.txt'))).toString()).toBe(TEXT);
  expect(Buffer.from(await collectStream(await store.openStream(B, 'a/text.txt', 60))).toString()).toBe('YZ');
  expect(Buffer.from(await collectStream(await store.openStream(B, 'a/text.txt', 1, 4))).toString()).toBe('123');
  expect(await collectStream(await store.openStream(B, 'a/text.txt', 100))).toHaveLength(0);
  expect(await store.objectSize(B, 'a/text.txt')).toBe(TEXT.length);
});

test('a missing object is NotFound, naming it', async () => {
  const noKey = await storeError(() => store.readRange(B, 'missing.csv', 0, 10));
  expect(noKey.code).toBe('NotFound');
  expect(noKey.message).toContain(`gs://${B}/missing.csv does not exist`);
  const noMeta = await storeError(() => store.objectSize(B, 'missing.csv'));
  expect(noMeta.code).toBe('NotFound');
  await expect(store.openStream(B, 'missing.csv')).rejects.toMatchObject({ code: 'NotFound', key: 'missing.csv' });
});

test('a missing bucket is NotFound (the emulator lists nothing for unknown buckets: the proxy answers as GCS does)', async () => {
  const { s, p } = await proxied();
  p.fault((r) =>
    r.url.startsWith('/b/no-such-bucket-om/o')
      ? { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 404, message: 'The specified bucket does not exist.', errors: [{ reason: 'notFound', message: 'The specified bucket does not exist.' }] } }) }
      : undefined,
  );
  const err = await storeError(() => listAll(s, 'no-such-bucket-om'));
  expect(err.code).toBe('NotFound');
  expect(err.message).toContain('bucket "no-such-bucket-om" does not exist');
});

const FORBIDDEN = {
  status: 403,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    error: { code: 403, message: 'reader@p.iam.gserviceaccount.com does not have storage.objects.get access to the Google Cloud Storage object.', errors: [{ reason: 'forbidden' }] },
  }),
};

test('a denied object is AccessDenied naming it and the permission; other objects read', async () => {
  const { s, p } = await proxied();
  p.fault((r) => (r.url.includes('text.txt') ? FORBIDDEN : undefined));
  const err = await storeError(() => s.readRange(B, 'a/text.txt', 0, 4));
  expect(err.code).toBe('AccessDenied');
  expect(err.message).toContain(`objects.get on gs://${B}/a/text.txt was denied (forbidden, HTTP 403)`);
  expect(err.message).toContain('storage.objects.get');
  expect(Buffer.from(await s.readRange(B, 'top.json', 0, 2)).toString()).toBe('{}');
});

test('rejected credentials say so (the emulator does not check them: the proxy answers as GCS does)', async () => {
  const { s, p } = await proxied();
  p.fault(() => ({
    status: 401,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: { code: 401, message: 'Invalid Credentials', errors: [{ reason: 'authError' }] } }),
  }));
  const err = await storeError(() => listAll(s, B));
  expect(err.code).toBe('AccessDenied');
  expect(err.message).toMatch(/objects.list on bucket "gcsstore-[0-9a-f]+" failed: the credentials were rejected or not found \(authError, HTTP 401\)/);
});

test('retries 503 and 429 once, then succeeds; gives up as Throttled', async () => {
  const { s, p } = await proxied();
  const unavailable = { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 503, message: 'Backend Error', errors: [{ reason: 'backendError' }] } }) };
  const tooMany = { status: 429, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 429, message: 'The rate of change requests is too high', errors: [{ reason: 'rateLimitExceeded' }] } }) };
  p.faultTimes((r) => r.url.startsWith(`/b/${B}/o?`), unavailable, 1);
  p.faultTimes((r) => r.url.includes('top.json'), tooMany, 1);
  expect((await listAll(s, B, 'a/')).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt']);
  expect(Buffer.from(await s.readRange(B, 'top.json', 0, 2)).toString()).toBe('{}');
  expect(p.log.filter((r) => r.injected).map((r) => r.status)).toEqual([503, 429]);

  const limited = await proxied({ maxAttempts: 2 });
  limited.p.fault(() => unavailable);
  const err = await storeError(() => listAll(limited.s, B));
  expect(err.code).toBe('Throttled');
  expect(limited.p.log).toHaveLength(2);
});

test('skipColdStorage leaves out COLDLINE and ARCHIVE objects', async () => {
  const { s: plain, p } = await proxied();
  p.rewrite((r, body) => {
    if (!r.url.startsWith(`/b/${B}/o?`)) return undefined;
    const json = JSON.parse(body) as { items?: { name: string; storageClass?: string }[] };
    for (const item of json.items ?? []) {
      if (item.name === 'a/text.txt') item.storageClass = 'COLDLINE';
      if (item.name === 'top.json') item.storageClass = 'ARCHIVE';
    }
    return JSON.stringify(json);
  });
  expect((await listAll(plain, B)).map((o) => [o.key, o.storageClass])).toEqual([
    ['a/b/c.csv', 'STANDARD'],
    ['a/text.txt', 'COLDLINE'],
    ['empty.csv', 'STANDARD'],
    ['top.json', 'ARCHIVE'],
  ]);
  const skipped: number[] = [];
  const skipping = new GcsObjectStore(plain.storage, { skipColdStorage: true, onColdSkipped: (_b, _p, n) => skipped.push(n) });
  expect((await listAll(skipping, B)).map((o) => o.key)).toEqual(['a/b/c.csv', 'empty.csv']);
  expect(skipped).toEqual([2]);
});

test('service-account values are passed in memory; bad values fail early and clearly', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const { options, projectIds, summary } = storageOptions({
    securityConfig: { gcpConfig: { type: 'service_account', projectId: 'p1', privateKey: pem.replace(/\n/g, '\\n'), clientEmail: 'sa@p1.iam.gserviceaccount.com' } },
  });
  expect(projectIds).toEqual(['p1']);
  expect(options.credentials).toMatchObject({ client_email: 'sa@p1.iam.gserviceaccount.com', private_key: pem });
  expect(options.keyFilename).toBeUndefined();
  expect(summary).toContain('service account sa@p1.iam.gserviceaccount.com (in memory)');
  expect(summary).not.toContain('PRIVATE KEY');

  expect(() => storageOptions({ securityConfig: { gcpConfig: { projectId: 'p1', privateKey: 'not-a-key', clientEmail: 'sa@x' } } })).toThrow(
    /gcpConfig.privateKey is not a valid PEM private key/,
  );
  expect(storageOptions({ securityConfig: { gcpConfig: '/path/creds.json' } }).options.keyFilename).toBe('/path/creds.json');
  expect(storageOptions({ securityConfig: { gcpConfig: { type: 'gcp_credential_path', path: '/p.json', projectId: 'x' } } }).options.keyFilename).toBe('/p.json');
  expect(() => storageOptions({ securityConfig: { gcpConfig: { type: 'gcp_adc' }, gcpImpersonateServiceAccount: { impersonateServiceAccount: 'a@b' } } })).toThrow(
    /not supported/,
  );
});

test('an object GET that never answers fails after the read timeout and the retries, naming the object', async () => {
  const { s, p } = await proxied({ maxAttempts: 2, maxRetryDelayMs: 10, readTimeoutSeconds: 0.3 });
  p.fault((r) => (r.url.includes('top.json') && r.url.includes('alt=media') ? { hang: true } : undefined));
  const err = await storeError(() => s.readRange(B, 'top.json', 0, 2));
  expect(err.message).toContain(`gs://${B}/top.json`);
  expect(p.injected).toHaveLength(2);
  expect(Buffer.from(await s.readRange(B, 'a/text.txt', 0, 4)).toString()).toBe('0123');
});

test('a media body that goes silent is dropped after the read timeout and resumed by checked reads', async () => {
  const { s, p } = await proxied({ readTimeoutSeconds: 0.3 });
  p.fault((r, seen) => (r.url.includes('text.txt') && r.url.includes('alt=media') && seen === 0 ? { stallAfterBytes: 10 } : undefined));
  const file = checkedReads(s, B, 'a/text.txt', TEXT.length);
  expect(Buffer.from(await collectStream(await file.openStream(B, 'a/text.txt'))).toString()).toBe(TEXT);
  expect(p.log.filter((r) => !r.injected && r.url.includes('alt=media')).map((r) => r.headers.range)).toEqual([`bytes=10-${TEXT.length - 1}`]);
});

test('a ranged read whose body goes silent is resumed too (download() has no body timeout of its own)', async () => {
  const { s, p } = await proxied({ readTimeoutSeconds: 0.3 });
  p.fault((r, seen) => (r.url.includes('text.txt') && r.url.includes('alt=media') && seen === 0 ? { stallAfterBytes: 10 } : undefined));
  const file = checkedReads(s, B, 'a/text.txt', TEXT.length);
  expect(Buffer.from(await file.readRange(B, 'a/text.txt', 5, 40)).toString()).toBe(TEXT.slice(5, 40));
  expect(p.log.filter((r) => !r.injected && r.url.includes('alt=media')).map((r) => r.headers.range)).toEqual(['bytes=15-39']);
});

test('lists the folders one level below a prefix with a delimiter listing, across pages', async () => {
  const { s, p } = await proxied({}, 2);
  const bucket = uniqueBucket('gcsfolders');
  await putObjects(admin, bucket, { 'x/1/a.csv': '1', 'x/2/b.csv': '2', 'x/2/c/d.csv': '3', 'x/3/e.csv': '4', 'x/f.csv': '5', 'x/g.csv': '6', 'x/h.csv': '7', 'y/i.csv': '8' });
  const folders: string[] = [];
  for await (const f of s.listFolders(bucket, 'x/')) folders.push(f);
  expect(folders).toEqual(['1', '2', '3']);
  const lists = p.log.filter((r) => r.url.startsWith(`/b/${bucket}/o?`));
  expect(lists.length).toBeGreaterThan(1);
  expect(lists[0].url).toContain('delimiter=%2F');
  const top: string[] = [];
  for await (const f of s.listFolders(bucket, '')) top.push(f);
  expect(top).toEqual(['x', 'y']);
});

test('startAfter is sent as startOffset; keys up to it are skipped even where the server ignores it', async () => {
  const { s, p } = await proxied({}, 2);
  expect((await all(s.listObjects(B, '', undefined, { startAfter: 'a/text.txt' }))).map((o) => o.key)).toEqual(['empty.csv', 'top.json']);
  expect(p.log.find((r) => r.url.startsWith(`/b/${B}/o?`))!.url).toContain('startOffset=a%2Ftext.txt');
  // As GCS does: from startOffset on, inclusive.
  p.rewrite((r, body) => {
    if (!r.url.startsWith(`/b/${B}/o?`) || r.url.includes('pageToken')) return undefined;
    const json = JSON.parse(body) as { items?: { name: string }[] };
    json.items = json.items?.filter((i) => i.name >= 'a/text.txt');
    return JSON.stringify(json);
  });
  expect((await all(s.listObjects(B, '', undefined, { startAfter: 'a/text.txt' }))).map((o) => o.key)).toEqual(['empty.csv', 'top.json']);
});

test('writes, replaces and deletes an object; read retries stay on for the client afterwards', async () => {
  const { s, p } = await proxied();
  await s.putObject(B, 'runs/plan.json', new TextEncoder().encode('{"a":1}'));
  await s.putObject(B, 'runs/plan.json', new Uint8Array(Buffer.from('xx{"a":22}').subarray(2)));
  expect(Buffer.from(await s.readRange(B, 'runs/plan.json', 0, 100)).toString()).toBe('{"a":22}');
  await s.deleteObject(B, 'runs/plan.json');
  await s.deleteObject(B, 'runs/plan.json');
  expect(await listAll(s, B, 'runs/')).toEqual([]);
  // The SDK turns retries off for the whole client for writes it deems not idempotent.
  expect(s.storage.retryOptions.autoRetry).toBe(true);
  p.faultTimes((r) => r.url.includes('top.json'), { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 503, message: 'Backend Error' } }) }, 1);
  expect(Buffer.from(await s.readRange(B, 'top.json', 0, 2)).toString()).toBe('{}');
});

test('a denied write is AccessDenied naming the object and the permissions', async () => {
  const { s, p } = await proxied();
  p.fault((r) => (r.method !== 'GET' ? { ...FORBIDDEN, body: FORBIDDEN.body.replace('storage.objects.get', 'storage.objects.create') } : undefined));
  const put = await storeError(() => s.putObject(B, 'runs/state.json', new Uint8Array([1])));
  expect(put.code).toBe('AccessDenied');
  expect(put.message).toContain(`objects.insert on gs://${B}/runs/state.json was denied (forbidden, HTTP 403)`);
  expect(put.message).toContain('storage.objects.create');
  const del = await storeError(() => s.deleteObject(B, 'runs/state.json'));
  expect(del.code).toBe('AccessDenied');
  expect(del.message).toContain(`objects.delete on gs://${B}/runs/state.json was denied`);
  expect(del.message).toContain('storage.objects.delete');
});

test('a write that gets 503 is retried; one that never answers fails after the read timeout and the retries', async () => {
  const { s, p } = await proxied({ maxAttempts: 2 });
  p.faultTimes((r) => r.method === 'POST' && r.url.startsWith('/upload/'), { status: 503, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: { code: 503, message: 'Backend Error' } }) }, 1);
  await s.putObject(B, 'runs/retried.json', new TextEncoder().encode('{}'));
  expect(Buffer.from(await s.readRange(B, 'runs/retried.json', 0, 10)).toString()).toBe('{}');
  expect(p.injected).toHaveLength(1);
  await s.deleteObject(B, 'runs/retried.json');

  const hung = await proxied({ maxAttempts: 2, maxRetryDelayMs: 10, readTimeoutSeconds: 0.3 });
  hung.p.fault((r) => (r.method === 'POST' && r.url.startsWith('/upload/') ? { hang: true } : undefined));
  const err = await storeError(() => hung.s.putObject(B, 'runs/hung.json', new Uint8Array([1])));
  expect(err.message).toContain(`objects.insert on gs://${B}/runs/hung.json failed`);
  expect(hung.p.injected).toHaveLength(2);
});
