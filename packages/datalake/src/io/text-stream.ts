/**
 * Object byte and text streams, plain, gzip or zip (first member), for the schema sampler and the
 * row readers: decompressed and decoded chunk by chunk. Memory is one chunk plus the decoder state,
 * whatever the object's size.
 */
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import * as zlib from 'node:zlib';
import { destroyStream, type ByteStream, type ObjectStore } from '../object-store';
import { FileReadError } from './errors';
import { firstZipEntry } from './zip';

/** How a file's bytes are stored: as they are, gzip, or the first entry of a zip. */
export type Compression = 'none' | 'gzip' | 'zip';

const INFLATE_CHUNK = 1024 * 1024;

export interface ByteStreamOptions {
  signal?: AbortSignal;
  /** Limits an uncompressed read to `[0, endExclusive)`, so the store transfers no more (samples). */
  endExclusive?: number;
  /** Decompressed bytes per chunk (default 1 MiB for scans; samples use less to stop sooner). */
  inflateChunkSize?: number;
}

/** The decompressed bytes of an object, streamed. The caller must finish or `return()` the iterator. */
export async function* openByteStream(
  store: ObjectStore,
  bucket: string,
  key: string,
  size: number,
  compression: Compression,
  options: ByteStreamOptions = {},
): AsyncGenerator<Uint8Array> {
  const { signal, endExclusive } = options;
  const chunkSize = options.inflateChunkSize ?? INFLATE_CHUNK;
  if (size === 0) return;
  let raw: ByteStream;
  let transform: zlib.Gunzip | zlib.InflateRaw | undefined;
  let what = compression as string;
  if (compression === 'zip') {
    const entry = await firstZipEntry(store, bucket, key, size);
    raw = await store.openStream(bucket, key, entry.dataStart, entry.dataStart + entry.compressedSize);
    if (entry.method === 8) transform = zlib.createInflateRaw({ chunkSize });
    what = 'zip';
  } else {
    raw = await store.openStream(bucket, key, 0, compression === 'none' ? endExclusive : undefined);
    if (compression === 'gzip') transform = zlib.createGunzip({ chunkSize });
  }
  if (!transform) {
    try {
      for await (const chunk of raw as AsyncIterable<Uint8Array | string>) {
        if (signal?.aborted) throw abortError(signal);
        yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      }
    } finally {
      destroyStream(raw);
    }
    return;
  }
  const source = Readable.from(raw as AsyncIterable<Uint8Array>, { objectMode: false });
  let failure: Error | undefined;
  const piped = pipeline(source, transform, (err) => {
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') failure = err;
  });
  try {
    for await (const chunk of piped as AsyncIterable<Uint8Array>) {
      if (signal?.aborted) throw abortError(signal);
      yield chunk;
    }
    if (failure) throw failure;
  } catch (err) {
    throw inflateError(err, what);
  } finally {
    destroyStream(piped);
    source.destroy();
    destroyStream(raw);
  }
}

/** The same, decoded as UTF-8 text chunks (a leading BOM is removed). */
export async function* openTextStream(
  store: ObjectStore,
  bucket: string,
  key: string,
  size: number,
  compression: Compression,
  signal?: AbortSignal,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of openByteStream(store, bucket, key, size, compression, { signal })) {
    let text = decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length > 0) yield text;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

/** A zlib error as a FileReadError naming the compression (`what`); other errors as they are. */
export function inflateError(err: unknown, what: string): unknown {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (code.startsWith('Z_') || /incorrect header|invalid|unexpected end/i.test((err as Error).message)) {
    return new FileReadError(`not valid ${what} data: ${(err as Error).message}`);
  }
  return err;
}

export function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  return reason instanceof Error ? reason : new Error('the read was aborted');
}
