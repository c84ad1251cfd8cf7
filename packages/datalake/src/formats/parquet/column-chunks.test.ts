/**
 * Parquet column chunks: the same values as the row-group batches, the same sample, and one
 * decoded column chunk alive at a time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ColumnChunk } from '@om/core';
import { formatOf } from '../registry';
import { LocalObjectStore } from '../../local-store';
import { duckdb, TYPES_SELECT } from '../../test-support/duckdb';
import { openParquetTable, readBatches, tableDataRequest, type FileLocation } from '../table-data';

let root: string;
let store: LocalObjectStore;
const BUCKET = 'lake';

function location(key: string): FileLocation {
  return { store, bucket: BUCKET, key, size: fs.statSync(path.join(root, BUCKET, key)).size, format: formatOf(key)! };
}

/** Every item; a chunk's typed array is copied (a consumer must not keep it past the next one: it is reused). */
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) {
    const values = (x as { values?: unknown }).values;
    out.push(ArrayBuffer.isView(values) ? { ...x, values: (values as Float64Array).slice() } : x);
  }
  return out;
}

/** Column-wise values of a whole pass, from chunks (checking order, offsets and coverage). */
function columnsOfChunks(chunks: ColumnChunk[], names: string[]): { rows: number; columns: Record<string, unknown[]> } {
  const columns: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const c of chunks) {
    const col = columns[c.column];
    expect(col.length).toBe(c.rowStart);
    // In a Float64Array, NaN is a missing value (the ColumnChunk convention); these files hold no real NaN.
    const numeric = c.values instanceof Float64Array;
    for (let i = 0; i < c.length; i++) {
      const v = c.values === undefined ? null : c.values[i];
      col.push(numeric && Number.isNaN(v) ? null : (v ?? null));
    }
  }
  const rows = columns[names[0]].length;
  for (const n of names) expect(columns[n]).toHaveLength(rows);
  return { rows, columns };
}

