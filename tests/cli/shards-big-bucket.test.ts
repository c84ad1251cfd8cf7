/**
 * Issue 17's acceptance run: a bucket of 20,000 objects ingested as 1 process and as 8 shard processes
 * (as Airflow's mapped tasks would run them) gives the same entities and the same table count; a shard
 * killed mid-run leaves no report, so finalize names it and deletes nothing; its re-run completes the
 * picture and finalize soft-deletes the removed object, once.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { localLakeToOmYaml } from '../helpers/lake-config';
import { createUserProject, writeFile, type UserProject } from '../helpers/user-project';
import { startOmApiServer, type OmApiServer } from '../om-api-server';

const TOKEN = 'big-bucket-token';
const FOLDERS = 40;
const PER_FOLDER = 500;
const SHARDS = 8;

let project: UserProject;

const configYaml = (server: OmApiServer) => localLakeToOmYaml(server, TOKEN, { serviceName: 'big_lake', bucketName: 'big' });

beforeAll(() => {
  project = createUserProject(['@om/datalake', '@om/openmetadata']);
  for (let f = 0; f < FOLDERS; f++) {
    const dir = path.join(project.dir, 'lake', 'big', `part-${String(f).padStart(3, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let i = 0; i < PER_FOLDER; i++) fs.writeFileSync(path.join(dir, `f${i}.csv`), `id,v${f % 7}\n${i},x\n`);
  }
}, 120_000);

/** Every table, live or soft-deleted, by FQN: the create request as last written (no ids in it). */
function tables(server: OmApiServer, live = true): Map<string, unknown> {
  return new Map(server.store.all('table').filter((t) => t.deleted !== live).map((t) => [t.fullyQualifiedName, t.body]));
}

const shardArgs = (i: number) => ['ingest', '-c', 'big.yaml', '--shard', `plan.json#${i}`, '--shard-report', `reports/shard-${i}.json`];

it('1 process and 8 shard processes: the same entities; a killed shard blocks deletes until its re-run', async () => {
  const single = await startOmApiServer({ token: TOKEN });
  const sharded = await startOmApiServer({ token: TOKEN });
  try {
    writeFile(project.dir, 'single.yaml', configYaml(single));
    const one = await project.runAsync(['ingest', '-c', 'single.yaml', '-o', 'json']);
    expect(one.status).toBe(0);
    expect(JSON.parse(one.stdout).steps[1]).toMatchObject({ step: 'Sink metadata-rest', errors: 0 });
    const expected = tables(single);
    expect(expected.size).toBe(FOLDERS * PER_FOLDER);

    writeFile(project.dir, 'big.yaml', configYaml(sharded));
    expect((await project.runAsync(['plan', '-c', 'big.yaml', '--shards', String(SHARDS), '--out', 'plan.json'])).status).toBe(0);
    const runs = await Promise.all([...Array(SHARDS).keys()].map((i) => project.runAsync(shardArgs(i))));
    expect(runs.map((r) => r.status)).toEqual(Array(SHARDS).fill(0));
    let finalize = await project.runAsync(['finalize', '-c', 'big.yaml', '--reports', 'reports', '-o', 'json']);
    expect(finalize.status).toBe(0);
    const merged = JSON.parse(finalize.stdout);
    expect(merged).toMatchObject({ state: 'success', missingShards: [] });
    const sinkStep = merged.steps.find((s: { step: string }) => s.step === 'Sink metadata-rest');
    // Service, database and schema are re-asserted by each shard; tables are written once.
    expect(sinkStep.records).toBe(FOLDERS * PER_FOLDER + 3 * SHARDS);
    expect(tables(sharded)).toEqual(expected);

    // An object goes away, and shard 5 is killed mid-run (SIGKILL: no report, no clean-up).
    fs.rmSync(path.join(project.dir, 'lake', 'big', 'part-001', 'f7.csv'));
    fs.rmSync(path.join(project.dir, 'reports'), { recursive: true });
    const others = await Promise.all([...Array(SHARDS).keys()].filter((i) => i !== 5).map((i) => project.runAsync(shardArgs(i))));
    expect(others.map((r) => r.status)).toEqual(Array(SHARDS - 1).fill(0));
    // The request log holds a bounded number of entries: start it afresh for the killed shard.
    sharded.requests.length = 0;
    const killed = spawn(process.execPath, [project.cli, ...shardArgs(5)], { cwd: project.dir, stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (sharded.requests.length >= 100) {
          clearInterval(poll);
          killed.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => killed.on('close', resolve));
    expect(fs.existsSync(path.join(project.dir, 'reports', 'shard-5.json'))).toBe(false);

    finalize = await project.runAsync(['finalize', '-c', 'big.yaml', '--reports', 'reports', '-o', 'json']);
    expect(finalize.status).toBe(1);
    expect(JSON.parse(finalize.stdout)).toMatchObject({ state: 'failed', missingShards: [5], markDeletedBlocked: [{ schema: 'big_lake.default.big', reasons: [expect.stringContaining('shard 5')] }] });
    expect(tables(sharded, false).size).toBe(0);

    expect((await project.runAsync(shardArgs(5))).status).toBe(0);
    finalize = await project.runAsync(['finalize', '-c', 'big.yaml', '--reports', 'reports', '-o', 'json']);
    expect(finalize.status).toBe(0);
    expect([...tables(sharded, false).keys()]).toEqual(['big_lake.default.big."part-001/f7.csv"']);
    expect(tables(sharded).size).toBe(FOLDERS * PER_FOLDER - 1);
    // Finalize again: nothing more to delete (each removed table is soft-deleted once).
    expect((await project.runAsync(['finalize', '-c', 'big.yaml', '--reports', 'reports'])).status).toBe(0);
    expect(sharded.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1);
  } finally {
    await single.close();
    await sharded.close();
  }
}, 600_000);
