/**
 * Incremental runs (issue 17, part 6): with a state, a re-run of an unchanged bucket lists it and reads
 * no object and sends no table; changed objects (a file, a file of a partitioned folder, a Delta commit)
 * are read again and only they; a removed object is still soft-deleted once, because unchanged tables
 * stay known to mark-deleted. Sharded: each shard keeps its own state and finalize merges them.
 * S3 (fauxqs) behind a logging proxy that counts object reads, into the OpenMetadata API test server
 * on the oldest and the newest supported version.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { finalizeShardRun, planWorkflowShards, shardReportOf, silentLogger, Workflow, type Logger, type ShardReport } from '@om/core';
import { plugin as datalake } from '@om/datalake';
import { plugin as s3 } from '@om/datalake-s3';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { deltaTable } from '../../packages/datalake/src/test-support/lakehouse';
import { adminClient, createBucket, s3ConfigSource, s3Endpoint } from '../../plugins/datalake-s3/src/testing/helpers';
import { FaultProxy } from '../cloud/fault-proxy';
import { registryOf } from '../helpers/workflow';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';

const TOKEN = 'incremental-bot-token';
const csv = (col: string) => Buffer.from(`${col},n\na,1\nb,2\n`);

async function lakeFiles(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>([
    ['top.csv', csv('top')],
    ['a/one.csv', csv('a1')],
    ['a/two.csv', csv('a2')],
    ['b/one.csv', csv('b1')],
    ['events/year=2024/part-0.csv', csv('e')],
    ['events/year=2025/part-0.csv', csv('e')],
  ]);
  for (const [key, bytes] of await deltaTable({ upTo: 3 })) files.set(`orders/${key}`, bytes);
  return files;
}

const registry = () => registryOf({ '@om/datalake': datalake, '@om/datalake-s3': s3, '@om/openmetadata': openMetadataPlugin });

/** Counts the INFO lines about the state (one per run). */
function stateLines(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: { ...silentLogger, info: (m: string) => void (m.startsWith('Incremental state') && lines.push(m)) } };
}

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  let server: OmApiServer;
  let proxy: FaultProxy;
  let client: S3Client;
  let bucket: string;
  let dir: string;
  let n = 0;

  beforeAll(async () => {
    client = adminClient();
    proxy = new FaultProxy(s3Endpoint());
    await proxy.start();
  });
  afterAll(async () => {
    client.destroy();
    await proxy.stop();
  });
  beforeEach(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    bucket = `incr-${process.pid}-${version.replace(/\./g, '')}-${n++}`;
    await createBucket(client, bucket, Object.fromEntries(await lakeFiles()));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-incremental-'));
  });
  afterEach(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const config = () => ({
    source: {
      type: 'datalake',
      serviceName: 'incremental_lake',
      serviceConnection: { config: { type: 'Datalake', configSource: s3ConfigSource(proxy.endpoint), bucketName: bucket } },
      sourceConfig: { config: { type: 'DatabaseMetadata', markDeletedTables: true, partitionedTables: true } },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: { openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
  });

  /** Object reads (GET or HEAD of a key) through the proxy since `from`; listings are `GET /bucket?list-type=2`. */
  const reads = (from: number) =>
    proxy.log
      .slice(from)
      .filter((r) => (r.method === 'GET' || r.method === 'HEAD') && !r.url.includes('list-type') && r.url.split('?')[0].split('/').length > 2)
      .map((r) => decodeURIComponent(r.url.split('?')[0].slice(bucket.length + 2)));
  const tablePuts = () => server.requests.filter((r) => r.method === 'PUT' && r.path === '/api/v1/tables').length;
  const live = () => server.store.all('table').filter((t) => !t.deleted).map((t) => t.name).sort();
  const deleted = () => server.store.all('table').filter((t) => t.deleted).map((t) => t.name).sort();

  async function ingest(state: string, shard?: { index: number; of: number; ranges: never[] }) {
    const from = proxy.log.length;
    server.requests.length = 0;
    const log = stateLines();
    const wf = await Workflow.create(config(), { registry: registry(), logger: log.logger, state, ...(shard ? { shard } : {}) });
    await wf.execute();
    await wf.stop();
    return { wf, reads: [...new Set(reads(from))].sort(), puts: tablePuts(), lines: log.lines, sink: wf.summary().steps.find((s) => s.step.startsWith('Sink'))! };
  }

  it('an unchanged re-run reads no object and sends no table; only changed objects are read; a removed one is soft-deleted once', async () => {
    const state = path.join(dir, 'state.json');
    const first = await ingest(state);
    expect(first.wf.summary().state).toBe('success');
    expect(first.lines[0]).toBe(`Incremental state ${state}: no state yet; a full run (every table is read), the state is written at the end`);
    expect(live()).toEqual(['a/one.csv', 'a/two.csv', 'b/one.csv', 'events', 'orders', 'top.csv']);
    expect(first.puts).toBe(6);

    const again = await ingest(state);
    expect(again.wf.summary().state).toBe('success');
    expect(again.reads).toEqual([]);
    expect(again.puts).toBe(0);
    expect(again.lines).toEqual([
      `Incremental state ${state}: 6 table(s) known; only new or changed tables are read`,
      `Incremental state: 0 table(s) new or changed (read), 6 unchanged (not read); written to ${state}`,
    ]);
    expect(deleted()).toEqual([]);

    // One file changed, one file of the partitioned folder added, a Delta commit, one file removed.
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/one.csv', Body: csv('changed') }));
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'events/year=2026/part-0.csv', Body: csv('e') }));
    const v4 = (await deltaTable()).get('_delta_log/00000000000000000004.json')!;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'orders/_delta_log/00000000000000000004.json', Body: v4 }));
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'b/one.csv' }));
    const changed = await ingest(state);
    expect(changed.wf.summary().state).toBe('success');
    expect(changed.puts).toBe(3);
    // The changed file, the partitioned folder's newest file, and the Delta log from its checkpoint on.
    expect(changed.reads.filter((k) => !k.startsWith('orders/'))).toEqual(['a/one.csv', 'events/year=2026/part-0.csv']);
    expect(changed.reads.some((k) => k.startsWith('orders/_delta_log/'))).toBe(true);
    expect((server.store.all('table').find((t) => t.name === 'a/one.csv')!.body.columns as { name: string }[]).map((c) => c.name)).toEqual(['changed', 'n']);
    expect(deleted()).toEqual(['b/one.csv']);
    expect(live()).toEqual(['a/one.csv', 'a/two.csv', 'events', 'orders', 'top.csv']);

    const last = await ingest(state);
    expect([last.reads, last.puts, deleted()]).toEqual([[], 0, ['b/one.csv']]);
    expect(server.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  });

  it('a corrupt or foreign state means a full run with the same catalog', async () => {
    const state = path.join(dir, 'state.json');
    await ingest(state);
    fs.writeFileSync(state, fs.readFileSync(state, 'utf8').slice(0, 40));
    const torn = await ingest(state);
    expect(torn.lines[0]).toMatch(/is not valid JSON .*; a full run \(every table is read\)/);
    expect(torn.puts).toBe(6);
    const other = JSON.parse(fs.readFileSync(state, 'utf8')) as { configHash: string };
    fs.writeFileSync(state, JSON.stringify({ ...other, configHash: 'someoneelse' }));
    const foreign = await ingest(state);
    expect(foreign.lines[0]).toContain('was written for another config (hash someoneelse');
    expect([foreign.puts, foreign.wf.summary().state, deleted()]).toEqual([6, 'success', []]);
  });

  it('sharded: each shard keeps its own state, finalize merges them; the next shard runs read nothing', async () => {
    const state = path.join(dir, 'state.json');
    const plan = await planWorkflowShards(config(), 2, { registry: registry(), logger: silentLogger });
    const round = async () => {
      const reports: { file: string; report: ShardReport }[] = [];
      const out = { reads: [] as string[], puts: 0 };
      for (let index = 0; index < 2; index++) {
        const shard = { index, of: 2, ranges: plan.shards[index] as never[] };
        const r = await ingest(state, shard);
        out.reads.push(...r.reads);
        out.puts += r.puts;
        reports.push({ file: `shard-${index}.json`, report: JSON.parse(JSON.stringify(shardReportOf(r.wf, shard, plan))) as ShardReport });
      }
      const result = await finalizeShardRun(config(), reports, { registry: registry(), logger: silentLogger, state });
      return { ...out, result };
    };
    const first = await round();
    expect(first.puts).toBe(6);
    expect(first.result.incremental).toEqual({ file: state, tables: 6, mergedShards: [0, 1] });
    expect(fs.readdirSync(dir)).toEqual(['state.json']);

    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'top.csv' }));
    const second = await round();
    expect([second.reads, second.puts]).toEqual([[], 0]);
    expect(second.result.state).toBe('success');
    expect(deleted()).toEqual(['top.csv']);
    expect(second.result.incremental!.tables).toBe(5);
  });
});
