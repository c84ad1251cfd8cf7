/**
 * The sharded run as a scheduler drives it (issue 17): `metadata plan` writes the plan, each
 * `metadata ingest --shard plan.json#i` (one pod or mapped task each) writes its report, and
 * `metadata finalize` prints one summary and marks deleted once. Plus the usage errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localLakeToOmYaml } from '../helpers/lake-config';
import { createUserProject, writeFile, type UserProject } from '../helpers/user-project';
import { startOmApiServer, type OmApiServer } from '../om-api-server';

const TOKEN = 'shards-cli-token';
let project: UserProject;
let server: OmApiServer;

const configYaml = () => localLakeToOmYaml(server, TOKEN, { serviceName: 'sharded_cli' });

beforeAll(async () => {
  project = createUserProject(['@om/datalake', '@om/openmetadata']);
  server = await startOmApiServer({ token: TOKEN });
  for (const key of ['sales/orders.csv', 'sales/eu/returns.csv', 'sales/us/returns.csv', 'ops/jobs/runs.csv']) {
    writeFile(project.dir, path.join('lake', key), 'id,amount\n1,9.5\n');
  }
  writeFile(project.dir, 'shards.yaml', configYaml());
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const liveTables = () => server.store.all('table').filter((t) => !t.deleted).length;

it('plan, three shard runs at once and finalize: every table once, one summary, deletes only in finalize', async () => {
  const plan = await project.runAsync(['plan', '-c', 'shards.yaml', '--shards', '3', '--out', 'plan.json']);
  expect(plan.stderr).toContain('Plan of 3 shard(s) written to plan.json');
  expect(plan.status).toBe(0);
  const written = JSON.parse(fs.readFileSync(path.join(project.dir, 'plan.json'), 'utf8'));
  expect(written.shards).toHaveLength(3);

  // The shards run side by side, as mapped tasks or an indexed job's pods do.
  const runShards = () => Promise.all([0, 1, 2].map((i) => project.runAsync(['ingest', '-c', 'shards.yaml', '--shard', `plan.json#${i}`, '--shard-report', `reports/shard-${i}.json`])));
  const first = await runShards();
  first.forEach((shard, i) => {
    expect(shard.stderr).toContain(`Shard ${i} of 3: report written to reports/shard-${i}.json`);
    expect(shard.status).toBe(0);
  });
  expect(liveTables()).toBe(4);

  fs.rmSync(path.join(project.dir, 'lake', 'sales', 'us', 'returns.csv'));
  expect((await runShards()).map((r) => r.status)).toEqual([0, 0, 0]);
  expect(server.requests.filter((r) => r.method === 'DELETE')).toEqual([]);

  const finalize = await project.runAsync(['finalize', '-c', 'shards.yaml', '--reports', 'reports', '-o', 'json']);
  expect(finalize.status).toBe(0);
  const summary = JSON.parse(finalize.stdout);
  expect(summary).toMatchObject({ command: 'finalize', state: 'success', missingShards: [], markDeletedBlocked: [] });
  expect(server.store.all('table').filter((t) => t.deleted).map((t) => t.fullyQualifiedName)).toEqual(['sharded_cli.default.sales."us/returns.csv"']);
  expect(liveTables()).toBe(3);
});

it('a missing shard report fails finalize, names the shard and blocks its schemas', async () => {
  fs.rmSync(path.join(project.dir, 'reports', 'shard-1.json'));
  const finalize = await project.runAsync(['finalize', '-c', 'shards.yaml', '--reports', 'reports']);
  expect(finalize.status).toBe(1);
  expect(finalize.stdout).toContain('Missing shard report(s): 1');
  expect(finalize.stdout).toMatch(/mark-deleted blocked for \S+: .*shard 1/);
});

it('exits 2 with the fix for a bad --shard or a plan of another config', async () => {
  const bad = await project.runAsync(['ingest', '-c', 'shards.yaml', '--shard', 'three']);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain('give a shard as plan.json#INDEX or INDEX/COUNT');
  expect(bad.stderr).not.toMatch(/\n\s+at /);

  const beyond = await project.runAsync(['ingest', '-c', 'shards.yaml', '--shard', 'plan.json#7']);
  expect(beyond.status).toBe(2);
  expect(beyond.stderr).toContain('shard 7 does not exist: the plan has 3 shards');

  writeFile(project.dir, 'other.yaml', configYaml().replace('serviceName: sharded_cli', 'serviceName: other_service'));
  const otherPlan = await project.runAsync(['ingest', '-c', 'other.yaml', '--shard', 'plan.json#0']);
  expect(otherPlan.status).toBe(2);
  expect(otherPlan.stderr).toContain('plan.json was planned for another config');
});

it('ingest --state: a re-run sends no table; shards keep their own state and finalize --state merges it', async () => {
  const first = await project.runAsync(['ingest', '-c', 'shards.yaml', '--state', 'state/lake.json', '-l', 'INFO']);
  expect(first.status).toBe(0);
  expect(first.stderr).toContain('Incremental state: 3 table(s) new or changed (read), 0 unchanged (not read)');
  server.requests.length = 0;
  const again = await project.runAsync(['ingest', '-c', 'shards.yaml', '--state', 'state/lake.json', '-l', 'INFO']);
  expect(again.status).toBe(0);
  expect(again.stderr).toContain('Incremental state: 0 table(s) new or changed (read), 3 unchanged (not read)');
  expect(server.requests.filter((r) => r.method === 'PUT' && r.path === '/api/v1/tables')).toEqual([]);

  const shards = await Promise.all([0, 1, 2].map((i) => project.runAsync(['ingest', '-c', 'shards.yaml', '--shard', `plan.json#${i}`, '--shard-report', `reports/shard-${i}.json`, '--state', 'state/lake.json'])));
  expect(shards.map((r) => r.status)).toEqual([0, 0, 0]);
  expect(fs.readdirSync(path.join(project.dir, 'state')).sort()).toEqual(['lake.json', 'lake.json.shard-0-of-3', 'lake.json.shard-1-of-3', 'lake.json.shard-2-of-3']);
  const finalize = await project.runAsync(['finalize', '-c', 'shards.yaml', '--reports', 'reports', '--state', 'state/lake.json', '-o', 'json']);
  expect(finalize.status).toBe(0);
  expect(JSON.parse(finalize.stdout).incrementalState).toEqual({ file: path.join(project.dir, 'state', 'lake.json'), tables: 3, mergedShards: [0, 1, 2] });
  expect(fs.readdirSync(path.join(project.dir, 'state'))).toEqual(['lake.json']);
});

it('ingest --dry-run --state plans only the changed tables and leaves the state as it was', async () => {
  const file = path.join(project.dir, 'state', 'lake.json');
  const before = fs.readFileSync(file, 'utf8');
  writeFile(project.dir, path.join('lake', 'sales', 'orders.csv'), 'id,amount,currency\n1,9.5,EUR\n');
  const dry = await project.runAsync(['ingest', '-c', 'shards.yaml', '--state', 'state/lake.json', '--dry-run']);
  expect(dry.status).toBe(0);
  expect(dry.stdout.match(/\[dry run\] \S+ table \S+/g)).toEqual(['[dry run] update table sharded_cli.default.sales."orders.csv"']);
  expect(fs.readFileSync(file, 'utf8')).toBe(before);
});
