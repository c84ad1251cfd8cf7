/**
 * The column-batch path gives exactly the row path's results: profiles and test results on the
 * same data (nulls, NaN, strings, dates, numbers, nested values, sketches past the exact limits,
 * and sampled CSV tables read through @om/datalake).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { batchesOfRows, type Column, type TableDataRequest } from '@om/core';
import { LocalObjectStore, formatOf, readFileSchema, tableDataRequest } from '@om/datalake';
// Test-only Parquet writer (DuckDB), shared with @om/datalake's tests (required by path: it is
// outside this package's sources, and DuckDB is @om/datalake's dev dependency).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { duckdb, TYPES_SELECT } = require(path.join(__dirname, '../../datalake/src/test-support/duckdb')) as {
  duckdb: (sql: string[]) => Promise<void>;
  TYPES_SELECT: string;
};
import type { TestCaseDefinitionConfig } from './config';
import { DEFAULT_LIMITS } from './metrics/column';
import { profileTable } from './metrics/profile';
import { runTestCases } from './quality/runner';
import { columns, memoryTable, seededRandom } from './testing/tables';

const T = 1_700_000_000_000;
const SMALL = { ...DEFAULT_LIMITS, exactDistinctLimit: 40, exactQuantileLimit: 64 };

async function* from<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const x of items) yield x;
}

/** The same table without `batches` (the row path). */
function rowsOnly(table: TableDataRequest): TableDataRequest {
  const { batches: _batches, ...rest } = table;
  return rest;
}

const COLS = columns({
  id: 'BIGINT', amount: 'DOUBLE', qty: 'INT', name: 'STRING', day: 'DATE', ts: 'TIMESTAMP', tod: 'TIME', flag: 'BOOLEAN', meta: 'JSON', blank: 'INT',
});

