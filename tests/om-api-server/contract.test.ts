/**
 * The test server judges bodies by OpenMetadata's own JSON Schemas for the version it impersonates:
 * the 1.2 snapshot as it is, newer versions with the sourced deltas of versions.ts.
 */
import { contractFor, schemaDir } from './contract';
import { startOmApiServer } from './server';
import { VERSION_DELTAS } from './versions';

const message = (version: string, kind: Parameters<ReturnType<typeof contractFor>['check']>[0], body: unknown): string | undefined => {
  try {
    contractFor(version).check(kind, body);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

const table = (extra: Record<string, unknown> = {}, column: Record<string, unknown> = {}) => ({
  name: 't', databaseSchema: 's.d.x', columns: [{ name: 'a', dataType: 'INT', ...column }], ...extra,
});

describe('the request contract', () => {
  it('reads the schemas from shared/, not from a copy in the repository', () => {
    expect(schemaDir()).toMatch(/shared[/\\]testdata[/\\]openmetadata-schema-1\.2$/);
  });

  it('refuses on 1.2 what only newer servers know, in the Java server words', () => {
    expect(message('1.2.0', 'createTable', table({ fileFormat: 'jsonl' }))).toMatch(/from String "jsonl": not one of the values accepted for Enum class: \[csv, tsv, avro, parquet, json, json\.gz, json\.zip\]/);
    expect(message('1.2.0', 'createTable', table({}, { dataType: 'UINT' }))).toMatch(/ColumnDataType` from String "UINT"/);
    expect(message('1.2.0', 'createTable', table({ locationPath: 's3://b/k' }))).toMatch(/Unrecognized field "locationPath"/);
    expect(message('1.2.0', 'createTable', table({ tablePartition: { columns: [{ columnName: 'a' }] } }))).toMatch(/tablePartition\.columns\[0\] must be string/);
    expect(message('1.2.0', 'createTable', table({ tablePartition: { columns: ['a'], intervalType: 'COLUMN-VALUE' } }))).toBeUndefined();
    for (const version of ['2.0.7', '1.13.1']) {
      expect(message(version, 'createTable', table({ fileFormat: 'csv.gz', locationPath: 's3://b/k' }, { dataType: 'UINT' }))).toBeUndefined();
    }
    // Each delta applies from its release on: csv.gz arrived in 1.10 (PR #22666), pq in 1.9 (PR #22027).
    expect(message('1.9.0', 'createTable', table({ fileFormat: 'csv.gz' }))).toMatch(/from String "csv\.gz"/);
    expect(message('1.9.0', 'createTable', table({ fileFormat: 'pq' }))).toBeUndefined();
    expect(VERSION_DELTAS.every((d) => d.source.length > 0)).toBe(true);
  });

  it('names the branch a value meant in a oneOf (a connection by its type)', () => {
    const service = (config: Record<string, unknown>) => ({ name: 'lake', serviceType: 'Datalake', connection: { config } });
    expect(message('1.2.0', 'createDatabaseService', service({ type: 'Datalake', bucketName: 'b' }))).toBe('[connection.config.configSource must not be null]');
    expect(message('1.2.0', 'createDatabaseService', service({ type: 'Datalake', configSource: {}, supportsDatabase: true }))).toMatch(/Unrecognized field "supportsDatabase"/);
    expect(message('1.2.0', 'createDatabaseService', service({ type: 'Datalake', configSource: {} }))).toBeUndefined();
  });

  it('marks failed test results New before the incident manager (1.3), and refuses the field after', () => {
    const result = { timestamp: 1, testCaseStatus: 'Failed', testCaseFailureStatus: { testCaseFailureStatusType: 'New' } };
    expect(message('1.2.0', 'testCaseResult', result)).toBeUndefined();
    expect(message('1.2.0', 'testCaseResult', { timestamp: 1, testCaseStatus: 'Success', passedRows: 3 })).toMatch(/Unrecognized field "passedRows"/);
    expect(message('2.0.7', 'testCaseResult', result)).toMatch(/Unrecognized field "testCaseFailureStatus"/);
  });

  it('answers 404 on routes the impersonated version does not have', async () => {
    const server = await startOmApiServer({ version: '1.2.0' });
    try {
      const post = await fetch(`${server.url}/api/v1/dataQuality/testCases/testCaseResults/a.b`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(post.status).toBe(404);
      const base = await fetch(`${server.url}/api/v1/dataQuality/testSuites/base`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(base.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
