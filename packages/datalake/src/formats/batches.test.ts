/** The column-batch path agrees with the row path: same values, same sample, same order. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as avro from 'avsc';
import { rowsOfBatches, type ColumnBatch } from '@om/core';
import { duckdb, TYPES_SELECT } from '../test-support/duckdb';
import { delimitedBatches, delimitedRows } from './delimited/rows';
import { readBatches, readRows, sampleBatches, sampleRows, tableDataRequest } from './table-data';
import { tempLake } from '../test-support/lake';

const lake = tempLake('om-batches-');
const { put, location } = lake;
const BUCKET = lake.bucket;

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

/** Rows of batches, with every column array checked to cover the batch. */
async function rowsVia(batches: AsyncIterable<ColumnBatch>): Promise<Record<string, unknown>[]> {
  const checked = (async function* () {
    for await (const b of batches) {
      for (const col of Object.values(b.columns)) expect(col.length).toBeGreaterThanOrEqual(b.length);
      yield b;
    }
  })();
  return all(rowsOfBatches(checked));
}

const CSV_CASES: Record<string, string> = {
  bom: '\uFEFFname,qty\n"a, b",1\nc,2\n',
  crlf: 'a,b\r\n1,2\r\n3,4\r\n',
  crOnly: 'a,b\r1,2\r3,4',
  quotedNewlines: 'a,b\n"line1\nline2","r1\r\nr2"\n3,4\n',
  quotedDelimiters: 'a,b\n"x, y","He said ""hi"""\n',
  emptyQuoted: 'a,b\n"",x\n,""\n',
  blankLines: 'a,b\n\n1,2\n\n\n3,4\n',
  ragged: 'a,b,c\n1,2\n1,2,3,4\n,\n',
  bareQuote: 'a,b\nab"c,d\n"q"x,y\n',
  headerNames: 'id,,id,__proto__\n1,2,3,4\n5\n',
  noTrailingNewline: 'a,b\n1,2',
  unicode: '名前,値\n"日本,語",😀\n',
  headerOnly: 'a,b\n',
};

describe('CSV batches', () => {
  it.each(Object.entries(CSV_CASES))('%s: same rows as the row reader, for any chunking and batch size', async (_name, text) => {
    const body = text.replace(/^\uFEFF/, ''); // openTextStream strips the BOM before either parser
    const expected = await all(delimitedRows(chunked(body, body.length || 1), ','));
    for (const chunk of [1, 3, 7, 64]) {
      for (const batchRows of [1, 2, 1000]) {
        expect(await rowsVia(delimitedBatches(chunked(body, chunk), ',', batchRows))).toEqual(expected);
      }
    }
  });

  it('files: plain, gzip (BOM stripped), TSV — readBatches agrees with readRows', async () => {
    const text = CSV_CASES.bom + 'd,4\n';
    for (const file of [put('c/plain.csv', text), put('c/comp.csv.gz', zlib.gzipSync(text)), put('c/tab.tsv', 'name\tqty\na\t1\nb\n')]) {
      const rows = await all(readRows(file));
      expect(rows.length).toBeGreaterThan(0);
      expect(await rowsVia(readBatches(file))).toEqual(rows);
    }
  });

  it('cells go into one array per column, batches of the configured size', async () => {
    const lines = ['n,s'];
    for (let i = 0; i < 10; i++) lines.push(`${i},x${i}`);
    const batches = await all(delimitedBatches(chunked(lines.join('\n'), 5), ',', 4));
    expect(batches.map((b) => b.length)).toEqual([4, 4, 2]);
    expect(Array.from(batches[2].columns.s)).toEqual(['x8', 'x9']);
  });
});

