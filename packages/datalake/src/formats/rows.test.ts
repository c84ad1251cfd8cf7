import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as avro from 'avsc';
import { parse as csvParse } from 'csv-parse/sync';
import { formatOf } from './registry';
import { LocalObjectStore } from '../local-store';
import { parseDelimited } from './delimited/infer';
import { CountingObjectStore } from '../testing';
import { duckdb } from '../test-support/duckdb';
import { makeZip } from '../test-support/zip';
import { DelimitedStreamParser } from './delimited/parser';
import { delimitedRows } from './delimited/rows';
import { JsonValueSplitter, jsonLinesRows, jsonRows } from './json/rows';
import { openParquetTable } from './parquet/table';
import { readRows, sampleRows, seededRandom, tableDataRequest } from './table-data';

let root: string;
let store: LocalObjectStore;
const BUCKET = 'lake';

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-rows-'));
  fs.mkdirSync(path.join(root, BUCKET));
  store = new LocalObjectStore({ root });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function put(key: string, data: string | Buffer): { key: string; size: number } {
  const file = path.join(root, BUCKET, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
  return { key, size: fs.statSync(file).size };
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function rowsOf(key: string): Promise<Record<string, unknown>[]> {
  const size = fs.statSync(path.join(root, BUCKET, key)).size;
  return all(readRows({ store, bucket: BUCKET, key, size, format: formatOf(key)! }));
}

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

function streamParse(text: string, chunk: number, delimiter = ','): string[][] {
  const p = new DelimitedStreamParser(delimiter);
  const out: string[][] = [];
  for (let i = 0; i < text.length; i += chunk) p.push(text.slice(i, i + chunk), out);
  p.end(out);
  return out;
}

const CSV_CASES: Record<string, string> = {
  simple: 'a,b,c\n1,2,3\n4,5,6\n',
  noTrailingNewline: 'a,b\n1,2',
  crlf: 'a,b\r\n1,2\r\n3,4\r\n',
  crOnly: 'a,b\r1,2\r3,4',
  quotedDelimiters: 'a,b\n"x, y","He said ""hi"""\n',
  quotedNewlines: 'a,b\n"line1\nline2","r1\r\nr2"\n3,4\n',
  emptyQuoted: 'a,b\n"",x\n,""\n',
  blankLines: 'a,b\n\n1,2\n\n\n3,4\n',
  ragged: 'a,b,c\n1,2\n1,2,3,4\n',
  bareQuote: 'a,b\nab"c,d\n"q"x,y\n',
  unclosedQuote: 'a,b\n"never closed,1\n2,3\n',
  trailingCr: 'a,b\n1,2\r',
  unicode: '名前,値\n"日本,語",😀\n',
};

describe('CSV stream parser', () => {
  it.each(Object.entries(CSV_CASES))('%s: same records as the schema parser, for any chunking', (_name, text) => {
    const expected = parseDelimited(text, ',', false);
    for (const size of [1, 2, 3, 7, 64, text.length]) expect(streamParse(text, size)).toEqual(expected);
  });

  it('agrees with csv-parse (relaxed) on the well-formed cases', () => {
    for (const name of ['simple', 'noTrailingNewline', 'crlf', 'quotedDelimiters', 'quotedNewlines', 'emptyQuoted', 'blankLines', 'ragged', 'unicode']) {
      const oracle = csvParse(CSV_CASES[name], { bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
      expect(streamParse(CSV_CASES[name], 5)).toEqual(oracle);
    }
  });

  it('builds rows keyed by header names (blank → Unnamed: i, repeats → .1), short rows padded with null', async () => {
    const rows = await all(delimitedRows(chunked('id,,id,__proto__\n1,2,3,4\n5\n', 3), ','));
    expect(rows).toEqual([
      { id: '1', 'Unnamed: 1': '2', 'id.1': '3', ['__proto__']: '4' },
      { id: '5', 'Unnamed: 1': null, 'id.1': null, ['__proto__']: null },
    ]);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.keys(rows[0])).toEqual(['id', 'Unnamed: 1', 'id.1', '__proto__']);
  });

  it('reads plain, gzip and zip files, strips a BOM, and TSV', async () => {
    const text = '\uFEFFname,qty\n"a, b",1\nc,2\n';
    put('t/plain.csv', text);
    put('t/comp.csv.gz', zlib.gzipSync(text));
    put('t/tab.tsv', 'name\tqty\na\t1\n');
    const expected = [{ name: 'a, b', qty: '1' }, { name: 'c', qty: '2' }];
    expect(await rowsOf('t/plain.csv')).toEqual(expected);
    expect(await rowsOf('t/comp.csv.gz')).toEqual(expected);
    expect(await rowsOf('t/tab.tsv')).toEqual([{ name: 'a', qty: '1' }]);
    put('t/lines.jsonl.zip', makeZip([{ name: 'x.jsonl', data: Buffer.from('{"a":1}\n{"a":2}\n') }]));
    expect(await rowsOf('t/lines.jsonl.zip')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('a corrupt gzip file is a clear read error', async () => {
    put('t/bad.csv.gz', Buffer.from('this is not gzip at all'));
    await expect(rowsOf('t/bad.csv.gz')).rejects.toThrow(/not valid gzip data/);
  });
});

describe('JSON rows', () => {
  const doc = JSON.stringify([
    { id: 1, s: 'quote " and \\ backslash', nested: { a: [1, 2, { b: '}]' }] } },
    { id: 2.5, s: '\\"', nested: null },
    7,
    'text',
    [1, 2],
  ], null, 1);

  it('streams array elements whatever the chunking (escapes and brackets inside strings)', async () => {
    const expected = (JSON.parse(doc) as unknown[]).map((v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v }));
    for (const size of [1, 2, 5, 13, doc.length]) expect(await all(jsonRows(chunked(doc, size)))).toEqual(expected);
  });

  it('one object is one row; concatenated values (JSON Lines saved as .json) are rows', async () => {
    expect(await all(jsonRows(chunked('{"a":1,"b":{"c":2}}', 4)))).toEqual([{ a: 1, b: { c: 2 } }]);
    expect(await all(jsonRows(chunked('{"a":1}\n{"a":2}\n  {"a":3}', 3)))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(await all(jsonRows(chunked('[]', 1)))).toEqual([]);
  });

  it('an unclosed array or a bad element is an error naming the row', async () => {
    await expect(all(jsonRows(chunked('[{"a":1},', 4)))).rejects.toThrow(/not closed/);
    await expect(all(jsonRows(chunked('[{"a":1},{"a":tru}]', 4)))).rejects.toThrow(/row 2 is not valid JSON/);
  });

  it('JSON Lines: blank lines skipped, CRLF accepted, bad line named', async () => {
    expect(await all(jsonLinesRows(chunked('{"a":1}\r\n\n{"a":2}', 3)))).toEqual([{ a: 1 }, { a: 2 }]);
    await expect(all(jsonLinesRows(chunked('{"a":1}\n{oops}\n', 3)))).rejects.toThrow(/line 2 is not valid JSON/);
  });
});

describe('bounded memory', () => {
  const LINE = 'id,name,amount,comment\n';
  /** A 40 MB CSV generated lazily, counting the chunks handed out. */
  function bigCsv(rows: number, counter: { chunks: number }): AsyncGenerator<string> {
    return (async function* () {
      yield LINE;
      const per = 2000;
      for (let start = 0; start < rows; start += per) {
        counter.chunks++;
        let s = '';
        for (let i = start; i < Math.min(rows, start + per); i++) s += `${i},name ${i},${i * 1.5},"a, quoted ""comment"" ${i}"\n`;
        yield s;
      }
    })();
  }

  it('CSV: rows come out as the chunks go in; nothing is read ahead', async () => {
    const counter = { chunks: 0 };
    let n = 0;
    for await (const row of delimitedRows(bigCsv(800_000, counter), ',')) {
      if (n % 2000 === 0) expect(counter.chunks).toBeLessThanOrEqual(Math.floor(n / 2000) + 1);
      if (n === 123_456) expect(row).toEqual({ id: '123456', name: 'name 123456', amount: String(123456 * 1.5), comment: 'a, quoted "comment" 123456' });
      n++;
    }
    expect(n).toBe(800_000);
  });

  it('CSV parser keeps at most one incomplete record between chunks', () => {
    const p = new DelimitedStreamParser(',');
    const out: string[][] = [];
    let maxCarry = 0;
    for (let i = 0; i < 5000; i++) {
      p.push(`${i},"multi\nline ${i}",x\n${i}`, out);
      maxCarry = Math.max(maxCarry, (p as unknown as { carry: string }).carry.length);
      out.length = 0;
    }
    expect(maxCarry).toBeLessThan(64);
  });

  it('JSON splitter keeps at most the value being read', () => {
    const s = new JsonValueSplitter();
    const out: string[] = [];
    s.push('[', out);
    let maxBuf = 0;
    for (let i = 0; i < 20_000; i++) {
      s.push(`{"id":${i},"t":"${'x'.repeat(50)}"},`, out);
      maxBuf = Math.max(maxBuf, (s as unknown as { buf: string }).buf.length);
    }
    s.push('{"id":-1}]', out);
    s.end(out);
    expect(out).toHaveLength(20_001);
    expect(maxBuf).toBeLessThan(200);
  });
});

describe('Parquet rows (files written by DuckDB)', () => {
  beforeAll(async () => {
    const dir = path.join(root, BUCKET, 'pq');
    fs.mkdirSync(dir, { recursive: true });
    const select = `SELECT i AS id, i::BIGINT * 3 AS big, (i / 4)::DOUBLE AS ratio, (i / 100)::DECIMAL(9,2) AS price,
      CASE WHEN i % 7 = 0 THEN NULL ELSE 'name ' || i END AS name, (i % 2 = 0) AS even,
      DATE '2024-01-01' + (i % 30)::INTEGER AS day, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) SECOND AS ts,
      TIME '01:00:00' + INTERVAL (i) SECOND AS tod, {'k': i} AS rec, [i, i + 1] AS arr
      FROM range(10000) t(i)`;
    const sql = [];
    for (const codec of ['snappy', 'zstd', 'gzip', 'brotli', 'lz4', 'uncompressed']) {
      sql.push(`COPY (${select}) TO '${dir}/t_${codec}.parquet' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 2048)`);
    }
    sql.push(`COPY (SELECT i AS id, md5(i::VARCHAR) AS token FROM range(300000) t(i)) TO '${dir}/big.parquet' (FORMAT parquet, ROW_GROUP_SIZE 20480)`);
    await duckdb(sql);
  }, 120_000);

  it.each(['snappy', 'zstd', 'gzip', 'brotli', 'lz4', 'uncompressed'])('%s: every row, typed values', async (codec) => {
    const rows = await rowsOf(`pq/t_${codec}.parquet`);
    expect(rows).toHaveLength(10000);
    expect(rows[4321]).toEqual({
      id: 4321,
      big: 4321 * 3,
      ratio: 4321 / 4,
      price: 43.21,
      name: 'name 4321',
      even: false,
      day: Date.UTC(2024, 0, 1 + (4321 % 30)),
      ts: Date.UTC(2024, 0, 1) + 4321 * 1000,
      tod: 3600 + 4321,
      rec: { k: 4321 },
      arr: [4321, 4322],
    });
    expect(rows[7].name).toBeNull();
  });

  it('footer statistics: row count, min/max (epoch ms for temporal), null counts', async () => {
    const { key, size } = { key: 'pq/t_snappy.parquet', size: fs.statSync(path.join(root, BUCKET, 'pq/t_snappy.parquet')).size };
    const table = await openParquetTable(store, BUCKET, key, size);
    expect(table.numRows).toBe(10000);
    expect(table.columnStats.id).toEqual({ min: 0, max: 9999, nullCount: 0 });
    expect(table.columnStats.ratio).toMatchObject({ min: 0, max: 9999 / 4 });
    expect(table.columnStats.ts).toMatchObject({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2024, 0, 1) + 9999 * 1000 });
    expect(table.columnStats.day).toMatchObject({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2024, 0, 30) });
    expect(table.columnStats.name).toBeUndefined(); // strings: no min/max from the footer
    expect(table.columnStats.tod).toBeUndefined();
  });

  it('reads row group by row group: the first row needs only the footer and the first group', async () => {
    const key = 'pq/big.parquet';
    const size = fs.statSync(path.join(root, BUCKET, key)).size;
    const counting = new CountingObjectStore(store);
    const rows = readRows({ store: counting, bucket: BUCKET, key, size, format: formatOf(key)! })[Symbol.asyncIterator]();
    const first = await rows.next();
    expect(first.value).toEqual({ id: 0, token: 'cfcd208495d565ef66e7dff9f98764da' });
    expect(counting.counters.bytes).toBeLessThan(size / 5);
    await rows.return?.(undefined);
    expect(await rowsOf(key).then((r) => r.length)).toBe(300000);
  });

  it('tableDataRequest carries knownRowCount and knownColumnStats', async () => {
    const key = 'pq/t_zstd.parquet';
    const size = fs.statSync(path.join(root, BUCKET, key)).size;
    const req = await tableDataRequest({ store, bucket: BUCKET, key, size, format: formatOf(key)! }, { fqn: 'svc.db.lake."pq/t_zstd.parquet"', name: key, columns: [] });
    expect(req.knownRowCount).toBe(10000);
    expect(req.knownColumnStats?.big).toEqual({ min: 0, max: 9999 * 3, nullCount: 0 });
    expect(req.knownColumnStats?.name).toBeUndefined();
    expect(req.sizeInByte).toBe(size);
  });
});

describe('Avro rows', () => {
  const schema = {
    type: 'record',
    name: 'E',
    fields: [
      { name: 'id', type: 'long' },
      { name: 'name', type: ['null', 'string'], default: null },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'day', type: { type: 'int', logicalType: 'date' } },
      { name: 'tod', type: { type: 'int', logicalType: 'time-millis' } },
    ],
  };
  async function write(key: string, codec: string, n: number): Promise<void> {
    const file = path.join(root, BUCKET, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const enc = new avro.streams.BlockEncoder(schema as avro.Schema, { codec, blockSize: 4096 } as never);
    const out = fs.createWriteStream(file);
    enc.pipe(out);
    for (let i = 0; i < n; i++) enc.write({ id: i, name: i % 3 === 0 ? null : `n${i}`, at: 1_700_000_000_000_000 + i * 1000, day: 19000 + (i % 10), tod: 3_600_000 + i });
    enc.end();
    await new Promise<void>((resolve) => out.on('finish', () => resolve()));
  }

  it.each(['null', 'deflate'])('codec %s: all rows, temporal logical types as epoch ms / seconds', async (codec) => {
    await write(`av/e_${codec}.avro`, codec, 5000);
    const rows = await rowsOf(`av/e_${codec}.avro`);
    expect(rows).toHaveLength(5000);
    expect({ ...rows[10] }).toEqual({ id: 10, name: 'n10', at: 1_700_000_000_000 + 10, day: 19000 * 86_400_000, tod: 3600.01 });
    expect(rows[9].name).toBeNull();
  });
});

describe('sampling', () => {
  async function* numbers(n: number): AsyncGenerator<{ i: number }> {
    for (let i = 0; i < n; i++) yield { i };
  }
  const ids = async (it: AsyncIterable<{ i: number }>) => (await all(it)).map((r) => r.i);

  it('seeded PRNG is deterministic', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
    expect(seededRandom(8)()).not.toBe(seededRandom(7)());
  });

  it('PERCENTAGE: same seed → same rows; about p% of them; another seed → another sample', async () => {
    const one = await ids(sampleRows(numbers(20000), { profileSample: 10, seed: 1 }));
    const two = await ids(sampleRows(numbers(20000), { profileSample: 10, seed: 1 }));
    const other = await ids(sampleRows(numbers(20000), { profileSample: 10, seed: 2 }));
    expect(one).toEqual(two);
    expect(other).not.toEqual(one);
    expect(one.length).toBeGreaterThan(1800);
    expect(one.length).toBeLessThan(2200);
    expect(await ids(sampleRows(numbers(50), { profileSample: 100 }))).toHaveLength(50);
  });

  it('ROWS: exactly n rows, in file order, reproducible; fewer rows than n → all', async () => {
    const one = await ids(sampleRows(numbers(10000), { profileSample: 100, profileSampleType: 'ROWS', seed: 3 }));
    expect(one).toHaveLength(100);
    expect([...one].sort((a, b) => a - b)).toEqual(one);
    expect(await ids(sampleRows(numbers(10000), { profileSample: 100, profileSampleType: 'ROWS', seed: 3 }))).toEqual(one);
    expect(one[99]).toBeGreaterThan(5000); // drawn from the whole file, not its head
    expect(await ids(sampleRows(numbers(30), { profileSample: 100, profileSampleType: 'ROWS' }))).toHaveLength(30);
  });

  it('a sampled TableDataRequest gives the same rows on every pass', async () => {
    const lines = ['n'];
    for (let i = 0; i < 5000; i++) lines.push(String(i));
    const { key, size } = put('s/nums.csv', `${lines.join('\n')}\n`);
    const req = await tableDataRequest({ store, bucket: BUCKET, key, size, format: formatOf(key)! }, {
      fqn: 'svc.db.lake."s/nums.csv"', name: key, columns: [], sampling: { profileSample: 5, profileSampleType: 'PERCENTAGE', seed: 42 },
    });
    const a = await all(req.rows());
    const b = await all(req.rows());
    expect(a).toEqual(b);
    expect(a.length).toBeGreaterThan(150);
    expect(a.length).toBeLessThan(350);
    expect(req.sampling).toEqual({ profileSample: 5, profileSampleType: 'PERCENTAGE', seed: 42 });
  });
});
