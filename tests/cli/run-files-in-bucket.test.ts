/**
 * Pods that share no volume keep the run files in the bucket (issue 17): the plan, the shard reports and
 * the incremental state at s3:// URLs, read and written with the source's own connection. Under a
 * hidden folder (`.om-ingest/`) they are never ingested as tables.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { adminClient, createBucket, s3Endpoint, TEST_KEYS } from '../../plugins/datalake-s3/src/testing/helpers';
import { localLakeToOmYaml } from '../helpers/lake-config';
import { createUserProject, writeFile, type UserProject } from '../helpers/user-project';
import { startOmApiServer, type OmApiServer } from '../om-api-server';

const TOKEN = 'run-files-token';
const BUCKET = `run-files-${process.pid}`;
const DATA = ['a/one.csv', 'a/two.csv', 'b/one.csv', 'c/one.csv', 'top.csv'];
const AT = `s3://${BUCKET}/.om-ingest`;

let project: UserProject;
let server: OmApiServer;
let s3: S3Client;

const config = (configSource: string) => localLakeToOmYaml(server, TOKEN, { serviceName: 'bucket_files', bucketName: BUCKET, configSource });

beforeAll(async () => {
  project = createUserProject(['@om/datalake', '@om/datalake-s3', '@om/openmetadata']);
  server = await startOmApiServer({ token: TOKEN });
  s3 = adminClient();
  await createBucket(s3, BUCKET, Object.fromEntries(DATA.map((key) => [key, 'id,amount\n1,9.5\n'])));
  const securityConfig = `        securityConfig:\n          awsAccessKeyId: ${TEST_KEYS.awsAccessKeyId}\n          awsSecretAccessKey: ${TEST_KEYS.awsSecretAccessKey}\n          awsRegion: us-east-1\n          endPointURL: ${s3Endpoint()}`;
  writeFile(project.dir, 's3.yaml', config(securityConfig));
  writeFile(project.dir, 'local.yaml', config('        root: lake'));
  writeFile(project.dir, `lake/${BUCKET}/x.csv`, 'id\n1\n');
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await server?.close();
});

const runFiles = async () =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: '.om-ingest/' }))).Contents ?? []).map((o) => o.Key!.slice('.om-ingest/'.length)).sort();
const tablePuts = () => server.requests.filter((r) => r.method === 'PUT' && r.path === '/api/v1/tables').length;

it('plan, shard reports and incremental state in the bucket: finalize reads and merges them there', async () => {
  const plan = await project.runAsync(['plan', '-c', 's3.yaml', '--shards', '2', '--out', `${AT}/plan.json`]);
  expect(plan.status).toBe(0);
  const shardRun = (i: number) =>
    project.runAsync(['ingest', '-c', 's3.yaml', '--shard', `${AT}/plan.json#${i}`, '--shard-report', `${AT}/reports/shard-${i}.json`, '--state', `${AT}/state.json`]);
  const first = await Promise.all([shardRun(0), shardRun(1)]);
  expect(first.map((r) => [r.status, r.stderr.match(/report written to \S+/)?.[0]])).toEqual([
    [0, `report written to ${AT}/reports/shard-0.json`],
    [0, `report written to ${AT}/reports/shard-1.json`],
  ]);
  // The run files are hidden objects: not tables.
  expect(server.store.all('table').map((t) => t.name).sort()).toEqual(DATA);
  expect(await runFiles()).toEqual(['plan.json', 'reports/shard-0.json', 'reports/shard-1.json', 'state.json.shard-0-of-2', 'state.json.shard-1-of-2']);

  const finalize = await project.runAsync(['finalize', '-c', 's3.yaml', '--reports', `${AT}/reports`, '--state', `${AT}/state.json`, '-o', 'json']);
  expect(finalize.status).toBe(0);
  expect(JSON.parse(finalize.stdout)).toMatchObject({ state: 'success', missingShards: [], incrementalState: { file: `${AT}/state.json`, tables: 5, mergedShards: [0, 1] } });
  expect(await runFiles()).toEqual(['plan.json', 'reports/shard-0.json', 'reports/shard-1.json', 'state.json']);

  server.requests.length = 0;
  expect((await Promise.all([shardRun(0), shardRun(1)])).map((r) => r.status)).toEqual([0, 0]);
  expect(tablePuts()).toBe(0);
});

it('an s3:// run file with a source of another store exits 2 naming the option', async () => {
  const refused = await project.runAsync(['ingest', '-c', 'local.yaml', '--state', `${AT}/state.json`]);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain(`--state: ${AT}/state.json: run files at s3:// need a source whose store is s3`);
  expect(refused.stderr).not.toMatch(/\n\s+at /);
});
