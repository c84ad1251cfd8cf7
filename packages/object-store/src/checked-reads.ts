/**
 * Reads of one listed object that resume after a broken body and check the bytes against the listed
 * size. The storage SDKs retry failed requests, but not a body that stops half-way (a reset, an idle
 * timeout) nor a body shorter than the object (an empty 200 answer): such a read must fail the file,
 * never look like an empty or short file (which would drop its table, and let mark-deleted delete it).
 */
import { ObjectStoreError, type ByteStream, type ObjectStore } from './contract';
import { destroyStream, readsInto } from './streams';

/** Attempts after the first one, per read (progress resets the count). */
export const READ_RESUMES = 3;
const RESUME_DELAY_MS = 100;
/** A body silent this long is dropped and resumed, when the store names no read timeout. */
export const DEFAULT_BODY_IDLE_MS = 60_000;

export interface CheckedReadOptions {
  /** The run's stop signal: no resume after it fired. */
  signal?: AbortSignal;
  /** Resumes after the first attempt (default 3). */
  resumes?: number;
}

/**
 * A store whose `readRange` / `openStream` of `bucket/key` resume until the listed `size` (or the
 * requested end) is reached, and throw a named `ObjectStoreError` when they cannot. Other calls and
 * other objects go to `store` unchanged.
 */
