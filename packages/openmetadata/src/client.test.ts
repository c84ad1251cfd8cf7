import { inspect } from 'node:util';
import * as net from 'node:net';
import { SecretMasker, silentLogger, type OpenMetadataServerConfig } from '@om/core';
import { startOmApiServer, type OmApiServer } from '../../../tests/om-api-server';
import { FaultProxy, type ProxiedRequest } from '../../../tests/cloud/fault-proxy';
import { createAuthProvider } from './auth';
import { encodeFqn, OpenMetadataClient, versionProblem } from './client';
import { OpenMetadataApiError, OpenMetadataAuthError, OpenMetadataConnectionError, VersionMismatchError } from './errors';
import { backoffDelay, DEFAULT_RETRY_POLICY, parseRetryAfter } from './retry';
import { rejection } from './testing/rejection';

// A JWT-shaped token: it must never show in an error, a log line or an inspected error object.
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbmdlc3Rpb24tYm90In0.c2VjcmV0LXNpZ25hdHVyZS12YWx1ZQ';

let server: OmApiServer;

function config(extra: Partial<OpenMetadataServerConfig> = {}): OpenMetadataServerConfig {
  return { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN }, ...extra };
}

async function connect(extra: Partial<OpenMetadataServerConfig> = {}, retry = { baseDelayMs: 1, maxDelayMs: 5 }) {
  const masker = new SecretMasker();
  masker.add(TOKEN);
  return OpenMetadataClient.connect({ serverConfig: config(extra), retry, masker, logger: silentLogger });
}

function expectNoToken(err: unknown): void {
  expect(String((err as Error).message)).not.toContain(TOKEN);
  expect(inspect(err, { depth: 10 })).not.toContain(TOKEN);
  expect(JSON.stringify(err)).not.toContain(TOKEN);
}

async function seed(client: OpenMetadataClient, tables = 0) {
  await client.put('services/databaseServices', { name: 'svc', serviceType: 'Datalake' });
  await client.put('databases', { name: 'db', service: 'svc' });
  await client.put('databaseSchemas', { name: 'sch', database: 'svc.db' });
  for (let i = 0; i < tables; i++) {
    await client.put('tables', { name: `t${String(i).padStart(3, '0')}`, databaseSchema: 'svc.db.sch', columns: [{ name: 'a', dataType: 'INT' }] });
  }
}

beforeEach(async () => {
  server = await startOmApiServer({ token: TOKEN, version: '1.6.2' });
});
afterEach(async () => {
  await server.close();
});