function makeRows(n: number): Record<string, unknown>[] {
  const rnd = seededRandom(11);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    rows.push({
      id: i,
      amount: r < 0.1 ? null : r < 0.12 ? Number.NaN : Math.round(rnd() * 1e6) / 100,
      qty: r < 0.05 ? '' : String(i % 17),
      name: r < 0.08 ? null : r < 0.1 ? 'NA' : r < 0.11 ? '' : `näme ${i % 53} 😀`.slice(0, 3 + (i % 9)),
      day: r < 0.07 ? null : r < 0.08 ? 'not a date' : `2024-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
      ts: r < 0.06 ? undefined : Date.UTC(2024, 0, 1) + i * 61_000,
      tod: i % 11 === 0 ? null : `${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:15`,
      flag: i % 13 === 0 ? null : i % 3 === 0 ? 'yes' : i % 3 === 1,
      meta: i % 4 === 0 ? null : { k: i % 5, tags: ['a', i % 2] },
      blank: null,
    });
  }
  return rows;
}

describe('profileTable: batches and rows give the same profile', () => {
  const data = makeRows(3000);
  it.each([1, 7, 512, 4096])('batch size %i, exact and sketched metrics', async (size) => {
    for (const limits of [DEFAULT_LIMITS, SMALL]) {
      const table = memoryTable(COLS, data, { fileFormat: 'csv', batches: () => batchesOfRows(from(data), size) });
      const viaBatches = await profileTable(table, { timestamp: T, limits });
      expect(table.passes).toBe(0); // the batch path never asked for rows
      const viaRows = await profileTable(rowsOnly(table), { timestamp: T, limits });
      expect(viaBatches).toEqual(viaRows);
      expect(viaRows.profile.tableProfile.rowCount).toBe(3000);
    }
  });

  it('a column absent from a batch counts as nulls, as a missing key does on the row path', async () => {
    const rows = [{ a: 1 }, { a: 2 }, { a: 3, b: 'x' }];
    const table = memoryTable({ a: 'INT', b: 'STRING' }, rows, { batches: () => batchesOfRows(from(rows), 2) });
    expect(await profileTable(table, { timestamp: T })).toEqual(await profileTable(rowsOnly(table), { timestamp: T }));
  });
});

const CASES: [string, string | undefined, Record<string, string>][] = [
  ['tableRowCountToBeBetween', undefined, { minValue: '1', maxValue: '4000' }],
  ['tableCustomSQLQuery', undefined, { sqlExpression: "amount > 5000 AND name != 'NA'" }],
  ['tableCustomSQLQuery', undefined, { sqlExpression: 'SELECT * FROM t WHERE qty >= 10 OR day < "2024-03-01"', strategy: 'COUNT', threshold: '10', operator: '>' }],
  ['tableRowInsertedCountToBeBetween', undefined, { columnName: 'ts', rangeType: 'DAY', rangeInterval: '400', min: '1' }],
  ['columnValuesToBeNotNull', 'amount', {}],
  ['columnValuesToBeUnique', 'id', {}],
  ['columnValuesToBeUnique', 'name', {}],
  ['columnValuesToBeBetween', 'amount', { minValue: '10', maxValue: '9000' }],
  ['columnValuesToBeBetween', 'day', { minValue: '2024-01-01', maxValue: '2024-06-30' }],
  ['columnValuesToBeInSet', 'qty', { allowedValues: "['1', '2', '3']" }],
  ['columnValuesToBeNotInSet', 'name', { forbiddenValues: "['näme 1 😀']" }],
  ['columnValuesToMatchRegex', 'name', { regex: '^n' }],
  ['columnValuesToNotMatchRegex', 'name', { forbiddenRegex: '😀' }],
  ['columnValueLengthsToBeBetween', 'name', { minLength: '3', maxLength: '8' }],
  ['columnValuesMissingCount', 'name', { missingCountValue: '10' }],
  ['columnValuesSumToBeBetween', 'amount', { minValueForColSum: '1' }],
  ['columnValueMaxToBeBetween', 'ts', { minValueForMaxInCol: '0' }],
  ['columnValueMinToBeBetween', 'qty', { maxValueForMinInCol: '0' }],
  ['columnValueMeanToBeBetween', 'amount', { minValueForMeanInCol: '4000', maxValueForMeanInCol: '6000' }],
  ['columnValueMedianToBeBetween', 'amount', { minValueForMedianInCol: '4000', maxValueForMedianInCol: '6000' }],
  ['columnValueStdDevToBeBetween', 'amount', { minValueForStdDevInCol: '1' }],
  ['columnValuesToBeNotNull', 'meta', {}],
  ['columnValuesToBeNotNull', 'blank', {}],
];

function testCases(): TestCaseDefinitionConfig[] {
  return CASES.map(([def, col, params], i) => ({
    name: `c${i}`,
    testDefinitionName: def,
    ...(col ? { columnName: col } : {}),
    parameterValues: Object.entries(params).map(([name, value]) => ({ name, value })),
    computePassedFailedRowCount: true,
  }));
}

describe('runTestCases: batches and rows give the same results', () => {
  const data = makeRows(2500);
  it.each([1, 100, 8192])('batch size %i (column tests, custom SQL, row counts)', async (size) => {
    for (const limits of [DEFAULT_LIMITS, SMALL]) {
      const table = memoryTable(COLS, data, { fileFormat: 'csv', batches: () => batchesOfRows(from(data), size) });
      const viaBatches = await runTestCases(table, testCases(), { now: T, limits });
      expect(table.passes).toBe(0);
      const viaRows = await runTestCases(rowsOnly(table), testCases(), { now: T, limits });
      expect(viaBatches).toEqual(viaRows);
      expect(viaRows.filter((r) => r.result.testCaseStatus === 'Aborted').map((r) => r.result.result)).toEqual([]);
    }
  });

  it('column tests alone (no row observers) take the per-column loop and agree', async () => {
    const only = testCases().filter((tc) => ['columnValuesToBeUnique', 'columnValueMeanToBeBetween', 'columnValuesToBeNotNull'].includes(tc.testDefinitionName));
    const table = memoryTable(COLS, data, { fileFormat: 'csv', batches: () => batchesOfRows(from(data), 333) });
    expect(await runTestCases(table, only, { now: T })).toEqual(await runTestCases(rowsOnly(table), only, { now: T }));
  });
});

describe('CSV files through @om/datalake, sampled and not', () => {
  let root: string;
  let store: LocalObjectStore;
  const key = 'data/mixed.csv';
  const cols: Column[] = columns({ id: 'INT', amount: 'DOUBLE', name: 'STRING', day: 'DATE', ts: 'TIMESTAMP', flag: 'BOOLEAN' });

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-prof-batches-'));
    fs.mkdirSync(path.join(root, 'lake', 'data'), { recursive: true });
    const lines = ['id,amount,name,day,ts,flag'];
    const rnd = seededRandom(5);
    for (let i = 0; i < 20_000; i++) {
      const r = rnd();
      const amount = r < 0.1 ? '' : r < 0.12 ? 'NaN' : (rnd() * 1000).toFixed(3);
      const name = r < 0.05 ? 'N/A' : r < 0.07 ? '' : `"n ${i % 311}, q""x"`;
      const day = i % 17 === 0 ? '' : `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      const ts = `2024-01-01 ${String(i % 24).padStart(2, '0')}:00:${String(i % 60).padStart(2, '0')}`;
      lines.push(i % 1000 === 999 ? `${i},${amount}` : `${i},${amount},${name},${day},${ts},${i % 2 === 0}`);
    }
    fs.writeFileSync(path.join(root, 'lake', key), `\uFEFF${lines.join('\r\n')}\r\n`);
    store = new LocalObjectStore({ root });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    ['none', undefined],
    ['PERCENTAGE', { profileSample: 7, profileSampleType: 'PERCENTAGE' as const, seed: 3 }],
    ['ROWS', { profileSample: 1500, profileSampleType: 'ROWS' as const, seed: 9 }],
  ])('sampling %s: identical profile and test results on both paths', async (_name, sampling) => {
    const size = fs.statSync(path.join(root, 'lake', key)).size;
    const table = await tableDataRequest(
      { store, bucket: 'lake', key, size, format: formatOf(key)! },
      { fqn: 'svc.db.lake."data/mixed.csv"', name: key, columns: cols, fileFormat: 'csv', sampling },
    );
    expect(table.batches).toBeDefined();
    const cases = testCases().filter((tc) => !tc.columnName || cols.some((c) => c.name === tc.columnName));
    for (const limits of [DEFAULT_LIMITS, SMALL]) {
      const viaBatches = await profileTable(table, { timestamp: T, limits });
      expect(viaBatches).toEqual(await profileTable(rowsOnly(table), { timestamp: T, limits }));
      const expectedRows = sampling?.profileSampleType === 'ROWS' ? 1500 : undefined;
      if (expectedRows) expect(viaBatches.profile.tableProfile.rowCount).toBe(expectedRows);
      expect(await runTestCases(table, cases, { now: T, limits })).toEqual(await runTestCases(rowsOnly(table), cases, { now: T, limits }));
    }
  });
});

