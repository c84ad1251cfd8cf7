/**
 * Profiles scanned by worker threads equal the single-thread profile of the same file (the workers
 * run the built packages: `pnpm test` builds first).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ColumnProfile, TableDataRequest } from '@om/core';
import { formatOf, LocalObjectStore, readFileSchema, seededRandom, tableDataRequest } from '@om/datalake';
import { DEFAULT_LIMITS, profileTable, type ProfileResult } from '@om/profiler';
import { DuckDBInstance } from '@duckdb/node-api';

async function duckdb(sql: string[]): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const s of sql) await conn.run(s);
  } finally {
    conn.closeSync();
  }
}


let root: string;
const store = (): LocalObjectStore => new LocalObjectStore({ root });

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-scan-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function table(key: string, partBytes = 16 * 1024): Promise<TableDataRequest> {
  const size = fs.statSync(path.join(root, key)).size;
  const format = formatOf(key)!;
  const schema = await readFileSchema(store(), '.', key, size, format, { sampleRows: 1000, sampleBytes: 1 << 20 });
  return tableDataRequest({ store: store(), bucket: '.', key, size, format }, { fqn: `s.d.sc."${key}"`, name: key, columns: schema.columns, fileFormat: format.fileFormat, useFooterStatistics: false, partBytes });
}

const T = 1_700_000_000_000;

/** Float metrics may differ in the last bits (merged moments); everything else must be equal. */
function expectSameProfile(parallel: ProfileResult, single: ProfileResult): void {
  expect(parallel.profile.tableProfile).toEqual(single.profile.tableProfile);
  expect(parallel.approximateMetrics).toEqual(single.approximateMetrics);
  const approx = new Set(single.approximateMetrics);
  const cols = (r: ProfileResult): ColumnProfile[] => r.profile.columnProfile ?? [];
  expect(cols(parallel).map((c) => c.name)).toEqual(cols(single).map((c) => c.name));
  cols(single).forEach((s, i) => {
    const p = cols(parallel)[i] as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(s)) {
      if (approx.has(`${s.name}.${k}`)) continue;
      if (typeof v === 'number' && ['mean', 'stddev', 'variance', 'sum', 'nonParametricSkew'].includes(k)) expect(p[k]).toBeCloseTo(v, 6);
      else expect([s.name, k, p[k]]).toEqual([s.name, k, v]);
    }
  });
}