export function checkedReads(store: ObjectStore, bucket: string, key: string, size: number, options: CheckedReadOptions = {}): ObjectStore {
  const resumes = options.resumes ?? READ_RESUMES;
  const mine = (b: string, k: string) => b === bucket && k === key;
  const where = `${store.kind === 'local' ? '' : `${store.kind}://`}${bucket}/${key}`;
  const fail = (start: number, pos: number, end: number, attempts: number, problem: string) =>
    new ObjectStoreError(
      'Other',
      `${where}: got ${pos - start} of the ${end - start} bytes asked for (bytes ${start}-${end - 1}, listed size ${size}), then ${problem} ` +
        `(${attempts} attempts); the file was not read, so its table is left as it is`,
      bucket,
      key,
    );
  const wait = async (failures: number) => {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    await new Promise((resolve) => setTimeout(resolve, RESUME_DELAY_MS * 2 ** (failures - 1)));
  };

  const idleMs = store.readTimeoutMs ?? DEFAULT_BODY_IDLE_MS;
  const checked: ObjectStore = {
    kind: store.kind,
    ...(store.readTimeoutMs !== undefined ? { readTimeoutMs: store.readTimeoutMs } : {}),
    ...(store.wholeRangedReads ? { wholeRangedReads: true } : {}),
    listBuckets: (database) => store.listBuckets(database),
    listObjects: (b, prefix, signal) => store.listObjects(b, prefix, signal),
    objectSize: (b, k) => store.objectSize(b, k),
    ...(store.databaseNames ? { databaseNames: () => store.databaseNames!() } : {}),
    ...(store.close ? { close: () => store.close!() } : {}),

    async readRange(b, k, start, endExclusive) {
      if (!mine(b, k)) return store.readRange(b, k, start, endExclusive);
      const end = Math.min(endExclusive, size);
      if (end <= start) return store.readRange(b, k, start, endExclusive);
      return readChecked(start, end);
    },

    async readRangeInto(b, k, start, into) {
      if (!mine(b, k)) {
        if (store.readRangeInto) return store.readRangeInto(b, k, start, into);
        const bytes = await store.readRange(b, k, start, start + into.length);
        into.set(bytes);
        return bytes.length;
      }
      const end = Math.min(start + into.length, size);
      if (end <= start) return 0;
      return (await readChecked(start, end, into)).length;
    },

    async openStream(b, k, start = 0, endExclusive) {
      if (!mine(b, k)) return store.openStream(b, k, start, endExclusive);
      const end = Math.min(endExclusive ?? size, size);
      if (end <= start) return store.openStream(b, k, start, endExclusive);
      const first = await store.openStream(b, k, start, endExclusive);
      return resumingStream(first, start, end);
    },
  };

  /**
   * Bytes [start, end) of the object (within its listed size), into `into` when given (else a new
   * buffer). A store whose ranged reads are whole is asked once; anything short of the range, or a
   * failed read, goes on through the resumable stream.
   */
  async function readChecked(start: number, end: number, into?: Uint8Array): Promise<Uint8Array> {
    let first: Uint8Array | undefined;
    if (store.wholeRangedReads) {
      try {
        if (into && store.readRangeInto) first = into.subarray(0, await store.readRangeInto(bucket, key, start, into.subarray(0, end - start)));
        else first = await store.readRange(bucket, key, start, end);
      } catch (err) {
        if (!resumable(err)) throw err;
      }
      if (first && first.length >= end - start) {
        const whole = first.length === end - start ? first : first.subarray(0, end - start);
        if (!into || whole.buffer === into.buffer) return whole;
        into.set(whole);
        return into.subarray(0, whole.length);
      }
    }
    // Through the resumable stream: a body that breaks off or goes silent resumes where it stopped.
    const out = into ? into.subarray(0, end - start) : Buffer.allocUnsafe(end - start);
    let at = 0;
    if (first && first.length > 0) {
      if (first.buffer !== out.buffer || first.byteOffset !== out.byteOffset) out.set(first, 0);
      at = first.length;
    }
    // Read on to the end of the body once the range is complete: an HTTP body left unread is
    // destroyed with its connection, and the next request would open a new one.
    for await (const chunk of resumingStream(undefined, start + at, end, out.subarray(at))) {
      // More bytes than the range (a server that ignored it): stop here.
      if (at >= out.length) break;
      const n = Math.min(chunk.length, out.length - at);
      // Bodies that read into the target hand back a view of it: nothing to copy.
      if (chunk.buffer !== out.buffer || chunk.byteOffset !== out.byteOffset + at) out.set(chunk.subarray(0, n), at);
      at += n;
    }
    return out;
  }

  /**
   * The bytes [start, end), resuming after failures. With `target` (room for those bytes), a body
   * that can read into a buffer (`readsInto`) fills it in place and each chunk is a view of it.
   */
  async function* resumingStream(first: ByteStream | undefined, start: number, end: number, target?: Uint8Array): AsyncGenerator<Uint8Array> {
    let stream: ByteStream | undefined = first;
    let pos = start;
    let failures = 0;
    for (;;) {
      let problem: string | undefined;
      const before = pos;
      let opening = !stream;
      try {
        if (!stream) stream = await store.openStream(bucket, key, pos, end);
        opening = false;
        if (target && readsInto(stream)) {
          while (pos < end) {
            const into = target.subarray(pos - start, end - start);
            const n = await idle(stream.readInto(into), idleMs, stream);
            if (n === 0) break;
            pos += n;
            yield into.subarray(0, n);
          }
        } else {
          const chunks = (stream as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
          for (;;) {
            const next = await idle(chunks.next(), idleMs, stream);
            if (next.done) break;
            const bytes = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
            pos += bytes.length;
            yield bytes;
          }
        }
      } catch (err) {
        if (!resumable(err)) throw err;
        problem = `${opening ? 'the read failed' : 'the body broke off'}: ${message(err)}`;
      } finally {
        if (stream) destroyStream(stream);
        stream = undefined;
      }
      if (pos >= end) return;
      if (pos > before) failures = 0;
      problem ??= pos === start ? 'the answer held no bytes' : 'the answer ended early';
      if (++failures > resumes) throw fail(start, pos, end, failures, problem);
      await wait(failures);
    }
  }

  return checked;
}

/** The next chunk, or an error once the body stayed silent for `ms` (the stream is destroyed). */
function idle<T>(next: Promise<T>, ms: number, stream: ByteStream): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      destroyStream(stream);
      reject(new Error(`no byte for ${ms / 1000} s (the read timeout)`));
    }, ms);
  });
  next.catch(() => undefined);
  return Promise.race([next, silent]).finally(() => clearTimeout(timer));
}

/** Broken bodies and server trouble are worth a resume; missing, denied, aborted or throttled reads are not. */
function resumable(err: unknown): boolean {
  if (err instanceof ObjectStoreError) return err.code === 'Other';
  const name = (err as { name?: unknown } | undefined)?.name;
  return name !== 'AbortError' && name !== 'FileReadError' && name !== 'EmptyFileError';
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}
