// Full profile of a 1 GB CSV and a 1 GB Parquet file: om-ingest's `profileTable` (@om/profiler) as a
// run does it (worker threads over the file's parts: `om`) and in one thread (`om-1-thread`), against
// DuckDB's `SUMMARIZE` on the same file in the same run. Each measurement runs in its own child
// process, so peak RSS (process.resourceUsage().maxRSS, worker threads included) is that run's alone.
// Usage (after `npx turbo run build`): node bench/profile-scan.mjs [--size-mb 1024] [--only csv|parquet|gz] [--no-1-thread]
// Data: bench/data/datalake/big/big_<size>mb.{csv,parquet,csv.gz} (bench/datalake-rows.mjs generates them).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.resolve(here, '../packages/datalake/package.json'));
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const dir = path.resolve(here, 'data/datalake/big');

async function worker(kind, file) {
  const t0 = process.hrtime.bigint();
  let rows = 0;
  let columns = 0;
  if (kind === 'duckdb') {
    const { DuckDBInstance } = require('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const q = file.replace(/'/g, "''");
    const fn = file.endsWith('.parquet') ? 'read_parquet' : 'read_csv';
    const out = (await c.runAndReadAll(`SUMMARIZE SELECT * FROM ${fn}('${q}')`)).getRowObjects();
    rows = Number(out[0].count);
    columns = out.length;
    c.closeSync();
  } else {
    const dl = require(path.resolve(here, '../packages/datalake/dist/index.js'));
    const pr = require(path.resolve(here, '../packages/profiler/dist/index.js'));
    const store = new dl.LocalObjectStore({ root: path.dirname(file) });
    const key = path.basename(file);
    const size = fs.statSync(file).size;
    const format = dl.formatOf(key);
    const schema = await dl.readFileSchema(store, '.', key, size, format, { sampleRows: 1000, sampleBytes: 1 << 20 });
    const table = await dl.tableDataRequest({ store, bucket: '.', key, size, format }, {
      fqn: `bench.default.big."${key}"`, name: key, columns: schema.columns, fileFormat: format.fileFormat,
      // Every column read (footer statistics would answer some Parquet metrics without a scan).
      useFooterStatistics: false,
    });
    const result = await pr.profileTable(table, kind === 'om-1-thread' ? { threads: 1 } : {});
    rows = result.profile.tableProfile.rowCount;
    columns = result.profile.columnProfile.length;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ rows, columns, seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

function measure(kind, file) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', kind, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(out);
  const mb = fs.statSync(file).size / (1024 * 1024);
  return { profiler: kind, rows: r.rows, columns: r.columns, seconds: Math.round(r.seconds * 100) / 100, mbPerSecond: Math.round((mb / r.seconds) * 10) / 10, peakRssMb: r.peakRssMb };
}

async function main() {
  if (arg('worker')) return worker(arg('worker'), args[args.indexOf('--worker') + 2]);
  const sizeMb = Number(arg('size-mb', 1024));
  const only = arg('only');
  const files = {
    csv: path.join(dir, `big_${sizeMb}mb.csv`),
    parquet: path.join(dir, `big_${sizeMb}mb.parquet`),
    gz: path.join(dir, `big_${sizeMb}mb.csv.gz`),
  };
  const results = [];
  for (const [name, file] of Object.entries(files)) {
    if (only ? only !== name : name === 'gz') continue;
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run node bench/datalake-rows.mjs --size-mb ${sizeMb} first`);
    const kinds = ['om', ...(args.includes('--no-1-thread') ? [] : ['om-1-thread']), 'duckdb'];
    const runs = kinds.map((k) => measure(k, file));
    const duck = runs.find((r) => r.profiler === 'duckdb');
    results.push({
      file: path.basename(file),
      fileMb: Math.round(fs.statSync(file).size / 1048576),
      runs,
      omToDuckDbSummarize: Math.round((runs[0].mbPerSecond / duck.mbPerSecond) * 100) / 100,
    });
  }
  console.log(JSON.stringify({ node: process.version, cpus: (await import('node:os')).cpus().length, sizeMb, results }, null, 2));
}

await main();