describe('OpenMetadataClient', () => {
  it('checks the server version and explains a mismatch', async () => {
    const client = await connect();
    expect(client.knownServerVersion).toBe('1.6.2');
    expect(client.baseUrl).toBe(`${server.url}/api/v1`);
    client.close();

    // 2.x kept the 1.x ingestion API family (compat/server-versions.ts): accepted, like every 1.x from 1.2 on.
    for (const accepted of ['2.0.7', '1.13.1', '1.2.0']) {
      server.version = accepted;
      const c = await connect();
      expect(c.knownServerVersion).toBe(accepted);
      c.close();
    }
    server.version = '3.0.0';
    const err = await rejection(connect());
    expect(err).toBeInstanceOf(VersionMismatchError);
    expect(err.message).toMatch(/OpenMetadata server version 3\.0\.0 is not supported by @om\/openmetadata .*1\.2\.0 and newer 1\.x and 2\.x/);
    expect(err.message).toMatch(/enableVersionValidation: false/);
    const skipped = await connect({ enableVersionValidation: false });
    expect(skipped.knownServerVersion).toBeUndefined();
    skipped.close();
    expect(versionProblem('0.13.2')).toMatch(/not supported/);
    expect(versionProblem('1.1.5')).toMatch(/not supported/);
    expect(versionProblem('1.5.3.1')).toBeUndefined();
  });

  it('creates, reports unchanged and updated entities from the server answer', async () => {
    const client = await connect();
    await seed(client);
    const body = { name: 'orders', databaseSchema: 'svc.db.sch', columns: [{ name: 'id', dataType: 'INT' }] };
    expect((await client.put('tables', body)).change).toBe('created');
    expect((await client.put('tables', body)).change).toBe('unchanged');
    const updated = await client.put('tables', { ...body, description: 'orders' });
    expect(updated.change).toBe('updated');
    expect(updated.entity.version).toBe(0.2);
    client.close();
  });

  it('retries 503 with backoff until it succeeds', async () => {
    const client = await connect();
    await seed(client);
    server.injectFault({ method: 'PUT', path: '/tables', status: 503, times: 3 });
    const r = await client.put('tables', { name: 'x', databaseSchema: 'svc.db.sch', columns: [{ name: 'a', dataType: 'INT' }] });
    expect(r.change).toBe('created');
    expect(server.requestsFor('PUT', '/tables').map((q) => q.status)).toEqual([503, 503, 503, 201]);
    client.close();
  });

  it('gives up after maxRetries with the server message and the attempt count', async () => {
    const client = await connect({ maxRetries: 2 });
    server.injectFault({ path: '/databases', status: 504, times: 10 });
    const err = await rejection(client.get('/databases'));
    expect(err).toBeInstanceOf(OpenMetadataApiError);
    expect(err.status).toBe(504);
    expect(err.message).toContain('GET /databases → 504: Service Unavailable (injected fault) (after 3 attempts)');
    expect(server.requestsFor('GET', '/databases')).toHaveLength(3);
    expectNoToken(err);
    client.close();
  });

  it('honours Retry-After on 429, and fails at once when it asks for too long a wait', async () => {
    const client = await connect();
    server.injectFault({ path: '/databases', status: 429, retryAfter: 0, times: 2 });
    await expect(client.get('/databases')).resolves.toMatchObject({ data: [] });
    expect(server.requestsFor('GET', '/databases').map((r) => r.status)).toEqual([429, 429, 200]);
    client.close();

    const impatient = await OpenMetadataClient.connect({ serverConfig: config(), retry: { baseDelayMs: 1, maxRetryAfterMs: 1000 } });
    server.injectFault({ path: '/databaseSchemas', status: 429, retryAfter: 3600 });
    const err = await rejection(impatient.get('/databaseSchemas'));
    expect(err.message).toContain('GET /databaseSchemas → 429: Too Many Requests');
    expect(server.requestsFor('GET', '/databaseSchemas')).toHaveLength(1);
    impatient.close();
  });

  it('retries a dropped connection and the entity is written once', async () => {
    const client = await connect();
    await seed(client);
    server.injectFault({ method: 'PUT', path: '/tables', drop: true, times: 2 });
    const r = await client.put('tables', { name: 'dropped', databaseSchema: 'svc.db.sch', columns: [{ name: 'a', dataType: 'INT' }] });
    expect(r.entity.version).toBe(0.1);
    expect(server.store.all('table').map((t) => t.name)).toEqual(['dropped']);
    client.close();
  });

  it('does not retry 4xx and returns the server message', async () => {
    const client = await connect();
    await seed(client);
    const err = await rejection(client.put('tables', { name: 't', databaseSchema: 'svc.db.sch', columns: [{ name: 'a', dataType: 'TEXTY' }] }));
    expect(err).toBeInstanceOf(OpenMetadataApiError);
    expect(err.status).toBe(400);
    expect(err.serverMessage).toMatch(/ColumnDataType/);
    expect(err.message).toMatch(/^PUT \/tables → 400: Cannot deserialize value of type `[\w.]*ColumnDataType` from String "TEXTY"/);
    expect(server.requestsFor('PUT', '/tables')).toHaveLength(1);
    client.close();
  });

  it('turns a 401 into a clear error that never shows the token', async () => {
    const client = await connect();
    server.token = 'another-token-value';
    const err = await rejection(client.checkAccess());
    expect(err).toBeInstanceOf(OpenMetadataAuthError);
    expect(err.message).toBe(
      'OpenMetadata refused the credentials of authProvider "openmetadata" (GET /services/databaseServices → 401: Not Authorized! Invalid token); ' +
        'check workflowConfig.openMetadataServerConfig.securityConfig.jwtToken (the bot token may be revoked or expired)',
    );
    expect(server.requestsFor('GET', '/services/databaseServices')).toHaveLength(1);
    expectNoToken(err);
    client.close();
  });

  it('reports a refused connection clearly', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const err = await rejection(OpenMetadataClient.connect({
      serverConfig: { hostPort: `http://127.0.0.1:${port}/api`, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } },
      retry: { maxRetries: 1, baseDelayMs: 1 },
    }));
    expect(err).toBeInstanceOf(OpenMetadataConnectionError);
    expect(err.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/system\/version failed: connection refused .*\(after 2 attempts\)/);
    expectNoToken(err);
  });

  it('gets by URL-encoded FQN (404 → undefined) and lists every page', async () => {
    const client = await connect();
    await seed(client, 25);
    await client.put('tables', { name: 'a/b.csv', databaseSchema: 'svc.db.sch', columns: [{ name: 'a', dataType: 'INT' }] });
    const t = await client.getByName('tables', 'svc.db.sch."a/b.csv"');
    expect(t?.fullyQualifiedName).toBe('svc.db.sch."a/b.csv"');
    expect(await client.getByName('tables', 'svc.db.sch.missing')).toBeUndefined();
    const names: string[] = [];
    for await (const e of client.listAll('tables', { databaseSchema: 'svc.db.sch' }, 10)) names.push(e.name);
    expect(names).toHaveLength(26);
    expect(server.requestsFor('GET', /^\/api\/v1\/tables$/)).toHaveLength(3);
    expect(encodeFqn('a."b/c d"(x)')).toBe('a.%22b%2Fc%20d%22%28x%29');
    client.close();
  });

  it('sends extraHeaders, expanding %(Authorization)s', async () => {
    const client = await OpenMetadataClient.connect({
      serverConfig: config({ extraHeaders: { 'X-Forwarded-Auth': '%(Authorization)s', 'X-Team': 'data' } }),
    });
    // The test server checks only Authorization; a wrong expansion would not break the call, so check the builder.
    const headers = (client as unknown as { headersFor(h: Record<string, string>): Record<string, string> }).headersFor({ Authorization: 'Bearer x' });
    expect(headers).toEqual({ Authorization: 'Bearer x', 'X-Forwarded-Auth': 'Bearer x', 'X-Team': 'data' });
    client.close();
  });
});

