/**
 * `metadata classify` (the AutoClassification workflow) end to end: a local lake, an S3 bucket
 * (fauxqs) and DynamoDB tables (dynalite) → orm-profiler → metadata-rest, into the strict
 * OpenMetadata API test server on every impersonated version. Sample data only with
 * storeSampleData; PII tags above confidence; nothing profiled.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as datalakePlugin } from '@om/datalake';
import { plugin as s3Plugin } from '@om/datalake-s3';
import { plugin as dynamoPlugin } from '@om/dynamodb';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { profilerPlugin } from '@om/profiler';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { adminClient as s3Admin, createBucket, s3ConfigSource, uniqueBucket } from '../../plugins/datalake-s3/src/testing/helpers';
import { adminClient as dynamoAdmin, createTable, keyedTable, putItems, TEST_KEYS as DDB_KEYS, uniquePrefix } from '../../plugins/dynamodb/src/testing/helpers';

const TOKEN = 'e2e-classify-token';
const PEOPLE_CSV = [
  'id,customer_email,phone,card_number,order_id,notes',
  ...Array.from({ length: 80 }, (_, i) => `${i},user${i}@example.com,+1 212 555 ${String(1000 + i)},4111 1111 1111 1111,${1234567890123450 + i},note ${i}`),
].join('\n');

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(datalakePlugin, '@om/datalake');
  r.addDescriptor(s3Plugin, '@om/datalake-s3');
  r.addDescriptor(dynamoPlugin, '@om/dynamodb');
  r.addDescriptor(openMetadataPlugin, '@om/openmetadata');
  r.addDescriptor(profilerPlugin, '@om/profiler');
  return r;
}

type StoredColumn = { name: string; tags?: { tagFQN: string; labelType?: string; state?: string }[] };

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  let server: OmApiServer;
  let root: string;
  const bucket = uniqueBucket('classify');
  const prefix = uniquePrefix('cls');

  const run = async (source: Record<string, unknown>, withProcessor = true) => {
    const wf = await Workflow.create(
      {
        source,
        ...(withProcessor ? { processor: { type: 'orm-profiler', config: {} } } : {}),
        sink: { type: 'metadata-rest', config: {} },
        workflowConfig: { loggerLevel: 'ERROR', openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
      },
      { registry: registry(), logger: silentLogger, env: {} },
    );
    try {
      await wf.execute();
    } finally {
      await wf.stop();
    }
    const summary = JSON.stringify(wf.summary());
    expect(summary).not.toContain(TOKEN);
    expect(summary).not.toContain(DDB_KEYS.awsSecretAccessKey);
    expect(wf.summary().steps.map((s) => s.failureSamples)).toEqual(wf.summary().steps.map(() => []));
    return wf;
  };
  const lake = (service: string, configSource: Record<string, unknown>, sourceConfig: Record<string, unknown>) => ({
    type: 'datalake',
    serviceName: service,
    serviceConnection: { config: { type: 'Datalake', configSource, bucketName: '', prefix: '' } },
    sourceConfig: { config: sourceConfig },
  });
  const dynamo = (sourceConfig: Record<string, unknown>) => ({
    type: 'dynamodb',
    serviceName: 'ddb',
    serviceConnection: { config: { type: 'DynamoDB', awsConfig: { ...DDB_KEYS, awsRegion: 'us-east-1', endPointURL: process.env.OM_TEST_DYNAMODB_ENDPOINT } } },
    sourceConfig: { config: sourceConfig },
  });
  const columns = (fqn: string) => server.store.getByName('table', fqn).body.columns as StoredColumn[];
  const autoTags = (fqn: string) =>
    Object.fromEntries(columns(fqn).flatMap((c) => (c.tags ?? []).filter((t) => t.labelType === 'Automated').map((t) => [c.name, t.tagFQN])));

  beforeAll(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-e2e-classify-'));
    fs.mkdirSync(path.join(root, 'crm'));
    fs.writeFileSync(path.join(root, 'crm', 'people.csv'), PEOPLE_CSV);
    const s3 = s3Admin();
    await createBucket(s3, bucket, { 'people.csv': PEOPLE_CSV });
    s3.destroy();
    const ddb = dynamoAdmin();
    await createTable(ddb, keyedTable(`${prefix}_users`, ['userId', 'S']));
    await putItems(
      ddb,
      `${prefix}_users`,
      Array.from({ length: 120 }, (_, i) => ({
        userId: { S: `u${i}` },
        email: { S: `person${i}@example.org` },
        ipAddress: { S: `10.0.${i % 256}.${(i * 7) % 250 + 1}` },
        visits: { N: String(i) },
        profile: { M: { city: { S: 'Oslo' } } },
      })),
    );
    ddb.destroy();
    // The metadata first, as OpenMetadata needs the tables before classifying them.
    await run(lake('local_lake', { root }, { type: 'DatabaseMetadata' }), false);
    await run(lake('s3_lake', s3ConfigSource(), { type: 'DatabaseMetadata', schemaFilterPattern: { includes: [bucket] } }), false);
    await run(dynamo({ type: 'DatabaseMetadata', tableFilterPattern: { includes: [`${prefix}.*`] } }), false);
  }, 60_000);
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('local lake: tags PII columns, stores no sample data by default, profiles nothing', async () => {
    const wf = await run(lake('local_lake', { root }, { type: 'AutoClassification', confidence: 80 }));
    expect(wf.summary().state).toBe('success');
    const fqn = 'local_lake.default.crm."people.csv"';
    expect(autoTags(fqn)).toEqual({ customer_email: 'PII.Sensitive', phone: 'PII.NonSensitive', card_number: 'PII.Sensitive' });
    expect(server.store.getByName('table', fqn).sampleData).toBeUndefined(); // storeSampleData defaults to false
    expect(server.store.getByName('table', fqn).profiles).toHaveLength(0);
  });

  it('S3 lake: storeSampleData sends sampleDataCount rows; enableAutoClassification: false tags nothing', async () => {
    const fqn = `s3_lake.default.${bucket}."people.csv"`;
    const wf = await run(lake('s3_lake', s3ConfigSource(), { type: 'AutoClassification', storeSampleData: true, enableAutoClassification: false, sampleDataCount: 10, schemaFilterPattern: { includes: [bucket] } }));
    expect(wf.summary().state).toBe('success');
    const sample = server.store.getByName('table', fqn).sampleData as { columns: string[]; rows: unknown[][] };
    expect(sample.columns).toEqual(['id', 'customer_email', 'phone', 'card_number', 'order_id', 'notes']);
    expect(sample.rows).toHaveLength(10);
    expect(sample.rows[0]).toEqual([0, 'user0@example.com', '+1 212 555 1000', '4111 1111 1111 1111', 1234567890123450, 'note 0']);
    expect(autoTags(fqn)).toEqual({});
    await run(lake('s3_lake', s3ConfigSource(), { type: 'AutoClassification', schemaFilterPattern: { includes: [bucket] } }));
    expect(autoTags(fqn)).toEqual({ customer_email: 'PII.Sensitive', phone: 'PII.NonSensitive', card_number: 'PII.Sensitive' });
  });

  it('DynamoDB: items sampled by one Scan with Limit = sampleDataCount; e-mail and IP columns tagged', async () => {
    const fqn = `ddb.default.default.${prefix}_users`;
    const wf = await run(dynamo({ type: 'AutoClassification', storeSampleData: true, sampleDataCount: 30, tableFilterPattern: { includes: [`${prefix}.*`] } }));
    expect(wf.summary().state).toBe('success');
    const sample = server.store.getByName('table', fqn).sampleData as { columns: string[]; rows: unknown[][] };
    // 120 items in the table, 30 read: the Scan's Limit (every item here is complete, none dropped).
    expect(sample.rows).toHaveLength(30);
    expect(sample.columns).toEqual(expect.arrayContaining(['userId', 'email', 'ipAddress', 'visits', 'profile']));
    // Nested values travel as JSON text.
    expect(sample.rows[0][sample.columns.indexOf('profile')]).toBe('{"city":"Oslo"}');
    expect(autoTags(fqn)).toEqual({ email: 'PII.Sensitive', ipAddress: 'PII.Sensitive' });
  });
});
