/**
 * One metadata run split into shards (issue 17): the plan cuts buckets at their top-level folders, each
 * shard run writes only its ranges and deletes nothing, and finalize marks deleted once, only in the
 * schemas every shard listed completely. On the local store and on S3 (fauxqs: StartAfter and delimiter
 * listings), into the OpenMetadata API test server on the oldest and the newest supported version.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { finalizeShardRun, planWorkflowShards, shardReportOf, silentLogger, Workflow, type ShardPlan, type ShardReport } from '@om/core';
import { plugin as datalake } from '@om/datalake';
import { plugin as s3 } from '@om/datalake-s3';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { profilerPlugin } from '@om/profiler';
import { registryOf } from '../helpers/workflow';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';

const TOKEN = 'shard-bot-token';
const KEYS = { awsAccessKeyId: 'AKIDSHARDS', awsSecretAccessKey: 'shards-secret' };
const csv = (col: string) => `${col},n\na,1\nb,2\n`;
// Two buckets; `raw` has loose files and four folders, so a 3-shard plan cuts it.
const FILES: Record<string, Record<string, string>> = {
  raw: {
    'top.csv': csv('top'),
    'a/one.csv': csv('a1'),
    'a/two.csv': csv('a2'),
    'b/one.csv': csv('b1'),
    'c/one.csv': csv('c1'),
    'd/one.csv': csv('d1'),
  },
  curated: { 'x/one.csv': csv('x1') },
};
const ALL_TABLES = ['a/one.csv', 'a/two.csv', 'b/one.csv', 'c/one.csv', 'd/one.csv', 'top.csv', 'x/one.csv'];

const registry = () => registryOf({ '@om/datalake': datalake, '@om/datalake-s3': s3, '@om/openmetadata': openMetadataPlugin, '@om/profiler': profilerPlugin });

interface Lake {
  configSource: Record<string, unknown>;
  remove(bucket: string, key: string): Promise<void>;
}

function localLake(): Lake {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-shards-'));
  for (const [bucket, files] of Object.entries(FILES)) {
    for (const [key, text] of Object.entries(files)) {
      const file = path.join(root, bucket, key);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    }
  }
  return { configSource: { root }, remove: async (bucket, key) => fs.rmSync(path.join(root, bucket, key)) };
}

async function s3Lake(run: string): Promise<Lake> {
  const endpoint = process.env.OM_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('OM_TEST_S3_ENDPOINT is not set: run with OM_TEST_SERVERS=fauxqs (or unset)');
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: KEYS.awsAccessKeyId, secretAccessKey: KEYS.awsSecretAccessKey } });
  // Bucket names per run: every test starts from the full lake.
  const name = (bucket: string) => `shards-${run}-${bucket}`;
  for (const [bucket, files] of Object.entries(FILES)) {
    await client.send(new CreateBucketCommand({ Bucket: name(bucket) }));
    for (const [key, text] of Object.entries(files)) await client.send(new PutObjectCommand({ Bucket: name(bucket), Key: key, Body: text }));
  }
  return {
    configSource: { securityConfig: { ...KEYS, awsRegion: 'us-east-1', endPointURL: endpoint } },
    remove: async (bucket, key) => {
      await client.send(new DeleteObjectCommand({ Bucket: name(bucket), Key: key }));
    },
  };
}

function config(server: OmApiServer, lake: Lake, prefixOfBuckets = '') {
  return {
    source: {
      type: 'datalake',
      serviceName: 'sharded_lake',
      serviceConnection: { config: { type: 'Datalake', configSource: lake.configSource, bucketName: '', prefix: '' } },
      sourceConfig: {
        config: {
          type: 'DatabaseMetadata',
          markDeletedTables: true,
          // On S3 the emulator holds every test's buckets: keep this test's only.
          ...(prefixOfBuckets ? { schemaFilterPattern: { includes: [`^${prefixOfBuckets}`] } } : {}),
        },
      },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: { openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
  };
}

/** Runs the given shards of the plan, as separate workflows (as separate pods would), and returns their reports. */
async function runShards(cfg: Record<string, unknown>, plan: ShardPlan, indexes: number[]): Promise<{ file: string; report: ShardReport }[]> {
  const reports: { file: string; report: ShardReport }[] = [];
  for (const index of indexes) {
    const shard = { index, of: plan.shards.length, ranges: plan.shards[index] };
    const wf = await Workflow.create(cfg, { registry: registry(), logger: silentLogger, shard });
    await wf.execute();
    await wf.stop();
    // A report goes through JSON, as it does between pods.
    reports.push({ file: `shard-${index}.json`, report: JSON.parse(JSON.stringify(shardReportOf(wf, shard, plan))) as ShardReport });
  }
  return reports;
}

