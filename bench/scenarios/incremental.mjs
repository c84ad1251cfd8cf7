// Scenario 9: incremental re-runs (`ingest --state`). A full run writes the state; a re-run of the
// unchanged bucket should read no object and write no table (listing only); after 10 objects change it
// should read exactly those 10. The reference is the listing itself: bare ListObjectsV2 pages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA, now, round, s3sdk } from '../lib/env.mjs';
import { mixedObject } from '../lib/data.mjs';
import { READ_CONCURRENCY, runToFile } from '../lib/ingest.mjs';
import * as s3 from '../lib/s3.mjs';
import { startCountingProxy } from '../lib/servers.mjs';

const CHANGED = 10;

/** Datalake source (S3 store) → file sink, with an incremental state. */
function ingestWithState({ endpoint, bucket, out, state }) {
  return runToFile({
    out,
    state,
    source: {
      type: 'datalake',
      serviceName: 'bench_incremental',
      serviceConnection: { config: { type: 'Datalake', configSource: s3.configSource(endpoint), bucketName: bucket } },
      sourceConfig: { config: { type: 'DatabaseMetadata', readConcurrency: READ_CONCURRENCY } },
    },
  });
}

/** The listing alone: every ListObjectsV2 page of the bucket, nothing read. */
async function listingOnly(endpoint, bucket) {
  const { ListObjectsV2Command } = s3sdk();
  const client = s3.client(endpoint);
  const t0 = now();
  let keys = 0;
  let token;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys += page.KeyCount ?? 0;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  client.destroy();
  return { ms: now() - t0, keys };
}

export async function incrementalRerun(ctx) {
  const count = ctx.quick ? 2000 : 100000;
  const bucket = `incremental-${count}`;
  const templates = await ctx.templates();
  await s3.ensureBucket(ctx.s3admin, bucket);
  await s3.putMany(ctx.s3admin, bucket, count, (i) => mixedObject(templates, i));
  // Not under tmp/: another bench run started meanwhile clears that folder.
  const dir = path.join(DATA, `incremental-${process.pid}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const state = path.join(dir, 'state.json');
  const out = path.join(dir, 'out.jsonl');
  const proxy = await startCountingProxy(ctx.fauxqs.port);
  const endpoint = proxy.endpoint;
  try {
    const measure = async (what, fn) => {
      proxy.reset();
      const r = await fn();
      const wire = { requests: proxy.counters.requests, objectReads: proxy.counters.objectReads, keysRead: [...proxy.counters.keysRead] };
      ctx.log(`  ${what}: ${round(r.ms / 1000, 2)} s, ${wire.requests} requests, ${wire.objectReads} object reads${r.tables !== undefined ? `, ${r.tables} tables written` : ''}`);
      return { ...r, ...wire };
    };
    const listing = await measure('listing only', () => listingOnly(endpoint, bucket));
    if (listing.keys !== count) throw new Error(`the listing saw ${listing.keys} objects of ${count}`);
    const full = await measure('full run (no state yet)', () => ingestWithState({ endpoint, bucket, out, state }));
    if (full.tables !== count) throw new Error(`the full run wrote ${full.tables} tables of ${count} (${full.errors} errors)`);
    const unchanged = await measure('re-run, unchanged', () => ingestWithState({ endpoint, bucket, out, state }));
    // 10 objects spread over the bucket get new content: another template of the same format.
    const changedKeys = [];
    for (let c = 0; c < CHANGED; c++) {
      const i = Math.floor(((c + 0.5) * count) / CHANGED);
      const o = mixedObject(templates, i);
      const same = templates.filter((t) => t.ext === templates[i % templates.length].ext);
      const other = same.find((t) => t.bytes !== o.bytes) ?? same[0];
      changedKeys.push(o.key);
      await ctx.s3admin.send(new (s3sdk().PutObjectCommand)({ Bucket: bucket, Key: o.key, Body: other.bytes }));
    }
    const changed = await measure(`re-run, ${CHANGED} objects changed`, () => ingestWithState({ endpoint, bucket, out, state }));
    const readBack = changed.keysRead.map((p) => decodeURIComponent(p.slice(bucket.length + 2))).sort();
    const exact = JSON.stringify(readBack) === JSON.stringify([...changedKeys].sort());
    const ratio = unchanged.ms / listing.ms;
    const fig = (r) => ({ ms: round(r.ms, 0), requests: r.requests, objectReads: r.objectReads, tablesWritten: r.tables, errors: r.errors, counts: r.incremental });
    const met = unchanged.objectReads === 0 && unchanged.tables === 0 && exact && changed.tables === CHANGED && changed.errors === 0;
    return {
      id: 'incremental-rerun',
      title: `Incremental re-run of a bucket of ${count.toLocaleString('en-US')} objects (ingest --state; S3, fauxqs) vs listing it`,
      goal: `unchanged re-run reads no object and writes nothing; after ${CHANGED} objects change it reads exactly those ${CHANGED}`,
      figures: {
        objects: count,
        listingOnly: { ms: round(listing.ms, 0), requests: listing.requests },
        fullRun: fig(full),
        unchangedRerun: fig(unchanged),
        changedRerun: { ...fig(changed), keysRead: readBack, exact },
      },
      ratio: { label: 'unchanged re-run / listing only (wall time)', value: ratio },
      headline:
        `listing ${round(listing.ms / 1000, 2)} s (${listing.requests} requests); full run ${round(full.ms / 1000, 1)} s (${full.objectReads} object reads); ` +
        `unchanged re-run ${round(unchanged.ms / 1000, 2)} s, ${unchanged.objectReads} object reads, ${unchanged.tables} tables written; ` +
        `${CHANGED} changed: ${round(changed.ms / 1000, 2)} s, ${changed.objectReads} reads of ${readBack.length} object(s) (${exact ? 'exactly the changed ones' : 'NOT the changed ones'}), ${changed.tables} tables written`,
      met,
      miss: met ? undefined : `unchanged re-run read ${unchanged.objectReads} object(s) and wrote ${unchanged.tables} table(s); changed re-run read ${readBack.length} object(s), exact: ${exact}`,
    };
  } finally {
    await proxy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