function columnsOfRows(rows: Record<string, unknown>[], names: string[]): Record<string, unknown[]> {
  return Object.fromEntries(names.map((n) => [n, rows.map((r) => r[n] ?? null)]));
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-chunks-'));
  fs.mkdirSync(path.join(root, BUCKET, 'pq'), { recursive: true });
  store = new LocalObjectStore({ root });
  const q = (p: string) => path.join(root, BUCKET, p).replace(/'/g, "''");
  await duckdb([
    `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
    `COPY (${TYPES_SELECT}) TO '${q('pq/types.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
    `COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS amount, 'c' || (i % 13) AS cat FROM range(25000) t(i)) TO '${q('pq/nums.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`,
    // Nullable flat columns of every kind the flat decoder reads (parquet-flat.ts), dictionary and plain pages.
    `COPY (SELECT
        CASE WHEN i % 5 = 0 THEN NULL ELSE i::DOUBLE / 3 END AS ratio,
        CASE WHEN i % 3 = 0 THEN NULL ELSE i::REAL / 7 END AS f32,
        CASE WHEN i % 4 = 0 THEN NULL ELSE i * 1000003 - 9000000000 END::BIGINT AS big,
        CASE WHEN i % 6 = 0 THEN NULL ELSE (i % 50) - 25 END::INTEGER AS small,
        CASE WHEN i % 9 = 0 THEN NULL ELSE (4294967295 - i) END::UINTEGER AS u32,
        CASE WHEN i % 8 = 0 THEN NULL ELSE (i / 100)::DECIMAL(9,2) END AS d9_2,
        CASE WHEN i % 2 = 0 THEN NULL ELSE TIMESTAMP '1960-01-01 00:00:00.123456' + INTERVAL (i * 7919) SECOND END AS ts_us,
        CASE WHEN i % 2 = 1 THEN NULL ELSE (TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE)::TIMESTAMP_MS END AS ts_ms,
        CASE WHEN i % 10 = 0 THEN NULL ELSE DATE '1969-12-01' + (i % 400)::INTEGER END AS day,
        CASE WHEN i % 11 = 0 THEN NULL ELSE 'k' || (i % 17) END AS dict_text,
        CASE WHEN i % 13 = 0 THEN NULL ELSE md5(i::VARCHAR) END AS plain_text,
        CASE WHEN i % 7 = 0 THEN NULL ELSE i % 3 = 0 END AS flag,
        i AS required_id
      FROM range(20000) t(i)) TO '${q('pq/nulls.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 6000, COMPRESSION zstd)`,
  ]);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('Parquet columnChunks', () => {
  it.each(['pq/types.parquet', 'pq/nums.parquet', 'pq/nulls.parquet'])('%s: every column equals the batches, in any column order', async (key) => {
    const file = location(key);
    const table = await openParquetTable(store, BUCKET, key, file.size);
    const names = table.footer.root.children.map((c) => c.element.name);
    const batches = await all(readBatches(file));
    const expected: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, batches.flatMap((b) => Array.from(b.columns[n]).slice(0, b.length).map((v) => v ?? null))]));
    const order = [...names].reverse();
    const chunks = await all(table.columnChunks(order));
    // Per row group, the columns in the order asked (a text column may come in several slices).
    const runs = chunks.map((c) => c.column).filter((c, i, all) => i === 0 || all[i - 1] !== c);
    expect(runs.slice(0, order.length)).toEqual(order);
    expect(runs).toHaveLength(batches.length * names.length);
    const got = columnsOfChunks(chunks, order);
    expect(got.rows).toBe(table.numRows);
    for (const n of names) expect(got.columns[n]).toEqual(expected[n]);
  });

  it('a column the file lacks covers every row with undefined values; no columns, no chunks', async () => {
    const file = location('pq/nums.parquet');
    const table = await openParquetTable(store, BUCKET, file.key, file.size);
    const chunks = await all(table.columnChunks(['nope', 'id']));
    expect(chunks.filter((c) => c.column === 'nope').every((c) => c.values === undefined)).toBe(true);
    expect(chunks.some((c) => c.column === 'nope')).toBe(true);
    expect(columnsOfChunks(chunks, ['nope', 'id']).rows).toBe(25000);
    expect(await all(table.columnChunks([]))).toEqual([]);
  });

  it('decodes one column chunk at a time, only the requested column', async () => {
    const file = location('pq/types.parquet');
    const table = await openParquetTable(store, BUCKET, file.key, file.size);
    const names = table.footer.root.children.map((c) => c.element.name);
    const alive = new Set<string>();
    let maxAlive = 0;
    let decodes = 0;
    let asked = '';
    const trace = (e: { type: 'decoded' | 'released'; column: string; rowGroup: number }): void => {
      const id = `${e.rowGroup}:${e.column}`;
      if (e.type === 'decoded') {
        decodes++;
        expect(e.column).toBe(asked);
        alive.add(id);
      } else alive.delete(id);
      maxAlive = Math.max(maxAlive, alive.size);
    };
    const it = table.columnChunks(names, undefined, { trace })[Symbol.asyncIterator]();
    let chunks = 0;
    for (let k = 0; ; k++) {
      asked = names[k % names.length];
      const r = await it.next();
      if (r.done) break;
      expect(r.value.column).toBe(asked);
      chunks++;
    }
    expect(chunks).toBe((table.footer.metadata as { row_groups: unknown[] }).row_groups.length * names.length);
    expect(decodes).toBeGreaterThanOrEqual(chunks);
    expect(maxAlive).toBe(1);
    expect(alive.size).toBe(0);
  });

  it.each([
    [{ profileSample: 12.5, profileSampleType: 'PERCENTAGE' as const, seed: 7 }],
    [{ profileSample: 700, profileSampleType: 'ROWS' as const, seed: 5 }],
    [{ profileSample: 99999, profileSampleType: 'ROWS' as const }],
  ])('sampling %j: every column keeps the rows batches()/rows() keep', async (sampling) => {
    for (const key of ['pq/nums.parquet', 'pq/types.parquet', 'pq/nulls.parquet']) {
      const file = location(key);
      for (const useFooterStatistics of [true, false]) {
        const req = await tableDataRequest(file, { fqn: 'svc.db.lake."x"', name: key, columns: [], sampling, useFooterStatistics });
        const rows = await all(req.rows());
        const names = Object.keys(rows[0]);
        const got = columnsOfChunks(await all(req.columnChunks!(names)), names);
        expect(got.rows).toBe(rows.length);
        expect(got.columns).toEqual(columnsOfRows(rows, names));
        if (sampling.profileSampleType === 'ROWS') expect(rows).toHaveLength(Math.min(sampling.profileSample, key.includes('nums') ? 25000 : key.includes('nulls') ? 20000 : 3000));
      }
    }
  });

  it.each(['pq/nulls.parquet', 'pq/types.parquet', 'pq/nums.parquet'])('%s: encoded chunks (text cells as byte ranges, dictionary indexes) hold the values columnChunks gives', async (key) => {
    const file = location(key);
    const table = await openParquetTable(store, BUCKET, file.key, file.size);
    const names = table.footer.root.children.map((c) => c.element.name);
    const expected = columnsOfChunks(await all(table.columnChunks(names)), names);
    let cellChunks = 0;
    let dictionaryChunks = 0;
    const asStrings: ColumnChunk[] = [];
    for await (const c of table.encodedChunks(names)) {
      if ('indexes' in c) {
        dictionaryChunks++;
        const numeric = c.dictionary instanceof Float64Array;
        const values = Array.from(c.indexes.subarray(0, c.length), (k) => (k < 0 ? (numeric ? NaN : null) : c.dictionary[k]));
        asStrings.push({ column: c.column, rowStart: c.rowStart, length: c.length, values: numeric ? Float64Array.from(values as number[]) : values });
        continue;
      }
      if (!('cells' in c)) {
        asStrings.push({ ...c, values: ArrayBuffer.isView(c.values) ? (c.values as Float64Array).slice() : c.values });
        continue;
      }
      cellChunks++;
      const text = Buffer.from(c.cells.bytes.buffer, c.cells.bytes.byteOffset, c.cells.bytes.byteLength);
      const values = Array.from({ length: c.length }, (_, i) => (c.cells.starts[i] < 0 ? null : text.toString('utf8', c.cells.starts[i], c.cells.ends[i])));
      asStrings.push({ column: c.column, rowStart: c.rowStart, length: c.length, values });
    }
    expect(columnsOfChunks(asStrings, names)).toEqual(expected);
    // The nullable file has plain-encoded text (md5 values) and dictionary-encoded text and numbers.
    if (key === 'pq/nulls.parquet') {
      expect(cellChunks).toBeGreaterThan(0);
      expect(dictionaryChunks).toBeGreaterThan(0);
    }
  });

  it('only Parquet requests offer column chunks', async () => {
    const key = 'c/x.csv';
    fs.mkdirSync(path.join(root, BUCKET, 'c'), { recursive: true });
    fs.writeFileSync(path.join(root, BUCKET, key), 'a\n1\n');
    const req = await tableDataRequest(location(key), { fqn: 'f', name: key, columns: [] });
    expect(req.columnChunks).toBeUndefined();
  });
});