describe('Parquet, JSON and Avro batches', () => {
  beforeAll(async () => {
    fs.mkdirSync(path.join(lake.root, BUCKET, 'pq'), { recursive: true });
    const q = (p: string) => path.join(lake.root, BUCKET, p).replace(/'/g, "''");
    await duckdb([
      `CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
      `COPY (${TYPES_SELECT}) TO '${q('pq/types.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
      `COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS amount, 'c' || (i % 13) AS cat FROM range(25000) t(i)) TO '${q('pq/nums.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`,
    ]);
  });

  it.each(['pq/types.parquet', 'pq/nums.parquet'])('%s: one batch per row group, same values as the rows', async (key) => {
    const file = location(key);
    const rows = await all(readRows(file));
    const batches = await all(readBatches(file));
    expect(batches.length).toBeGreaterThan(1);
    expect(await rowsVia(readBatches(file))).toEqual(rows);
  });

  it('64-bit integers that fit come as numbers; batches follow the row groups', async () => {
    const batches = await all(readBatches(location('pq/nums.parquet')));
    expect(batches.reduce((n, b) => n + b.length, 0)).toBe(25000);
    expect(batches[0].columns.id[4095]).toBe(4095);
    expect(typeof batches[1].columns.id[0]).toBe('number');
  });

  it('JSON Lines, JSON and Avro: rows transposed into batches', async () => {
    const jsonl = put('j/x.jsonl', '{"a":1,"b":"x"}\n{"a":2}\n{"b":"y","c":[1]}\n');
    // Keys missing from a JSON row read as null on the batch path (both mean "missing" to consumers).
    expect(await rowsVia(readBatches(jsonl))).toEqual([
      { a: 1, b: 'x', c: null },
      { a: 2, b: null, c: null },
      { a: null, b: 'y', c: [1] },
    ]);
    const json = put('j/x.json', '[{"a":1},{"a":2}]');
    expect(await rowsVia(readBatches(json))).toEqual([{ a: 1 }, { a: 2 }]);
    const schema = { type: 'record', name: 'E', fields: [{ name: 'id', type: 'long' }, { name: 'name', type: ['null', 'string'], default: null }] };
    const file = path.join(lake.root, BUCKET, 'av/e.avro');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const enc = new avro.streams.BlockEncoder(schema as avro.Schema, { codec: 'deflate' } as never);
    const out = fs.createWriteStream(file);
    enc.pipe(out);
    for (let i = 0; i < 100; i++) enc.write({ id: i, name: i % 3 === 0 ? null : `n${i}` });
    enc.end();
    await new Promise<void>((resolve) => out.on('finish', () => resolve()));
    const rows = (await all(readRows(location('av/e.avro')))).map((r) => ({ ...r }));
    expect(await rowsVia(readBatches(location('av/e.avro')))).toEqual(rows);
  });
});

describe('sampling: the same sample on both paths', () => {
  async function* numberRows(n: number): AsyncGenerator<{ i: number }> {
    for (let i = 0; i < n; i++) yield { i };
  }
  async function* numberBatches(n: number, size: number): AsyncGenerator<ColumnBatch> {
    for (let start = 0; start < n; start += size) {
      const len = Math.min(size, n - start);
      yield { length: len, columns: { i: Float64Array.from({ length: len }, (_, k) => start + k) } };
    }
  }
  const ids = async (rows: AsyncIterable<Record<string, unknown>>) => (await all(rows)).map((r) => r.i);

  it.each([
    [{ profileSample: 10, seed: 1 }],
    [{ profileSample: 37.5, profileSampleType: 'PERCENTAGE' as const, seed: 99 }],
    [{ profileSample: 100, profileSampleType: 'ROWS' as const, seed: 3 }],
    [{ profileSample: 5000, profileSampleType: 'ROWS' as const, seed: 4 }],
    [{ profileSample: 30000, profileSampleType: 'ROWS' as const }],
  ])('%j: sampleBatches selects the rows sampleRows selects, whatever the batch size', async (options) => {
    const expected = await ids(sampleRows(numberRows(20000), options));
    for (const size of [1, 333, 8192, 20000]) {
      expect(await ids(rowsOfBatches(sampleBatches(numberBatches(20000, size), options)))).toEqual(expected);
    }
  });

  it.each([
    ['PERCENTAGE', 5],
    ['ROWS', 250],
  ] as const)('TableDataRequest %s: rows() and batches() give the same rows on every pass', async (type, sample) => {
    const lines = ['n,s'];
    for (let i = 0; i < 50000; i++) lines.push(`${i},"v ${i % 97}"`);
    const file = put(`s/nums_${type}.csv`, `${lines.join('\n')}\n`);
    const req = await tableDataRequest(file, {
      fqn: 'svc.db.lake."s/nums.csv"', name: file.key, columns: [], sampling: { profileSample: sample, profileSampleType: type, seed: 42 },
    });
    const rows = await all(req.rows());
    const viaBatches = await rowsVia(req.batches!());
    expect(viaBatches).toEqual(rows);
    expect(await all(req.rows())).toEqual(rows);
    if (type === 'ROWS') expect(rows).toHaveLength(250);
    else expect(rows.length).toBeGreaterThan(2000);
    // The sample is the one sampleRows draws over the file's rows.
    expect(rows).toEqual(await all(sampleRows(readRows(file), { profileSample: sample, profileSampleType: type, seed: 42 })));
  });
});
