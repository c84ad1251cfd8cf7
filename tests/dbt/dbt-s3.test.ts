/**
 * Bucket-stored artifacts on the S3 emulator (fauxqs), read through @om/datalake-s3.
 * Needs the emulator: OM_TEST_SERVERS=fauxqs npx jest tests/dbt/dbt-s3.test.ts
 */
import * as fs from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { plugin as s3Plugin } from '../../plugins/datalake-s3/src';
import { adminClient, createBucket, TEST_KEYS, uniqueBucket } from '../../plugins/datalake-s3/src/testing/helpers';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { jaffleTables, registry, runDbt, seedLake, shared, storedTable, tableFqn, TOKEN } from './helpers';

const ARTIFACTS = uniqueBucket('dbt-artifacts');
let admin: S3Client;
let server: OmApiServer;

function endpoint(): string {
  const value = process.env.OM_TEST_S3_ENDPOINT;
  if (!value) throw new Error('OM_TEST_S3_ENDPOINT is not set: run with OM_TEST_SERVERS=fauxqs (or unset) so tests/setup starts fauxqs');
  return value;
}

beforeAll(async () => {
  admin = adminClient(endpoint());
  const read = (f: string) => fs.readFileSync(shared(f));
  await createBucket(admin, ARTIFACTS, {
    // two artifact sets under the prefix, one directory without a manifest, one file outside the prefix
    'dbt/prod/manifest.json': read('manifest.json'),
    'dbt/prod/catalog.json': read('catalog.json'),
    'dbt/prod/run_results.json': read('run_results.json'),
    'dbt/v1/manifest.json': read('manifest_1.0.json'),
    'dbt/v1/catalog.json': read('catalog_1.0.json'),
    'dbt/stray/run_results.json': read('run_results.json'),
    'other/manifest.json': read('manifest.json'),
  });
});
afterAll(() => admin?.destroy());
// Every test runs against the oldest and the newest OpenMetadata version the server impersonates.
describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
  });
  afterEach(async () => {
    await server.close();
  });

  const s3Source = (prefix: string, extra: Record<string, unknown> = {}) => ({
    dbtConfigSource: {
      dbtConfigType: 's3',
      dbtSecurityConfig: { ...TEST_KEYS, awsRegion: 'us-east-1', endPointURL: endpoint() },
      dbtPrefixConfig: { dbtBucketName: ARTIFACTS, dbtObjectPrefix: prefix },
      ...extra,
    },
  });

  test('every artifact set under the prefix is applied; the secret key never shows', async () => {
    await seedLake(server, [...jaffleTables('dbt_alice'), ...jaffleTables('dbt_test', 'stg.customers')]);
    const r = await runDbt(server, s3Source('dbt/'), { registry: registry({ descriptor: s3Plugin, name: '@om/datalake-s3' }) });
    expect(r.wf.state()).toBe('success');
    expect(r.status.dbt.artifactSets).toEqual([
      expect.objectContaining({ label: `s3://${ARTIFACTS}/dbt/prod/`, manifestVersion: 3, catalog: true, runResults: 1 }),
      expect.objectContaining({ label: `s3://${ARTIFACTS}/dbt/v1/`, manifestVersion: 4, catalog: true, runResults: 0 }),
    ]);
    expect(r.status.warningSamples).toEqual([{ name: `s3://${ARTIFACTS}/dbt/stray/`, reason: 'has dbt artifacts but no manifest.json; left out' }]);
    expect(r.status.dbt.models).toMatchObject({ total: 16, applied: 16 });
    expect(r.status.dbt.tests.results.Success).toBe(20);
    expect(storedTable(server, tableFqn('dbt_alice', 'customers')).dataModel).toMatchObject({ resourceType: 'model' });
    expect(storedTable(server, tableFqn('dbt_test', 'stg.customers')).dataModel).toMatchObject({ resourceType: 'model' });
    expect(r.output).not.toContain(TEST_KEYS.awsSecretAccessKey);
  });

  test('an empty prefix fails the connection test, naming the bucket and the prefix fields, before anything is written', async () => {
    await seedLake(server, []);
    server.requests.length = 0;
    await expect(runDbt(server, s3Source('nothing-here/'), { registry: registry({ descriptor: s3Plugin, name: '@om/datalake-s3' }) })).rejects.toThrow(
      `Connection test failed for source dbt (list one page of s3://${ARTIFACTS}/nothing-here/): source.sourceConfig.config.dbtConfigSource.dbtPrefixConfig: nothing under s3://${ARTIFACTS}/nothing-here/: no manifest.json can be there. Nothing was written.`,
    );
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('the credentials are validated by @om/dbt', async () => {
    await expect(
      runDbt(server, s3Source('dbt/', { dbtSecurityConfig: { awsRegion: 'us-east-1', awsSecretKey: 'x' } }), { registry: registry({ descriptor: s3Plugin, name: '@om/datalake-s3' }) }),
    ).rejects.toThrow(/dbtSecurityConfig\.awsSecretKey: unknown key "awsSecretKey"/);
  });
});
