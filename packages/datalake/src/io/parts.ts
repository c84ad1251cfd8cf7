/**
 * What every split pass (`TableDataRequest.parts`) shares, whatever the format: the worker entry
 * to load, and parts whose bytes move to the worker without a copy. The reading stays in the
 * calling thread, through the store; the workers only decode (`formats/part-decoder.ts`), so any
 * store plugin works unchanged. Each format's own splitting is in its folder (`parts.ts`).
 */
import { MessageChannel } from 'node:worker_threads';
import type { ObjectStore } from '../object-store';
/**
 * The compiled decoder a worker thread loads, through the package's own `./part-decoder` export: a
 * worker runs plain Node, so it is always the built file of the installed package.
 */
export function partDecoderModule(): string {
  return require.resolve('@om/datalake/part-decoder');
}

/** Buffers are allocated in steps of this size, so a recycled buffer fits parts of a similar size. */
const BUFFER_STEP = 256 * 1024;
/** Recycled buffers kept at most (a pass has a few parts in flight per thread). */
const MAX_FREE_BUFFERS = 16;

/**
 * The buffers a split pass reads its parts into, reused: a part's buffer moves to the thread that
 * decodes it and comes back once it is decoded (`TablePartsPass.recycle`). A new megabyte-sized
 * buffer per part, freed by another thread at some later collection, left the process's malloc
 * arenas holding tens of MB they had freed. A store without `readRangeInto` gives its own buffers.
 */
export class PartBuffers {
  private readonly free: ArrayBuffer[] = [];
  private finished = false;

  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
    private readonly key: string,
  ) {}

  /** Bytes [start, end) of the object, in a buffer the part may move (`transfer`). */
  async read(start: number, end: number): Promise<{ bytes: Uint8Array; transfer: ArrayBuffer[] }> {
    const { runs, transfer } = await this.readRuns([{ start, end }]);
    return { bytes: runs[0], transfer };
  }

  /**
   * Byte ranges of the object, read at once, one after another in one buffer (a part's column runs):
   * the bytes of each (fewer only at the object's end), and the buffer the part may move.
   */
  async readRuns(ranges: readonly { start: number; end: number }[]): Promise<{ runs: Uint8Array[]; transfer: ArrayBuffer[] }> {
    const readInto = this.store.readRangeInto?.bind(this.store);
    if (!readInto) {
      const reads = await Promise.all(ranges.map((r) => this.store.readRange(this.bucket, this.key, r.start, r.end).then(ownedBytes)));
      return { runs: reads.map((r) => r.bytes), transfer: reads.flatMap((r) => r.transfer) };
    }
    const buffer = this.take(ranges.reduce((n, r) => n + r.end - r.start, 0));
    let at = 0;
    const reads = await Promise.allSettled(
      ranges.map((r) => {
        const into = new Uint8Array(buffer, at, r.end - r.start);
        at += r.end - r.start;
        return readInto(this.bucket, this.key, r.start, into).then((n) => into.subarray(0, n));
      }),
    );
    // Every read has settled (none still writes into the buffer) before it can be reused.
    const failed = reads.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.free.push(buffer);
      throw failed.reason;
    }
    return { runs: reads.map((r) => (r as PromiseFulfilledResult<Uint8Array>).value), transfer: [buffer] };
  }

  /** Buffers of parts that are done (moved ones come back whole). */
  recycle(buffers: readonly ArrayBuffer[]): void {
    if (this.finished) {
      releaseBuffers(buffers);
      return;
    }
    for (const b of buffers) if (b instanceof ArrayBuffer && b.byteLength > 0 && this.free.length < MAX_FREE_BUFFERS) this.free.push(b);
  }

  /**
   * Every part is read: the buffers kept for reuse, and those of the last parts as they come back,
   * are released at once instead of when a garbage collection finds them (the pass's end is where
   * the profile's results are built, on top of whatever the pass still holds).
   */
  finish(): void {
    this.finished = true;
    releaseBuffers(this.free.splice(0));
  }

  /** The smallest free buffer of at least `size` bytes, or a new one. */
  private take(size: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const n = this.free[i].byteLength;
      if (n >= size && (best < 0 || n < this.free[best].byteLength)) best = i;
    }
    if (best >= 0) return this.free.splice(best, 1)[0];
    return new ArrayBuffer(Math.max(BUFFER_STEP, Math.ceil(size / BUFFER_STEP) * BUFFER_STEP));
  }
}

/**
 * Frees the memory of `buffers` now (they are left detached, of length 0): they are moved into a
 * message nobody receives, and closing its channel drops the message with them. V8 frees an
 * ArrayBuffer's memory only when a collection finds it dead, and an old one waits for a full one.
 */
export function releaseBuffers(buffers: readonly ArrayBuffer[]): void {
  const movable = [...new Set(buffers)].filter((b) => b instanceof ArrayBuffer && b.byteLength > 0);
  if (movable.length === 0) return;
  const { port1, port2 } = new MessageChannel();
  port1.postMessage(null, movable);
  port1.close();
  port2.close();
}

/** `bytes` as a TablePart whose ArrayBuffer can be moved (copied first when it is shared). */
export function ownedBytes(bytes: Uint8Array): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return { bytes, transfer: [bytes.buffer] };
  }
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return { bytes: copy, transfer: [copy.buffer] };
}

export function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
