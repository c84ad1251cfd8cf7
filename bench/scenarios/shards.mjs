// Scenario 7: one bucket ingested by 1, 2 and 4 shard processes (`metadata plan` → `ingest --shard` in
// parallel → `finalize`), as Airflow's mapped tasks or an Indexed Job run them; with a projection to
// 10 million objects from the measured per-shard rate.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA, ROOT, now, round } from '../lib/env.mjs';
import { countTables } from '../lib/ingest.mjs';
import * as s3 from '../lib/s3.mjs';
import { startCountingProxy, track } from '../lib/servers.mjs';
import { mixedBucket } from './bucket.mjs';

const CLI = path.join(ROOT, 'packages', 'cli', 'dist', 'bin.js');
const PROJECTED_OBJECTS = 10_000_000;

function cli(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(process.execPath, ['--no-warnings', CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out = (out + d).slice(-200000)));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`metadata ${args.join(' ')} exited ${code}: ${err.trim().slice(-1500)}`))));
  });
}

/** The config of one shard process: the same source (so the same plan), a file sink of its own. */
function writeConfig(dir, name, endpoint, bucket, out) {
  const file = path.join(dir, `${name}.json`);
  const config = {
    source: {
      type: 'datalake',
      serviceName: 'bench_shards',
      serviceConnection: { config: { type: 'Datalake', configSource: s3.configSource(endpoint), bucketName: bucket } },
      sourceConfig: { config: { type: 'DatabaseMetadata' } },
    },
    sink: { type: 'file', config: { filename: out, format: 'jsonl' } },
    workflowConfig: { loggerLevel: 'WARN' },
  };
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

const RTT_MS = 10;

export async function shardScaleOut(ctx) {
  const count = ctx.quick ? 4000 : 100000;
  const bucket = await mixedBucket(ctx, count);
  const runs = await shardRuns(ctx, ctx.fauxqs.endpoint, bucket, count);
  // The same with a 10 ms round trip per request (a network, as against real S3), on a smaller bucket.
  const rttCount = ctx.quick ? 4000 : 10000;
  const rttBucket = await mixedBucket(ctx, rttCount);
  const slow = await startCountingProxy(ctx.fauxqs.port, { latencyMs: RTT_MS });
  let rttRuns;
  try {
    rttRuns = await shardRuns(ctx, slow.endpoint, rttBucket, rttCount);
  } finally {
    await slow.close();
  }
  const one = runs[0].wallMs;
  const best = runs[runs.length - 1];
  // Projection for shards on separate machines: each keeps the rate of one uncontended shard.
  const rate = runs[0].objectsPerSecondPerShard;
  const rttRate = rttRuns[0].objectsPerSecondPerShard;
  const projection = [1, 16, 64].map((shards) => ({ shards, hours: round(PROJECTED_OBJECTS / shards / rate / 3600, 2), hoursWithRoundTrip: round(PROJECTED_OBJECTS / shards / rttRate / 3600, 2) }));
  const line = (rs) => rs.map((r) => `${r.shards}: ${round(r.wallMs / 1000, 1)} s (${r.speedup}×)`).join(', ');
  return {
    id: 'shard-scale-out',
    title: `Ingest a bucket of ${count.toLocaleString('en-US')} objects with 1, 2 and 4 shard processes (S3, fauxqs; plan → ingest --shard → finalize)`,
    goal: 'wall time falls with the shard count while cores or round trips allow; every object once',
    figures: { objects: count, runs, withRoundTrip: { addedMsPerRequest: RTT_MS, objects: rttCount, runs: rttRuns }, projection, perShardRate: rate, perShardRateWithRoundTrip: rttRate },
    ratio: { label: '1-shard wall time / 4-shard wall time (loopback)', value: one / best.wallMs },
    headline: `loopback, shards ${line(runs)}; with ${RTT_MS} ms per request (${rttCount.toLocaleString('en-US')} objects) ${line(rttRuns)}; 10M objects at one shard's rate (${rate} obj/s loopback, ${rttRate} obj/s with the round trip): ${projection.map((p) => `${p.shards} machines ≈ ${p.hours}–${p.hoursWithRoundTrip} h`).join(', ')}`,
    // Emulator and shards share 2 cores here: on loopback the speed-up is bounded by them, not by the plan.
    met: best.wallMs < one || rttRuns[rttRuns.length - 1].wallMs < rttRuns[0].wallMs,
    miss: best.wallMs >= one ? `on loopback 4 shards took ${round(best.wallMs / one, 2)}× the time of 1 (CPU-bound on 2 cores)` : undefined,
  };
}

async function shardRuns(ctx, endpoint, bucket, count) {
  const dir = path.join(DATA, 'tmp', 'shards');
  const runs = [];
  for (const shards of [1, 2, 4]) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'reports'), { recursive: true });
    const outs = [...Array(shards).keys()].map((i) => path.join(dir, `out-${i}.jsonl`));
    const configs = outs.map((out, i) => writeConfig(dir, `shard-${i}`, endpoint, bucket, out));
    const tPlan = now();
    await cli(['plan', '-c', configs[0], '--shards', String(shards), '--out', path.join(dir, 'plan.json')], dir);
    const planMs = now() - tPlan;
    const t0 = now();
    const perShard = await Promise.all(
      configs.map(async (config, i) => {
        const s = now();
        await cli(['ingest', '-c', config, '--shard', `${path.join(dir, 'plan.json')}#${i}`, '--shard-report', path.join(dir, 'reports', `shard-${i}.json`)], dir);
        return { ms: now() - s, tables: countTables(outs[i]) };
      }),
    );
    const ms = now() - t0;
    const merged = JSON.parse(await cli(['finalize', '-c', configs[0], '--reports', path.join(dir, 'reports'), '-o', 'json'], dir));
    const tables = perShard.reduce((n, s) => n + s.tables, 0);
    if (tables !== count || merged.state !== 'success') throw new Error(`${shards} shard(s) wrote ${tables} tables of ${count} (finalize ${merged.state})`);
    runs.push({
      shards,
      planMs: round(planMs, 0),
      wallMs: round(ms, 0),
      tablesPerShard: perShard.map((s) => s.tables),
      objectsPerSecondPerShard: round(count / shards / (Math.max(...perShard.map((s) => s.ms)) / 1000), 0),
    });
    ctx.log(`  ${endpoint === ctx.fauxqs.endpoint ? 'loopback' : 'round trip'}, ${shards} shard(s): ${round(ms / 1000, 1)} s (plan ${round(planMs / 1000, 1)} s)`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  for (const r of runs) r.speedup = round(runs[0].wallMs / r.wallMs, 2);
  return runs;
}
