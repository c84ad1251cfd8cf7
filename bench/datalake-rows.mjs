// Full-scan throughput of the Datalake row readers (the profiler's input) on a large CSV and Parquet
// file, with DuckDB reading the same file in the same run as the reference (and papaparse for CSV).
// Each measurement runs in its own child process, so peak RSS is that reader's alone.
// Usage (after `pnpm build`): node bench/datalake-rows.mjs [--size-mb 1024] [--only csv|parquet|gz|jsonl]
// Data: bench/data/datalake/big (the files of bench/datalake-schema.mjs, generated here when missing).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '../packages/datalake');
const require = createRequire(path.join(pkg, 'package.json'));
const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const dir = path.resolve(here, 'data/datalake/big');

const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function worker(kind, file) {
  const t0 = process.hrtime.bigint();
  let rows = 0;
  let touched = 0;
  if (kind === 'om-ingest') {
    const dl = require(path.join(pkg, 'dist/index.js'));
    const store = new dl.LocalObjectStore({ root: path.dirname(file) });
    const key = path.basename(file);
    const size = fs.statSync(file).size;
    for await (const row of dl.readRows({ store, bucket: '.', key, size, format: dl.formatOf(key) })) {
      rows++;
      if (row.id !== null && row.id !== undefined) touched++;
    }
  } else if (kind === 'papaparse') {
    const Papa = require('papaparse');
    const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
    stream.setEncoding('utf8');
    await new Promise((resolve, reject) => {
      Papa.parse(stream, {
        chunk: (res) => {
          rows += res.data.length;
          touched += res.data.length;
        },
        complete: resolve,
        error: reject,
      });
    });
    rows -= 1; // header
  } else if (kind === 'duckdb') {
    const { DuckDBInstance } = require('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const q = file.replace(/'/g, "''");
    const fn = file.endsWith('.parquet') ? 'read_parquet' : file.endsWith('.jsonl') ? 'read_json_auto' : 'read_csv';
    // max() of every column forces every value to be read and decoded (count(*) could use metadata).
    const cols = (await c.runAndReadAll(`DESCRIBE SELECT * FROM ${fn}('${q}')`)).getRowObjects().map((r) => String(r.column_name));
    const reader = await c.runAndReadAll(`SELECT count(*) AS n, ${cols.map((n) => `max("${n}")`).join(', ')} FROM ${fn}('${q}')`);
    rows = Number(reader.getRows()[0][0]);
    touched = rows;
    c.closeSync();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ rows, touched, seconds, peakRssMb: peakRssMb() }));
}

async function ensureData(sizeMb) {
  fs.mkdirSync(dir, { recursive: true });
  const csvFile = path.join(dir, `big_${sizeMb}mb.csv`);
  const parquetFile = path.join(dir, `big_${sizeMb}mb.parquet`);
  const rowsFor = (bytesPerRow) => Math.max(1000, Math.round((sizeMb * 1024 * 1024) / bytesPerRow));
  if (!fs.existsSync(csvFile) || !fs.existsSync(parquetFile)) {
    const { DuckDBInstance } = require('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const c = await db.connect();
    const q = (p) => p.replace(/'/g, "''");
    if (!fs.existsSync(parquetFile)) {
      await c.run(`COPY (SELECT i AS id, (i * 7919) % 1000003 AS user_id, random() * 1000 AS amount, (i % 17)::INTEGER AS qty,
          ((i % 100000) / 1000)::DECIMAL(18,3) AS price, 'cat' || (i % 50) AS category, 'c' || (i % 200) AS country,
          md5(i::VARCHAR) AS token, CASE WHEN i % 5 = 0 THEN NULL ELSE 'note "' || i || '", x' END AS note,
          TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts, i % 2 = 0 AS flag
        FROM range(${rowsFor(72)}) t(i)) TO '${q(parquetFile)}' (FORMAT parquet, COMPRESSION snappy)`);
    }
    if (!fs.existsSync(csvFile)) {
      await c.run(`COPY (SELECT i AS id, (i * 7919) % 1000003 AS user_id, random() * 1000 AS amount, 'cat' || (i % 50) AS category,
          md5(i::VARCHAR) AS token, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts
        FROM range(${rowsFor(100)}) t(i)) TO '${q(csvFile)}' (HEADER)`);
    }
    c.closeSync();
  }
  const gz = `${csvFile}.gz`;
  if (!fs.existsSync(gz)) await pipeline(fs.createReadStream(csvFile), zlib.createGzip({ level: 1 }), fs.createWriteStream(gz));
  return { csv: csvFile, parquet: parquetFile, gz };
}

function measure(kind, file) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', kind, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const r = JSON.parse(out);
  const mb = fs.statSync(file).size / (1024 * 1024);
  return { reader: kind, rows: r.rows, seconds: Math.round(r.seconds * 100) / 100, mbPerSecond: Math.round((mb / r.seconds) * 10) / 10, peakRssMb: r.peakRssMb };
}

async function main() {
  if (arg('worker')) return worker(arg('worker'), args[args.indexOf('--worker') + 2]);
  const sizeMb = Number(arg('size-mb', 1024));
  const only = arg('only');
  const files = await ensureData(sizeMb);
  const results = [];
  for (const [name, file] of Object.entries(files)) {
    if (only && only !== name) continue;
    const readers = name === 'csv' ? ['om-ingest', 'papaparse', 'duckdb'] : name === 'gz' ? ['om-ingest', 'duckdb'] : ['om-ingest', 'duckdb'];
    const runs = readers.map((r) => measure(r, file));
    const ours = runs[0];
    const duck = runs.find((r) => r.reader === 'duckdb');
    results.push({
      file: path.basename(file),
      fileMb: Math.round(fs.statSync(file).size / 1048576),
      runs,
      ratioToDuckDb: duck ? Math.round((ours.mbPerSecond / duck.mbPerSecond) * 100) / 100 : undefined,
    });
  }
  const report = { node: process.version, cpus: (await import('node:os')).cpus().length, sizeMb, results };
  console.log(JSON.stringify(report, null, 2));
}

await main();
