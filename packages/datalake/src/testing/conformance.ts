/**
 * The ObjectStore conformance suite. Every store (local, S3, GCS, Azure, third-party) runs it:
 *
 * ```ts
 * import { describeObjectStoreConformance } from '@om/datalake/testing';
 * describeObjectStoreConformance('s3', async () => ({ store, bucket: 'conf', put: (key, bytes) => ... }));
 * ```
 *
 * It uses Jest's globals (describe/it/expect/beforeAll/afterAll). `setup` is called once; it
 * returns a store, an existing empty bucket, and a `put` that writes an object directly through the
 * provider (SDK, emulator API or filesystem), not through the store under test.
 */
import type { ObjectInfo, ObjectStore } from '../object-store';
import { collectStream } from '../object-store';
import { all, storeError } from './store-helpers';

export interface ConformanceFixture {
  store: ObjectStore;
  /** An existing bucket the suite may fill (it should start empty). */
  bucket: string;
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** A bucket name that does not exist (default: a random one). */
  missingBucket?: string;
  teardown?(): Promise<void>;
}

export interface ConformanceOptions {
  /** Keys created to check pagination past 1000 (0 to skip; default 1005). */
  paginationKeys?: number;
  /** Whether the store lists `bucket` in listBuckets (default true). */
  listsBuckets?: boolean;
}


function bytes(n: number, seed = 7): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

async function expectStoreError(p: Promise<unknown>, code: string): Promise<void> {
  expect((await storeError(() => p)).code).toBe(code);
}

