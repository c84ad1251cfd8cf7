/**
 * Faults between om-ingest and object storage, injected by tests/cloud/fault-proxy.ts in front of
 * the S3 emulator (fauxqs): bodies that break off, answers shorter than the listed size, listings
 * that die part-way. Each case once ended in a lost table, a table dropped as "empty", or a run
 * counted as a success (issue 21).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { adminClient, createBucket, s3Endpoint, TEST_KEYS as KEYS } from '../../plugins/datalake-s3/src/testing/helpers';
import { FaultProxy, type ProxiedRequest } from './fault-proxy';
import { datalakeSource, LAKE, runToFile, workflowConfig } from './helpers';

const BUCKET = `faults-${process.pid}`;

/** A CSV large enough to come in several chunks. */
const BIG_CSV = ['id,name,amount,when', ...Array.from({ length: 2000 }, (_, i) => `${i},name-${i},${i * 1.5},2024-01-${String((i % 28) + 1).padStart(2, '0')}`)].join('\n') + '\n';

const OBJECTS: Record<string, Buffer> = {
  'big.csv': Buffer.from(BIG_CSV),
  'orders.csv': fs.readFileSync(path.join(LAKE, 'sales', 'orders.csv')),
  'products.parquet': fs.readFileSync(path.join(LAKE, 'warehouse', 'products.parquet')),
  'returns.csv.gz': gzipSync(Buffer.from(BIG_CSV)),
};

let proxy: FaultProxy;

beforeAll(async () => {
  const s3 = adminClient();
  await createBucket(s3, BUCKET, OBJECTS);
  s3.destroy();
});

beforeEach(async () => {
  proxy = new FaultProxy(s3Endpoint());
  await proxy.start();
});
afterEach(async () => proxy.stop());

const source = (extra: Record<string, unknown> = {}) =>
  datalakeSource('lake_faults', { securityConfig: { ...KEYS, awsRegion: 'us-east-1', endPointURL: proxy.endpoint }, ...extra }, { bucketName: BUCKET });

const getOf = (key: string) => (r: ProxiedRequest) => r.method === 'GET' && r.url.split('?')[0] === `/${BUCKET}/${key}`;

type Table = { name: string; columns: { name: string; dataType: string }[] };
const tablesOf = (records: Record<string, unknown>[]) =>
  Object.fromEntries(records.filter((r) => Array.isArray(r.columns)).map((r) => [(r as Table).name, (r as Table).columns.map((c) => `${c.name}:${c.dataType}`)]));

test('a reset in the middle of a body is resumed: every table is read, with the same columns', async () => {
  const clean = await runToFile(workflowConfig(source()));
  expect(clean.workflow.source.status.failureSamples).toEqual([]);
  const expected = tablesOf(clean.records);
  expect(Object.keys(expected).sort()).toEqual(['big.csv', 'orders.csv', 'products.parquet', 'returns.csv.gz']);

  proxy.reset();
  // The first four GETs of objects break off after 100 bytes (status and headers already sent).
  let broken = 0;
  proxy.fault((r) => (r.method === 'GET' && r.url.startsWith(`/${BUCKET}/`) && !r.url.includes('list-type') && broken++ < 4 ? { resetAfterBytes: 100 } : undefined));
  const run = await runToFile(workflowConfig(source()));
  expect(run.workflow.source.status.failureSamples).toEqual([]);
  expect(proxy.injected.length).toBe(4);
  // Each body resumes after the 100 bytes it got, streamed or ranged (the Parquet footer).
  const again = proxy.log.filter((r) => !r.injected && !r.url.includes('list-type')).map((r) => `${r.url.split('?')[0]} ${r.headers.range ?? ''}`);
  expect(again.sort()).toEqual([
    `/${BUCKET}/big.csv bytes=100-${OBJECTS['big.csv'].length - 1}`,
    `/${BUCKET}/orders.csv bytes=100-${OBJECTS['orders.csv'].length - 1}`,
    `/${BUCKET}/products.parquet bytes=100-${OBJECTS['products.parquet'].length - 1}`,
    `/${BUCKET}/returns.csv.gz bytes=100-${OBJECTS['returns.csv.gz'].length - 1}`,
  ]);
  expect(tablesOf(run.records)).toEqual(expected);
});

test('a body that keeps breaking fails that file by name, without a stack; the other files are read', async () => {
  // The first answer breaks off after 100 bytes; every resume is then reset before its status line.
  proxy.fault((r, seen) => (getOf('big.csv')(r) ? (seen === 0 ? { resetAfterBytes: 100 } : { drop: true }) : undefined));
  const run = await runToFile(workflowConfig(source({ maxAttempts: 1 })));
  const failures = run.workflow.source.status.failureSamples;
  expect(failures).toHaveLength(1);
  expect(failures[0].name).toBe(`${BUCKET}/big.csv`);
  expect(failures[0].error).toMatch(new RegExp(`s3://${BUCKET}/big.csv: got 100 of the \\d+ bytes asked for .*then the read failed: .*connection was reset.* \\(4 attempts\\); the file was not read, so its table is left as it is`));
  expect(failures[0].stackTrace).toBeUndefined();
  expect(Object.keys(tablesOf(run.records)).sort()).toEqual(['orders.csv', 'products.parquet', 'returns.csv.gz']);
  expect(run.logs.join('\n')).not.toContain(KEYS.awsSecretAccessKey);
});

