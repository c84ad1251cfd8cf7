/** A split pass (`parts` + the part decoder) gives the same rows as one whole pass. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { ColumnChunk, TablePartsPass } from '@om/core';
import { DelimitedStreamParser, recordEnd } from './delimited/parser';
import { duckdb } from '../test-support/duckdb';
import { delimitedParts } from './delimited/parts';
import { parquetParts } from './parquet/parts';
import { openPartDecoder, type PartDecoderOptions } from './part-decoder';
import { readRows, tableDataRequest } from './table-data';
import { tempLake } from '../test-support/lake';
import { releaseBuffers } from '../io/parts';

const lake = tempLake('om-parts-');
const { put, location } = lake;
const BUCKET = lake.bucket;

function parseAll(texts: string[]): string[][] {
  const out: string[][] = [];
  for (const t of texts) {
    const p = new DelimitedStreamParser(',');
    p.push(t, out);
    p.end(out);
  }
  return out;
}

/**
 * Rows of a split pass, decoded in this thread part by part (what each worker does). With
 * `recycle`, each part is decoded from its own buffers and handed back once done (as the calling
 * thread's share is), counting the distinct buffers the parts came in.
 */
async function rowsOfParts(pass: TablePartsPass, columns: string[], recycle = false): Promise<{ rows: Record<string, unknown>[]; parts: number; buffers: number; released: boolean }> {
  const decoder = openPartDecoder(structuredClone(pass.decoderOptions) as PartDecoderOptions);
  const rows: Record<string, unknown>[] = [];
  const buffers = new Set<ArrayBuffer>();
  let parts = 0;
  for await (const part of pass.parts) {
    parts++;
    const base = rows.length;
    for (const b of part.transfer ?? []) buffers.add(b);
    for await (const chunk of decoder.columnChunks(recycle ? part.payload : structuredClone(part.payload), columns) as AsyncIterable<ColumnChunk>) {
      for (let i = 0; i < chunk.length; i++) {
        const row = (rows[base + chunk.rowStart + i] ??= {});
        const v = chunk.values?.[i];
        row[chunk.column] = v === undefined ? null : v;
      }
    }
    if (recycle) pass.recycle?.(part.transfer ?? []);
  }
  // Released (detached) once the pass is over: kept for reuse until then.
  return { rows, parts, buffers: buffers.size, released: [...buffers].every((b) => b.byteLength === 0) };
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('recordEnd', () => {
  it('splits where the parser ends a record (random text with quotes, CR, CRLF, delimiters)', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const alphabet = ['a', 'b', ',', '"', '"', '\n', '\n', '\r', '\r\n', 'é'];
    for (let trial = 0; trial < 3000; trial++) {
      let text = '';
      const len = 1 + Math.floor(rnd() * 40);
      for (let i = 0; i < len; i++) text += alphabet[Math.floor(rnd() * alphabet.length)];
      const bytes = Buffer.from(text);
      for (const first of [false, true]) {
        const cut = Math.floor(rnd() * (bytes.length + 1));
        const end = recordEnd(bytes.subarray(0, cut), 0x2c, first);
        if (end < 0) continue;
        expect(bytes[end - 1]).toBe(0x0a);
        const a = bytes.subarray(0, end).toString();
        const b = bytes.subarray(end).toString();
        expect([text, parseAll([a, b])]).toEqual([text, parseAll([text])]);
      }
    }
  });

  it('finds none inside a quoted field or on a trailing quote', () => {
    expect(recordEnd(Buffer.from('a,"b\nc'), 0x2c)).toBe(-1);
    expect(recordEnd(Buffer.from('x\na,"b\n"'), 0x2c)).toBe(2);
    expect(recordEnd(Buffer.from('a,b"c\nd'), 0x2c)).toBe(6); // a quote inside a field is text
    expect(recordEnd(Buffer.from('h\na\nb\n'), 0x2c, true)).toBe(2);
  });
});

