import type { ByteStream, ObjectInfo, ObjectStore } from '../contract';

export interface ReadCounters {
  /** readRange calls. */
  rangeReads: number;
  /** openStream calls. */
  streams: number;
  /** Bytes returned by readRange plus bytes consumed from streams. */
  bytes: number;
  listCalls: number;
}

/**
 * Wraps a store and counts requests and bytes actually handed to the reader, to prove that schema
 * reads are bounded (tests and bench).
 */
export class CountingObjectStore implements ObjectStore {
  readonly counters: ReadCounters = { rangeReads: 0, streams: 0, bytes: 0, listCalls: 0 };
  readonly perKey = new Map<string, { requests: number; bytes: number }>();

  readonly databaseNames?: () => string[];

  constructor(readonly inner: ObjectStore) {
    if (inner.databaseNames) this.databaseNames = () => inner.databaseNames!();
  }

  get kind(): string {
    return this.inner.kind;
  }

  reset(): void {
    Object.assign(this.counters, { rangeReads: 0, streams: 0, bytes: 0, listCalls: 0 });
    this.perKey.clear();
  }

  private add(key: string, requests: number, bytes: number): void {
    const k = this.perKey.get(key) ?? { requests: 0, bytes: 0 };
    k.requests += requests;
    k.bytes += bytes;
    this.perKey.set(key, k);
    this.counters.bytes += bytes;
  }

  listBuckets(database?: string): AsyncIterable<string> {
    this.counters.listCalls++;
    return this.inner.listBuckets(database);
  }

  listObjects(bucket: string, prefix: string, signal?: AbortSignal): AsyncIterable<ObjectInfo> {
    this.counters.listCalls++;
    return this.inner.listObjects(bucket, prefix, signal);
  }

  async readRange(bucket: string, key: string, start: number, endExclusive: number): Promise<Uint8Array> {
    this.counters.rangeReads++;
    const out = await this.inner.readRange(bucket, key, start, endExclusive);
    this.add(key, 1, out.length);
    return out;
  }

  async openStream(bucket: string, key: string, start?: number, endExclusive?: number): Promise<ByteStream> {
    this.counters.streams++;
    this.add(key, 1, 0);
    const inner = await this.inner.openStream(bucket, key, start, endExclusive);
    const self = this;
    const counted = async function* (): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of inner as AsyncIterable<Uint8Array | string>) {
          const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
          self.add(key, 0, buf.length);
          yield buf;
        }
      } finally {
        const s = inner as { destroy?: () => void };
        if (typeof s.destroy === 'function') s.destroy();
      }
    };
    return counted();
  }

  objectSize(bucket: string, key: string): Promise<number> {
    return this.inner.objectSize(bucket, key);
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
