/**
 * Bounded text samples of CSV/TSV/JSON/JSONL objects, plain, gzip or zip. Reading stops at a byte
 * cap (of decompressed text) or once enough lines were seen, and the stream is closed, so the cost
 * does not grow with the object's size. Decompression is `openByteStream`'s, shared with the row
 * readers.
 */
import { StringDecoder } from 'node:string_decoder';
import type { ObjectStore } from '../object-store';
import { EmptyFileError } from './errors';
import { openByteStream, type Compression } from './text-stream';

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
  // Plain text: ask the store for the capped range only; compressed: inflate and stop early.
  const end = compression === 'none' ? Math.min(size, caps.maxBytes) : undefined;
  const sample = await decodeCapped(openByteStream(store, bucket, key, size, compression, { endExclusive: end, inflateChunkSize: SAMPLE_INFLATE_CHUNK }), caps);
  return end !== undefined && size > end ? { text: sample.text, cut: true } : sample;
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