describe('delimitedParts', () => {
  const csv = [
    '\uFEFFid,name,note',
    '',
    '1,ann,"multi',
    'line, with comma"',
    '2,"bo""b",plain\r',
    '3,cé,"ends ""quoted"""',
    '4,short',
    '5,x,y,extra',
    ...Array.from({ length: 300 }, (_, i) => `${6 + i},n${i},"q${i}\n${'z'.repeat(i % 17)}"`),
    '999,last,no newline at the end',
  ].join('\n');

  it.each([
    ['plain', 'p/t.csv', Buffer.from(csv)],
    ['gzip', 'p/t.csv.gz', zlib.gzipSync(Buffer.from(csv))],
  ])('%s: small parts decode to the same rows as one pass', async (_name, key, data) => {
    const file = put(key, data);
    const whole = await all(readRows(file));
    const pass = (await delimitedParts(file, ',', undefined, 256))!;
    expect(pass).toBeDefined();
    const { rows, parts } = await rowsOfParts(pass, ['id', 'name', 'note']);
    expect(parts).toBeGreaterThan(20);
    expect(rows).toEqual(whole);
  });

  it('reads parts into recycled buffers: the same rows from a few buffers', async () => {
    const file = put('p/re.csv', csv);
    const whole = await all(readRows(file));
    const pass = (await delimitedParts(file, ',', undefined, 256))!;
    expect(pass.recycle).toBeDefined();
    const { rows, parts, buffers, released } = await rowsOfParts(pass, ['id', 'name', 'note'], true);
    expect(rows).toEqual(whole);
    expect(parts).toBeGreaterThan(20);
    // The read-ahead keeps a few ranges in flight; every other part reuses one of their buffers.
    expect(buffers).toBeLessThanOrEqual(6);
    // At the end of the pass their memory is given back at once.
    expect(released).toBe(true);
  });

  it('is offered by tableDataRequest only for unsampled passes', async () => {
    const file = put('p/r.csv', csv);
    const opts = { fqn: 's.d.sc."p/r.csv"', name: 'p/r.csv', columns: [] };
    expect((await tableDataRequest(file, opts)).parts).toBeDefined();
    expect((await tableDataRequest(file, { ...opts, sampling: { profileSample: 50 } })).parts).toBeUndefined();
  });

  it('a header-only file has no parts; CR-only line breaks are not split', async () => {
    const header = (await delimitedParts(put('p/h.csv', 'a,b\n'), ','))!;
    expect((await rowsOfParts(header, ['a', 'b'])).rows).toEqual([]);
    expect(await delimitedParts(put('p/cr.csv', 'a,b\r1,2\r3,4\r'), ',')).toBeUndefined();
    expect(await delimitedParts(put('p/one.csv', 'a,b'), ',')).toBeUndefined();
  });

  it('asks for an unknown column: values undefined (missing)', async () => {
    const pass = (await delimitedParts(put('p/u.csv', 'a,b\n1,2\n'), ','))!;
    expect((await rowsOfParts(pass, ['a', 'nope'])).rows).toEqual([{ a: '1', nope: null }]);
  });
});

describe('parquetParts', () => {
  beforeAll(async () => {
    const q = (k: string): string => path.join(lake.root, BUCKET, k).replace(/'/g, "''");
    fs.mkdirSync(path.join(lake.root, BUCKET, 'pq'), { recursive: true });
    await duckdb([
      `COPY (SELECT i AS id, CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS amount, 'c' || (i % 13) AS cat, TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE AS ts FROM range(25000) t(i)) TO '${q('pq/nums.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 4096, COMPRESSION zstd)`,
    ]);
  });

  it('one part per row group, decoded to the same values as one pass', async () => {
    const file = location('pq/nums.parquet');
    const whole = await all(readRows(file));
    const pass = (await parquetParts(file))!;
    const { rows, parts } = await rowsOfParts(pass, ['id', 'amount', 'cat', 'ts']);
    expect(parts).toBe(7);
    expect(rows).toEqual(whole);
    // Decoded from recycled buffers: the same rows.
    const recycled = await rowsOfParts((await parquetParts(file))!, ['id', 'amount', 'cat', 'ts'], true);
    expect(recycled.rows).toEqual(whole);
    expect(recycled.buffers).toBeLessThan(7);
    expect(recycled.released).toBe(true);
  });

  it('with lanes: each row group split by columns, each column always in the same lane, rows counted once', async () => {
    const file = location('pq/nums.parquet');
    const whole = await all(readRows(file));
    const pass = (await parquetParts(file, undefined, { lanes: 2, columns: ['id', 'amount', 'cat', 'ts', 'nope'] }))!;
    const decoder = openPartDecoder(structuredClone(pass.decoderOptions) as PartDecoderOptions);
    const laneOf = new Map<string, number>();
    const columns: Record<string, unknown[]> = { id: [], amount: [], cat: [], ts: [], nope: [] };
    let rows = 0;
    let parts = 0;
    for await (const part of pass.parts) {
      parts++;
      rows += part.rows!;
      for await (const chunk of decoder.columnChunks(structuredClone(part.payload), Object.keys(columns)) as AsyncIterable<ColumnChunk>) {
        expect(laneOf.get(chunk.column) ?? part.lane).toBe(part.lane);
        laneOf.set(chunk.column, part.lane!);
        for (let i = 0; i < chunk.length; i++) {
          const v = chunk.values?.[i];
          columns[chunk.column].push(v === undefined || (chunk.values instanceof Float64Array && Number.isNaN(v)) ? null : v);
        }
      }
    }
    expect(parts).toBe(14);
    expect(rows).toBe(25_000);
    expect(new Set(laneOf.values())).toEqual(new Set([0, 1]));
    for (const name of ['id', 'amount', 'cat', 'ts']) expect(columns[name]).toEqual(whole.map((r) => r[name] ?? null));
    expect(columns.nope).toEqual(whole.map(() => null));
  });
});

describe('releaseBuffers', () => {
  it('frees buffers at once (detached), and leaves empty or detached ones alone', () => {
    const kept = new ArrayBuffer(64);
    const empty = new ArrayBuffer(0);
    releaseBuffers([kept, empty, kept]);
    expect(kept.byteLength).toBe(0);
    expect(() => releaseBuffers([kept, empty])).not.toThrow();
  });
});