const tableName = (fqn: string) => fqn.split('.').slice(3).join('.').replace(/^"|"$/g, '');

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  let server: OmApiServer;
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
  });
  afterEach(async () => {
    await server.close();
  });
  const live = () => server.store.all('table').filter((t) => !t.deleted).map((t) => tableName(t.fullyQualifiedName)).sort();
  const deleted = () => server.store.all('table').filter((t) => t.deleted).map((t) => tableName(t.fullyQualifiedName)).sort();

  it.each([
    ['local', async () => ({ lake: localLake(), prefix: '' })],
    ['S3', async () => {
      const run = `${version.replace(/\./g, '')}${Date.now().toString(36)}`;
      return { lake: await s3Lake(run), prefix: `shards-${run}-` };
    }],
  ])('%s: shards write every table once, and finalize alone marks deleted', async (_where, makeLake) => {
    const { lake, prefix } = await makeLake();
    const cfg = config(server, lake, prefix);
    const plan = await planWorkflowShards(cfg, 3, { registry: registry(), logger: silentLogger });
    expect(plan.shards).toHaveLength(3);
    // `raw` is cut at folder boundaries: no shard range starts or ends inside a folder.
    const bounds = plan.shards.flat().flatMap((r) => [r.from, r.to]).filter((k): k is string => k !== undefined);
    expect(bounds.length).toBeGreaterThan(0);
    for (const b of bounds) expect(b).toMatch(/^[a-d]\/$/);

    let reports = await runShards(cfg, plan, [0, 1, 2]);
    expect(reports.map((r) => r.report.state)).toEqual(['success', 'success', 'success']);
    expect(live()).toEqual(ALL_TABLES);
    // Each table was written by exactly one shard.
    expect(server.requestsFor('PUT', '/tables').filter((r) => !r.path.includes('/tables/')).length).toBe(ALL_TABLES.length);
    let result = await finalizeShardRun(cfg, reports, { registry: registry(), logger: silentLogger });
    expect(result.state).toBe('success');
    expect(result.merged.missing).toEqual([]);
    expect(deleted()).toEqual([]);

    // A file goes away: the shards delete nothing, finalize deletes exactly it.
    await lake.remove('raw', 'b/one.csv');
    reports = await runShards(cfg, plan, [0, 1, 2]);
    expect(server.requestsFor('DELETE')).toEqual([]);
    expect(deleted()).toEqual([]);
    result = await finalizeShardRun(cfg, reports, { registry: registry(), logger: silentLogger });
    expect(result.state).toBe('success');
    expect(deleted()).toEqual(['b/one.csv']);

    // Another goes away but the shard holding it never reports: finalize names it and deletes nothing there.
    await lake.remove('raw', 'd/one.csv');
    const holder = plan.shards.findIndex((ranges) => ranges.some((r) => r.schema.endsWith('raw') && (r.from ?? '') <= 'd/' && (r.to === undefined || r.to > 'd/')));
    reports = await runShards(cfg, plan, [0, 1, 2].filter((i) => i !== holder));
    result = await finalizeShardRun(cfg, reports, { registry: registry(), logger: silentLogger });
    expect(result.state).toBe('failed');
    expect(result.merged.missing).toEqual([holder]);
    expect(result.merged.schemas.find((s) => s.fqn.endsWith('raw'))?.blockedBy.join()).toContain(`shard ${holder}`);
    expect(deleted()).toEqual(['b/one.csv']);
    expect(live()).toContain('d/one.csv');
  });

  it('a Profiler run shards the same way: every table profiled once, by the shard holding its key', async () => {
    const lake = localLake();
    const cfg = config(server, lake);
    await runShards(cfg, await planWorkflowShards(cfg, 3, { registry: registry(), logger: silentLogger }), [0, 1, 2]);
    const profilerCfg = {
      ...cfg,
      source: { ...cfg.source, sourceConfig: { config: { type: 'Profiler', generateSampleData: false } } },
      processor: { type: 'orm-profiler', config: {} },
    };
    const plan = await planWorkflowShards(profilerCfg, 3, { registry: registry(), logger: silentLogger });
    const reports = await runShards(profilerCfg, plan, [0, 1, 2]);
    expect(reports.map((r) => r.report.state)).toEqual(['success', 'success', 'success']);
    const profiles = server.requestsFor('PUT', '/tableProfile');
    expect(profiles).toHaveLength(ALL_TABLES.length);
    expect(new Set(profiles.map((r) => r.path)).size).toBe(ALL_TABLES.length);
    // Each shard profiled only its own tables.
    const perShard = reports.map((r) => r.report.steps.find((s) => s.step.startsWith('Processor'))?.records ?? 0);
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(ALL_TABLES.length);
    const result = await finalizeShardRun(profilerCfg, reports, { registry: registry(), logger: silentLogger });
    expect(result.state).toBe('success');
    expect(deleted()).toEqual([]);
  });

  it('refuses the reports of another config', async () => {
    const lake = localLake();
    const cfg = config(server, lake);
    const plan = await planWorkflowShards(cfg, 2, { registry: registry(), logger: silentLogger });
    const reports = await runShards(cfg, plan, [0, 1]);
    const other = config(server, { ...lake, configSource: { root: path.join(String(lake.configSource.root), 'raw') } });
    await expect(finalizeShardRun(other, reports, { registry: registry(), logger: silentLogger })).rejects.toThrow(/report of another config/);
    expect(deleted()).toEqual([]);
  });
});
