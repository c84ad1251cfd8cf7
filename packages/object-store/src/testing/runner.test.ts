import { Readable } from 'node:stream';
import { ObjectStoreError, type ObjectInfo, type ObjectStore } from '../contract';
import { describeObjectStoreConformance } from './conformance';
import type { TestBody, TestRunner } from './runner';

/** A store over a Map, enough to pass the suite. */
class MemoryStore implements ObjectStore {
  readonly kind = 'memory';
  readonly buckets = new Map<string, Map<string, { bytes: Uint8Array; at: Date }>>();
  private bucket(name: string) {
    const b = this.buckets.get(name);
    if (!b) throw new ObjectStoreError('NotFound', `bucket ${name} does not exist`, name);
    return b;
  }
  private object(bucket: string, key: string) {
    const o = this.bucket(bucket).get(key);
    if (!o) throw new ObjectStoreError('NotFound', `${bucket}/${key} does not exist`, bucket, key);
    return o;
  }
  async *listBuckets() {
    yield* this.buckets.keys();
  }
  async *listObjects(bucket: string, prefix: string): AsyncIterable<ObjectInfo> {
    const keys = [...this.bucket(bucket).keys()].filter((k) => k.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const key of keys) yield { key, size: this.object(bucket, key).bytes.length, lastModified: this.object(bucket, key).at };
  }
  async readRange(bucket: string, key: string, start: number, end: number) {
    return this.object(bucket, key).bytes.slice(start, end);
  }
  async openStream(bucket: string, key: string, start = 0, end?: number) {
    return Readable.from([this.object(bucket, key).bytes.slice(start, end)]);
  }
  async objectSize(bucket: string, key: string) {
    return this.object(bucket, key).bytes.length;
  }
}

/** Records what the kit registers, so it runs here without the runner's globals. */
function recordingRunner() {
  const tests: { name: string; body: TestBody }[] = [];
  const before: TestBody[] = [];
  const after: TestBody[] = [];
  const runner: TestRunner = {
    describe: (_name, body) => body(),
    it: (name, body) => void tests.push({ name, body }),
    beforeAll: (body) => void before.push(body),
    afterAll: (body) => void after.push(body),
  };
  return { runner, tests, before, after };
}

describe('the conformance kit with a runner passed in (node:test style)', () => {
  it('registers its tests on that runner only, and they pass for a conforming store', async () => {
    const store = new MemoryStore();
    store.buckets.set('conf', new Map());
    const rec = recordingRunner();
    describeObjectStoreConformance(
      'memory',
      async () => ({ store, bucket: 'conf', put: async (key, bytes) => void store.buckets.get('conf')!.set(key, { bytes, at: new Date() }) }),
      { runner: rec.runner, paginationKeys: 1005 },
    );
    expect(rec.tests.length).toBe(16);
    for (const b of rec.before) await b();
    const failed: string[] = [];
    for (const t of rec.tests) {
      try {
        await t.body();
      } catch (err) {
        failed.push(`${t.name}: ${(err as Error).message}`);
      }
    }
    for (const a of rec.after) await a();
    expect(failed).toEqual([]);
  });

  it('fails a store that breaks the contract, with node:assert messages', async () => {
    const store = new MemoryStore();
    store.buckets.set('conf', new Map());
    store.objectSize = async () => 7;
    const rec = recordingRunner();
    describeObjectStoreConformance('broken', async () => ({ store, bucket: 'conf', put: async (key, bytes) => void store.buckets.get('conf')!.set(key, { bytes, at: new Date() }) }), {
      runner: rec.runner,
      paginationKeys: 0,
    });
    for (const b of rec.before) await b();
    const sizes = rec.tests.find((t) => t.name === 'gives object sizes')!;
    await expect(Promise.resolve().then(() => sizes.body())).rejects.toThrow(/Expected values to be strictly equal/);
  });
});
