// Scenarios 1 and 2: what a schema read costs on a large remote file. The S3 store talks to fauxqs
// through the counting proxy, so both the store-level count (CountingObjectStore: what the reader
// asked for and consumed) and the wire-level count (HTTP requests, response body bytes) are reported.
import * as path from 'node:path';
import { datalake, datalakeS3, datalakeTesting, now, round } from '../lib/env.mjs';
import * as s3 from '../lib/s3.mjs';

export const BUCKET = 'bench-big';
const SAMPLE = { sampleRows: 1000, sampleBytes: 524288 };

async function measureSchema(ctx, file, key) {
  const dl = datalake();
  const { CountingObjectStore } = datalakeTesting();
  const admin = ctx.s3admin;
  const size = await s3.uploadBenchFile(admin, BUCKET, key, file, ctx.log);
  const store = datalakeS3().createS3ObjectStore(s3.configSource(ctx.proxy.endpoint));
  try {
    const counting = new CountingObjectStore(store);
    // A warm-up request (not counted) so the client's one-time set-up does not land in the timing.
    await store.objectSize(BUCKET, key);
    ctx.proxy.reset();
    const t = now();
    const schema = await dl.readFileSchema(counting, BUCKET, key, size, dl.formatOf(key), SAMPLE);
    const ms = now() - t;
    // Let the sockets of destroyed streams settle before reading the wire counters.
    await new Promise((r) => setTimeout(r, 200));
    const c = counting.counters;
    return {
      file: key,
      fileBytes: size,
      columns: schema.columns.length,
      storeRequests: c.rangeReads + c.streams,
      storeBytes: c.bytes,
      httpRequests: ctx.proxy.counters.requests,
      httpResponseBytes: ctx.proxy.counters.responseBytes,
      httpRanges: ctx.proxy.counters.ranges.slice(0, 4),
      ms: round(ms, 1),
      bytesFraction: c.bytes / size,
    };
  } finally {
    await store.close();
    await s3.deleteObject(admin, BUCKET, key); // fauxqs keeps objects in memory
  }
}

export async function parquetSchema(ctx) {
  const files = await ctx.bigFiles();
  const r = await measureSchema(ctx, files.parquet, path.basename(files.parquet));
  const requests = Math.max(r.storeRequests, r.httpRequests);
  const bytes = Math.max(r.storeBytes, r.httpResponseBytes);
  const goalBytes = 600 * 1024;
  return {
    id: 'parquet-schema',
    title: `Parquet schema of a ${ctx.sizeMb} MB file on S3 (fauxqs)`,
    goal: '≤ 2 requests and ≤ 600 KB read',
    figures: r,
    ratio: { label: 'bytes read / file size', value: r.storeBytes / r.fileBytes },
    headline: `${r.storeRequests} requests (${r.httpRequests} HTTP), ${Math.round(r.storeBytes / 1024)} KB (${Math.round(r.httpResponseBytes / 1024)} KB on the wire) of ${(r.fileBytes / 2 ** 20).toFixed(0)} MB, ${r.ms} ms`,
    met: requests <= 2 && bytes <= goalBytes,
    miss: requests > 2 ? `${requests} requests` : bytes > goalBytes ? `${Math.round((bytes - goalBytes) / 1024)} KB over` : undefined,
  };
}

export async function textSample(ctx) {
  const files = await ctx.bigFiles();
  const results = [];
  for (const [kind, file, key] of [
    ['CSV', files.csv, path.basename(files.csv)],
    ['NDJSON', files.ndjson, path.basename(files.ndjson)],
    ['JSON array', files.jsonArray, path.basename(files.jsonArray)],
  ]) {
    results.push({ kind, ...(await measureSchema(ctx, file, key)) });
  }
  const goal = 1024 * 1024;
  const worst = Math.max(...results.map((r) => Math.max(r.storeBytes, r.httpResponseBytes)));
  return {
    id: 'text-sample',
    title: `First sample of ${ctx.sizeMb} MB CSV, NDJSON and JSON-array files on S3 (fauxqs)`,
    goal: '≤ 1 MB read per file',
    figures: { files: results },
    ratio: { label: 'largest bytes read / file size', value: Math.max(...results.map((r) => r.storeBytes / r.fileBytes)) },
    headline: results.map((r) => `${r.kind} ${Math.round(r.storeBytes / 1024)} KB (${Math.round(r.httpResponseBytes / 1024)} KB wire, ${r.columns} cols, ${r.ms} ms)`).join('; '),
    met: worst <= goal,
    miss: worst > goal ? `${Math.round((worst - goal) / 1024)} KB over` : undefined,
  };
}
