/**
 * Bounded text samples of CSV/TSV/JSON/JSONL objects, plain, gzip or zip. Reading stops at a byte
 * cap (of decompressed text) or once enough lines were seen, and the stream is destroyed, so the
 * cost does not grow with the object's size.
 */
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as zlib from 'node:zlib';
import type { Compression } from '../formats';
import { destroyStream, type ByteStream, type ObjectStore } from '../object-store';
import { EmptyFileError, FileReadError } from './errors';

export interface SampleCaps {
  /** Bytes of (decompressed) text to read at most. */
  maxBytes: number;
  /** Stop once this many line breaks were seen (undefined: only the byte cap). */
  maxLines?: number;
}

export interface TextSample {
  text: string;
  /** True when the text is a prefix of the (decompressed) object. */
  cut: boolean;
}

export async function readTextSample(
  store: ObjectStore,
  bucket: string,
  key: string,
  size: number,
  compression: Compression,
  caps: SampleCaps,
): Promise<TextSample> {
  if (size === 0) throw new EmptyFileError();
  if (compression === 'none') {
    const end = Math.min(size, caps.maxBytes);
    const stream = await store.openStream(bucket, key, 0, end);
    const sample = await decodeCapped(stream, caps, () => undefined);
    return { text: sample.text, cut: sample.cut || size > end };
  }
  if (compression === 'gzip') {
    const stream = await store.openStream(bucket, key, 0);
    return inflate(stream, zlib.createGunzip({ chunkSize: 64 * 1024 }), caps, 'gzip');
  }
  const entry = await firstZipEntry(store, bucket, key, size);
  const stream = await store.openStream(bucket, key, entry.dataStart, entry.dataStart + entry.compressedSize);
  if (entry.method === 0) {
    const sample = await decodeCapped(stream, caps, () => undefined);
    return sample;
  }
  return inflate(stream, zlib.createInflateRaw({ chunkSize: 64 * 1024 }), caps, 'zip');
}

async function inflate(stream: ByteStream, transform: zlib.Gunzip | zlib.InflateRaw, caps: SampleCaps, what: string): Promise<TextSample> {
  const source = Readable.from(stream as AsyncIterable<Uint8Array>, { objectMode: false });
  let failure: Error | undefined;
  const piped = pipeline(source, transform, (err) => {
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') failure = err;
  });
  try {
    return await decodeCapped(piped, caps, () => failure);
  } catch (err) {
    if (err instanceof FileReadError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || /incorrect header|invalid|unexpected end/i.test((err as Error).message)) {
      throw new FileReadError(`not valid ${what} data: ${(err as Error).message}`);
    }
    throw err;
  } finally {
    destroyStream(piped);
    source.destroy();
    destroyStream(stream);
  }
}

async function decodeCapped(stream: ByteStream, caps: SampleCaps, pendingError: () => Error | undefined): Promise<TextSample> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  let bytes = 0;
  let lines = 0;
  let cut = false;
  try {
    for await (const raw of stream as AsyncIterable<Uint8Array | string>) {
      let chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      if (bytes + chunk.length > caps.maxBytes) {
        chunk = chunk.subarray(0, caps.maxBytes - bytes);
        cut = true;
      }
      bytes += chunk.length;
      const text = decoder.write(chunk);
      parts.push(text);
      if (caps.maxLines !== undefined) {
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
        if (lines > caps.maxLines) {
          cut = true;
          break;
        }
      }
      if (cut) break;
    }
    const err = pendingError();
    if (err) throw err;
    if (!cut) parts.push(decoder.end());
  } finally {
    destroyStream(stream);
  }
  return { text: parts.join(''), cut };
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  dataStart: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The first file of a zip archive, found from the central directory with range reads. */
export async function firstZipEntry(store: ObjectStore, bucket: string, key: string, size: number): Promise<ZipEntry> {
  if (size < 22) throw new FileReadError('not a zip archive (too short)');
  const tailStart = Math.max(0, size - (65535 + 22 + 20));
  const tail = Buffer.from(await store.readRange(bucket, key, tailStart, size));
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new FileReadError('not a zip archive (no end of central directory)');
  let entries = tail.readUInt16LE(at + 10);
  let cdSize = tail.readUInt32LE(at + 12);
  let cdOffset = tail.readUInt32LE(at + 16);
  if ((cdOffset === 0xffffffff || entries === 0xffff) && at >= 20 && tail.readUInt32LE(at - 20) === EOCD64_LOCATOR) {
    const eocd64At = Number(tail.readBigUInt64LE(at - 20 + 8));
    const rec = Buffer.from(await store.readRange(bucket, key, eocd64At, eocd64At + 56));
    if (rec.length < 56 || rec.readUInt32LE(0) !== EOCD64) throw new FileReadError('corrupt zip64 directory');
    entries = Number(rec.readBigUInt64LE(32));
    cdSize = Number(rec.readBigUInt64LE(40));
    cdOffset = Number(rec.readBigUInt64LE(48));
  }
  if (entries === 0) throw new EmptyFileError('the zip archive holds no file');
  const cd = Buffer.from(await store.readRange(bucket, key, cdOffset, cdOffset + Math.min(cdSize, 1024 * 1024)));
  let p = 0;
  while (p + 46 <= cd.length && cd.readUInt32LE(p) === CENTRAL) {
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    const extra = cd.subarray(p + 46 + nameLen, p + 46 + nameLen + extraLen);
    let uncompressed = cd.readUInt32LE(p + 24);
    // Zip64 extended information: 64-bit values for the fields that are 0xFFFFFFFF, in order.
    for (let e = 0; e + 4 <= extra.length; ) {
      const id = extra.readUInt16LE(e);
      const len = extra.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressed === 0xffffffff) {
          uncompressed = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (compressedSize === 0xffffffff) {
          compressedSize = Number(extra.readBigUInt64LE(q));
          q += 8;
        }
        if (localOffset === 0xffffffff) localOffset = Number(extra.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/') || name.startsWith('__MACOSX/') || name.split('/').pop()!.startsWith('.')) continue;
    if (flags & 0x1) throw new FileReadError(`zip entry ${name} is encrypted`);
    if (method !== 0 && method !== 8) throw new FileReadError(`zip entry ${name} uses compression method ${method}; only stored and deflate are supported`);
    if (uncompressed === 0) throw new EmptyFileError(`the zip entry ${name} is empty`);
    const local = Buffer.from(await store.readRange(bucket, key, localOffset, localOffset + 30));
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) throw new FileReadError(`corrupt zip: bad local header for ${name}`);
    const dataStart = localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    return { name, method, compressedSize, dataStart };
  }
  throw new EmptyFileError('the zip archive holds no file');
}
