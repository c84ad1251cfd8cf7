import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  ContainerSASPermissions,
  generateAccountSASQueryParameters,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
  type BlobServiceClient,
} from '@azure/storage-blob';
import { checkedReads, collectStream, type ObjectStore } from '@om/object-store';
import { FaultProxy } from '../../../tests/cloud/fault-proxy';
import { createAzureObjectStore } from './factory';
import { AzureObjectStore } from './store';
import { adminClient, azureConfigSource, azurite, createContainer, uniqueContainer } from './testing/helpers';
import { listAll, storeError } from '@om/object-store/testing';

const C = uniqueContainer('azstore');
const OTHER = uniqueContainer('azother');
const TEXT = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
let admin: BlobServiceClient;
let store: AzureObjectStore;
const proxies: FaultProxy[] = [];

async function buckets(s: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const b of s.listBuckets()) out.push(b);
  return out;
}

async function proxy(): Promise<FaultProxy> {
  const p = new FaultProxy(new URL(azurite().endpoint).origin);
  await p.start();
  proxies.push(p);
  return p;
}

function sas(perms: string, container?: string): string {
  const a = azurite();
  const cred = new StorageSharedKeyCredential(a.accountName, a.accountKey);
  const expiresOn = new Date(Date.now() + 3600_000);
  if (container) {
    return generateBlobSASQueryParameters({ containerName: container, permissions: ContainerSASPermissions.parse(perms), expiresOn }, cred).toString();
  }
  return generateAccountSASQueryParameters(
    {
      services: AccountSASServices.parse('b').toString(),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      permissions: AccountSASPermissions.parse(perms),
      expiresOn,
    },
    cred,
  ).toString();
}

beforeAll(async () => {
  admin = adminClient();
  await createContainer(admin, C, { 'a/text.txt': TEXT, 'a/b/c.csv': 'x,y\n1,2\n', 'top.json': '{}', 'empty.csv': '' });
  await createContainer(admin, OTHER, { 'o.csv': 'a\n1\n' });
  store = createAzureObjectStore(azureConfigSource());
});

afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await store.close();
});

test('lists containers, and blobs under a prefix with sizes, etags and tiers', async () => {
  expect(await buckets(store)).toEqual(expect.arrayContaining([C, OTHER]));
  const all = await listAll(store, C);
  expect(all.map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt', 'empty.csv', 'top.json']);
  const text = all.find((o) => o.key === 'a/text.txt')!;
  expect(text.size).toBe(TEXT.length);
  expect(text.lastModified).toBeInstanceOf(Date);
  expect(text.etag).toBeTruthy();
  expect(text.storageClass).toBe('Hot');
  expect((await listAll(store, C, 'a/')).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt']);
});

test('follows continuation markers page by page', async () => {
  const p = await proxy();
  const cfg = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`));
  const paged = new AzureObjectStore(cfg.client, { pageSize: 2 });
  expect((await listAll(paged, C)).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt', 'empty.csv', 'top.json']);
  const pages = p.log.filter((r) => r.url.includes('comp=list'));
  expect(pages).toHaveLength(2);
  expect(pages[1].url).toContain('marker=');
});

test('reads ranges with download(offset, count), clipped at the end; no suffix ranges', async () => {
  const p = await proxy();
  const s = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`));
  expect(Buffer.from(await s.readRange(C, 'a/text.txt', 10, 21)).toString()).toBe(TEXT.slice(10, 21));
  expect(Buffer.from(await s.readRange(C, 'a/text.txt', 54, 1000)).toString()).toBe(TEXT.slice(54));
  expect(await s.readRange(C, 'a/text.txt', 62, 70)).toHaveLength(0);
  expect(await s.readRange(C, 'empty.csv', 0, 8)).toHaveLength(0);
  const ranges = p.log.filter((r) => r.method === 'GET' && r.url.includes('text.txt')).map((r) => r.headers['x-ms-range']);
  expect(ranges).toEqual(['bytes=10-20', 'bytes=54-999', 'bytes=62-69']);
});

test('streams whole blobs and ranges; objectSize reads the properties', async () => {
  expect(Buffer.from(await collectStream(await store.openStream(C, 'a/text.txt'))).toString()).toBe(TEXT);
  expect(Buffer.from(await collectStream(await store.openStream(C, 'a/text.txt', 60))).toString()).toBe('YZ');
  expect(Buffer.from(await collectStream(await store.openStream(C, 'a/text.txt', 1, 4))).toString()).toBe('123');
  expect(await collectStream(await store.openStream(C, 'a/text.txt', 100))).toHaveLength(0);
  expect(await store.objectSize(C, 'a/text.txt')).toBe(TEXT.length);
});

