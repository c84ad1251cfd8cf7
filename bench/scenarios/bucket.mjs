// Scenarios 3 and 4: a bucket of many small mixed files on fauxqs.
import * as path from 'node:path';
import { DATA, mb, median, round } from '../lib/env.mjs';
import { mixedObject } from '../lib/data.mjs';
import { ingestBucket, sdkMinimum, READ_CONCURRENCY } from '../lib/ingest.mjs';
import * as s3 from '../lib/s3.mjs';
import { runChild } from '../lib/spawn.mjs';
import { startCountingProxy } from '../lib/servers.mjs';

const RTT_MS = 10;

/** Creates (once per fauxqs run) a bucket of `count` mixed small objects. */
export async function mixedBucket(ctx, count) {
  const bucket = `mixed-${count}`;
  ctx.buckets ??= new Set();
  if (ctx.buckets.has(bucket)) return bucket;
  const t0 = Date.now();
  await s3.ensureBucket(ctx.s3admin, bucket);
  const templates = await ctx.templates();
  await s3.putMany(ctx.s3admin, bucket, count, (i) => mixedObject(templates, i));
  const listed = await s3.countObjects(ctx.s3admin, bucket);
  if (listed !== count) throw new Error(`bucket ${bucket} holds ${listed} objects, expected ${count}`);
  ctx.log(`  put ${count} objects into ${bucket} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  ctx.buckets.add(bucket);
  return bucket;
}

export async function bucketIngest(ctx) {
  const count = ctx.quick ? 500 : 10000;
  const rounds = ctx.quick ? 1 : 3;
  const bucket = await mixedBucket(ctx, count);
  const endpoint = ctx.fauxqs.endpoint;
  const out = path.join(DATA, 'tmp', 'bucket-ingest.jsonl');
  const ours = [];
  const base = [];
  let last;
  let lastBase;
  // Warm-up pass of each (JIT, sockets, fauxqs caches), not counted.
  await sdkMinimum({ endpoint, bucket });
  await ingestBucket({ endpoint, bucket, out });
  for (let r = 0; r < rounds; r++) {
    lastBase = await sdkMinimum({ endpoint, bucket });
    base.push(lastBase.ms);
    last = await ingestBucket({ endpoint, bucket, out });
    ours.push(last.ms);
    if (last.tables !== count) throw new Error(`datalake ingest wrote ${last.tables} tables of ${count} (errors ${last.errors}: ${JSON.stringify(last.failureSamples)})`);
  }
  const ratio = median(ours) / median(base);
  // The same comparison with a 10 ms round trip added to every request (as on a real network).
  const slow = await startCountingProxy(ctx.fauxqs.port, { latencyMs: RTT_MS });
  let rtt;
  try {
    const b = await sdkMinimum({ endpoint: slow.endpoint, bucket });
    const o = await ingestBucket({ endpoint: slow.endpoint, bucket, out });
    rtt = { sdkMinimumMs: round(b.ms, 0), datalakeMs: round(o.ms, 0), ratio: o.ms / b.ms };
  } finally {
    await slow.close();
  }
  return {
    id: 'bucket-ingest',
    title: `Ingest a bucket of ${count.toLocaleString('en-US')} mixed small files (S3, fauxqs) vs the bare SDK minimum`,
    goal: '≤ 1.3× the SDK minimum',
    figures: {
      objects: count,
      rounds,
      concurrency: READ_CONCURRENCY,
      datalakeMs: ours.map((x) => round(x, 0)),
      sdkMinimumMs: base.map((x) => round(x, 0)),
      sdkMinimum: { listPages: lastBase.pages, rangedGets: lastBase.gets, bytes: lastBase.bytes },
      tables: last.tables,
      errors: last.errors,
      withRoundTrip: { addedMsPerRequest: RTT_MS, ...rtt },
    },
    ratio: { label: 'datalake / SDK minimum (wall time, median)', value: ratio },
    headline: `datalake ${round(median(ours) / 1000, 2)} s vs SDK minimum ${round(median(base) / 1000, 2)} s (${lastBase.pages} list pages + ${lastBase.gets} ranged GETs, concurrency ${READ_CONCURRENCY}); with ${RTT_MS} ms added per request: ${round(rtt.datalakeMs / 1000, 2)} s vs ${round(rtt.sdkMinimumMs / 1000, 2)} s = ${round(rtt.ratio, 2)}×`,
    met: ratio <= 1.3,
    miss: ratio > 1.3 ? `${round(ratio, 2)}× the SDK minimum, goal 1.3× (${Math.round((ratio / 1.3 - 1) * 100)} % over)` : undefined,
  };
}

export async function bucketRss(ctx) {
  const [small, large] = ctx.quick ? [500, 2000] : [10000, 100000];
  const endpoint = ctx.fauxqs.endpoint;
  const idle = await runChild(['idle']);
  const runs = [];
  for (const count of [small, large]) {
    const bucket = await mixedBucket(ctx, count);
    const out = path.join(DATA, 'tmp', `bucket-rss-${count}.jsonl`);
    const r = await runChild(['ingest', endpoint, bucket, out]);
    if (r.tables !== count) throw new Error(`datalake ingest of ${bucket} wrote ${r.tables} tables (errors ${r.errors}: ${JSON.stringify(r.failureSamples)})`);
    runs.push({ objects: count, peakRssMb: mb(r.peakRssBytes), seconds: round(r.ms / 1000, 1), tables: r.tables });
  }
  const growth = runs[1].peakRssMb / runs[0].peakRssMb;
  const peak = Math.max(...runs.map((r) => r.peakRssMb));
  const flat = growth <= 1.25;
  return {
    id: 'bucket-rss',
    title: `Peak RSS listing and ingesting ${large.toLocaleString('en-US')} vs ${small.toLocaleString('en-US')} objects (S3, fauxqs; child processes)`,
    goal: '< 300 MB, flat as the count grows (≤ 1.25× for 10× the objects)',
    figures: { idleRssMb: mb(idle.peakRssBytes), runs },
    ratio: { label: `peak RSS ${large} / ${small} objects`, value: growth },
    headline: `${runs.map((r) => `${r.objects.toLocaleString('en-US')} objects: ${r.peakRssMb} MB (${r.seconds} s)`).join('; ')}; modules loaded, nothing read: ${mb(idle.peakRssBytes)} MB`,
    met: peak < 300 && flat,
    miss: peak >= 300 ? `${round(peak - 300, 0)} MB over` : !flat ? `grows ${round(growth, 2)}× for ${large / small}× the objects` : undefined,
  };
}
