// Scenario 5: profile a large CSV and a large Parquet file (Datalake row readers + orm-profiler through
// the Workflow, file sink) against DuckDB SUMMARIZE on the same files. Each run is its own process.
// Reference column for the CSV (no goal): pandas computing OpenMetadata's datalake metrics
// (bench/peers/pandas_profile.py), Debian's python3-pandas, installed by the full run when missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATA, mb, round } from '../lib/env.mjs';
import { runChild } from '../lib/spawn.mjs';
import { ensurePandas, pandasProfile } from '../lib/pandas.mjs';

const fmtMb = (x) => (x >= 1024 ? `${round(x / 1024, 1)} GB` : `${round(x, 0)} MB`);

/** The pandas reference on `file`: its figures and our ratio to it, or `{ skipped }`. */
async function pandasReference(ready, file, size, ours) {
  if (ready.skipped) return { skipped: ready.skipped };
  const r = await pandasProfile(file);
  if (r.skipped) return r;
  return {
    version: r.pandas,
    schedule: r.schedule,
    chunksize: r.chunksize,
    seconds: round(r.seconds, 1),
    mbPerS: round(mb(size) / r.seconds, 1),
    peakRssMb: mb(r.peakRssBytes),
    rowCount: r.rowCount,
    rowCountMatches: r.rowCount === ours.rowCount,
    // ours / pandas throughput (> 1: ours is faster), and our peak RSS as a share of its.
    throughputRatio: r.seconds / (ours.ms / 1000),
    rssRatio: mb(ours.peakRssBytes) / mb(r.peakRssBytes),
    metrics: r.metrics,
  };
}

function pandasHeadline(p) {
  if (!p) return '';
  if (p.skipped) return ` (pandas reference skipped: ${p.skipped.slice(0, 200)})`;
  const rows = p.rowCountMatches ? '' : ` (pandas counted ${p.rowCount} rows)`;
  return `, and vs pandas ${p.version} with OpenMetadata's datalake metric rules (reference: ${p.chunksize / 1000}k-row read_csv chunks, read once) ${p.seconds} s (${p.mbPerS} MB/s, ${fmtMb(p.peakRssMb)} RSS) = ${round(p.throughputRatio, 1)}× its throughput at ${round(p.rssRatio * 100, 0)} % of its peak RSS${rows}`;
}

export async function profile(ctx) {
  const files = await ctx.bigFiles();
  // Before any measurement, so that apt does not run alongside one. Quick runs never install.
  const pandasReady = ensurePandas({ install: !ctx.quick, log: ctx.log });
  if (pandasReady.installed) ctx.log(`   installed pandas ${pandasReady.version} for the reference column`);
  const rows = [];
  let pending;
  for (const [kind, file] of [
    ['CSV', files.csv],
    ['Parquet', files.parquet],
  ]) {
    const size = fs.statSync(file).size;
    const duck = await runChild(['duckdb', file]);
    const ours = await runChild(['profile', file, path.join(DATA, 'tmp', `profile-${kind}.jsonl`)]);
    if (ours.pending) pending = ours.reason;
    if (ours.pending && ours.ms === undefined) {
      rows.push({ kind, fileBytes: size, duckdb: { seconds: round(duck.ms / 1000, 1), mbPerS: round(mb(size) / (duck.ms / 1000), 0), peakRssMb: mb(duck.peakRssBytes), threads: duck.threads } });
      continue;
    }
    if (ours.profiles !== 1) throw new Error(`profiling ${kind} gave ${ours.profiles} profiles (errors ${ours.errors}: ${JSON.stringify(ours.failureSamples)} ${ours.logs?.join(' | ')})`);
    rows.push({
      kind,
      fileBytes: size,
      rowCount: ours.rowCount,
      duckdbRowCount: duck.rowCount,
      ours: { seconds: round(ours.ms / 1000, 1), mbPerS: round(mb(size) / (ours.ms / 1000), 1), peakRssMb: mb(ours.peakRssBytes) },
      duckdb: { seconds: round(duck.ms / 1000, 1), mbPerS: round(mb(size) / (duck.ms / 1000), 0), peakRssMb: mb(duck.peakRssBytes), threads: duck.threads },
      throughputRatio: duck.ms / ours.ms,
      ...(kind === 'CSV' ? { pandas: await pandasReference(pandasReady, file, size, ours) } : {}),
    });
  }
  const title = `Profile a ${ctx.sizeMb} MB CSV and Parquet file vs DuckDB SUMMARIZE, with pandas on OpenMetadata's metric rules as a reference for the CSV (child processes)`;
  // Issue 20's goals 1 and 2 (peak RSS through the whole Workflow, workers included).
  const goal = 'CSV ≥ 1.0× DuckDB throughput, Parquet ≥ 0.8×; peak RSS < 200 MB for both';
  if (pending && rows.some((r) => !r.ours)) {
    return {
      id: 'profile',
      title,
      goal,
      figures: { files: rows, pending },
      ratio: { label: 'ours / DuckDB throughput (CSV)', value: null },
      headline: `pending: the Datalake source's Profiler mode is not available (${pending.slice(0, 160)}); DuckDB alone: ${rows.map((r) => `${r.kind} ${r.duckdb.seconds} s`).join(', ')}`,
      met: null,
      miss: 'pending',
    };
  }
  const csv = rows.find((r) => r.kind === 'CSV');
  const parquet = rows.find((r) => r.kind === 'Parquet');
  const miss = [];
  if (csv.throughputRatio < 1) miss.push(`CSV at ${round(csv.throughputRatio, 2)}× DuckDB (goal 1.0×)`);
  if (csv.ours.peakRssMb >= 200) miss.push(`CSV peak RSS ${round(csv.ours.peakRssMb, 0)} MB (${round(csv.ours.peakRssMb - 200, 0)} MB over)`);
  if (parquet && parquet.throughputRatio < 0.8) miss.push(`Parquet at ${round(parquet.throughputRatio, 2)}× DuckDB (goal 0.8×)`);
  if (parquet && parquet.ours.peakRssMb >= 200) miss.push(`Parquet peak RSS ${round(parquet.ours.peakRssMb, 0)} MB (${round(parquet.ours.peakRssMb - 200, 0)} MB over)`);
  const how = pending ? 'pending (the Datalake source has no Profiler mode yet; measured as row readers + profileTable without the Workflow): ' : '';
  return {
    id: 'profile',
    title,
    goal,
    figures: { files: rows, ...(pending ? { pending, direct: true } : {}) },
    ratio: { label: 'ours / DuckDB throughput (CSV)', value: csv.throughputRatio },
    headline: how + rows
      .map((r) => `${r.kind}: ${r.ours.seconds} s (${r.ours.mbPerS} MB/s, ${r.ours.peakRssMb} MB RSS) vs DuckDB ${r.duckdb.seconds} s (${r.duckdb.threads} threads, ${r.duckdb.peakRssMb} MB) = ${round(r.throughputRatio, 2)}×${pandasHeadline(r.pandas)}`)
      .join('; '),
    met: pending ? null : miss.length === 0,
    miss: miss.join('; ') || undefined,
  };
}
