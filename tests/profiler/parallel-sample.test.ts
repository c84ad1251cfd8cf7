/**
 * Sample data from a worker-thread scan: the workers send back the first rows of the part that starts
 * the pass, so the sample comes from the profile's own pass (no head read) and equals the sample of a
 * one-thread profile. The workers run the built packages.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TableDataRequest } from '@om/core';
import { formatOf, LocalObjectStore, readFileSchema, tableDataRequest } from '@om/datalake';
import { profileTable, SampleCollector } from '@om/profiler';
import { DuckDBInstance } from '@duckdb/node-api';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-par-sample-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function table(key: string): Promise<TableDataRequest & { headReads: number }> {
  const store = new LocalObjectStore({ root });
  const size = fs.statSync(path.join(root, key)).size;
  const format = formatOf(key)!;
  const schema = await readFileSchema(store, '.', key, size, format, { sampleRows: 1000, sampleBytes: 1 << 20 });
  const t = await tableDataRequest({ store, bucket: '.', key, size, format }, { fqn: `s.d.sc."${key}"`, name: key, columns: schema.columns, fileFormat: format.fileFormat, useFooterStatistics: false, partBytes: 16 * 1024 });
  // Counts passes read in this thread through batches()/rows().
  const counted = { ...t, headReads: 0 } as TableDataRequest & { headReads: number };
  if (t.batches) counted.batches = (signal) => (counted.headReads++, t.batches!(signal));
  counted.rows = (signal) => (counted.headReads++, t.rows(signal));
  return counted;
}

async function samples(t: TableDataRequest & { headReads: number }) {
  const one = new SampleCollector(t.columns, { count: 20, csvNulls: t.fileFormat === 'csv' });
  await profileTable(t, { threads: 1, sample: one });
  const readsBefore = t.headReads;
  const par = new SampleCollector(t.columns, { count: 20, csvNulls: t.fileFormat === 'csv' });
  await profileTable(t, { threads: 2, parallelMinBytes: 0, sample: par });
  return { one: one.result(), par: par.result(), parallelHeadReads: t.headReads - readsBefore };
}

describe('sample data from worker-thread scans', () => {
  it('CSV parts: the first part carries the sample; same rows as one thread, no head read', async () => {
    const lines = ['id,amount,note'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${i % 9 === 0 ? 'NA' : (i * 1.25).toFixed(2)},n${i % 50}`);
    fs.writeFileSync(path.join(root, 'big.csv'), `${lines.join('\n')}\n`);
    const { one, par, parallelHeadReads } = await samples(await table('big.csv'));
    expect(par.rows).toHaveLength(20);
    expect(par).toEqual(one);
    expect(par.rows[0]).toEqual([1, 1.25, 'n1']);
    expect(parallelHeadReads).toBe(0);
  });

  it('Parquet column lanes: every lane sends its columns of the first row group', async () => {
    const q = path.join(root, 'groups.parquet').replace(/'/g, "''");
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS amount, 'c' || (i % 13) AS cat, DATE '2024-01-01' + (i % 365)::INTEGER AS day FROM range(30000) t(i)) TO '${q}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`);
    conn.closeSync();
    const { one, par, parallelHeadReads } = await samples(await table('groups.parquet'));
    expect(par.rows).toHaveLength(20);
    expect(par).toEqual(one);
    expect(par.rows[0]).toEqual([1, '1.5', 'c1', '2024-01-02']); // DECIMAL(18,1): text, as pydantic writes a Decimal
    expect(parallelHeadReads).toBe(0);
  });
});
