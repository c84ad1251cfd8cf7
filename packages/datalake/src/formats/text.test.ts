import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import type { Column } from '@om/core';
import { DEFAULT_SAMPLE_BYTES, type ReadOptions } from '../config';
import { formatOf } from './registry';
import { LocalObjectStore } from '../local-store';
import { CountingObjectStore } from '../testing';
import { makeZip } from '../test-support/zip';
import { EmptyFileError, FileReadError } from '../io/errors';
import { readFileSchema } from './schema';

let root: string;
const options: ReadOptions = { sampleRows: 1000, sampleBytes: DEFAULT_SAMPLE_BYTES };
const types = (cols: Column[]) => Object.fromEntries(cols.map((c) => [c.name, c.dataType]));

function put(key: string, data: string | Buffer): void {
  const file = path.join(root, 'lake', key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, data);
}

async function schemaOf(key: string, opts = options, store = new LocalObjectStore({ root })) {
  const size = fs.statSync(path.join(root, 'lake', key)).size;
  return readFileSchema(store, 'lake', key, size, formatOf(key)!, opts);
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-text-'));
  fs.mkdirSync(path.join(root, 'lake'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const CSV = '\uFEFFid,name,score,joined\r\n1,"Smith, Ann",1.5,2024-01-02\r\n2,"multi\r\nline",,2024-01-03T10:00:00\r\n3,x,2,\r\n';

describe('CSV and TSV', () => {
  it('handles BOM, CRLF, quoted newlines and blanks', async () => {
    put('a.csv', CSV);
    const { columns, warnings } = await schemaOf('a.csv');
    expect(types(columns)).toEqual({ id: 'INT', name: 'STRING', score: 'FLOAT', joined: 'DATETIME' });
    expect(warnings).toEqual([]);
  });

  it('reads csv.gz the same way', async () => {
    put('a.csv.gz', zlib.gzipSync(CSV));
    expect(types((await schemaOf('a.csv.gz')).columns)).toEqual({ id: 'INT', name: 'STRING', score: 'FLOAT', joined: 'DATETIME' });
  });

  it('reads TSV', async () => {
    put('t.tsv', 'a\tb\n1\tx,y\n');
    expect(types((await schemaOf('t.tsv')).columns)).toEqual({ a: 'INT', b: 'STRING' });
  });

  it('keeps ragged rows', async () => {
    put('r.csv', 'a,b,c\n1,2\n3,4,5,6\n');
    expect(types((await schemaOf('r.csv')).columns)).toEqual({ a: 'INT', b: 'INT', c: 'INT' });
  });

  it('warns about a header-only file and types its columns STRING', async () => {
    put('h.csv', 'a,b\n');
    const { columns, warnings } = await schemaOf('h.csv');
    expect(types(columns)).toEqual({ a: 'STRING', b: 'STRING' });
    expect(warnings[0]).toMatch(/header but no data rows/);
  });

  it('treats empty and blank files as empty', async () => {
    put('e.csv', '');
    put('blank.csv', '\n\n  \n');
    put('e.csv.gz', zlib.gzipSync(''));
    await expect(schemaOf('e.csv')).rejects.toBeInstanceOf(EmptyFileError);
    await expect(schemaOf('blank.csv')).rejects.toBeInstanceOf(EmptyFileError);
    await expect(schemaOf('e.csv.gz')).rejects.toBeInstanceOf(EmptyFileError);
  });

  it('fails clearly on a corrupt gzip', async () => {
    put('bad.csv.gz', Buffer.from('this is not gzip at all'));
    await expect(schemaOf('bad.csv.gz')).rejects.toBeInstanceOf(FileReadError);
    await expect(schemaOf('bad.csv.gz')).rejects.toThrow(/not valid gzip/);
  });
});

describe('JSON and JSON Lines', () => {
  const rows = [{ id: 1, user: { name: 'a' }, tags: ['x'] }, { id: 2, user: { name: 'b', age: 3 }, tags: [] }];

  it('reads arrays, single objects, .gz and .zip', async () => {
    put('rows.json', JSON.stringify(rows));
    put('one.json', JSON.stringify(rows[0]));
    put('rows.json.gz', zlib.gzipSync(JSON.stringify(rows)));
    put('rows.json.zip', makeZip([{ name: '__MACOSX/._rows.json', data: Buffer.from('junk') }, { name: 'rows.json', data: Buffer.from(JSON.stringify(rows)) }]));
    put('stored.json.zip', makeZip([{ name: 'rows.json', data: Buffer.from(JSON.stringify(rows)), method: 0 }]));
    for (const key of ['rows.json', 'rows.json.gz', 'rows.json.zip', 'stored.json.zip']) {
      const { columns } = await schemaOf(key);
      expect(types(columns)).toEqual({ id: 'INT', user: 'JSON', tags: 'ARRAY' });
      expect(columns[1].children!.map((c) => c.name)).toEqual(['name', 'age']);
    }
    expect(types((await schemaOf('one.json')).columns)).toEqual({ id: 'INT', user: 'JSON', tags: 'ARRAY' });
  });

  it('reads JSON Lines (plain, gz, zip, and saved as .json)', async () => {
    const text = rows.map((r) => JSON.stringify(r)).join('\r\n') + '\r\n';
    put('rows.jsonl', text);
    put('rows.jsonl.gz', zlib.gzipSync(text));
    put('rows.jsonl.zip', makeZip([{ name: 'rows.jsonl', data: Buffer.from(text) }]));
    put('lines.json', text);
    for (const key of ['rows.jsonl', 'rows.jsonl.gz', 'rows.jsonl.zip', 'lines.json']) {
      expect(types((await schemaOf(key)).columns)).toEqual({ id: 'INT', user: 'JSON', tags: 'ARRAY' });
    }
  });

  it('fails on invalid JSON naming the place', async () => {
    put('bad.json', '[{"a": 1}, {"a": }]');
    put('bad.jsonl', '{"a": 1}\n{"a": oops}\n');
    await expect(schemaOf('bad.json')).rejects.toThrow(/invalid JSON at line 1, column 18/);
    await expect(schemaOf('bad.jsonl')).rejects.toThrow(/line 2 is not valid JSON/);
  });

  it('treats empty documents as empty', async () => {
    put('empty.json', '  ');
    put('empty-array.json', '[]');
    put('empty.json.zip', makeZip([]));
    await expect(schemaOf('empty.json')).rejects.toBeInstanceOf(EmptyFileError);
    await expect(schemaOf('empty-array.json')).rejects.toBeInstanceOf(EmptyFileError);
    await expect(schemaOf('empty.json.zip')).rejects.toBeInstanceOf(EmptyFileError);
  });

  it('warns once per file about columns cut by the limits', async () => {
    put('deep.jsonl', JSON.stringify({ a: { b: { c: { d: 1 } } }, wide: { k1: 1, k2: 2, k3: 3 } }) + '\n');
    const { columns, warnings } = await schemaOf('deep.jsonl', { ...options, maxDepth: 2, maxChildren: 2 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/a\.b/);
    expect(warnings[0]).toMatch(/wide \(1 of 3 children\)/);
    expect(columns[1].children!.map((c) => c.name)).toEqual(['k1', 'k2']);
  });
});

describe('bounded sampling of large text files', () => {
  const MB = 1024 * 1024;
  beforeAll(() => {
    const csvRow = (i: number) => `${i},name ${i},${i * 1.5},2024-01-01\n`;
    const lines: string[] = ['id,name,amount,day\n'];
    for (let i = 0; i < 400_000; i++) lines.push(csvRow(i));
    const csv = lines.join('');
    put('big.csv', csv);
    put('big.csv.gz', zlib.gzipSync(csv, { level: 1 }));
    const json: string[] = [];
    for (let i = 0; i < 200_000; i++) json.push(JSON.stringify({ id: i, nested: { a: i, b: `v${i}` }, list: [i] }) + '\n');
    put('big.jsonl', json.join(''));
    put('big.json', `[${json.join(',')}]`);
    put('big.jsonl.gz', zlib.gzipSync(json.join(''), { level: 1 }));
  });

  for (const key of ['big.csv', 'big.csv.gz', 'big.jsonl', 'big.json', 'big.jsonl.gz']) {
    it(`reads at most about the sample of ${key}, whatever its size`, async () => {
      expect(fs.statSync(path.join(root, 'lake', key)).size).toBeGreaterThan(MB);
      const store = new CountingObjectStore(new LocalObjectStore({ root }));
      const { columns } = await schemaOf(key, options, store as never);
      expect(columns.length).toBeGreaterThan(2);
      expect(store.counters.bytes).toBeLessThanOrEqual(DEFAULT_SAMPLE_BYTES + 64 * 1024);
      expect(store.counters.bytes).toBeLessThan(MB);
    });
  }

  it('honours a smaller byte cap', async () => {
    const store = new CountingObjectStore(new LocalObjectStore({ root }));
    await schemaOf('big.json', { sampleRows: 1_000_000, sampleBytes: 16 * 1024 }, store as never);
    expect(store.counters.bytes).toBeLessThanOrEqual(16 * 1024);
  });
});
