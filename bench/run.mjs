#!/usr/bin/env node
// The om-ingest benchmark suite: `pnpm bench` (full, ~15-20 min) or `pnpm bench --quick` (small inputs,
// < 2 min, for CI: exits non-zero only when a scenario crashes, never on a missed goal).
// Options: --quick, --only id,id (scenario ids or numbers 1-11), --size-mb N (large-file size),
// --out file (where a partial run writes its results).
// Full mode writes bench/results/latest.json and the table in bench/README.md; quick mode writes
// bench/results/raw/quick.json (gitignored) and leaves the README alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BENCH, DATA, machine, mb, round } from './lib/env.mjs';
import { bigFiles, smallTemplates } from './lib/data.mjs';
import * as s3 from './lib/s3.mjs';
import { killChildren, startCountingProxy, startFauxqs } from './lib/servers.mjs';
import { parquetSchema, textSample } from './scenarios/remote-schema.mjs';
import { bucketIngest, bucketRss } from './scenarios/bucket.mjs';
import { profile } from './scenarios/profile.mjs';
import { sinkThroughput } from './scenarios/sink.mjs';
import { shardScaleOut } from './scenarios/shards.mjs';
import { dynamodbIngest } from './scenarios/dynamodb.mjs';
import { incrementalRerun } from './scenarios/incremental.mjs';
import { catalogScale } from './scenarios/catalog-scale.mjs';
import { remoteProfile } from './scenarios/remote-profile.mjs';
import { renderReadme, LIMITS } from './lib/report.mjs';

// The AWS SDK warns about Node 20 on every client; it is noise here.
process.removeAllListeners('warning');

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const sizeMb = Number(opt('size-mb') ?? (quick ? 20 : 1024));
const only = opt('only')?.split(',').map((s) => s.trim());

// --render: rewrite the README table from results/latest.json (after editing the analysis texts).
if (argv.includes('--render')) {
  const readme = path.join(BENCH, 'README.md');
  const report = JSON.parse(fs.readFileSync(path.join(BENCH, 'results/latest.json'), 'utf8'));
  fs.writeFileSync(readme, renderReadme(fs.readFileSync(readme, 'utf8'), report));
  process.exit(0);
}

const SCENARIOS = [
  { n: 1, id: 'parquet-schema', run: parquetSchema, needs: ['s3'] },
  { n: 2, id: 'text-sample', run: textSample, needs: ['s3'] },
  { n: 3, id: 'bucket-ingest', run: bucketIngest, needs: ['s3'] },
  { n: 4, id: 'bucket-rss', run: bucketRss, needs: ['s3'] },
  { n: 5, id: 'profile', run: profile, needs: [] },
  { n: 6, id: 'sink-throughput', run: sinkThroughput, needs: [] },
  { n: 7, id: 'shard-scale-out', run: shardScaleOut, needs: ['s3'] },
  { n: 8, id: 'dynamodb', run: dynamodbIngest, needs: [] },
  { n: 9, id: 'incremental-rerun', run: incrementalRerun, needs: ['s3'] },
  { n: 10, id: 'catalog-scale', run: catalogScale, needs: [] },
  { n: 11, id: 'remote-profile', run: remoteProfile, needs: ['s3'] },
];
const selected = SCENARIOS.filter((s) => !only || only.includes(s.id) || only.includes(String(s.n)));

const started = Date.now();
const log = (m) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${m}\n`);

let big;
let templates;
const ctx = {
  quick,
  sizeMb,
  log,
  bigFiles: async () => (big ??= await bigFiles(sizeMb, log)),
  templates: async () => (templates ??= await smallTemplates()),
};

async function withS3(fn) {
  if (!ctx.fauxqs) {
    ctx.fauxqs = await startFauxqs();
    ctx.proxy = await startCountingProxy(ctx.fauxqs.port);
    ctx.s3admin = s3.client(ctx.fauxqs.endpoint);
    log(`fauxqs on ${ctx.fauxqs.endpoint} (pid ${ctx.fauxqs.pid}), counting proxy on ${ctx.proxy.endpoint}`);
  }
  return fn();
}

async function stopS3() {
  if (!ctx.fauxqs) return;
  ctx.s3admin.destroy();
  await ctx.proxy.close();
  await ctx.fauxqs.stop();
  ctx.fauxqs = ctx.proxy = ctx.s3admin = undefined;
  ctx.buckets = undefined;
}

fs.rmSync(path.join(DATA, 'tmp'), { recursive: true, force: true });
const results = [];
let crashed = 0;
log(`${quick ? 'quick' : 'full'} mode, large files ${sizeMb} MB, scenarios ${selected.map((s) => s.n).join(', ')}`);
try {
  for (const s of selected) {
    const t0 = Date.now();
    log(`${s.n}. ${s.id}`);
    try {
      const r = s.needs.includes('s3') ? await withS3(() => s.run(ctx)) : await s.run(ctx);
      r.n = s.n;
      r.seconds = round((Date.now() - t0) / 1000, 1);
      if (r.met === false) r.limits = LIMITS[s.id];
      results.push(r);
      log(`   ${r.met === true ? 'MET' : r.met === false ? 'MISSED' : 'PENDING'} ${r.ratio.label} = ${r.ratio.value === null ? 'n/a' : round(r.ratio.value, 4)}: ${r.headline}`);
    } catch (err) {
      crashed++;
      log(`   CRASHED: ${err.stack ?? err}`);
      results.push({ n: s.n, id: s.id, crashed: true, error: String(err.message ?? err).slice(0, 2000), seconds: round((Date.now() - t0) / 1000, 1) });
    }
    // Scenarios after the S3 ones do not need the emulator: free its memory.
    if (!selected.some((x) => x.n > s.n && x.needs.includes('s3'))) await stopS3();
  }
} finally {
  await stopS3().catch(() => {});
  killChildren();
}

const report = {
  suite: 'om-ingest bench',
  mode: quick ? 'quick' : 'full',
  date: new Date().toISOString(),
  machine: machine(),
  sizeMb,
  totalSeconds: round((Date.now() - started) / 1000, 1),
  mainPeakRssMb: mb(process.resourceUsage().maxRSS * 1024),
  results,
};
// --out: another file for the results of a partial run (two runs at once would share partial.json).
const outFile = opt('out') ? path.resolve(opt('out')) : quick || only ? path.join(BENCH, 'results/raw', quick ? 'quick.json' : 'partial.json') : path.join(BENCH, 'results/latest.json');
fs.mkdirSync(path.dirname(outFile), { recursive: true });
fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
log(`results: ${path.relative(process.cwd(), outFile)}`);
if (!quick && !only) {
  const readme = path.join(BENCH, 'README.md');
  fs.writeFileSync(readme, renderReadme(fs.readFileSync(readme, 'utf8'), report));
  log('table written to bench/README.md');
}
log(`done in ${report.totalSeconds} s${crashed ? `, ${crashed} scenario(s) crashed` : ''}`);
process.exit(crashed ? 1 : 0);
