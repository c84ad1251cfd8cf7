/** The test server's additions for dbt: classifications/tags, users/teams, JSON Patch, data models, stricter lineage and test definitions. */
import { startOmApiServer, type OmApiServer } from './server';

const TOKEN = 'test-token-governance';
let server: OmApiServer;

async function call(method: string, path: string, body?: unknown, contentType = 'application/json') {
  const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['Content-Type'] = contentType;
  const res = await fetch(`${server.url}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, change: res.headers.get('x-openmetadata-change') };
}
const patch = (path: string, ops: unknown) => call('PATCH', path, ops, 'application/json-patch+json');

let tableId: string;

beforeEach(async () => {
  server = await startOmApiServer({ token: TOKEN, version: '1.6.2' });
  await call('PUT', '/services/databaseServices', { name: 'lake', serviceType: 'Datalake' });
  await call('PUT', '/databases', { name: 'default', service: 'lake' });
  await call('PUT', '/databaseSchemas', { name: 'b', database: 'lake.default' });
  const t = await call('PUT', '/tables', { name: 'x.csv', databaseSchema: 'lake.default.b', columns: [{ name: 'id', dataType: 'INT' }, { name: 'v', dataType: 'STRING' }] });
  tableId = t.body.id;
});
afterEach(async () => {
  await server.close();
});

describe('classifications and tags', () => {
  it('creates a classification and its tags, which then become valid tag labels', async () => {
    expect(await call('PUT', '/tags', { name: 'pii', classification: 'dbtTags', description: 'd' })).toMatchObject({ status: 404, body: { message: 'classification instance for dbtTags not found' } });
    expect(await call('PUT', '/classifications', { name: 'dbtTags' })).toMatchObject({ status: 400, body: { message: '[description must not be null]' } });
    expect(await call('PUT', '/classifications', { name: 'dbt.Tags', description: 'd' })).toMatchObject({ status: 400 });
    expect(await call('PUT', '/classifications', { name: 'dbtTags', description: 'dbt', color: 'red' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('Unrecognized field "color"') } });
    expect(await call('PUT', '/classifications', { name: 'dbtTags', description: 'dbt' })).toMatchObject({ status: 201, change: 'entityCreated', body: { fullyQualifiedName: 'dbtTags' } });
    expect(await call('PUT', '/classifications', { name: 'dbtTags', description: 'dbt' })).toMatchObject({ status: 200, change: 'entityNoChange' });
    expect(await call('PUT', '/tags', { name: 'a.b', classification: 'dbtTags', description: 'dotted' })).toMatchObject({ status: 201, body: { fullyQualifiedName: 'dbtTags."a.b"', classification: { name: 'dbtTags' } } });
    expect(await call('GET', `/tags/name/${encodeURIComponent('dbtTags."a.b"')}`)).toMatchObject({ status: 200, body: { name: 'a.b' } });
    expect(await call('GET', '/classifications/name/PII')).toMatchObject({ status: 200 });
    expect(await call('GET', '/tags?parent=dbtTags')).toMatchObject({ body: { data: [expect.objectContaining({ name: 'a.b' })] } });
    expect(await patch(`/tables/${tableId}`, [{ op: 'add', path: '/tags', value: [{ tagFQN: 'dbtTags."a.b"', source: 'Classification', labelType: 'Automated', state: 'Confirmed' }] }])).toMatchObject({ status: 200 });
    expect(await patch(`/tables/${tableId}`, [{ op: 'add', path: '/tags/-', value: { tagFQN: 'dbtTags.nope' } }])).toMatchObject({ status: 404, body: { message: 'tag instance for dbtTags.nope not found' } });
  });
});

describe('JSON Patch on tables', () => {
  it('patches descriptions, column tags and owners; refuses other paths, bad targets and the wrong content type', async () => {
    const u = server.store.governance.seedUser({ name: 'alice' });
    const r = await patch(`/tables/${tableId}`, [
      { op: 'add', path: '/description', value: 'Table' },
      { op: 'add', path: '/columns/1/description', value: 'Value' },
      { op: 'add', path: '/columns/0/tags', value: [{ tagFQN: 'PII.Sensitive' }] },
      { op: 'add', path: '/owners', value: [{ id: u.id, type: 'user' }] },
    ]);
    expect(r).toMatchObject({ status: 200, change: 'entityUpdated', body: { description: 'Table', version: 0.2, owners: [{ id: u.id, type: 'user', name: 'alice' }] } });
    expect(r.body.columns[1].description).toBe('Value');
    expect(await patch(`/tables/${tableId}`, [{ op: 'add', path: '/description', value: 'Table' }])).toMatchObject({ change: 'entityNoChange', body: { version: 0.2 } });
    expect(await patch(`/tables/${tableId}`, [{ op: 'replace', path: '/displayName', value: 'x' }])).toMatchObject({ status: 400, body: { message: expect.stringContaining('the target does not exist (use add)') } });
    expect(await patch(`/tables/${tableId}`, [{ op: 'add', path: '/columns/5/description', value: 'x' }])).toMatchObject({ status: 400 });
    expect(await patch(`/tables/${tableId}`, [{ op: 'add', path: '/name', value: 'y' }])).toMatchObject({ status: 400, body: { message: 'Cannot patch field /name' } });
    expect(await patch(`/tables/${tableId}`, [{ op: 'add', path: '/owners', value: [{ id: '00000000-0000-0000-0000-000000000000', type: 'team' }] }])).toMatchObject({ status: 404 });
    expect(await call('PATCH', `/tables/${tableId}`, [{ op: 'add', path: '/description', value: 'x' }])).toMatchObject({ status: 415 });
    expect(await patch('/tables/unknown-id', [])).toMatchObject({ status: 404 });
  });

  it('looks users and teams up by name', async () => {
    server.store.governance.seedUser({ name: 'alice', email: 'a@x.io' });
    server.store.governance.seedTeam({ name: 'data' });
    expect(await call('GET', '/users/name/alice')).toMatchObject({ status: 200, body: { name: 'alice', email: 'a@x.io', type: 'user' } });
    expect(await call('GET', '/teams/name/data')).toMatchObject({ status: 200, body: { name: 'data', type: 'team' } });
    expect(await call('GET', '/users/name/bob')).toMatchObject({ status: 404, body: { message: 'user instance for bob not found' } });
    expect(await call('GET', '/users?email=a@x.io')).toMatchObject({ body: { data: [expect.objectContaining({ name: 'alice' })] } });
  });
});

describe('data models, lineage and test definitions', () => {
  it('stores a dbt data model and returns it with fields=dataModel', async () => {
    const model = { modelType: 'DBT', resourceType: 'model', sql: 'select 1', upstream: ['lake.default.b."y.csv"'], columns: [{ name: 'id', dataType: 'VARCHAR' }] };
    expect(await call('PUT', `/tables/${tableId}/dataModel`, model)).toMatchObject({ status: 400, body: { message: expect.stringContaining('dataLength must not be null') } });
    expect(await call('PUT', `/tables/${tableId}/dataModel`, { ...model, columns: [], kind: 'x' })).toMatchObject({ status: 400, body: { message: expect.stringContaining('Unrecognized field "kind"') } });
    expect(await call('PUT', `/tables/${tableId}/dataModel`, { ...model, modelType: 'dbt' })).toMatchObject({ status: 400 });
    expect(await call('PUT', `/tables/${tableId}/dataModel`, { ...model, columns: [{ name: 'id', dataType: 'INT' }], generatedAt: '2021-11-11T21:56:21Z' })).toMatchObject({ status: 200 });
    expect((await call('GET', '/tables/name/lake.default.b."x.csv"')).body.dataModel).toBeUndefined();
    expect((await call('GET', '/tables/name/lake.default.b."x.csv"?fields=dataModel')).body.dataModel).toMatchObject({ modelType: 'DBT', sql: 'select 1' });
  });

  it('checks lineage details and test definition bodies', async () => {
    const edge = { fromEntity: { id: tableId, type: 'table' }, toEntity: { id: tableId, type: 'table' } };
    expect(await call('PUT', '/lineage', { edge: { ...edge, lineageDetails: { source: 'DbtLineage', sqlQuery: 'select 1' } } })).toMatchObject({ status: 200 });
    expect(await call('PUT', '/lineage', { edge: { ...edge, lineageDetails: { source: 'dbt' } } })).toMatchObject({ status: 400 });
    expect(await call('PUT', '/lineage', { edge: { ...edge, weight: 1 } })).toMatchObject({ status: 400 });
    const def = { name: 'not_null', description: 'not null', entityType: 'COLUMN', testPlatforms: ['DBT'], parameterDefinition: [{ name: 'values' }] };
    expect(await call('PUT', '/dataQuality/testDefinitions', def)).toMatchObject({ status: 201 });
    expect(await call('PUT', '/dataQuality/testDefinitions', { ...def, testPlatforms: ['dbt'] })).toMatchObject({ status: 400 });
    expect(await call('PUT', '/dataQuality/testDefinitions', { ...def, parameterDefinition: [{ name: 'v', dataType: 'x' }] })).toMatchObject({ status: 400 });
    server.reset();
    expect(server.store.testDefinitions.has('not_null')).toBe(false);
    expect(server.store.testDefinitions.has('columnValuesToBeNotNull')).toBe(true);
  });
});