test('connection string, SAS token and account key all work', async () => {
  const a = azurite();
  const viaConn = createAzureObjectStore({ securityConfig: { connectionString: a.connectionString } });
  expect((await listAll(viaConn, C, 'a/')).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt']);
  const viaSas = createAzureObjectStore({ securityConfig: { accountName: a.accountName, blobEndpoint: a.endpoint, sasToken: `?${sas('rl')}` } });
  expect(await buckets(viaSas)).toEqual(expect.arrayContaining([C, OTHER]));
  expect(Buffer.from(await viaSas.readRange(C, 'top.json', 0, 2)).toString()).toBe('{}');
});

test('a container SAS reaches only its container (bucketName set: no account-wide listing)', async () => {
  const a = azurite();
  const s = createAzureObjectStore({ securityConfig: { accountName: a.accountName, blobEndpoint: a.endpoint, sasToken: sas('rl', C) } });
  expect((await listAll(s, C)).map((o) => o.key)).toHaveLength(4);
  expect(Buffer.from(await s.readRange(C, 'a/text.txt', 0, 3)).toString()).toBe('012');
  const other = await storeError(() => listAll(s, OTHER));
  expect(other.code).toBe('AccessDenied');
  expect(other.message).toContain(`container "${OTHER}"`);
  const account = await storeError(() => buckets(s));
  expect(account.code).toBe('AccessDenied');
  expect(account.message).toContain('ListContainers');
  expect(account.message).not.toMatch(/sig=[^*]/);
});

test('a wrong account key is rejected, naming the operation and not the key', async () => {
  const a = azurite();
  const wrongKey = Buffer.from('not-the-right-key-but-base64-ok-0123456789').toString('base64');
  const s = createAzureObjectStore(azureConfigSource(a.endpoint, {}, { accountKey: wrongKey }));
  const err = await storeError(() => listAll(s, C));
  expect(err.code).toBe('AccessDenied');
  // Azure answers AuthenticationFailed; azurite answers AuthorizationFailure with the same wording.
  expect(err.message).toMatch(/ListBlobs on container "azstore-[0-9a-f]+" (failed: the credentials were rejected|was denied) \((AuthenticationFailed|AuthorizationFailure), HTTP 403\)/);
  expect(err.message).toContain('Server failed to authenticate the request');
  expect(err.message).not.toContain(wrongKey);
  expect(err.message).not.toContain(a.accountKey);
});

test('a missing container or blob is NotFound, naming it', async () => {
  const noContainer = await storeError(() => listAll(store, 'no-such-container'));
  expect(noContainer.code).toBe('NotFound');
  expect(noContainer.message).toMatch(/container "no-such-container" does not exist \(ContainerNotFound, HTTP 404\)/);
  const noBlob = await storeError(() => store.readRange(C, 'missing.csv', 0, 10));
  expect(noBlob.code).toBe('NotFound');
  expect(noBlob.message).toContain(`blob "missing.csv" does not exist in container "${C}"`);
  const noProps = await storeError(() => store.objectSize(C, 'missing.csv'));
  expect(noProps.code).toBe('NotFound');
  expect(noProps.key).toBe('missing.csv');
});

test('a denied blob is AccessDenied; other blobs still read', async () => {
  const p = await proxy();
  p.fault((req) =>
    req.url.includes('/a/text.txt')
      ? {
          status: 403,
          headers: { 'content-type': 'application/xml', 'x-ms-error-code': 'AuthorizationPermissionMismatch' },
          body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.</Message></Error>',
        }
      : undefined,
  );
  const s = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`));
  const err = await storeError(() => s.readRange(C, 'a/text.txt', 0, 4));
  expect(err.code).toBe('AccessDenied');
  expect(err.message).toContain(`GetBlob on blob "a/text.txt" in container "${C}" was denied (AuthorizationPermissionMismatch, HTTP 403)`);
  expect(Buffer.from(await s.readRange(C, 'top.json', 0, 2)).toString()).toBe('{}');
});

test('retries 503 ServerBusy and 500 once, then succeeds; gives up as Throttled', async () => {
  const p = await proxy();
  const busy = {
    status: 503,
    headers: { 'content-type': 'application/xml', 'x-ms-error-code': 'ServerBusy' },
    body: '<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>The server is busy.</Message></Error>',
  };
  p.faultTimes((r) => r.url.includes('comp=list'), busy, 1);
  p.faultTimes((r) => r.url.includes('/top.json'), { status: 500, headers: { 'x-ms-error-code': 'InternalError' }, body: '' }, 1);
  const s = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`));
  expect((await listAll(s, C, 'a/')).map((o) => o.key)).toEqual(['a/b/c.csv', 'a/text.txt']);
  expect(Buffer.from(await s.readRange(C, 'top.json', 0, 2)).toString()).toBe('{}');
  expect(p.log.filter((r) => r.injected).map((r) => r.status)).toEqual([503, 500]);

  p.reset();
  p.fault(() => busy);
  const limited = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`, { maxAttempts: 2 }));
  const err = await storeError(() => listAll(limited, C));
  expect(err.code).toBe('Throttled');
  expect(err.message).toContain('ServerBusy');
  expect(p.log).toHaveLength(2);
});

test('skipColdStorage leaves out Archive-tier blobs', async () => {
  const cold = uniqueContainer('azcold');
  await createContainer(admin, cold, { 'hot.csv': 'a\n1\n', 'old.csv': 'a\n1\n' });
  await admin.getContainerClient(cold).getBlobClient('old.csv').setAccessTier('Archive');
  const plain = await listAll(store, cold);
  expect(plain.map((o) => [o.key, o.storageClass])).toEqual([
    ['hot.csv', 'Hot'],
    ['old.csv', 'Archive'],
  ]);
  const skipping = createAzureObjectStore(azureConfigSource(undefined, { skipColdStorage: true }));
  expect((await listAll(skipping, cold)).map((o) => o.key)).toEqual(['hot.csv']);
});

test('client-secret and default-chain configs build an AAD client without network calls', () => {
  const s = createAzureObjectStore({ securityConfig: { clientId: 'cid', clientSecret: 'csecret-value', tenantId: 'tid', accountName: 'acct' } });
  expect(s.client.url).toBe('https://acct.blob.core.windows.net/');
  expect(s.client.credential.constructor.name).toBe('ClientSecretCredential');
  const d = createAzureObjectStore({ securityConfig: { accountName: 'acct' } });
  expect(d.client.credential.constructor.name).toBe('DefaultAzureCredential');
  expect(() => createAzureObjectStore({ securityConfig: { clientSecret: 'x', accountName: 'acct' } })).toThrow(/clientSecret needs clientId and tenantId/);
  expect(() => createAzureObjectStore({ securityConfig: {} })).toThrow(/accountName is required/);
});

test('a blob GET that never answers fails after the read timeout and the retries, naming the blob', async () => {
  const p = await proxy();
  p.fault((r) => (r.method === 'GET' && r.url.includes('/top.json') ? { hang: true } : undefined));
  const s = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`, { maxAttempts: 2, retryDelayMs: 1, readTimeoutSeconds: 0.3 }));
  const err = await storeError(() => s.readRange(C, 'top.json', 0, 2));
  expect(err.message).toContain(`blob "top.json" in container "${C}"`);
  expect(p.injected).toHaveLength(2);
  expect(Buffer.from(await s.readRange(C, 'a/text.txt', 0, 4)).toString()).toBe('0123');
});

