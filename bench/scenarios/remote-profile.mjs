// Scenario 11: profile the large CSV and Parquet files on S3 (fauxqs) against the same profile of the
// same files on local disk, through the Workflow (Datalake source in Profiler mode → orm-profiler →
// file sink), each run in its own child process, remote and local alternating. One more remote pass
// per file goes through a counting proxy that adds 10 ms to every request (a network round trip
// loopback lacks): the requests and bytes, and whether the reads ahead hide the round trips (not in
// the ratio: the proxy's copying runs on the same cores).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA, mb, median, round } from '../lib/env.mjs';
import * as s3 from '../lib/s3.mjs';
import { startCountingProxy } from '../lib/servers.mjs';
import { runChild } from '../lib/spawn.mjs';
import { BUCKET } from './remote-schema.mjs';

const GOAL_RATIO = 0.8;
const GOAL_RSS_MB = 200;
const RTT_MS = 10;

/** CPU time (user + system) of a process so far, in ms (Linux /proc; 0 elsewhere). */
function processCpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

async function profileOnce(ctx, file, endpoint, tag) {
  const out = path.join(DATA, 'tmp', `remote-profile-${tag}.jsonl`);
  const server0 = processCpuMs(ctx.fauxqs.pid);
  const r = await runChild(['profile', file, out, ...(endpoint ? [endpoint, BUCKET] : [])]);
  if (r.pending || r.profiles !== 1) throw new Error(`profiling ${path.basename(file)} (${tag}) gave ${r.profiles} profiles (errors ${r.errors}: ${JSON.stringify(r.failureSamples)} ${r.logs?.join(' | ')})`);
  return { ...r, serverCpuMs: processCpuMs(ctx.fauxqs.pid) - server0 };
}

/** Local and S3 runs of one file, alternating, then one S3 run through `slow` (counted, RTT added). */
async function measureFile(ctx, kind, file, rounds, slow) {
  const key = path.basename(file);
  const size = await s3.uploadBenchFile(ctx.s3admin, BUCKET, key, file, ctx.log);
  try {
    const local = [];
    const remote = [];
    for (let i = 0; i < rounds; i++) {
      local.push(await profileOnce(ctx, file, undefined, `${kind}-local`));
      remote.push(await profileOnce(ctx, file, ctx.fauxqs.endpoint, `${kind}-s3`));
      ctx.log(
        `   ${kind} round ${i + 1}: local ${round(local[i].ms / 1000, 1)} s (CPU ${round(local[i].cpuMs / 1000, 1)} s), ` +
          `S3 ${round(remote[i].ms / 1000, 1)} s (CPU ${round(remote[i].cpuMs / 1000, 1)} s + emulator ${round(remote[i].serverCpuMs / 1000, 1)} s)`,
      );
    }
    slow.reset();
    const counted = await profileOnce(ctx, file, slow.endpoint, `${kind}-rtt`);
    const wire = { requests: slow.counters.requests, gets: slow.counters.byMethod.GET ?? 0, responseBytes: slow.counters.responseBytes };
    const localMs = median(local.map((r) => r.ms));
    const remoteMs = median(remote.map((r) => r.ms));
    if (remote.some((r) => r.rowCount !== local[0].rowCount)) throw new Error(`${kind}: S3 profile counted ${remote.map((r) => r.rowCount)} rows, local ${local[0].rowCount}`);
    return {
      kind,
      fileBytes: size,
      rowCount: local[0].rowCount,
      local: { seconds: round(localMs / 1000, 1), mbPerS: round(mb(size) / (localMs / 1000), 1), peakRssMb: Math.max(...local.map((r) => mb(r.peakRssBytes))) },
      s3: { seconds: round(remoteMs / 1000, 1), mbPerS: round(mb(size) / (remoteMs / 1000), 1), peakRssMb: Math.max(...remote.map((r) => mb(r.peakRssBytes))) },
      rounds: local.map((l, i) => ({
        localSeconds: round(l.ms / 1000, 2),
        s3Seconds: round(remote[i].ms / 1000, 2),
        ratio: round(l.ms / remote[i].ms, 3),
        localCpuSeconds: round(l.cpuMs / 1000, 2),
        s3CpuSeconds: round(remote[i].cpuMs / 1000, 2),
        emulatorCpuSeconds: round(remote[i].serverCpuMs / 1000, 2),
      })),
      // CPU seconds (medians): this process with its workers, and the emulator serving it.
      cpu: {
        local: round(median(local.map((r) => r.cpuMs)) / 1000, 1),
        s3: round(median(remote.map((r) => r.cpuMs)) / 1000, 1),
        emulator: round(median(remote.map((r) => r.serverCpuMs)) / 1000, 1),
      },
      // remote throughput / local throughput (medians)
      throughputRatio: localMs / remoteMs,
      // The pass with RTT_MS added per request, through the counting proxy.
      wire: { ...wire, bytesPerFileByte: round(wire.responseBytes / size, 3), rttMs: RTT_MS, seconds: round(counted.ms / 1000, 1), peakRssMb: mb(counted.peakRssBytes), ratio: round(localMs / counted.ms, 3) },
    };
  } finally {
    await s3.deleteObject(ctx.s3admin, BUCKET, key); // fauxqs keeps objects in memory
  }
}

