// Profiling one local file: the Datalake source in Profiler mode + orm-profiler through the Workflow
// (file sink), or DuckDB SUMMARIZE on the same file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { ROOT, core, datalake, duckdb, now, profiler, quietLogger, registry } from './env.mjs';
import { devNull } from './ingest.mjs';
import { configSource as s3ConfigSource } from './s3.mjs';

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Profiles `file` with every default metric: read through the local store, or, with `s3`
 * ({endpoint, bucket}), the object of the same name in that S3 bucket.
 */
export async function profileWithWorkflow(file, out, s3 = undefined) {
  const { Workflow } = core();
  const bucketDir = path.dirname(file);
  const key = path.basename(file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const logger = quietLogger();
  const connection = s3
    ? { type: 'Datalake', configSource: s3ConfigSource(s3.endpoint), bucketName: s3.bucket }
    : { type: 'Datalake', configSource: { root: path.dirname(bucketDir) }, bucketName: path.basename(bucketDir) };
  const config = {
    source: {
      type: 'datalake',
      serviceName: s3 ? 'bench_s3' : 'bench_local',
      serviceConnection: { config: connection },
      sourceConfig: { config: { type: 'Profiler', tableFilterPattern: { includes: [`^${escapeRe(key)}$`] } } },
    },
    processor: { type: 'orm-profiler', config: {} },
    sink: { type: 'file', config: { filename: out, format: 'jsonl' } },
    workflowConfig: { loggerLevel: 'WARN' },
  };
  let workflow;
  try {
    workflow = await Workflow.create(config, { registry: registry(), logger, stdout: devNull() });
  } catch (err) {
    // The Profiler mode of the Datalake source is not there (yet): the config does not validate.
    return { pending: true, reason: String(err.message ?? err).split('\n').slice(0, 3).join(' ') };
  }
  const t0 = now();
  const cpu0 = process.cpuUsage();
  try {
    await workflow.execute();
  } finally {
    await workflow.stop();
  }
  const ms = now() - t0;
  // This process's CPU time, worker threads included.
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const summary = workflow.summary();
  let profiles = 0;
  let rowCount;
  let columns;
  if (fs.existsSync(out)) {
    for (const line of fs.readFileSync(out, 'utf8').split('\n')) {
      if (!line.includes('"tableProfile"')) continue;
      profiles++;
      const rec = JSON.parse(line);
      rowCount = rec.profile?.tableProfile?.rowCount ?? rowCount;
      columns = rec.profile?.columnProfile?.length ?? columns;
    }
    fs.rmSync(out, { force: true });
  }
  return {
    ms,
    cpuMs,
    profiles,
    rowCount,
    columns,
    errors: summary.steps.reduce((n, s) => n + s.errors, 0),
    failureSamples: summary.steps.flatMap((s) => s.failureSamples).slice(0, 3),
    logs: logger.kept.slice(0, 5),
  };
}

/** DuckDB `SUMMARIZE` of the same file (all threads DuckDB wants, or `threads`). */
export async function summarizeWithDuckDB(file, threads) {
  const { DuckDBInstance } = duckdb();
  const db = await DuckDBInstance.create(':memory:', threads ? { threads: String(threads) } : {});
  const c = await db.connect();
  try {
    const t0 = now();
    const reader = file.endsWith('.parquet') ? `read_parquet('${file.replace(/'/g, "''")}')` : `read_csv('${file.replace(/'/g, "''")}')`;
    const result = await c.runAndReadAll(`SUMMARIZE SELECT * FROM ${reader}`);
    const ms = now() - t0;
    const rows = result.getRowObjects();
    const threadsUsed = (await c.runAndReadAll(`SELECT current_setting('threads') AS t`)).getRowObjects()[0].t;
    return { ms, columns: rows.length, rowCount: Number(rows[0]?.count ?? 0), threads: Number(threadsUsed) };
  } finally {
    c.closeSync();
  }
}

/**
 * The same profile without the Workflow (used while the Datalake source has no Profiler mode): the
 * schema reader for the columns, the row readers' `tableDataRequest`, then @om/profiler's `profileTable`.
 */
export async function profileDirect(file) {
  const dl = datalake();
  const rowsModule = path.join(ROOT, 'packages/datalake/dist/formats/table-data.js');
  if (!fs.existsSync(rowsModule)) return { pending: true, reason: 'no row readers in @om/datalake (packages/datalake/dist/formats/table-data.js)' };
  const rowsApi = createRequire(import.meta.url)(rowsModule);
  const { profileTable } = profiler();
  const bucketDir = path.dirname(file);
  const store = new dl.LocalObjectStore({ root: path.dirname(bucketDir) });
  const bucket = path.basename(bucketDir);
  const key = path.basename(file);
  const size = fs.statSync(file).size;
  const format = dl.formatOf(key);
  const t0 = now();
  const schema = await dl.readFileSchema(store, bucket, key, size, format, { sampleRows: 1000, sampleBytes: 524288 });
  const fqn = `bench_local.default.${bucket}."${key}"`;
  const request = await rowsApi.tableDataRequest(
    { store, bucket, key, size, format },
    { fqn, name: key, columns: schema.columns, fileFormat: format.fileFormat },
  );
  const result = await profileTable(request, {});
  const ms = now() - t0;
  const profile = result.profile ?? result;
  return { ms, profiles: 1, rowCount: profile?.tableProfile?.rowCount, columns: profile?.columnProfile?.length, direct: true };
}
