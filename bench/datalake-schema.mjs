// Schema-read cost of the Datalake readers on large files: range reads and bytes for Parquet footers,
// bytes read for the first sample of CSV / NDJSON (plain and gzip), peak RSS over a folder of large files.
// Usage (after `pnpm build`): node bench/datalake-schema.mjs [--size-mb 1024] [--files 4]
// Generated data lives in bench/data/datalake (gitignored) and is reused between runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '../packages/datalake');
const require = createRequire(path.join(pkg, 'package.json'));
const dl = require(path.join(pkg, 'dist/index.js'));
const { CountingObjectStore } = require(path.join(pkg, 'dist/testing/index.js'));
const { DuckDBInstance } = require('@duckdb/node-api');

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const sizeMb = arg('size-mb', 1024);
const files = arg('files', 4);
const root = path.resolve(here, 'data/datalake');
const dir = path.join(root, 'big');
fs.mkdirSync(dir, { recursive: true });

const rowsFor = (bytesPerRow) => Math.max(1000, Math.round((sizeMb * 1024 * 1024) / bytesPerRow));

async function generate() {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const q = (p) => p.replace(/'/g, "''");
  const made = {};
  const parquetFile = path.join(dir, `big_${sizeMb}mb.parquet`);
  if (!fs.existsSync(parquetFile)) {
    // ~72 bytes per row compressed with these columns (formats.md: 14.5 M rows ≈ 1.02 GB).
    await c.run(`COPY (SELECT i AS id, (i * 7919) % 1000003 AS user_id, random() * 1000 AS amount, (i % 17)::INTEGER AS qty,
        ((i % 100000) / 1000)::DECIMAL(18,3) AS price, 'cat' || (i % 50) AS category, 'c' || (i % 200) AS country,
        md5(i::VARCHAR) AS token, CASE WHEN i % 5 = 0 THEN NULL ELSE 'note "' || i || '", x' END AS note,
        TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts, i % 2 = 0 AS flag
      FROM range(${rowsFor(72)}) t(i)) TO '${q(parquetFile)}' (FORMAT parquet, COMPRESSION snappy)`);
    made.parquet = true;
  }
  const csvFile = path.join(dir, `big_${sizeMb}mb.csv`);
  if (!fs.existsSync(csvFile)) {
    await c.run(`COPY (SELECT i AS id, (i * 7919) % 1000003 AS user_id, random() * 1000 AS amount, 'cat' || (i % 50) AS category,
        md5(i::VARCHAR) AS token, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts
      FROM range(${rowsFor(100)}) t(i)) TO '${q(csvFile)}' (HEADER)`);
    made.csv = true;
  }
  const ndjsonFile = path.join(dir, `big_${sizeMb}mb.jsonl`);
  if (!fs.existsSync(ndjsonFile)) {
    await c.run(`COPY (SELECT i AS id, random() * 1000 AS amount, {'cat': 'cat' || (i % 50), 'n': i % 7} AS nested, [i, i + 1] AS list,
        md5(i::VARCHAR) AS token FROM range(${rowsFor(140)}) t(i)) TO '${q(ndjsonFile)}' (FORMAT json)`);
    made.ndjson = true;
  }
  c.closeSync();
  const gz = `${csvFile}.gz`;
  if (!fs.existsSync(gz)) await pipeline(fs.createReadStream(csvFile), zlib.createGzip({ level: 1 }), fs.createWriteStream(gz));
  return { parquetFile, csvFile, ndjsonFile, gz, made };
}

async function measure(store, key, size) {
  const counting = new CountingObjectStore(store);
  const t = process.hrtime.bigint();
  const format = dl.formatOf(key);
  const schema = await dl.readFileSchema(counting, 'big', key, size, format, { sampleRows: 1000, sampleBytes: dl.DEFAULT_SAMPLE_BYTES });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return {
    file: key,
    fileBytes: size,
    columns: schema.columns.length,
    rangeReads: counting.counters.rangeReads,
    streams: counting.counters.streams,
    bytesRead: counting.counters.bytes,
    ms: Math.round(ms * 10) / 10,
  };
}

const t0 = Date.now();
const gen = await generate();
const genSeconds = (Date.now() - t0) / 1000;
const store = new dl.LocalObjectStore({ root });
const results = [];
for (const file of [gen.parquetFile, gen.csvFile, gen.gz, gen.ndjsonFile]) {
  const key = path.basename(file);
  results.push(await measure(store, key, fs.statSync(file).size));
}

// Peak RSS over a folder of many large files: the same files read `files` times each, concurrently 8.
const many = [];
for (let i = 0; i < files; i++) for (const f of [gen.parquetFile, gen.csvFile, gen.gz, gen.ndjsonFile]) many.push(f);
const rssBefore = process.memoryUsage().rss;
await Promise.all(many.map((f) => measure(store, path.basename(f), fs.statSync(f).size)));
const report = {
  bench: 'datalake-schema',
  node: process.version,
  sizeMb,
  generatedSeconds: genSeconds,
  targets: { parquetRangeReadsMax: 2, parquetBytesMax: 600 * 1024, textBytesMax: 1024 * 1024 },
  results,
  folder: { files: many.length, totalBytes: many.reduce((n, f) => n + fs.statSync(f).size, 0), rssBeforeMb: Math.round(rssBefore / 2 ** 20), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) },
};
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