test('a download body that goes silent is dropped after the read timeout and resumed by checked reads', async () => {
  const p = await proxy();
  p.fault((r, seen) => (r.method === 'GET' && r.url.includes('/a/text.txt') && seen === 0 ? { stallAfterBytes: 10 } : undefined));
  const s = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`, { readTimeoutSeconds: 0.3 }));
  const file = checkedReads(s, C, 'a/text.txt', TEXT.length);
  expect(Buffer.from(await collectStream(await file.openStream(C, 'a/text.txt'))).toString()).toBe(TEXT);
  expect(p.log.filter((r) => !r.injected && r.method === 'GET').map((r) => r.headers['x-ms-range'])).toEqual([`bytes=10-${TEXT.length - 1}`]);
});

test('a listing page that never comes fails after the read timeout, naming the container', async () => {
  const p = await proxy();
  p.fault((r) => (r.url.includes('comp=list') ? { hang: true } : undefined));
  const s = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`, { readTimeoutSeconds: 0.3 }));
  const err = await storeError(() => listAll(s, C));
  expect(err.message).toBe(`Azure ListBlobs on container "${C}" failed: no answer within the read timeout (0.3 s) on 1 attempt(s); raise readTimeoutSeconds if the service is only slow`);
});

test('lists the folders one level below a prefix with a hierarchy listing, across pages', async () => {
  const folders = uniqueContainer('azfolders');
  await createContainer(admin, folders, { 'x/1/a.csv': '1', 'x/2/b.csv': '2', 'x/2/c/d.csv': '3', 'x/3/e.csv': '4', 'x/f.csv': '5', 'x/g.csv': '6', 'x/h.csv': '7', 'y/i.csv': '8' });
  const p = await proxy();
  const cfg = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`));
  const paged = new AzureObjectStore(cfg.client, { pageSize: 2 });
  const names: string[] = [];
  for await (const f of paged.listFolders(folders, 'x/')) names.push(f);
  expect(names).toEqual(['1', '2', '3']);
  const pages = p.log.filter((r) => r.url.includes('comp=list'));
  expect(pages.length).toBeGreaterThan(1);
  expect(pages[0].url).toContain('delimiter=%2F');
  const top: string[] = [];
  for await (const f of paged.listFolders(folders, '')) top.push(f);
  expect(top).toEqual(['x', 'y']);
  const missing = await storeError(async () => {
    for await (const f of store.listFolders('no-such-container', '')) void f;
  });
  expect(missing.code).toBe('NotFound');
});

test('writes, replaces and deletes a blob; deleting a missing blob is fine, a missing container is NotFound', async () => {
  await store.putObject(C, 'runs/plan.json', new TextEncoder().encode('{"a":1}'));
  await store.putObject(C, 'runs/plan.json', new Uint8Array(Buffer.from('xx{"a":22}').subarray(2)));
  expect(Buffer.from(await store.readRange(C, 'runs/plan.json', 0, 100)).toString()).toBe('{"a":22}');
  await store.deleteObject(C, 'runs/plan.json');
  await store.deleteObject(C, 'runs/plan.json');
  expect(await listAll(store, C, 'runs/')).toEqual([]);
  const put = await storeError(() => store.putObject('no-such-container', 'runs/x.json', new Uint8Array([1])));
  expect(put.code).toBe('NotFound');
  expect(put.message).toContain('PutBlob failed: container "no-such-container" does not exist');
  const del = await storeError(() => store.deleteObject('no-such-container', 'runs/x.json'));
  expect(del.code).toBe('NotFound');
  expect(del.message).toContain('DeleteBlob failed: container "no-such-container" does not exist');
});

test('a read-only SAS cannot write or delete: AccessDenied naming the blob and what to grant, without the signature', async () => {
  const a = azurite();
  const s = createAzureObjectStore({ securityConfig: { accountName: a.accountName, blobEndpoint: a.endpoint, sasToken: sas('rl', C) } });
  const put = await storeError(() => s.putObject(C, 'runs/state.json', new Uint8Array([1])));
  expect(put.code).toBe('AccessDenied');
  expect(put.message).toContain(`PutBlob on blob "runs/state.json" in container "${C}" was denied`);
  expect(put.message).toContain('SAS allows create and write');
  expect(put.message).not.toMatch(/sig=[^*]/);
  await store.putObject(C, 'runs/state.json', new Uint8Array([1]));
  const del = await storeError(() => s.deleteObject(C, 'runs/state.json'));
  expect(del.code).toBe('AccessDenied');
  expect(del.message).toContain('SAS allows delete');
  await store.deleteObject(C, 'runs/state.json');
});

test('a write that never answers fails after the read timeout and the attempts, naming the blob', async () => {
  const p = await proxy();
  p.fault((r) => (r.method === 'PUT' && r.url.includes('/runs/hung.json') ? { hang: true } : undefined));
  const s = createAzureObjectStore(azureConfigSource(`${p.endpoint}/${azurite().accountName}`, { maxAttempts: 2, retryDelayMs: 1, readTimeoutSeconds: 0.3 }));
  const err = await storeError(() => s.putObject(C, 'runs/hung.json', new Uint8Array([1])));
  expect(err.message).toBe(
    `Azure PutBlob on blob "runs/hung.json" in container "${C}" failed: no answer within the read timeout (0.3 s) on 2 attempt(s); raise readTimeoutSeconds if the service is only slow`,
  );
  expect(p.injected).toHaveLength(2);
});
