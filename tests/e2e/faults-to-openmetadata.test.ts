/**
 * Faults between om-ingest and OpenMetadata, and between om-ingest and storage, seen from the
 * catalog (issue 21): the fault proxy answers table PUTs with HTML pages, and S3 answers a read with
 * an empty 200 body. No table may be counted as written when it was not, and no read fault may let
 * mark-deleted remove a table.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as datalakePlugin } from '@om/datalake';
import { plugin as s3Plugin } from '@om/datalake-s3';
import { plugin as openMetadataPlugin } from '@om/openmetadata';
import { FaultProxy, type ProxiedRequest } from '../cloud/fault-proxy';
import { startOmApiServer, type OmApiServer } from '../om-api-server';
import { REPO_ROOT } from '../helpers/user-project';

const TOKEN = 'faults-e2e-bot-token';
const KEYS = { awsAccessKeyId: 'AKIDE2EFAULTS', awsSecretAccessKey: 'e2e-fault-secret-never-printed' };

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(datalakePlugin, '@om/datalake');
  r.addDescriptor(s3Plugin, '@om/datalake-s3');
  r.addDescriptor(openMetadataPlugin, '@om/openmetadata');
  return r;
}

function sinkAndServer(hostPort: string) {
  return {
    sink: { type: 'metadata-rest', config: { retry: { baseDelayMs: 1, maxDelayMs: 5 } } },
    workflowConfig: { openMetadataServerConfig: { hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
  };
}

async function run(config: Record<string, unknown>) {
  const wf = await Workflow.create(config, { registry: registry(), logger: silentLogger });
  await wf.execute();
  await wf.stop();
  return wf;
}

const tablePut = (r: ProxiedRequest) => r.method === 'PUT' && r.url.split('?')[0] === '/api/v1/tables';
const tableName = (r: ProxiedRequest) => (JSON.parse(r.body) as { name: string }).name;
const HTML = { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>502 Bad Gateway (maintenance)</body></html>' };

describe('table PUTs answered with an HTML page (local lake → proxy → OpenMetadata)', () => {
  let server: OmApiServer;
  let proxy: FaultProxy;
  let root: string;

  beforeAll(async () => {
    server = await startOmApiServer({ token: TOKEN });
    proxy = new FaultProxy(server.url);
    await proxy.start();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-e2e-faults-'));
    fs.cpSync(path.join(REPO_ROOT, 'examples', 'datalake'), root, { recursive: true });
  });
  afterAll(async () => {
    await proxy.stop();
    await server.close();
  });

  it('every table is stored or counted as a failure: none is lost as a success', async () => {
    // Every other table's first PUT gets an HTML page; orders.csv gets one on every attempt.
    const seen = new Set<string>();
    let n = 0;
    proxy.fault((r) => {
      if (!tablePut(r)) return undefined;
      const name = tableName(r);
      if (name === 'orders.csv') return HTML;
      if (seen.has(name)) return undefined;
      seen.add(name);
      return n++ % 2 === 0 ? HTML : undefined;
    });
    const wf = await run({
      source: {
        type: 'datalake',
        serviceName: 'lake_html',
        serviceConnection: { config: { type: 'Datalake', configSource: { root } } },
        sourceConfig: { config: { type: 'DatabaseMetadata' } },
      },
      ...sinkAndServer(`${proxy.endpoint}/api`),
    });
    const sink = wf.summary().steps.find((s) => s.step.startsWith('Sink'))!;
    const sent = new Set(proxy.log.filter(tablePut).map(tableName));
    const stored = server.store.all('table').filter((t) => !t.deleted).map((t) => t.name);
    expect(sink.failureSamples.map((f) => f.name)).toEqual([expect.stringContaining('orders.csv')]);
    expect(sink.failureSamples[0].error).toMatch(/PUT \/tables → 200 with a text\/html body instead of the JSON the route returns/);
    expect(stored.sort()).toEqual([...sent].filter((t) => t !== 'orders.csv').sort());
    expect(proxy.injected.length).toBeGreaterThan(4);
    expect(wf.summary().state).not.toBe('success');
  });
});

describe('an empty 200 read does not let mark-deleted delete the table (S3 → OpenMetadata)', () => {
  const bucket = `e2e-faults-${process.pid}`;
  let server: OmApiServer;
  let s3proxy: FaultProxy;

  beforeAll(async () => {
    const endpoint = process.env.OM_TEST_S3_ENDPOINT;
    if (!endpoint) throw new Error('OM_TEST_S3_ENDPOINT is not set: run with OM_TEST_SERVERS=fauxqs (or unset)');
    const s3 = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: KEYS.awsAccessKeyId, secretAccessKey: KEYS.awsSecretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of ['orders.csv', 'customers.tsv', 'products.json']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: fs.readFileSync(path.join(REPO_ROOT, 'examples', 'datalake', 'sales', key)) }));
    }
    s3.destroy();
    server = await startOmApiServer({ token: TOKEN });
    s3proxy = new FaultProxy(endpoint);
    await s3proxy.start();
  });
  afterAll(async () => {
    await s3proxy.stop();
    await server.close();
  });

  const config = () => ({
    source: {
      type: 'datalake',
      serviceName: 'lake_s3_empty',
      serviceConnection: {
        config: {
          type: 'Datalake',
          bucketName: bucket,
          configSource: { securityConfig: { ...KEYS, awsRegion: 'us-east-1', endPointURL: s3proxy.endpoint } },
        },
      },
      sourceConfig: { config: { type: 'DatabaseMetadata', markDeletedTables: true } },
    },
    ...sinkAndServer(server.hostPort),
  });

  it('the table whose read came back empty stays in the catalog, and the run says why', async () => {
    const first = await run(config());
    expect(first.summary().state).toBe('success');
    const live = () => server.store.all('table').filter((t) => !t.deleted).map((t) => t.name).sort();
    expect(live()).toEqual(['customers.tsv', 'orders.csv', 'products.json']);

    s3proxy.fault((r) => (r.method === 'GET' && r.url.startsWith(`/${bucket}/orders.csv`) ? { status: 200, headers: { 'content-type': 'text/csv' }, body: '' } : undefined));
    const second = await run(config());
    expect(live()).toEqual(['customers.tsv', 'orders.csv', 'products.json']);
    const source = second.summary().steps[0];
    expect(source.failureSamples.map((f) => f.name)).toEqual([`${bucket}/orders.csv`]);
    expect(source.failureSamples[0].error).toMatch(/got 0 of the \d+ bytes asked for/);
    expect(second.summary().state).not.toBe('success');
  });
});
