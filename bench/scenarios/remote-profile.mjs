// Scenario 11: profile the large CSV and Parquet files on S3 (fauxqs) against the same profile of the
// same files on local disk, through the Workflow (Datalake source in Profiler mode → orm-profiler →
// file sink), each run in its own child process, remote and local alternating. One more remote pass
// per file goes through the counting proxy for the requests and bytes (not timed against local: the
// proxy's copying runs on the same cores).
import * as path from 'node:path';
import { DATA, mb, median, round } from '../lib/env.mjs';
import * as s3 from '../lib/s3.mjs';
import { runChild } from '../lib/spawn.mjs';
import { BUCKET } from './remote-schema.mjs';

const GOAL_RATIO = 0.8;
const GOAL_RSS_MB = 200;

async function profileOnce(file, endpoint, tag) {
  const out = path.join(DATA, 'tmp', `remote-profile-${tag}.jsonl`);
  const r = await runChild(['profile', file, out, ...(endpoint ? [endpoint, BUCKET] : [])]);
  if (r.pending || r.profiles !== 1) throw new Error(`profiling ${path.basename(file)} (${tag}) gave ${r.profiles} profiles (errors ${r.errors}: ${JSON.stringify(r.failureSamples)} ${r.logs?.join(' | ')})`);
  return r;
}

export async function remoteProfile(ctx) {
  const files = await ctx.bigFiles();
  const rounds = ctx.quick ? 3 : 2;
  const rows = [];
  for (const [kind, file] of [
    ['CSV', files.csv],
    ['Parquet', files.parquet],
  ]) {
    const key = path.basename(file);
    const size = await s3.uploadBenchFile(ctx.s3admin, BUCKET, key, file, ctx.log);
    try {
      const local = [];
      const remote = [];
      for (let i = 0; i < rounds; i++) {
        local.push(await profileOnce(file, undefined, `${kind}-local`));
        remote.push(await profileOnce(file, ctx.fauxqs.endpoint, `${kind}-s3`));
        ctx.log(`   ${kind} round ${i + 1}: local ${round(local[i].ms / 1000, 1)} s, S3 ${round(remote[i].ms / 1000, 1)} s`);
      }
      ctx.proxy.reset();
      const counted = await profileOnce(file, ctx.proxy.endpoint, `${kind}-proxy`);
      const wire = { requests: ctx.proxy.counters.requests, gets: ctx.proxy.counters.byMethod.GET ?? 0, responseBytes: ctx.proxy.counters.responseBytes };
      const localMs = median(local.map((r) => r.ms));
      const remoteMs = median(remote.map((r) => r.ms));
      if (remote.some((r) => r.rowCount !== local[0].rowCount)) throw new Error(`${kind}: S3 profile counted ${remote.map((r) => r.rowCount)} rows, local ${local[0].rowCount}`);
      rows.push({
        kind,
        fileBytes: size,
        rowCount: local[0].rowCount,
        local: { seconds: round(localMs / 1000, 1), mbPerS: round(mb(size) / (localMs / 1000), 1), peakRssMb: Math.max(...local.map((r) => mb(r.peakRssBytes))) },
        s3: { seconds: round(remoteMs / 1000, 1), mbPerS: round(mb(size) / (remoteMs / 1000), 1), peakRssMb: Math.max(...remote.map((r) => mb(r.peakRssBytes))) },
        rounds: local.map((l, i) => ({ localSeconds: round(l.ms / 1000, 2), s3Seconds: round(remote[i].ms / 1000, 2), ratio: round(l.ms / remote[i].ms, 3) })),
        // remote throughput / local throughput (medians)
        throughputRatio: localMs / remoteMs,
        wire: { ...wire, bytesPerFileByte: round(wire.responseBytes / size, 3), seconds: round(counted.ms / 1000, 1), peakRssMb: mb(counted.peakRssBytes) },
      });
    } finally {
      await s3.deleteObject(ctx.s3admin, BUCKET, key); // fauxqs keeps objects in memory
    }
  }
  const worst = rows.reduce((a, b) => (b.throughputRatio < a.throughputRatio ? b : a));
  const miss = [];
  for (const r of rows) {
    if (r.throughputRatio < GOAL_RATIO) miss.push(`${r.kind} at ${round(r.throughputRatio, 2)}× local (goal ${GOAL_RATIO}×)`);
    if (r.s3.peakRssMb >= GOAL_RSS_MB) miss.push(`${r.kind} peak RSS from S3 ${round(r.s3.peakRssMb, 0)} MB (${round(r.s3.peakRssMb - GOAL_RSS_MB, 0)} MB over)`);
  }
  const fmt = (r) =>
    `${r.kind}: S3 ${r.s3.seconds} s (${r.s3.mbPerS} MB/s, ${r.s3.peakRssMb} MB RSS) vs local ${r.local.seconds} s (${r.local.mbPerS} MB/s, ${r.local.peakRssMb} MB RSS) = ${round(r.throughputRatio, 2)}× ` +
    `(per round ${r.rounds.map((x) => round(x.ratio, 2)).join(', ')}); through the proxy ${r.wire.gets} GETs (${r.wire.requests} requests), ${round(r.wire.responseBytes / 2 ** 20, 0)} MB on the wire (${r.wire.bytesPerFileByte}× the file)`;
  return {
    id: 'remote-profile',
    title: `Profile a ${ctx.sizeMb} MB CSV and Parquet file on S3 (fauxqs) vs the same files on local disk (Workflow, child processes)`,
    goal: `S3 throughput ≥ ${GOAL_RATIO}× local for each file, peak RSS < ${GOAL_RSS_MB} MB`,
    figures: { rounds, files: rows },
    ratio: { label: `S3 / local throughput (${worst.kind}, the lower, medians of ${rounds})`, value: worst.throughputRatio },
    headline: rows.map(fmt).join('; '),
    met: miss.length === 0,
    miss: miss.join('; ') || undefined,
  };
}
