/**
 * Bounded text samples of CSV/TSV/JSON/JSONL objects, plain, gzip or zip. Reading stops at a byte
 * cap (of decompressed text) or once enough lines were seen, and the stream is closed, so the cost
 * does not grow with the object's size. Decompression is `openByteStream`'s, shared with the row
 * readers.
 */
import { StringDecoder } from 'node:string_decoder';
import * as zlib from 'node:zlib';
import type { ObjectStore } from '../object-store';
import { EmptyFileError } from './errors';
import { inflateError, openByteStream, type Compression } from './text-stream';

export { firstZipEntry, type ZipEntry } from './zip';

/** Small inflate chunks, so a sample stops close to its byte cap. */
const SAMPLE_INFLATE_CHUNK = 64 * 1024;

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
  if (compression === 'gzip' && size <= SMALL_GZIP_BYTES) {
    const inflated = gunzipCapped(await store.readRange(bucket, key, 0, size), caps.maxBytes);
    if (inflated) return decodeCapped(slices(inflated), caps);
    // More text than the cap: inflated again below, as a stream that stops at the cap.
  }
  // Plain text: ask the store for the capped range only; compressed: inflate and stop early.
  const end = compression === 'none' ? Math.min(size, caps.maxBytes) : undefined;
  const sample = await decodeCapped(openByteStream(store, bucket, key, size, compression, { endExclusive: end, inflateChunkSize: SAMPLE_INFLATE_CHUNK }), caps);
  return end !== undefined && size > end ? { text: sample.text, cut: true } : sample;
}

/**
 * Gzip objects up to this size are read in one request and inflated in one call: for small files
 * a stream pipeline (and the zlib thread pool round trips) costs more than the inflating.
 */
const SMALL_GZIP_BYTES = 64 * 1024;

/** The inflated bytes, or undefined when they are more than `maxBytes`. Corrupt data: FileReadError. */
function gunzipCapped(bytes: Uint8Array, maxBytes: number): Buffer | undefined {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
    throw inflateError(err, 'gzip');
  }
}

/** The buffer in inflate-sized chunks, as the stream would deliver them. */
async function* slices(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += SAMPLE_INFLATE_CHUNK) yield bytes.subarray(at, at + SAMPLE_INFLATE_CHUNK);
}

async function decodeCapped(stream: AsyncGenerator<Uint8Array>, caps: SampleCaps): Promise<TextSample> {
  const decoder = new StringDecoder('utf8');
  const parts: string[] = [];
  let bytes = 0;
  let lines = 0;
  let cut = false;
  try {
    for await (const raw of stream) {
      let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
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
    if (!cut) parts.push(decoder.end());
  } finally {
    // Ends the generator early (it closes the store stream and the inflater).
    await stream.return(undefined);
  }
  return { text: parts.join(''), cut };
}