describe('Parquet: column chunks, batches and rows give the same profile', () => {
  let root: string;
  let store: LocalObjectStore;
  const key = 'pq/types.parquet';
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-profile-pq-'));
    fs.mkdirSync(path.join(root, 'lake', 'pq'), { recursive: true });
    store = new LocalObjectStore({ root });
    const q = path.join(root, 'lake', key).replace(/'/g, "''");
    // Nulls, decimals, dates and timestamps, enums, nested lists/structs/maps; several row groups.
    await duckdb([`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`, `COPY (${TYPES_SELECT}) TO '${q}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`]);
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each([
    ['none', undefined],
    ['PERCENTAGE', { profileSample: 30, profileSampleType: 'PERCENTAGE' as const, seed: 5 }],
    ['ROWS', { profileSample: 1200, profileSampleType: 'ROWS' as const, seed: 8 }],
  ])('sampling %s', async (_name, sampling) => {
    const size = fs.statSync(path.join(root, 'lake', key)).size;
    const file = { store, bucket: 'lake', key, size, format: formatOf(key)! };
    const schema = await readFileSchema(store, 'lake', key, size, file.format, { sampleRows: 1000, sampleBytes: 1 << 20 });
    for (const useFooterStatistics of [true, false]) {
      const table = await tableDataRequest(file, { fqn: 'svc.db.lake."pq/types.parquet"', name: key, columns: schema.columns, fileFormat: 'parquet', sampling, useFooterStatistics });
      expect(table.columnChunks).toBeDefined();
      let chunkPasses = 0;
      const chunks = table.columnChunks!;
      const counted: TableDataRequest = { ...table, columnChunks: (c, s) => (chunkPasses++, chunks(c, s)) };
      const { columnChunks: _cc, ...batchesOnly } = table;
      for (const limits of [DEFAULT_LIMITS, SMALL]) {
        const viaChunks = await profileTable(counted, { timestamp: T, limits });
        expect(viaChunks.scanned).toBe(true);
        const viaBatches = await profileTable(batchesOnly, { timestamp: T, limits });
        expect(viaChunks).toEqual(viaBatches);
        expect(viaChunks).toEqual(await profileTable(rowsOnly(batchesOnly), { timestamp: T, limits }));
        if (sampling?.profileSampleType === 'ROWS') expect(viaChunks.profile.tableProfile.rowCount).toBe(1200);
        else if (!sampling) expect(viaChunks.profile.tableProfile.rowCount).toBe(3000);
      }
      expect(chunkPasses).toBe(2);
    }
  });

  it('a table offering only column chunks for some columns still counts rows once', async () => {
    const size = fs.statSync(path.join(root, 'lake', key)).size;
    const file = { store, bucket: 'lake', key, size, format: formatOf(key)! };
    const table = await tableDataRequest(file, { fqn: 'f', name: key, columns: columns({ i32: 'INT', txt: 'STRING', missing: 'INT' }), fileFormat: 'parquet', useFooterStatistics: false });
    const r = await profileTable(table, { timestamp: T, metrics: ['rowCount', 'nullCount', 'valuesCount'] });
    expect(r.profile.tableProfile.rowCount).toBe(3000);
    expect(r.profile.columnProfile).toEqual([
      { name: 'i32', timestamp: T, valuesCount: 3000, nullCount: 0 },
      { name: 'txt', timestamp: T, valuesCount: 2700, nullCount: 300 },
      { name: 'missing', timestamp: T, valuesCount: 0, nullCount: 3000 },
    ]);
  });
});
