// Workflow runs used by several scenarios: the Datalake source over an S3 bucket into the file sink,
// and the bare-minimum SDK pass over the same bucket.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { core, now, quietLogger, registry, s3sdk } from './env.mjs';
import * as s3 from './s3.mjs';

export const READ_CONCURRENCY = 8;

/**
 * Runs `source` into a file sink (JSON Lines at `out`) through the Workflow. Returns wall ms, the tables
 * written, errors and warnings, and the first failures and log lines; `beforeCount` runs before the
 * output is counted (counting a large file is no part of the run).
 */
export async function runToFile({ source, out, registry: reg = registry(), state, beforeCount }) {
  const { Workflow } = core();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const logger = quietLogger();
  const config = { source, sink: { type: 'file', config: { filename: out, format: 'jsonl' } }, workflowConfig: { loggerLevel: 'WARN' } };
  const t0 = now();
  const workflow = await Workflow.create(config, { registry: reg, logger, stdout: devNull(), ...(state ? { state } : {}) });
  try {
    await workflow.execute();
  } finally {
    await workflow.stop();
  }
  const ms = now() - t0;
  const extra = beforeCount?.() ?? {};
  const summary = workflow.summary();
  const tables = countTables(out);
  fs.rmSync(out, { force: true });
  return {
    ms,
    tables,
    ...extra,
    errors: summary.steps.reduce((n, s) => n + s.errors, 0),
    warnings: summary.steps.reduce((n, s) => n + (s.warnings ?? 0), 0),
    failureSamples: summary.steps.flatMap((s) => s.failureSamples).slice(0, 3),
    logs: logger.kept.slice(0, 5),
    incremental: workflow.incremental?.counts,
  };
}

/** Datalake source (S3 store) → file sink (JSON Lines). Returns wall ms and the tables written. */
export function ingestBucket({ endpoint, bucket, out, readConcurrency = READ_CONCURRENCY }) {
  return runToFile({
    out,
    source: {
      type: 'datalake',
      serviceName: 'bench_s3',
      serviceConnection: { config: { type: 'Datalake', configSource: s3.configSource(endpoint), bucketName: bucket } },
      sourceConfig: { config: { type: 'DatabaseMetadata', readConcurrency } },
    },
  });
}

export function countTables(file) {
  if (!fs.existsSync(file)) return 0;
  // Streamed count of JSON lines carrying a table (tableType is only on tables).
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let n = 0;
  let tail = '';
  try {
    for (;;) {
      const read = fs.readSync(fd, buf, 0, buf.length, null);
      if (read === 0) break;
      const text = tail + buf.toString('utf8', 0, read);
      const lines = text.split('\n');
      tail = lines.pop();
      for (const line of lines) if (line.includes('"tableType"')) n++;
    }
    if (tail.includes('"tableType"')) n++;
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

export function devNull() {
  return new Writable({ write: (_c, _e, cb) => cb() });
}

/**
 * The least an S3 client must do to read the start of every object of the bucket: ListObjectsV2
 * pages, one ranged GET per object (the first min(size, 512 KiB) bytes), `concurrency` GETs in flight
 * while the listing continues. Same SDK client settings as the S3 store.
 */
export async function sdkMinimum({ endpoint, bucket, concurrency = READ_CONCURRENCY, rangeBytes = 524288 }) {
  const { ListObjectsV2Command, GetObjectCommand } = s3sdk();
  const client = s3.client(endpoint);
  const t0 = now();
  const queue = [];
  let listed = false;
  let waiters = [];
  const wakeAll = () => {
    const w = waiters;
    waiters = [];
    for (const r of w) r();
  };
  let gets = 0;
  let bytes = 0;
  let pages = 0;
  const lister = (async () => {
    let token;
    try {
      for (let page = 0; page < 1_000_000; page++) {
        const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, ...(token ? { ContinuationToken: token } : {}) }));
        pages++;
        for (const o of out.Contents ?? []) queue.push(o);
        wakeAll();
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
        if (!token) break;
      }
    } finally {
      listed = true;
      wakeAll();
    }
  })();
  let head = 0;
  const worker = async () => {
    for (;;) {
      if (head >= queue.length) {
        if (listed) return;
        await new Promise((r) => waiters.push(r));
        continue;
      }
      const o = queue[head];
      queue[head++] = undefined;
      const end = Math.min(o.Size ?? 0, rangeBytes) - 1;
      if (end < 0) continue;
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key, Range: `bytes=0-${end}` }));
      const body = await res.Body.transformToByteArray();
      gets++;
      bytes += body.length;
    }
  };
  try {
    const workers = Array.from({ length: concurrency }, () => worker());
    await lister;
    await Promise.all(workers);
  } finally {
    client.destroy();
  }
  return { ms: now() - t0, gets, pages, bytes };
}

/**
 * Datalake source over the bench's synthetic store (bench/lib/synthetic-store.mjs: `objects` made-up
 * keys, template bytes) → file sink (JSON Lines). Also the heap's high-water marks, sampled, and
 * `highWater()` read before the output is counted (counting a large file is no part of the run).
 */
export async function ingestSynthetic({ objects, out, readConcurrency = READ_CONCURRENCY, highWater }) {
  const { syntheticStorePlugin, syntheticConfigSource, SYNTHETIC_BUCKET } = await import('./synthetic-store.mjs');
  const sampler = memorySampler();
  return runToFile({
    out,
    registry: registry(syntheticStorePlugin()),
    source: {
      type: 'datalake',
      serviceName: 'bench_synthetic',
      serviceConnection: { config: { type: 'Datalake', configSource: syntheticConfigSource(objects), bucketName: SYNTHETIC_BUCKET } },
      sourceConfig: { config: { type: 'DatabaseMetadata', readConcurrency } },
    },
    beforeCount: () => {
      const peakRssBytes = highWater?.();
      return { memory: sampler.stop(), ...(peakRssBytes !== undefined ? { peakRssBytes } : {}) };
    },
  });
}

/** Highest `process.memoryUsage()` figures seen, sampled every `everyMs` while a run goes on. */
export function memorySampler(everyMs = 250) {
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
  };
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round((v / 2 ** 20) * 10) / 10]));
    },
  };
}