test('an empty 200 answer for a non-empty object is a failure naming the listed size, never "the file is empty"', async () => {
  proxy.fault((r) => (getOf('orders.csv')(r) || getOf('products.parquet')(r) ? { status: 200, headers: { 'content-type': 'text/csv' }, body: '' } : undefined));
  const run = await runToFile(workflowConfig(source()));
  const status = run.workflow.source.status;
  expect(status.warningSamples.map((w) => w.reason).join('\n')).not.toMatch(/empty/);
  expect(status.failureSamples.map((f) => f.name).sort()).toEqual([`${BUCKET}/orders.csv`, `${BUCKET}/products.parquet`]);
  for (const f of status.failureSamples) expect(f.error).toMatch(/got 0 of the \d+ bytes asked for .*listed size \d+\), then the answer held no bytes/);
  // A failed run: the metadata-rest sink's mark-deleted never runs after one.
  expect(run.workflow.resultStatus()).toBe(1);
  expect(Object.keys(tablesOf(run.records)).sort()).toEqual(['big.csv', 'returns.csv.gz']);
});

test('a listing that dies after its first page fails the run in proportion, and says so', async () => {
  // The first page is cut to two objects with a continuation token; the next page fails on every attempt.
  const firstPage = (body: string) => {
    const contents = body.match(/<Contents>[\s\S]*?<\/Contents>/g) ?? [];
    const head = body.slice(0, body.indexOf('<Contents>'));
    const truncated = head.replace(/<IsTruncated>false<\/IsTruncated>/, '<IsTruncated>true</IsTruncated><NextContinuationToken>page-2</NextContinuationToken>');
    return `${truncated}${contents.slice(0, 2).join('')}</ListBucketResult>`;
  };
  proxy.rewrite((r, body) => (r.url.includes('list-type=2') && !r.url.includes('continuation-token') ? firstPage(body) : undefined));
  proxy.fault((r) =>
    r.url.includes('continuation-token=page-2')
      ? { status: 500, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' }
      : undefined,
  );
  const run = await runToFile(workflowConfig(source({ maxAttempts: 1 })));
  const status = run.workflow.source.status;
  expect(Object.keys(tablesOf(run.records)).sort()).toEqual(['big.csv', 'orders.csv']);
  expect(status.failureSamples).toEqual([
    {
      name: BUCKET,
      error: expect.stringMatching(
        new RegExp(`^the listing of bucket "${BUCKET}" failed after 2 object\\(s\\): the rest of the bucket was not seen, so it counts as 2 failed table\\(s\\) .*no table of this bucket is marked deleted: S3 ListObjectsV2 on bucket "${BUCKET}" failed`),
      ),
    },
  ]);
  expect(status.errors).toBe(2);
  expect(run.workflow.summary().state).toBe('failed');
  expect(run.records.find((r) => r.kind === 'schemaDone')).toBeUndefined();
});

test('a bucket listing that dies after its first page fails the run in proportion, and says so', async () => {
  // The first ListBuckets page holds only this test's bucket and a continuation token; the next page fails.
  proxy.rewrite((r, body) => {
    if (!(r.method === 'GET' && r.url.split('?')[0] === '/' && !r.url.includes('continuation-token'))) return undefined;
    const ours = (body.match(/<Bucket>[\s\S]*?<\/Bucket>/g) ?? []).filter((b) => b.includes(`<Name>${BUCKET}</Name>`));
    return body.replace(/<Buckets>[\s\S]*<\/Buckets>/, `<Buckets>${ours.join('')}</Buckets><ContinuationToken>page-2</ContinuationToken>`);
  });
  proxy.fault((r) =>
    r.method === 'GET' && r.url.split('?')[0] === '/' && r.url.includes('continuation-token')
      ? { status: 500, headers: { 'content-type': 'application/xml' }, body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>' }
      : undefined,
  );
  const all = datalakeSource('lake_faults_buckets', { securityConfig: { ...KEYS, awsRegion: 'us-east-1', endPointURL: proxy.endpoint }, maxAttempts: 1 }, {}, [BUCKET]);
  const run = await runToFile(workflowConfig(all));
  const status = run.workflow.source.status;
  expect(Object.keys(tablesOf(run.records)).sort()).toEqual(['big.csv', 'orders.csv', 'products.parquet', 'returns.csv.gz']);
  expect(status.failureSamples).toEqual([
    {
      name: 'Bucket',
      error: expect.stringMatching(/^the bucket listing of s3 storage failed after 1 bucket\(s\): the other buckets were not seen, so it counts as 4 failed table\(s\)/),
    },
  ]);
  expect(status.errors).toBe(4);
  expect(run.workflow.summary().state).toBe('failed');
});