export async function remoteProfile(ctx) {
  const files = await ctx.bigFiles();
  const rounds = 3;
  const rows = [];
  const slow = await startCountingProxy(ctx.fauxqs.port, { latencyMs: RTT_MS });
  try {
    rows.push(await measureFile(ctx, 'CSV', files.csv, rounds, slow));
    rows.push(await measureFile(ctx, 'Parquet', files.parquet, rounds, slow));
  } finally {
    await slow.close();
  }
  const worst = rows.reduce((a, b) => (b.throughputRatio < a.throughputRatio ? b : a));
  const miss = [];
  for (const r of rows) {
    if (r.throughputRatio < GOAL_RATIO) miss.push(`${r.kind} at ${round(r.throughputRatio, 2)}× local (goal ${GOAL_RATIO}×)`);
    if (r.s3.peakRssMb >= GOAL_RSS_MB) miss.push(`${r.kind} peak RSS from S3 ${round(r.s3.peakRssMb, 0)} MB (${round(r.s3.peakRssMb - GOAL_RSS_MB, 0)} MB over)`);
  }
  const fmt = (r) =>
    `${r.kind}: S3 ${r.s3.seconds} s (${r.s3.mbPerS} MB/s, ${r.s3.peakRssMb} MB RSS) vs local ${r.local.seconds} s (${r.local.mbPerS} MB/s, ${r.local.peakRssMb} MB RSS) = ${round(r.throughputRatio, 2)}× ` +
    `(per round ${r.rounds.map((x) => round(x.ratio, 2)).join(', ')}); CPU S3 ${r.cpu.s3} s + emulator ${r.cpu.emulator} s vs local ${r.cpu.local} s; with ${r.wire.rttMs} ms added per request (counting proxy) ${r.wire.seconds} s = ${r.wire.ratio}× local, ${r.wire.gets} GETs (${r.wire.requests} requests), ${round(r.wire.responseBytes / 2 ** 20, 0)} MB on the wire (${r.wire.bytesPerFileByte}× the file)`;
  return {
    id: 'remote-profile',
    title: `Profile a ${ctx.sizeMb} MB CSV and Parquet file on S3 (fauxqs) vs the same files on local disk (Workflow, child processes)`,
    goal: `S3 throughput ≥ ${GOAL_RATIO}× local for each file, peak RSS < ${GOAL_RSS_MB} MB`,
    figures: { rounds, files: rows },
    ratio: { label: `S3 / local throughput (${worst.kind}, the lower; medians of ${rounds} alternating runs)`, value: worst.throughputRatio },
    headline: rows.map(fmt).join('; '),
    met: miss.length === 0,
    miss: miss.join('; ') || undefined,
  };
}
