/**
 * Avro object container files: the writer schema from the header (`Obj\x01`, a metadata map of
 * `avro.schema` / `avro.codec`, a 16-byte sync marker), read with range reads (64 KiB first, more
 * only for huge schemas). No data block is read.
 */
import type { Column, DataType } from '@om/core';
import type { ObjectStore } from '../../object-store';
import { mappedColumn, type MappedType } from '../../inference/tree';
import { EmptyFileError, FileReadError } from '../../io/errors';

const FIRST_READ = 64 * 1024;
const MAX_HEADER = 16 * 1024 * 1024;

class NeedMore extends Error {}

/** Decodes the header; throws NeedMore when `buf` ends inside it. */
export function decodeAvroHeader(buf: Uint8Array): { meta: Map<string, Uint8Array>; headerLength: number } {
  if (buf.length < 4) throw new NeedMore();
  if (buf[0] !== 0x4f || buf[1] !== 0x62 || buf[2] !== 0x6a || buf[3] !== 0x01) {
    throw new FileReadError('not an Avro object container file (no Obj\\x01 magic)');
  }
  let pos = 4;
  const readLong = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      if (pos >= buf.length) throw new NeedMore();
      const b = buf[pos++];
      n += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 63) throw new FileReadError('corrupt Avro header (bad varint)');
    }
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  };
  const readBytes = (): Uint8Array => {
    const len = readLong();
    if (len < 0) throw new FileReadError('corrupt Avro header (negative length)');
    if (pos + len > buf.length) throw new NeedMore();
    const out = buf.subarray(pos, pos + len);
    pos += len;
    return out;
  };
  const meta = new Map<string, Uint8Array>();
  for (;;) {
    let count = readLong();
    if (count === 0) break;
    if (count < 0) {
      count = -count;
      readLong(); // block size in bytes
    }
    for (let i = 0; i < count; i++) {
      const k = Buffer.from(readBytes()).toString('utf8');
      meta.set(k, readBytes());
    }
  }
  if (pos + 16 > buf.length) throw new NeedMore();
  return { meta, headerLength: pos + 16 };
}

export interface AvroHeader {
  schema: unknown;
  codec: string;
}

export async function readAvroHeader(store: ObjectStore, bucket: string, key: string, size: number): Promise<AvroHeader> {
  if (size === 0) throw new EmptyFileError();
  let want = Math.min(size, FIRST_READ);
  for (;;) {
    const buf = await store.readRange(bucket, key, 0, want);
    try {
      const { meta } = decodeAvroHeader(buf);
      const raw = meta.get('avro.schema');
      if (!raw) throw new FileReadError('the Avro header has no avro.schema');
      let schema: unknown;
      try {
        schema = JSON.parse(Buffer.from(raw).toString('utf8'));
      } catch (err) {
        throw new FileReadError(`the Avro schema in the header is not valid JSON: ${(err as Error).message}`);
      }
      return { schema, codec: meta.has('avro.codec') ? Buffer.from(meta.get('avro.codec')!).toString('utf8') : 'null' };
    } catch (err) {
      if (!(err instanceof NeedMore)) throw err;
      if (want >= size) throw new FileReadError('truncated Avro header');
      if (want >= MAX_HEADER) throw new FileReadError(`the Avro header is larger than ${MAX_HEADER} bytes`);
      want = Math.min(size, want * 4, MAX_HEADER);
    }
  }
}

export async function readAvroColumns(store: ObjectStore, bucket: string, key: string, size: number): Promise<Column[]> {
  const { schema } = await readAvroHeader(store, bucket, key, size);
  return avroSchemaColumns(schema);
}

type AvroSchema = string | AvroSchema[] | { type: AvroSchema; [key: string]: unknown };

/**
 * The table's columns: the fields of the top-level record (a non-record schema is one column
 * named `value`). Mapping per OpenMetadata's avro parser, with logical types resolved and
 * `["null", T]` unions read as a nullable T.
 */
export function avroSchemaColumns(schema: unknown): Column[] {
  const named = new Map<string, Record<string, unknown>>();
  const root = schema as AvroSchema;
  if (root && typeof root === 'object' && !Array.isArray(root) && root.type === 'record') {
    register(root as Record<string, unknown>, named, undefined);
    return fieldsOf(root as Record<string, unknown>, named, 0);
  }
  return [fieldColumn('value', root, undefined, named, 0)];
}

function fullName(s: Record<string, unknown>, ns: string | undefined): string {
  const name = String(s.name ?? '');
  if (name.includes('.')) return name;
  const space = (s.namespace as string | undefined) ?? ns;
  return space ? `${space}.${name}` : name;
}

