import { startOmApiServer, type OmApiServer } from './server';

const TOKEN = 'test-token-123456';
let server: OmApiServer;

async function call(method: string, path: string, body?: unknown, token: string | null = TOKEN) {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${server.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, change: res.headers.get('x-openmetadata-change') };
}

const col = (name: string, dataType = 'STRING', extra: Record<string, unknown> = {}) => ({ name, dataType, ...extra });

/** A Datalake connection as OpenMetadata's `datalakeConnection.json` accepts it. */
const DATALAKE_CONFIG = { type: 'Datalake', configSource: { securityConfig: { awsRegion: 'us-east-1' } }, bucketName: 'my-bucket' };

async function seedHierarchy() {
  expect((await call('PUT', '/services/databaseServices', { name: 'lake', serviceType: 'Datalake', connection: { config: DATALAKE_CONFIG } })).status).toBe(201);
  expect((await call('PUT', '/databases', { name: 'default', service: 'lake' })).status).toBe(201);
  expect((await call('PUT', '/databaseSchemas', { name: 'my.bucket', database: 'lake.default' })).status).toBe(201);
}

beforeEach(async () => {
  server = await startOmApiServer({ token: TOKEN, version: '1.6.2' });
});
afterEach(async () => {
  await server.close();
});

describe('OpenMetadata API test server', () => {
  it('serves the version without auth and refuses other calls without a valid bearer token', async () => {
    expect(await call('GET', '/system/version', undefined, null)).toMatchObject({ status: 200, body: { version: '1.6.2' } });
    expect(await call('GET', '/tables', undefined, null)).toMatchObject({ status: 401, body: { code: 401, message: 'Not Authorized! Token not present' } });
    expect(await call('GET', '/tables', undefined, 'wrong')).toMatchObject({ status: 401 });
    expect(await call('GET', '/tables')).toMatchObject({ status: 200, body: { data: [] } });
  });

  it('refuses children whose parent does not exist, all the way down', async () => {
    expect(await call('PUT', '/databases', { name: 'db', service: 'nope' })).toMatchObject({
      status: 404, body: { code: 404, message: 'databaseService instance for nope not found' },
    });
    await call('PUT', '/services/databaseServices', { name: 'svc', serviceType: 'DynamoDB' });
    expect((await call('PUT', '/databaseSchemas', { name: 's', database: 'svc.db' })).body.message).toBe('database instance for svc.db not found');
    expect((await call('PUT', '/tables', { name: 't', databaseSchema: 'svc.db.s', columns: [] })).body.message).toBe(
      'databaseSchema instance for svc.db.s not found',
    );
  });

  it('upserts by FQN, bumps the version only on change, and finds entities by URL-encoded FQN', async () => {
    await seedHierarchy();
    const table = { name: 'users/users.csv', databaseSchema: 'lake.default."my.bucket"', columns: [col('id', 'INT')], fileFormat: 'csv', tableType: 'Regular' };
    const first = await call('PUT', '/tables', table);
    expect(first).toMatchObject({ status: 201, change: 'entityCreated', body: { version: 0.1, fullyQualifiedName: 'lake.default."my.bucket"."users/users.csv"' } });
    expect(first.body.columns[0].fullyQualifiedName).toBe('lake.default."my.bucket"."users/users.csv".id');
    expect(first.body.service).toMatchObject({ name: 'lake', type: 'databaseService' });
    const same = await call('PUT', '/tables', table);
    expect(same).toMatchObject({ status: 200, change: 'entityNoChange', body: { version: 0.1, id: first.body.id } });
    const changed = await call('PUT', '/tables', { ...table, description: 'users' });
    expect(changed).toMatchObject({ status: 200, change: 'entityUpdated', body: { version: 0.2, description: 'users' } });
    const fqn = encodeURIComponent('lake.default."my.bucket"."users/users.csv"');
    expect(await call('GET', `/tables/name/${fqn}`)).toMatchObject({ status: 200, body: { id: first.body.id, version: 0.2 } });
    expect((await call('GET', `/tables/name/${encodeURIComponent('lake.default."my.bucket".nope')}`)).status).toBe(404);
  });

  it('validates create requests strictly', async () => {
    await seedHierarchy();
    const base = { name: 't', databaseSchema: 'lake.default."my.bucket"' };
    const msg = async (body: unknown) => {
      const r = await call('PUT', '/tables', body);
      expect(r.status).toBeGreaterThanOrEqual(400);
      return r.body.message as string;
    };
    expect(await msg({ ...base, columns: [col('a', 'TEXTY')] })).toMatch(/ColumnDataType.*"TEXTY"/);
    expect(await msg({ ...base, columns: [col('a', 'VARCHAR')] })).toMatch(/dataLength must not be null/);
    expect(await msg({ ...base, columns: [col('a', 'ARRAY')] })).toMatch(/arrayDataType must not be null/);
    expect(await msg({ ...base, columns: [col('a', 'INT', { constraint: 'PRIMARY_KEY' }), col('b', 'INT', { constraint: 'PRIMARY_KEY' })] })).toMatch(
      /composite primary key must be given in tableConstraints/,
    );
    expect(await msg({ ...base, columns: [col('a')], tableConstraints: [{ constraintType: 'PRIMARY_KEY', columns: ['zz'] }] })).toMatch(/Invalid column name.*zz/);
    expect(await msg({ ...base, columns: [col('a')], tableType: 'Table' })).toMatch(/TableType/);
    expect(await msg({ ...base, columns: [col('a')], fileFormat: 'xlsx' })).toMatch(/from String "xlsx": not one of the values accepted/);
    expect(await msg({ ...base, columns: [col('a')], bogus: 1 })).toMatch(/Unrecognized field "bogus"/);
    expect(await msg({ ...base, columns: [col('a')], extension: { billingMode: 'PAY_PER_REQUEST' } })).toMatch(/Unknown custom field billingMode/);
    expect(await msg({ ...base, columns: [col('a', 'STRING', { tags: [{ tagFQN: 'PII.Nope', source: 'Classification', labelType: 'Manual', state: 'Confirmed' }] })] })).toMatch(/tag instance for PII.Nope not found/);
    expect(await msg({ ...base, columns: [col('a'), col('A')] })).toMatch(/repeated/);
    expect(await msg({ name: 'x', databaseSchema: base.databaseSchema })).toMatch(/columns must not be null/);
    expect(await msg({ name: 'a::b', serviceType: 'Datalake' })).toBeDefined();
    const ok = await call('PUT', '/tables', {
      ...base,
      columns: [col('a', 'INT'), col('b', 'VARCHAR', { dataLength: 10 }), col('c', 'ARRAY', { arrayDataType: 'STRING', children: [col('x')] })],
      tableConstraints: [{ constraintType: 'PRIMARY_KEY', columns: ['a', 'b'] }],
    });
    expect(ok.status).toBe(201);
    expect((await call('PUT', '/services/databaseServices', { name: 's2', serviceType: 'S3' })).body.message).toMatch(/from String "S3": not one of the values accepted/);
  });

  it('lists with limit/after paging and soft-deletes (include=deleted shows them)', async () => {
    await seedHierarchy();
    for (let i = 0; i < 25; i++) {
      await call('PUT', '/tables', { name: `t${String(i).padStart(2, '0')}`, databaseSchema: 'lake.default."my.bucket"', columns: [col('a')] });
    }
    const names: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const r = await call('GET', `/tables?databaseSchema=${encodeURIComponent('lake.default."my.bucket"')}&limit=10${after ? `&after=${after}` : ''}`);
      names.push(...r.body.data.map((t: { name: string }) => t.name));
      expect(r.body.paging.total).toBe(25);
      after = r.body.paging.after;
      pages++;
    } while (after);
    expect(pages).toBe(3);
    expect(names).toHaveLength(25);
    expect(new Set(names).size).toBe(25);

    const t = (await call('GET', `/tables/name/${encodeURIComponent('lake.default."my.bucket".t03')}`)).body;
    expect(await call('DELETE', `/tables/${t.id}?recursive=true&hardDelete=false`)).toMatchObject({ status: 200, body: { deleted: true, version: 0.2 } });
    expect((await call('GET', `/tables/name/${encodeURIComponent('lake.default."my.bucket".t03')}`)).status).toBe(404);
    expect(await call('GET', `/tables/name/${encodeURIComponent('lake.default."my.bucket".t03')}?include=deleted`)).toMatchObject({ status: 200, body: { deleted: true } });
    expect((await call('GET', '/tables?limit=100')).body.data).toHaveLength(24);
    expect((await call('GET', '/tables?limit=100&include=deleted')).body.data.map((x: { name: string }) => x.name)).toEqual(['t03']);
    // A database with children needs recursive=true.
    const db = (await call('GET', '/databases/name/lake.default')).body;
    expect(await call('DELETE', `/databases/${db.id}`)).toMatchObject({ status: 400 });
    // PUT restores a soft-deleted entity.
    const restored = await call('PUT', '/tables', { name: 't03', databaseSchema: 'lake.default."my.bucket"', columns: [col('a')] });
    expect(restored).toMatchObject({ status: 200, change: 'entityRestored', body: { deleted: false, version: 0.3 } });
  });

  it('injects faults: 503 N times, 429 with Retry-After, dropped connections', async () => {
    server.injectFault({ path: '/tables', status: 503, times: 2 });
    expect((await call('GET', '/tables')).status).toBe(503);
    expect((await call('GET', '/tables')).status).toBe(503);
    expect((await call('GET', '/tables')).status).toBe(200);
    server.injectFault({ status: 429, retryAfter: 1 });
    const res = await fetch(`${server.url}/api/v1/tables`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    server.injectFault({ drop: true });
    await expect(fetch(`${server.url}/api/v1/tables`, { headers: { Authorization: `Bearer ${TOKEN}` } })).rejects.toThrow();
    expect(server.requestsFor('GET', '/tables').filter((r) => r.fault)).toHaveLength(4);
  });

  it('stores table profiles, test cases and their results, and lineage', async () => {
    await seedHierarchy();
    const t = (await call('PUT', '/tables', { name: 'orders', databaseSchema: 'lake.default."my.bucket"', columns: [col('id', 'INT'), col('amount', 'DOUBLE')] })).body;
    const t2 = (await call('PUT', '/tables', { name: 'orders_copy', databaseSchema: 'lake.default."my.bucket"', columns: [col('id', 'INT')] })).body;
    const ts = 1_700_000_000_000;
    expect((await call('PUT', `/tables/${t.id}/tableProfile`, { tableProfile: { timestamp: ts, rowCount: 3, columnCount: 2 }, columnProfile: [{ name: 'nope', timestamp: ts }] })).status).toBe(400);
    const put = await call('PUT', `/tables/${t.id}/tableProfile`, {
      tableProfile: { timestamp: ts, rowCount: 3, columnCount: 2 },
      columnProfile: [{ name: 'amount', timestamp: ts, mean: 2.5, nullCount: 0 }],
    });
    expect(put).toMatchObject({ status: 200, body: { profile: { rowCount: 3 } } });
    const fqn = encodeURIComponent(t.fullyQualifiedName);
    expect((await call('GET', `/tables/${fqn}/tableProfile?startTs=${ts - 1}&endTs=${ts + 1}`)).body.data).toEqual([{ timestamp: ts, rowCount: 3, columnCount: 2 }]);
    expect((await call('GET', `/tables/${encodeURIComponent(`${t.fullyQualifiedName}.amount`)}/columnProfile`)).body.data[0]).toMatchObject({ mean: 2.5 });

    const tc = await call('PUT', '/dataQuality/testCases', {
      name: 'amount_not_null', entityLink: `<#E::table::${t.fullyQualifiedName}::columns::amount>`, testDefinition: 'columnValuesToBeNotNull', parameterValues: [],
    });
    expect(tc).toMatchObject({ status: 201, body: { fullyQualifiedName: `${t.fullyQualifiedName}.amount.amount_not_null` } });
    expect((await call('PUT', '/dataQuality/testCases', { name: 'x', entityLink: `<#E::table::${t.fullyQualifiedName}>`, testDefinition: 'columnValuesToBeNotNull' })).status).toBe(400);
    const tcFqn = encodeURIComponent(tc.body.fullyQualifiedName);
    expect((await call('POST', `/dataQuality/testCases/testCaseResults/${tcFqn}`, { timestamp: ts, testCaseStatus: 'Passed' })).status).toBe(400);
    expect((await call('POST', `/dataQuality/testCases/testCaseResults/${tcFqn}`, { timestamp: ts, testCaseStatus: 'Success', testResultValue: [{ name: 'nullCount', value: '0' }] })).status).toBe(200);
    expect((await call('GET', `/dataQuality/testCases/testCaseResults/${tcFqn}`)).body.data).toHaveLength(1);

    expect((await call('PUT', '/lineage', { edge: { fromEntity: { id: t.id, type: 'table' }, toEntity: { id: '00000000-0000-4000-8000-000000000000', type: 'table' } } })).status).toBe(404);
    expect((await call('PUT', '/lineage', { edge: { fromEntity: { id: t.id, type: 'table' }, toEntity: { id: t2.id, type: 'table' } } })).status).toBe(200);
    expect((await call('GET', `/lineage/table/name/${encodeURIComponent(t2.fullyQualifiedName)}`)).body.upstreamEdges).toHaveLength(1);
  });
});
