import { Readable } from 'node:stream';
import type { ByteStream } from './contract';

/** Reads a whole (small) byte stream, or its first `limit` bytes, into one buffer. */
export async function collectStream(stream: ByteStream, limit = Infinity): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  const iterable = stream as AsyncIterable<Uint8Array | string>;
  try {
    for await (const chunk of iterable) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      chunks.push(buf);
      total += buf.length;
      if (total >= limit) break;
    }
  } finally {
    destroyStream(stream);
  }
  const all = Buffer.concat(chunks);
  return total > limit ? all.subarray(0, limit) : all;
}

/** Destroys a Node stream (no-op for other iterables, which `break`/`return()` already closed). */
export function destroyStream(stream: ByteStream): void {
  const s = stream as { destroy?: () => void; destroyed?: boolean };
  if (typeof s.destroy === 'function' && !s.destroyed) s.destroy();
}

/** The answer to a read of an empty range (or of a range past the end). */
export function emptyStream(): ByteStream {
  return Readable.from([]);
}