describe('parallel profile scan', () => {
  it('CSV with quotes, multi-line fields, nulls and bad values: same profile as one thread', async () => {
    const r = seededRandom(7);
    const lines = ['id,amount,category,note,day,flag'];
    for (let i = 0; i < 20_000; i++) {
      const amount = i % 97 === 0 ? 'NA' : i % 1001 === 0 ? 'oops' : (r() * 1000).toFixed(3);
      const note = i % 5 === 0 ? `"line ${i}\nwith ""quotes"", and comma"` : i % 11 === 0 ? '' : `n${i % 300}`;
      const day = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      lines.push(`${i},${amount},cat${i % 7},${note},${day},${i % 3 === 0}`);
    }
    fs.writeFileSync(path.join(root, 'mixed.csv'), lines.join('\r\n') + '\r\n');
    const t = await table('mixed.csv');
    const single = await profileTable(t, { timestamp: T, threads: 1 });
    const parallel = await profileTable(t, { timestamp: T, threads: 2, parallelMinBytes: 0 });
    expect(parallel.profile.tableProfile.rowCount).toBe(20_000);
    expectSameProfile(parallel, single);
    // Sketch mode on both sides of the merge: distinct counts stay exact-equal to one thread's.
    const small = { ...DEFAULT_LIMITS, exactDistinctLimit: 500, exactQuantileLimit: 1000 };
    const s2 = await profileTable(t, { timestamp: T, threads: 1, limits: small });
    const p2 = await profileTable(t, { timestamp: T, threads: 3, parallelMinBytes: 0, limits: small });
    expect(p2.approximateMetrics).toEqual(s2.approximateMetrics);
    const byName = (x: ProfileResult): Record<string, ColumnProfile> => Object.fromEntries((x.profile.columnProfile ?? []).map((c) => [c.name, c]));
    for (const [name, c] of Object.entries(byName(s2))) {
      expect([name, byName(p2)[name].distinctCount, byName(p2)[name].uniqueCount]).toEqual([name, c.distinctCount, c.uniqueCount]);
      if (c.median !== undefined) expect(Math.abs(byName(p2)[name].median! - c.median) / (Number(c.max) - Number(c.min))).toBeLessThan(0.03);
    }
  });

  it('Parquet row groups: same profile as one thread', async () => {
    const q = path.join(root, 'groups.parquet').replace(/'/g, "''");
    await duckdb([
      `COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS amount, 'c' || (i % 13) AS cat, DATE '2024-01-01' + (i % 365)::INTEGER AS day FROM range(30000) t(i)) TO '${q}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`,
    ]);
    const t = await table('groups.parquet');
    const single = await profileTable(t, { timestamp: T, threads: 1 });
    const parallel = await profileTable(t, { timestamp: T, threads: 2, parallelMinBytes: 0 });
    expect(parallel.profile.tableProfile.rowCount).toBe(30_000);
    expectSameProfile(parallel, single);
  });

  it('a decoder error in a worker fails the profile with its message (no stack for a user error)', async () => {
    const decoder = path.join(root, 'bad-decoder.js');
    fs.writeFileSync(
      decoder,
      `exports.openPartDecoder = () => ({ *columnChunks(payload) {
        if (payload.n === 3) { const e = new Error('row group 3 is corrupt: re-export the file'); e.name = 'FileReadError'; e.userError = true; throw e; }
        yield { column: 'a', rowStart: 0, length: 1, values: ['1'] };
      } });`,
    );
    const t: TableDataRequest = {
      fqn: 's.d.sc."x.csv"',
      name: 'x.csv',
      columns: [{ name: 'a', dataType: 'INT' }],
      sizeInByte: 1,
      rows: async function* () {},
      parts: async () => ({
        decoderModule: decoder,
        decoderOptions: {},
        parts: (async function* () {
          for (let n = 0; n < 10; n++) yield { payload: { n }, bytes: 1 };
        })(),
        close: async () => {},
      }),
    };
    const failure = profileTable(t, { threads: 2, parallelMinBytes: 0 });
    await expect(failure).rejects.toThrow('row group 3 is corrupt: re-export the file');
    await expect(failure).rejects.toMatchObject({ name: 'FileReadError', userError: true });
    const ok = { ...t, parts: async () => ({ ...(await t.parts!())!, parts: (async function* () { for (let n = 0; n < 3; n++) yield { payload: { n }, bytes: 1 }; })() }) };
    const result = await profileTable(ok, { threads: 2, parallelMinBytes: 0 });
    expect(result.profile.tableProfile.rowCount).toBe(3);
    expect(result.profile.columnProfile![0]).toMatchObject({ valuesCount: 3, sum: 3 });
  });

  it('a worker that runs out of heap: the table is profiled again in the calling thread, with a warning', async () => {
    const decoder = path.join(root, 'hungry-decoder.js');
    // Keeps everything it allocates: past the worker's old-generation cap.
    fs.writeFileSync(decoder, `const kept = []; exports.openPartDecoder = () => ({ *columnChunks() { for (;;) kept.push(new Array(100000).fill(0).map((_, i) => ({ i }))); } });`);
    const warnings: string[] = [];
    const t: TableDataRequest = {
      fqn: 's.d.sc."y.csv"',
      name: 'y.csv',
      columns: [{ name: 'a', dataType: 'INT' }],
      sizeInByte: 1,
      rows: async function* () {
        yield { a: '1' };
        yield { a: '2' };
      },
      parts: async () => ({
        decoderModule: decoder,
        decoderOptions: {},
        parts: (async function* () {
          yield { payload: {}, bytes: 1 };
        })(),
        close: async () => {},
      }),
    };
    const result = await profileTable(t, { threads: 2, parallelMinBytes: 0, warn: (m) => warnings.push(m) });
    expect(result.profile.tableProfile.rowCount).toBe(2);
    expect(result.profile.columnProfile![0]).toMatchObject({ valuesCount: 2, sum: 3 });
    expect(warnings).toEqual([expect.stringContaining('ran out of heap')]);
  });
});
