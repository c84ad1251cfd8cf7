import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Column } from '@om/core';
import { LocalObjectStore } from '../../local-store';
import { CountingObjectStore } from '../../testing';
import { duckdb, TYPES_SELECT } from '../../test-support/duckdb';
import { readParquetColumns, readParquetFooter, parquetColumns, mapPrimitive, type ParquetSchemaNode } from './schema';

let root: string;
const CODECS = ['uncompressed', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-parquet-'));
  const dir = path.join(root, 'lake');
  fs.mkdirSync(dir);
  const sql = [`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`, `CREATE TABLE types AS ${TYPES_SELECT}`];
  for (const codec of CODECS) sql.push(`COPY types TO '${dir}/types_${codec}.parquet' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 1024)`);
  sql.push(`COPY types TO '${dir}/types_v2.parquet' (FORMAT parquet, COMPRESSION zstd, PARQUET_VERSION V2)`);
  // Many row groups: a footer larger than the first 64 KiB read.
  sql.push(`COPY (SELECT i AS id, i * 1.5 AS amount, 'c' || (i % 50) AS category, md5(i::VARCHAR) AS token, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts FROM range(400000) t(i))
    TO '${dir}/wide_footer.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  await duckdb(sql);
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const byName = (cols: Column[]) => Object.fromEntries(cols.map((c) => [c.name, c]));

const EXPECTED: Record<string, Partial<Column>> = {
  i8: { dataType: 'INT', dataTypeDisplay: 'int8' },
  i16: { dataType: 'INT', dataTypeDisplay: 'int16' },
  i32: { dataType: 'INT', dataTypeDisplay: 'int32' },
  i64: { dataType: 'INT', dataTypeDisplay: 'int64' },
  u8: { dataType: 'UINT', dataTypeDisplay: 'uint8' },
  u16: { dataType: 'UINT', dataTypeDisplay: 'uint16' },
  u32: { dataType: 'UINT', dataTypeDisplay: 'uint32' },
  u64: { dataType: 'UINT', dataTypeDisplay: 'uint64' },
  f32: { dataType: 'FLOAT', dataTypeDisplay: 'float' },
  f64: { dataType: 'FLOAT', dataTypeDisplay: 'double' },
  d4_1: { dataType: 'DECIMAL', dataTypeDisplay: 'decimal128(4, 1)', precision: 4, scale: 1 },
  d9_2: { dataType: 'DECIMAL', dataTypeDisplay: 'decimal128(9, 2)', precision: 9, scale: 2 },
  d18_3: { dataType: 'DECIMAL', dataTypeDisplay: 'decimal128(18, 3)', precision: 18, scale: 3 },
  d38_10: { dataType: 'DECIMAL', dataTypeDisplay: 'decimal128(38, 10)', precision: 38, scale: 10 },
  flag: { dataType: 'BOOLEAN', dataTypeDisplay: 'bool' },
  txt: { dataType: 'STRING', dataTypeDisplay: 'string' },
  blob: { dataType: 'BINARY', dataTypeDisplay: 'binary' },
  day: { dataType: 'DATE', dataTypeDisplay: 'date32[day]' },
  tod: { dataType: 'TIME', dataTypeDisplay: 'time64[us]' },
  ts_us: { dataType: 'DATETIME', dataTypeDisplay: 'timestamp[us]' },
  ts_ms: { dataType: 'DATETIME', dataTypeDisplay: 'timestamp[ms]' },
  ts_ns: { dataType: 'DATETIME', dataTypeDisplay: 'timestamp[ns]' },
  ts_tz: { dataType: 'TIMESTAMP', dataTypeDisplay: 'timestamp[us, tz=UTC]' },
  id_uuid: { dataType: 'UUID', dataTypeDisplay: 'uuid' },
  doc: { dataType: 'JSON', dataTypeDisplay: 'json' },
  feeling: { dataType: 'STRING', dataTypeDisplay: 'string' },
  ints: { dataType: 'ARRAY', arrayDataType: 'INT', dataTypeDisplay: 'list<element: int64>' },
  kv: { dataType: 'MAP', dataTypeDisplay: 'map<string, int64>' },
  nested: { dataType: 'ARRAY', arrayDataType: 'ARRAY', dataTypeDisplay: 'list<element: list<element: int64>>' },
  fixed3: { dataType: 'ARRAY', arrayDataType: 'INT', dataTypeDisplay: 'list<element: int32>' },
};

describe.each(CODECS.concat('v2'))('Parquet footer (%s)', (codec) => {
  it('maps every type', async () => {
    const store = new LocalObjectStore({ root });
    const key = `types_${codec}.parquet`;
    const size = fs.statSync(path.join(root, 'lake', key)).size;
    const cols = await readParquetColumns(store, 'lake', key, size);
    const got = byName(cols);
    for (const [name, expected] of Object.entries(EXPECTED)) expect({ col: name, ...got[name] }).toMatchObject({ col: name, ...expected });
    expect(got.rec).toMatchObject({ dataType: 'STRUCT', dataTypeDisplay: 'struct<a: int64, b: string, c: list<element: int64>>' });
    expect(got.rec.children!.map((c) => [c.name, c.dataType, c.arrayDataType])).toEqual([
      ['a', 'INT', undefined],
      ['b', 'STRING', undefined],
      ['c', 'ARRAY', 'INT'],
    ]);
    expect(got.recs).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRUCT' });
    expect(got.recs.children!.map((c) => [c.name, c.dataType])).toEqual([['x', 'INT'], ['y', 'STRING']]);
    expect(cols.map((c) => c.name)).toEqual(Object.keys(EXPECTED).slice(0, 26).concat(['ints', 'rec', 'kv', 'recs', 'nested', 'fixed3']).filter((n, i, a) => a.indexOf(n) === i));
  });
});

describe('Parquet footer reads are bounded', () => {
  it('reads a footer larger than 64 KiB in exactly 2 range reads of about the footer size', async () => {
    const store = new CountingObjectStore(new LocalObjectStore({ root }));
    const size = fs.statSync(path.join(root, 'lake', 'wide_footer.parquet')).size;
    const footer = await readParquetFooter(store, 'lake', 'wide_footer.parquet', size);
    expect(footer.numRows).toBe(400000);
    const buf = fs.readFileSync(path.join(root, 'lake', 'wide_footer.parquet'));
    const footerLength = buf.readUInt32LE(buf.length - 8);
    expect(footerLength).toBeGreaterThan(64 * 1024);
    expect(store.counters.rangeReads).toBe(2);
    expect(store.counters.streams).toBe(0);
    expect(store.counters.bytes).toBe(footerLength + 8);
    expect(store.counters.bytes).toBeLessThan(600 * 1024);
  });

  it('reads a small file footer in one range read', async () => {
    const store = new CountingObjectStore(new LocalObjectStore({ root }));
    const size = fs.statSync(path.join(root, 'lake', 'types_snappy.parquet')).size;
    await readParquetColumns(store, 'lake', 'types_snappy.parquet', size);
    expect(store.counters.rangeReads).toBe(1);
    expect(store.counters.bytes).toBeLessThanOrEqual(64 * 1024);
  });

  it('rejects files that are not Parquet or are truncated', async () => {
    fs.writeFileSync(path.join(root, 'lake', 'bad.parquet'), 'not parquet at all, just text');
    const store = new LocalObjectStore({ root });
    await expect(readParquetColumns(store, 'lake', 'bad.parquet', 29)).rejects.toThrow(/not a Parquet file/);
    const good = fs.readFileSync(path.join(root, 'lake', 'types_snappy.parquet'));
    const cut = Buffer.concat([good.subarray(0, 100), good.subarray(good.length - 8)]);
    fs.writeFileSync(path.join(root, 'lake', 'cut.parquet'), cut);
    await expect(readParquetColumns(store, 'lake', 'cut.parquet', cut.length)).rejects.toThrow(/corrupt Parquet footer/);
  });
});

describe('Parquet legacy schema forms', () => {
  const leaf = (name: string, type: string, extra: Record<string, unknown> = {}, repetition = 'OPTIONAL'): ParquetSchemaNode => ({
    element: { name, type, repetition_type: repetition, ...extra },
    children: [],
  });
  const group = (name: string, children: ParquetSchemaNode[], extra: Record<string, unknown> = {}, repetition = 'OPTIONAL'): ParquetSchemaNode => ({
    element: { name, repetition_type: repetition, num_children: children.length, ...extra },
    children,
  });

  it('maps INT96 to a nanosecond timestamp and legacy converted timestamps as UTC', () => {
    expect(mapPrimitive({ name: 't', type: 'INT96' })).toMatchObject({ dataType: 'DATETIME', display: 'timestamp[ns]' });
    expect(mapPrimitive({ name: 't', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS' })).toMatchObject({ dataType: 'TIMESTAMP', display: 'timestamp[ms, tz=UTC]' });
    expect(mapPrimitive({ name: 'f', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 2, logical_type: { type: 'FLOAT16' } })).toMatchObject({ dataType: 'FLOAT' });
    expect(mapPrimitive({ name: 'b', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 7 })).toMatchObject({ dataType: 'BINARY', dataLength: 7 });
    expect(mapPrimitive({ name: 'e', type: 'BYTE_ARRAY', converted_type: 'ENUM' })).toMatchObject({ dataType: 'ENUM' });
    expect(mapPrimitive({ name: 'd', type: 'BYTE_ARRAY', converted_type: 'DECIMAL', precision: 50, scale: 2 })).toMatchObject({ dataType: 'DECIMAL', display: 'decimal256(50, 2)' });
  });

  it('reads 2-level lists, repeated fields without LIST, and MAP_KEY_VALUE', () => {
    const root: ParquetSchemaNode = group('schema', [
      group('two_level', [leaf('element', 'INT32', {}, 'REPEATED')], { converted_type: 'LIST' }),
      group('tuple_list', [group('tuple_list_tuple', [leaf('a', 'INT32')], {}, 'REPEATED')], { converted_type: 'LIST' }),
      group('array_list', [group('array', [leaf('s', 'BYTE_ARRAY', { converted_type: 'UTF8' })], {}, 'REPEATED')], { converted_type: 'LIST' }),
      leaf('bare', 'INT64', {}, 'REPEATED'),
      group('bare_group', [leaf('x', 'INT32'), leaf('y', 'DOUBLE')], {}, 'REPEATED'),
      group('old_map', [group('map', [leaf('key', 'BYTE_ARRAY', { converted_type: 'UTF8' }, 'REQUIRED'), leaf('value', 'INT64')], { converted_type: 'MAP_KEY_VALUE' }, 'REPEATED')], { converted_type: 'MAP_KEY_VALUE' }),
      leaf('req', 'INT32', {}, 'REQUIRED'),
    ], {}, 'REQUIRED');
    const cols = byName(parquetColumns(root));
    expect(cols.two_level).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'INT', dataTypeDisplay: 'list<element: int32>' });
    expect(cols.tuple_list).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRUCT' });
    expect(cols.tuple_list.children!.map((c) => c.name)).toEqual(['a']);
    expect(cols.array_list).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRUCT' });
    expect(cols.bare).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'INT', dataTypeDisplay: 'list<element: int64>' });
    expect(cols.bare_group).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRUCT' });
    expect(cols.bare_group.children!.map((c) => [c.name, c.dataType])).toEqual([['x', 'INT'], ['y', 'FLOAT']]);
    expect(cols.old_map).toMatchObject({ dataType: 'MAP', dataTypeDisplay: 'map<string, int64>' });
    expect(cols.req.constraint).toBe('NOT_NULL');
  });
});
