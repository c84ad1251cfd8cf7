import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as avro from 'avsc';
import { LocalObjectStore } from '../../local-store';
import { CountingObjectStore } from '../../testing';
import { avroSchemaColumns, readAvroColumns } from './schema';

const schema = {
  type: 'record',
  name: 'Event',
  namespace: 'com.example',
  fields: [
    { name: 'id', type: 'long', doc: 'event id' },
    { name: 'amount', type: 'double' },
    { name: 'name', type: 'string' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'choice', type: ['int', 'string'] },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'local_at', type: { type: 'long', logicalType: 'local-timestamp-micros' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'tod', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 18, scale: 3 } },
    { name: 'uid', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 16 } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'long' } },
    { name: 'geo', type: { type: 'record', name: 'Geo', fields: [{ name: 'lat', type: 'double' }, { name: 'lon', type: 'double' }] } },
    { name: 'stops', type: { type: 'array', items: 'Geo' } },
    { name: 'raw', type: 'bytes' },
    { name: 'ok', type: 'boolean' },
    { name: 'f', type: 'float' },
    { name: 'n', type: 'int' },
  ],
};

async function writeAvro(file: string, avroSchema: unknown, records: unknown[], codec = 'null'): Promise<void> {
  const enc = new avro.streams.BlockEncoder(avroSchema as avro.Schema, { codec } as never);
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    out.on('close', () => resolve());
    out.on('error', reject);
  });
  enc.pipe(out);
  for (const r of records) enc.write(r);
  enc.end();
  await done;
}

let root: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-avro-'));
  fs.mkdirSync(path.join(root, 'lake'));
  const record = (i: number) => ({
    id: i, amount: i / 3, name: `n${i}`, note: i % 2 ? null : 'x', choice: i % 2 ? 1 : 'one', at: i, local_at: i, day: 1, tod: 2,
    price: Buffer.from([1, 2]), uid: '6f1c7d9e-0000-4000-8000-000000000000', kind: 'A', hash: Buffer.alloc(16), tags: ['a'],
    attrs: { k: 1 }, geo: { lat: 1, lon: 2 }, stops: [{ lat: 1, lon: 2 }], raw: Buffer.from('x'), ok: true, f: 1.5, n: 3,
  });
  for (const codec of ['null', 'deflate']) {
    await writeAvro(path.join(root, 'lake', `events_${codec}.avro`), schema, Array.from({ length: 2000 }, (_, i) => record(i)), codec);
  }
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe.each(['null', 'deflate'])('Avro header (%s codec)', (codec) => {
  it('maps the writer schema with one small range read', async () => {
    const store = new CountingObjectStore(new LocalObjectStore({ root }));
    const key = `events_${codec}.avro`;
    const size = fs.statSync(path.join(root, 'lake', key)).size;
    const cols = await readAvroColumns(store, 'lake', key, size);
    expect(store.counters.rangeReads).toBe(1);
    expect(store.counters.bytes).toBeLessThanOrEqual(64 * 1024);
    const by = Object.fromEntries(cols.map((c) => [c.name, c]));
    expect(cols.map((c) => c.name)).toEqual(schema.fields.map((f) => f.name));
    expect(by.id).toEqual({ name: 'id', dataType: 'LONG', dataTypeDisplay: 'long', description: 'event id' });
    expect(by.amount).toMatchObject({ dataType: 'DOUBLE', dataTypeDisplay: 'double' });
    expect(by.note).toMatchObject({ dataType: 'STRING', dataTypeDisplay: 'UNION<null,string>' });
    expect(by.choice).toMatchObject({ dataType: 'UNION', dataTypeDisplay: 'UNION<int,string>' });
    expect(by.at).toMatchObject({ dataType: 'TIMESTAMP' });
    expect(by.local_at).toMatchObject({ dataType: 'DATETIME' });
    expect(by.day).toMatchObject({ dataType: 'DATE' });
    expect(by.tod).toMatchObject({ dataType: 'TIME' });
    expect(by.price).toMatchObject({ dataType: 'DECIMAL', precision: 18, scale: 3 });
    expect(by.uid).toMatchObject({ dataType: 'UUID' });
    expect(by.kind).toMatchObject({ dataType: 'ENUM' });
    expect(by.hash).toMatchObject({ dataType: 'FIXED', dataLength: 16 });
    expect(by.tags).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING', dataTypeDisplay: 'ARRAY<string>' });
    expect(by.attrs).toMatchObject({ dataType: 'MAP', dataTypeDisplay: 'MAP<long>' });
    expect(by.geo).toMatchObject({ dataType: 'RECORD' });
    expect(by.geo.children!.map((c) => [c.name, c.dataType])).toEqual([['lat', 'DOUBLE'], ['lon', 'DOUBLE']]);
    expect(by.stops).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'RECORD' });
    expect(by.stops.children!.map((c) => c.name)).toEqual(['lat', 'lon']);
    expect(by.raw).toMatchObject({ dataType: 'BYTES' });
    expect(by.ok).toMatchObject({ dataType: 'BOOLEAN' });
    expect(by.f).toMatchObject({ dataType: 'FLOAT' });
    expect(by.n).toMatchObject({ dataType: 'INT' });
  });
});

it('reads headers larger than the first range read', async () => {
  const fields = Array.from({ length: 3000 }, (_, i) => ({ name: `field_with_a_long_name_${i}`, type: 'string', doc: 'x'.repeat(20) }));
  const file = path.join(root, 'lake', 'wide.avro');
  await writeAvro(file, { type: 'record', name: 'Wide', fields }, [Object.fromEntries(fields.map((f) => [f.name, 'v']))]);
  const store = new CountingObjectStore(new LocalObjectStore({ root }));
  const cols = await readAvroColumns(store, 'lake', 'wide.avro', fs.statSync(file).size);
  expect(cols).toHaveLength(3000);
  expect(store.counters.rangeReads).toBe(2);
});

it('rejects a non-Avro file', async () => {
  fs.writeFileSync(path.join(root, 'lake', 'bad.avro'), 'hello');
  await expect(readAvroColumns(new LocalObjectStore({ root }), 'lake', 'bad.avro', 5)).rejects.toThrow(/not an Avro object container/);
});

it('maps a non-record schema to one value column', () => {
  expect(avroSchemaColumns('string')).toEqual([{ name: 'value', dataType: 'STRING', dataTypeDisplay: 'string' }]);
});
