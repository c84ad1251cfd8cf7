// Scenario 10: peak RSS listing and ingesting a million objects vs a hundred thousand, through a
// store that synthesises its keys (bench/lib/synthetic-store.mjs), so the emulator's memory and
// put time are out of the picture and only om-ingest's own growth shows.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mb, round } from '../lib/env.mjs';
import { READ_CONCURRENCY } from '../lib/ingest.mjs';
import { runChild } from '../lib/spawn.mjs';

const GOAL = 1.15;

export async function catalogScale(ctx) {
  const [small, large] = ctx.quick ? [2000, 20000] : [100000, 1000000];
  // Made here with DuckDB when missing; the children only read them.
  await ctx.templates();
  const idle = await runChild(['idle']);
  const runs = [];
  // Not under bench/data/tmp, which another bench run empties when it starts.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-bench-catalog-'));
  try {
    for (const count of [small, large]) {
      const out = path.join(dir, `catalog-scale-${count}.jsonl`);
      const r = await runChild(['ingest-synthetic', String(count), out], { timeoutMs: 60 * 60 * 1000 });
      if (r.tables !== count || r.errors > 0) {
        throw new Error(`datalake ingest of ${count} synthetic objects wrote ${r.tables} tables (errors ${r.errors}: ${JSON.stringify(r.failureSamples)}; ${r.logs.join(' | ')})`);
      }
      runs.push({
        objects: count,
        peakRssMb: mb(r.peakRssBytes),
        seconds: round(r.ms / 1000, 1),
        objectsPerSecond: Math.round(count / (r.ms / 1000)),
        tables: r.tables,
        sampledPeakMb: { heapUsed: r.memory.heapUsed, external: r.memory.external },
      });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const [a, b] = runs;
  const ratio = b.peakRssMb / a.peakRssMb;
  const fmt = (r) => `${r.objects.toLocaleString('en-US')} objects: ${r.peakRssMb} MB, ${r.seconds} s (${r.objectsPerSecond} objects/s, heap peak ${r.sampledPeakMb.heapUsed} MB)`;
  return {
    id: 'catalog-scale',
    title: `Peak RSS listing and ingesting ${large.toLocaleString('en-US')} vs ${small.toLocaleString('en-US')} objects (synthesised keys, file sink; child processes)`,
    goal: `peak RSS ≤ ${GOAL}× the ${small.toLocaleString('en-US')}-object run`,
    figures: { idleRssMb: mb(idle.peakRssBytes), readConcurrency: READ_CONCURRENCY, runs },
    ratio: { label: `peak RSS ${large} / ${small} objects`, value: ratio },
    headline: `${runs.map(fmt).join('; ')}; modules loaded, nothing read: ${mb(idle.peakRssBytes)} MB; every object became one table`,
    met: ratio <= GOAL,
    miss: ratio > GOAL ? `peak RSS grows ${round(ratio, 2)}× for ${large / small}× the objects, goal ${GOAL}× (${round(b.peakRssMb - a.peakRssMb, 0)} MB more)` : undefined,
  };
}
