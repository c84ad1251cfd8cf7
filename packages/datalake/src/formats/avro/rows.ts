/**
 * Avro rows: the object container's data blocks streamed through avsc's BlockDecoder (codecs
 * null, deflate, snappy). Memory is one block. Temporal logical types become what the profiler
 * reads: epoch milliseconds for date/timestamp, seconds since midnight for time.
 */
import { Readable, pipeline } from 'node:stream';
import * as zlib from 'node:zlib';
import type { ObjectStore } from '../../object-store';
import { columnName } from '../../inference/tree';
import { FileReadError } from '../../io/errors';
import { hyparquet } from '../../io/hyparquet';
import { openByteStream } from '../../io/text-stream';

type Convert = (v: number) => number;

const CONVERSIONS: Record<string, Convert> = {
  date: (v) => v * 86_400_000,
  'timestamp-millis': (v) => v,
  'timestamp-micros': (v) => Math.floor(v / 1000),
  'timestamp-nanos': (v) => Math.floor(v / 1e6),
  'local-timestamp-millis': (v) => v,
  'local-timestamp-micros': (v) => Math.floor(v / 1000),
  'local-timestamp-nanos': (v) => Math.floor(v / 1e6),
  'time-millis': (v) => v / 1000,
  'time-micros': (v) => v / 1e6,
};

/** Avro `decimal`: big-endian two's-complement unscaled bytes (bytes or fixed) → number. */
export function decodeAvroDecimal(bytes: Uint8Array, scale: number): number {
  let unscaled = 0n;
  for (const b of bytes) unscaled = (unscaled << 8n) | BigInt(b);
  if (bytes.length > 0 && bytes[0] & 0x80) unscaled -= 1n << BigInt(bytes.length * 8);
  return Number(unscaled) / 10 ** scale;
}

function decimalScaleOf(type: unknown): number | undefined {
  if (Array.isArray(type)) {
    const branches = type.filter((b) => b !== 'null');
    return branches.length === 1 ? decimalScaleOf(branches[0]) : undefined;
  }
  if (type && typeof type === 'object' && (type as { logicalType?: string }).logicalType === 'decimal') {
    return Number((type as { scale?: number }).scale ?? 0);
  }
  return undefined;
}

function logicalOf(type: unknown): string | undefined {
  if (Array.isArray(type)) {
    const branches = type.filter((b) => b !== 'null');
    return branches.length === 1 ? logicalOf(branches[0]) : undefined;
  }
  if (type && typeof type === 'object') return (type as { logicalType?: string }).logicalType;
  return undefined;
}

/** Avro's snappy codec: raw snappy followed by a 4-byte CRC32 of the uncompressed data. */
function snappyCodec(uncompress: (input: Uint8Array, output: Uint8Array) => void) {
  return (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void): void => {
    try {
      const data = buf.subarray(0, buf.length - 4);
      let length = 0;
      let shift = 0;
      for (let i = 0; i < data.length; i++) {
        const b = data[i];
        length += (b & 0x7f) * 2 ** shift;
        if ((b & 0x80) === 0) break;
        shift += 7;
      }
      const out = new Uint8Array(length);
      uncompress(data, out);
      cb(null, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
    } catch (err) {
      cb(new FileReadError(`corrupt snappy block: ${(err as Error).message}`));
    }
  };
}

export async function* avroRows(store: ObjectStore, bucket: string, key: string, size: number, signal?: AbortSignal): AsyncGenerator<Record<string, unknown>> {
  // avsc is CommonJS: `require` keeps its namespace (a native `import()` would hide `streams`
  // behind `default`), and loading it here keeps it off the start-up path.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const avsc = require('avsc') as typeof import('avsc');
  const { snappyUncompress } = await hyparquet();
  const decoder = new avsc.streams.BlockDecoder({
    codecs: {
      null: (buf: Buffer, cb: (err: Error | null, out?: Buffer) => void) => cb(null, buf),
      deflate: zlib.inflateRaw as never,
      snappy: snappyCodec(snappyUncompress) as never,
    },
  });
  let conversions: [string, Convert][] = [];
  let decimals: [string, number][] = [];
  let keys: [string, string][] = [];
  decoder.on('metadata', (_type: unknown, _codec: string, header: { meta?: Record<string, Buffer> }) => {
    let schema: { type?: string; fields?: { name: string; type: unknown }[] } | undefined;
    try {
      const raw = header?.meta?.['avro.schema'];
      schema = raw ? JSON.parse(Buffer.from(raw).toString('utf8')) : undefined;
    } catch {
      schema = undefined;
    }
    const fields = schema && typeof schema === 'object' && schema.type === 'record' ? (schema.fields ?? []) : [];
    conversions = [];
    decimals = [];
    keys = [];
    for (const f of fields) {
      const scale = decimalScaleOf(f.type);
      if (scale !== undefined) decimals.push([f.name, scale]);
      const logical = logicalOf(f.type);
      if (logical && CONVERSIONS[logical] && logical !== 'timestamp-millis' && logical !== 'local-timestamp-millis') conversions.push([f.name, CONVERSIONS[logical]]);
      const k = columnName(f.name).name;
      if (k !== f.name) keys.push([f.name, k]);
    }
  });
  const source = Readable.from(openByteStream(store, bucket, key, size, 'none', { signal }), { objectMode: false });
  let failure: Error | undefined;
  const piped = pipeline(source, decoder, (err) => {
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') failure = err;
  });
  try {
    for await (const record of piped as AsyncIterable<Record<string, unknown>>) {
      const row = record !== null && typeof record === 'object' ? record : { value: record };
      for (const [name, convert] of conversions) {
        const v = row[name];
        if (typeof v === 'number') row[name] = convert(v);
      }
      for (const [name, scale] of decimals) {
        const v = row[name];
        if (v instanceof Uint8Array) row[name] = decodeAvroDecimal(v, scale);
      }
      for (const [from, to] of keys) {
        row[to] = row[from];
        delete row[from];
      }
      yield row;
    }
    if (failure) throw failure;
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    const message = (err as Error).message ?? String(err);
    if (/invalid|truncated|magic|sync|codec|header/i.test(message)) throw new FileReadError(`cannot read the Avro data: ${message}`);
    throw err;
  } finally {
    piped.destroy();
    source.destroy();
  }
}
