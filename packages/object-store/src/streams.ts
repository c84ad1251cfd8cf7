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

/** A byte stream that can also move its next bytes straight into a caller's buffer. */
export interface IntoReadable {
  /** Reads the next bytes into `into`; resolves to their count, 0 at the end. */
  readInto(into: Uint8Array): Promise<number>;
}

/** Whether `stream` offers `readInto` (an HTTP body read from the socket's buffer, see `Http1Agent`). */
export function readsInto(stream: ByteStream): stream is ByteStream & IntoReadable {
  return typeof (stream as Partial<IntoReadable>).readInto === 'function';
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