describe('retry policy', () => {
  it('grows exponentially with bounded jitter', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((r) => backoffDelay(p, r, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 4].map((r) => backoffDelay(p, r, () => 1))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(2)).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('auth providers', () => {
  const ctx = { masker: new SecretMasker(), logger: silentLogger };

  it('needs a jwtToken for authProvider openmetadata', async () => {
    await expect(createAuthProvider({ hostPort: 'http://x/api', authProvider: 'openmetadata' }, ctx)).rejects.toThrow(
      /securityConfig\.jwtToken is required for authProvider "openmetadata"/,
    );
  });

  it('defaults to openmetadata with a token and no-auth without', async () => {
    expect((await createAuthProvider({ hostPort: 'http://x/api', securityConfig: { jwtToken: TOKEN } }, ctx)).name).toBe('openmetadata');
    const none = await createAuthProvider({ hostPort: 'http://x/api' }, ctx);
    expect(none.name).toBe('no-auth');
    expect(await none.headers()).toEqual({});
  });

  it('says what to install for a provider that is not available', async () => {
    await expect(createAuthProvider({ hostPort: 'http://x/api', authProvider: 'okta' }, ctx)).rejects.toThrow(
      'authProvider "okta" is not available: built in are no-auth, openmetadata. Install a plugin that provides authProvider:okta',
    );
  });
});

describe('answers that are not the entity, and a server that is gone (through the fault proxy)', () => {
  let proxy: FaultProxy;
  beforeEach(async () => {
    proxy = new FaultProxy(server.url);
    await proxy.start();
  });
  afterEach(async () => proxy.stop());

  async function viaProxy(options: { maxRetries?: number; unreachableProbeMs?: number; timeoutMs?: number } = {}) {
    const masker = new SecretMasker();
    masker.add(TOKEN);
    return OpenMetadataClient.connect({
      serverConfig: { hostPort: `${proxy.endpoint}/api`, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } },
      retry: { baseDelayMs: 1, maxDelayMs: 5, ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}) },
      masker,
      logger: silentLogger,
      ...(options.unreachableProbeMs !== undefined ? { unreachableProbeMs: options.unreachableProbeMs } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }
  const tablePut = (r: ProxiedRequest) => r.method === 'PUT' && r.url.split('?')[0] === '/api/v1/tables';
  const HTML = { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>Gateway maintenance</h1></body></html>' };
  const table = (name: string) => ({ name, databaseSchema: 'svc.db.sch', columns: [{ name: 'a', dataType: 'INT' }] });

  it('a 200 HTML page or truncated JSON for a PUT is retried, and the entity is stored', async () => {
    const client = await viaProxy();
    await seed(client);
    proxy.faultTimes(tablePut, HTML, 1);
    const first = await client.put('tables', table('html_once'));
    expect(first.entity.fullyQualifiedName).toBe('svc.db.sch.html_once');
    // Truncated JSON: the server stored the table, the answer was cut; the retry finds it unchanged.
    let cut = 0;
    proxy.rewrite((req, body) => (tablePut(req) && cut++ === 0 ? body.slice(0, body.length / 2) : undefined));
    const second = await client.put('tables', table('cut_once'));
    expect(second.entity.fullyQualifiedName).toBe('svc.db.sch.cut_once');
    expect(server.store.all('table').map((t) => t.fullyQualifiedName).sort()).toEqual(['svc.db.sch.cut_once', 'svc.db.sch.html_once']);
    client.close();
  });

  it('a PUT answered with HTML on every attempt fails, saying so; it never counts as written', async () => {
    const client = await viaProxy({ maxRetries: 2 });
    await seed(client);
    proxy.fault((r) => (tablePut(r) ? HTML : undefined));
    const err = await rejection(client.put('tables', table('never')));
    expect(err).toBeInstanceOf(OpenMetadataApiError);
    expect(err.message).toMatch(/^PUT \/tables → 200 with a text\/html body instead of the JSON the route returns \(after 3 attempts\)/);
    expect(proxy.injected).toHaveLength(3);
    expect(server.store.all('table')).toEqual([]);
    expectNoToken(err);
    client.close();
  });

  it('a PUT that never answers fails after the timeout and its retries; the next ones fail fast', async () => {
    const client = await viaProxy({ maxRetries: 1, timeoutMs: 200, unreachableProbeMs: 60_000 });
    await seed(client);
    proxy.fault((r) => (tablePut(r) ? { hang: true } : undefined));
    const err = await rejection(client.put('tables', table('stuck')));
    expect(err).toBeInstanceOf(OpenMetadataConnectionError);
    expect(err.message).toMatch(/^PUT .*\/tables failed: timed out .*\(after 2 attempts\)/);
    expect(proxy.injected).toHaveLength(2);
    await expect(client.put('tables', table('next'))).rejects.toThrow(/not sent: the OpenMetadata server has not answered/);
    expect(proxy.injected).toHaveLength(2);
    client.close();
  });

  it('aborting the signal ends a request in flight', async () => {
    const abort = new AbortController();
    const client = await OpenMetadataClient.connect({
      serverConfig: { hostPort: `${proxy.endpoint}/api`, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } },
      signal: abort.signal,
      logger: silentLogger,
    });
    await seed(client);
    proxy.fault((r) => (tablePut(r) ? { hang: true } : undefined));
    const put = rejection(client.put('tables', table('hanging')));
    while (proxy.injected.length === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    const err = await put;
    expect(err).toBeInstanceOf(OpenMetadataConnectionError);
    expect(err.message).toMatch(/^PUT .*\/tables failed: aborted$/);
    await expect(client.put('tables', table('after'))).rejects.toThrow(/failed: aborted/);
    client.close();
  });

  it('goes through the proxy named by HTTP_PROXY', async () => {
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, http_proxy: process.env.http_proxy, NO_PROXY: process.env.NO_PROXY, no_proxy: process.env.no_proxy };
    for (const k of Object.keys(saved)) delete process.env[k];
    process.env.HTTP_PROXY = proxy.endpoint;
    try {
      const client = await connect();
      await seed(client, 1);
      expect(server.store.all('table').map((t) => t.name)).toEqual(['t000']);
      expect(proxy.log.map((r) => `${r.method} ${new URL(r.url).pathname}`)).toContain('PUT /api/v1/tables');
      client.close();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('once the server stopped answering, further requests fail at once without being sent; a later probe recovers', async () => {
    const client = await viaProxy({ maxRetries: 2, unreachableProbeMs: 60_000 });
    await seed(client);
    proxy.fault(() => ({ drop: true }));
    const first = await rejection(client.put('tables', table('t1')));
    expect(first).toBeInstanceOf(OpenMetadataConnectionError);
    expect(proxy.injected).toHaveLength(3);
    for (let i = 2; i <= 20; i++) {
      const err = await rejection(client.put('tables', table(`t${i}`)));
      expect(err.message).toMatch(/^PUT .*\/tables not sent: the OpenMetadata server has not answered for \d+ s \(PUT .* failed: .*\)/);
    }
    // The 19 other tables were not sent at all (no retries, no timeouts each).
    expect(proxy.injected).toHaveLength(3);
    client.close();

    proxy.reset();
    const recovering = await viaProxy({ maxRetries: 1, unreachableProbeMs: 0 });
    proxy.faultTimes(() => true, { drop: true }, 2);
    await rejection(recovering.put('tables', table('t1')));
    // probe interval 0: the next request is a probe (one attempt), and the server answers again.
    expect((await recovering.put('tables', table('back'))).entity.name).toBe('back');
    recovering.close();
  });
});