function register(s: Record<string, unknown>, named: Map<string, Record<string, unknown>>, ns: string | undefined): void {
  if (typeof s.name === 'string') {
    named.set(fullName(s, ns), s);
    named.set(s.name, s);
  }
}

function fieldsOf(record: Record<string, unknown>, named: Map<string, Record<string, unknown>>, depth: number): Column[] {
  const fields = Array.isArray(record.fields) ? (record.fields as Record<string, unknown>[]) : [];
  const ns = (record.namespace as string | undefined) ?? undefined;
  return fields.map((f) => fieldColumn(String(f.name), f.type as AvroSchema, f.doc as string | undefined, named, depth, ns));
}

const PRIMITIVES: Record<string, DataType> = {
  null: 'NULL', boolean: 'BOOLEAN', int: 'INT', long: 'LONG', float: 'FLOAT', double: 'DOUBLE', bytes: 'BYTES', string: 'STRING',
};


function fieldColumn(name: string, type: AvroSchema, doc: string | undefined, named: Map<string, Record<string, unknown>>, depth: number, ns?: string): Column {
  const m = mapType(type, named, depth, ns);
  const col = mappedColumn(name, m);
  if (doc) col.description = doc;
  return col;
}

function mapType(type: AvroSchema, named: Map<string, Record<string, unknown>>, depth: number, ns?: string): MappedType {
  if (depth > 32) return { dataType: 'RECORD', display: 'record' };
  if (typeof type === 'string') {
    if (PRIMITIVES[type]) return { dataType: PRIMITIVES[type], display: type };
    const ref = named.get(type) ?? (ns ? named.get(`${ns}.${type}`) : undefined);
    if (!ref) return { dataType: 'UNKNOWN', display: type };
    return mapType(ref as AvroSchema, named, depth + 1, ns);
  }
  if (Array.isArray(type)) {
    const nonNull = type.filter((b) => b !== 'null');
    const display = `UNION<${type.map((b) => (typeof b === 'string' ? b : Array.isArray(b) ? 'union' : String(b.type))).join(',')}>`;
    if (nonNull.length === 1 && type.length === 2) {
      const inner = mapType(nonNull[0], named, depth, ns);
      return { ...inner, display };
    }
    return { dataType: 'UNION', display };
  }
  if (!type || typeof type !== 'object') return { dataType: 'UNKNOWN', display: String(type) };
  const t = type as Record<string, unknown>;
  const logical = t.logicalType as string | undefined;
  const base = t.type as AvroSchema;
  switch (logical) {
    case 'decimal':
      return { dataType: 'DECIMAL', display: `decimal(${t.precision}, ${t.scale ?? 0})`, precision: Number(t.precision), scale: Number(t.scale ?? 0) };
    case 'uuid':
      return { dataType: 'UUID', display: 'uuid' };
    case 'date':
      return { dataType: 'DATE', display: 'date' };
    case 'time-millis':
    case 'time-micros':
      return { dataType: 'TIME', display: logical };
    case 'timestamp-millis':
    case 'timestamp-micros':
    case 'timestamp-nanos':
      return { dataType: 'TIMESTAMP', display: logical };
    case 'local-timestamp-millis':
    case 'local-timestamp-micros':
    case 'local-timestamp-nanos':
      return { dataType: 'DATETIME', display: logical };
    case 'duration':
      return { dataType: 'INTERVAL', display: 'duration' };
    default:
      break;
  }
  switch (base) {
    case 'record':
    case 'error': {
      register(t, named, ns);
      const children = fieldsOf(t, named, depth + 1);
      return { dataType: 'RECORD', display: 'record', children };
    }
    case 'enum':
      register(t, named, ns);
      return { dataType: 'ENUM', display: 'enum' };
    case 'fixed':
      register(t, named, ns);
      return { dataType: 'FIXED', display: `fixed(${t.size})`, dataLength: Number(t.size) };
    case 'array': {
      const item = mapType(t.items as AvroSchema, named, depth + 1, ns);
      const itemName = typeof t.items === 'string' ? t.items : Array.isArray(t.items) ? 'union' : String((t.items as Record<string, unknown>)?.type);
      const m: MappedType = { dataType: 'ARRAY', display: `ARRAY<${itemName}>`, arrayDataType: item.dataType };
      if (item.children) m.children = item.children;
      return m;
    }
    case 'map': {
      const value = t.values as AvroSchema;
      const valueName = typeof value === 'string' ? value : Array.isArray(value) ? 'union' : String((value as Record<string, unknown>)?.type);
      return { dataType: 'MAP', display: `MAP<${valueName}>` };
    }
    default:
      return mapType(base, named, depth + 1, ns);
  }
}