export function describeObjectStoreConformance(name: string, setup: () => Promise<ConformanceFixture>, options: ConformanceOptions = {}): void {
  const paginationKeys = options.paginationKeys ?? 1005;
  describe(`ObjectStore conformance: ${name}`, () => {
    let fx: ConformanceFixture;
    const big = bytes(300_000);
    const t0 = Date.now();

    beforeAll(async () => {
      fx = await setup();
      await fx.put('conf/a.csv', new TextEncoder().encode('id,name\n1,x\n'));
      await fx.put('conf/big.bin', big);
      await fx.put('conf/sub/deep/c.json', new TextEncoder().encode('{"a":1}'));
      await fx.put('conf/empty.txt', new Uint8Array(0));
      await fx.put('conf-sibling/z.csv', new TextEncoder().encode('z\n'));
      await fx.put('confx.csv', new TextEncoder().encode('x\n'));
      await fx.put('other/unicode ü €.csv', new TextEncoder().encode('u\n'));
    });

    afterAll(async () => {
      await fx?.teardown?.();
      await fx?.store.close?.();
    });

    it('reports its kind', () => {
      expect(typeof fx.store.kind).toBe('string');
      expect(fx.store.kind.length).toBeGreaterThan(0);
    });

    if (options.listsBuckets !== false) {
      it('lists the bucket among its buckets', async () => {
        const buckets = await all(fx.store.listBuckets(fx.store.databaseNames?.()[0]));
        expect(buckets).toContain(fx.bucket);
      });
    }

    it('lists every object under a prefix, with sizes and last-modified dates, in key order', async () => {
      const objects = await all(fx.store.listObjects(fx.bucket, 'conf/'));
      const keys = objects.map((o) => o.key);
      expect(keys).toEqual(['conf/a.csv', 'conf/big.bin', 'conf/empty.txt', 'conf/sub/deep/c.json']);
      const byKey = new Map(objects.map((o) => [o.key, o]));
      expect(byKey.get('conf/big.bin')!.size).toBe(big.length);
      expect(byKey.get('conf/empty.txt')!.size).toBe(0);
      expect(byKey.get('conf/a.csv')!.size).toBe(12);
      for (const o of objects) {
        // (not toBeInstanceOf: Dates made by Node's fs come from another realm under Jest)
        expect(Object.prototype.toString.call(o.lastModified)).toBe('[object Date]');
        // Clocks of emulators may drift a little; the date must be plausible.
        expect(Math.abs(o.lastModified!.getTime() - t0)).toBeLessThan(24 * 3600 * 1000);
      }
    });

    it('treats the prefix as a plain string prefix (no delimiter)', async () => {
      const keys = (await all(fx.store.listObjects(fx.bucket, 'conf'))).map((o) => o.key);
      expect(keys).toEqual(expect.arrayContaining(['conf/a.csv', 'conf-sibling/z.csv', 'confx.csv', 'conf/sub/deep/c.json']));
      expect(keys).not.toContain('other/unicode ü €.csv');
      const none = await all(fx.store.listObjects(fx.bucket, 'nothing-here/'));
      expect(none).toEqual([]);
    });

    it('lists the whole bucket with an empty prefix, keeping non-ASCII keys', async () => {
      const keys = (await all(fx.store.listObjects(fx.bucket, ''))).map((o) => o.key);
      expect(keys).toEqual(expect.arrayContaining(['conf/a.csv', 'other/unicode ü €.csv', 'confx.csv']));
      const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      expect(keys).toEqual(sorted);
    });

    it('reads byte ranges at the start, middle and end, and clips ranges past the end', async () => {
      const s = fx.store;
      expect(Buffer.from(await s.readRange(fx.bucket, 'conf/big.bin', 0, 10))).toEqual(Buffer.from(big.subarray(0, 10)));
      expect(Buffer.from(await s.readRange(fx.bucket, 'conf/big.bin', 150_000, 150_100))).toEqual(Buffer.from(big.subarray(150_000, 150_100)));
      expect(Buffer.from(await s.readRange(fx.bucket, 'conf/big.bin', big.length - 8, big.length))).toEqual(Buffer.from(big.subarray(big.length - 8)));
      expect(Buffer.from(await s.readRange(fx.bucket, 'conf/big.bin', big.length - 4, big.length + 100))).toEqual(Buffer.from(big.subarray(big.length - 4)));
      expect((await s.readRange(fx.bucket, 'conf/big.bin', big.length + 10, big.length + 20)).length).toBe(0);
    });

    it('streams an object from an offset, and a bounded range', async () => {
      const whole = await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin'));
      expect(Buffer.from(whole)).toEqual(Buffer.from(big));
      const tail = await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin', 299_990));
      expect(Buffer.from(tail)).toEqual(Buffer.from(big.subarray(299_990)));
      const mid = await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin', 1000, 1010));
      expect(Buffer.from(mid)).toEqual(Buffer.from(big.subarray(1000, 1010)));
    });

    it('lets a caller stop a stream early', async () => {
      const head = await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin'), 1000);
      expect(head.length).toBe(1000);
      expect(Buffer.from(head)).toEqual(Buffer.from(big.subarray(0, 1000)));
    });

    it('gives object sizes', async () => {
      expect(await fx.store.objectSize(fx.bucket, 'conf/big.bin')).toBe(big.length);
      expect(await fx.store.objectSize(fx.bucket, 'conf/empty.txt')).toBe(0);
    });

    it('classifies a missing key as NotFound', async () => {
      await expectStoreError(fx.store.readRange(fx.bucket, 'conf/nope.csv', 0, 10), 'NotFound');
      await expectStoreError(fx.store.objectSize(fx.bucket, 'conf/nope.csv'), 'NotFound');
      await expectStoreError(
        (async () => collectStream(await fx.store.openStream(fx.bucket, 'conf/nope.csv')))(),
        'NotFound',
      );
    });

    it('classifies a missing bucket as NotFound', async () => {
      const missing = fx.missingBucket ?? `om-missing-${Math.random().toString(36).slice(2, 10)}`;
      await expectStoreError(all(fx.store.listObjects(missing, '')), 'NotFound');
      await expectStoreError(fx.store.readRange(missing, 'a.csv', 0, 1), 'NotFound');
    });

    if (paginationKeys > 0) {
      it(`pages through listings longer than one page (${paginationKeys} keys)`, async () => {
        const one = new Uint8Array([49]);
        const keys: string[] = [];
        for (let i = 0; i < paginationKeys; i++) keys.push(`page/k${String(i).padStart(5, '0')}.txt`);
        for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => fx.put(k, one)));
        const listed: ObjectInfo[] = await all(fx.store.listObjects(fx.bucket, 'page/'));
        expect(listed.map((o) => o.key)).toEqual(keys);
        expect(listed.every((o) => o.size === 1)).toBe(true);
      }, 300_000);
    }
  });
}
