/**
 * The ObjectStore conformance suite. Every store (local, S3, GCS, Azure, third-party) runs it:
 *
 * ```ts
 * import { describeObjectStoreConformance } from '@om/object-store/testing';
 * describeObjectStoreConformance('s3', async () => ({ store, bucket: 'conf', put: (key, bytes) => ... }));
 * ```
 *
 * Assertions are `node:assert`; the test functions come from the runner's globals (Jest, Vitest) or
 * `options.runner` (node:test). `setup` is called once; it returns a store, an existing empty
 * bucket, and a `put` that writes an object directly through the provider (SDK, emulator API or
 * filesystem), not through the store under test.
 */
import assert from 'node:assert/strict';
import type { ObjectInfo, ObjectStore } from '../contract';
import { collectStream } from '../streams';
import { globalRunner, type TestRunner } from './runner';
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
  /** The test runner's functions (default: its globals). */
  runner?: TestRunner;
}

function bytes(n: number, seed = 7): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

const text = (s: string) => new TextEncoder().encode(s);
const same = (actual: Uint8Array, expected: Uint8Array, what: string) => assert.deepEqual(Buffer.from(actual), Buffer.from(expected), what);

async function expectStoreError(p: Promise<unknown>, code: string): Promise<void> {
  assert.equal((await storeError(() => p)).code, code);
}

export function describeObjectStoreConformance(name: string, setup: () => Promise<ConformanceFixture>, options: ConformanceOptions = {}): void {
  const { describe, it, beforeAll, afterAll } = options.runner ?? globalRunner();
  const paginationKeys = options.paginationKeys ?? 1005;
  describe(`ObjectStore conformance: ${name}`, () => {
    let fx: ConformanceFixture;
    const big = bytes(300_000);
    const t0 = Date.now();

    beforeAll(async () => {
      fx = await setup();
      await fx.put('conf/a.csv', text('id,name\n1,x\n'));
      await fx.put('conf/big.bin', big);
      await fx.put('conf/sub/deep/c.json', text('{"a":1}'));
      await fx.put('conf/empty.txt', new Uint8Array(0));
      await fx.put('conf-sibling/z.csv', text('z\n'));
      await fx.put('confx.csv', text('x\n'));
      await fx.put('other/unicode ü €.csv', text('u\n'));
    });

    afterAll(async () => {
      await fx?.teardown?.();
      await fx?.store.close?.();
    });

    it('reports its kind', () => {
      assert.equal(typeof fx.store.kind, 'string');
      assert.ok(fx.store.kind.length > 0, 'kind is empty');
    });

    if (options.listsBuckets !== false) {
      it('lists the bucket among its buckets', async () => {
        const buckets = await all(fx.store.listBuckets(fx.store.databaseNames?.()[0]));
        assert.ok(buckets.includes(fx.bucket), `${fx.bucket} is not among the listed buckets ${buckets.join(', ')}`);
      });
    }

    it('lists every object under a prefix, with sizes and last-modified dates, in key order', async () => {
      const objects = await all(fx.store.listObjects(fx.bucket, 'conf/'));
      assert.deepEqual(
        objects.map((o) => o.key),
        ['conf/a.csv', 'conf/big.bin', 'conf/empty.txt', 'conf/sub/deep/c.json'],
      );
      const byKey = new Map(objects.map((o) => [o.key, o]));
      assert.equal(byKey.get('conf/big.bin')!.size, big.length);
      assert.equal(byKey.get('conf/empty.txt')!.size, 0);
      assert.equal(byKey.get('conf/a.csv')!.size, 12);
      for (const o of objects) {
        // (not instanceof: Dates made by Node's fs come from another realm under Jest)
        assert.equal(Object.prototype.toString.call(o.lastModified), '[object Date]', `${o.key}: lastModified is not a Date`);
        // Clocks of emulators may drift a little; the date must be plausible.
        assert.ok(Math.abs(o.lastModified!.getTime() - t0) < 24 * 3600 * 1000, `${o.key}: implausible lastModified ${o.lastModified!.toISOString()}`);
      }
    });

    it('treats the prefix as a plain string prefix (no delimiter)', async () => {
      const keys = (await all(fx.store.listObjects(fx.bucket, 'conf'))).map((o) => o.key);
      for (const k of ['conf/a.csv', 'conf-sibling/z.csv', 'confx.csv', 'conf/sub/deep/c.json']) assert.ok(keys.includes(k), `${k} missing from ${keys.join(', ')}`);
      assert.ok(!keys.includes('other/unicode ü €.csv'));
      assert.deepEqual(await all(fx.store.listObjects(fx.bucket, 'nothing-here/')), []);
    });

    it('lists the whole bucket with an empty prefix, keeping non-ASCII keys', async () => {
      const keys = (await all(fx.store.listObjects(fx.bucket, ''))).map((o) => o.key);
      for (const k of ['conf/a.csv', 'other/unicode ü €.csv', 'confx.csv']) assert.ok(keys.includes(k), `${k} missing from ${keys.join(', ')}`);
      const sorted = [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.deepEqual(keys, sorted);
    });

    it('reads byte ranges at the start, middle and end, and clips ranges past the end', async () => {
      const s = fx.store;
      same(await s.readRange(fx.bucket, 'conf/big.bin', 0, 10), big.subarray(0, 10), 'start');
      same(await s.readRange(fx.bucket, 'conf/big.bin', 150_000, 150_100), big.subarray(150_000, 150_100), 'middle');
      same(await s.readRange(fx.bucket, 'conf/big.bin', big.length - 8, big.length), big.subarray(big.length - 8), 'end');
      same(await s.readRange(fx.bucket, 'conf/big.bin', big.length - 4, big.length + 100), big.subarray(big.length - 4), 'past the end');
      assert.equal((await s.readRange(fx.bucket, 'conf/big.bin', big.length + 10, big.length + 20)).length, 0);
    });

    it('reads byte ranges into a given buffer, when the store offers readRangeInto', async () => {
      const s = fx.store;
      if (!s.readRangeInto) return;
      const into = new Uint8Array(200);
      assert.equal(await s.readRangeInto(fx.bucket, 'conf/big.bin', 150_000, into.subarray(0, 100)), 100);
      same(into.subarray(0, 100), big.subarray(150_000, 150_100), 'middle');
      assert.equal(await s.readRangeInto(fx.bucket, 'conf/big.bin', big.length - 4, into), 4, 'past the end: the bytes that exist');
      same(into.subarray(0, 4), big.subarray(big.length - 4), 'end');
      assert.equal(await s.readRangeInto(fx.bucket, 'conf/big.bin', big.length + 10, into), 0);
    });

    it('streams an object from an offset, and a bounded range', async () => {
      same(await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin')), big, 'whole');
      same(await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin', 299_990)), big.subarray(299_990), 'tail');
      same(await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin', 1000, 1010)), big.subarray(1000, 1010), 'range');
    });

    it('lets a caller stop a stream early', async () => {
      const head = await collectStream(await fx.store.openStream(fx.bucket, 'conf/big.bin'), 1000);
      assert.equal(head.length, 1000);
      same(head, big.subarray(0, 1000), 'head');
    });

    it('gives object sizes', async () => {
      assert.equal(await fx.store.objectSize(fx.bucket, 'conf/big.bin'), big.length);
      assert.equal(await fx.store.objectSize(fx.bucket, 'conf/empty.txt'), 0);
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

    it('honours or ignores startAfter, never losing a key after it', async () => {
      const after = (await all(fx.store.listObjects(fx.bucket, 'conf/', undefined, { startAfter: 'conf/big.bin' }))).map((o) => o.key);
      const expected = ['conf/empty.txt', 'conf/sub/deep/c.json'];
      assert.deepEqual(after.filter((k) => k > 'conf/big.bin'), expected);
      // A store that honours it lists nothing before; one that ignores it lists everything.
      assert.ok(after.length === expected.length || after.length === 4, `unexpected listing ${JSON.stringify(after)}`);
    });

    it('lists the direct sub-folders of a prefix in key order, when it has listFolders', async () => {
      if (!fx.store.listFolders) return;
      assert.deepEqual(await all(fx.store.listFolders(fx.bucket, 'conf/')), ['sub']);
      // Key order of the folders' keys: `conf-sibling/` sorts before `conf/` ('-' < '/').
      const top = await all(fx.store.listFolders(fx.bucket, ''));
      assert.deepEqual(top.filter((f) => ['conf', 'conf-sibling', 'other'].includes(f)), ['conf-sibling', 'conf', 'other']);
    });

    it('writes, replaces and deletes small objects, when it has putObject', async () => {
      const store = fx.store;
      if (!store.putObject) return;
      assert.ok(store.deleteObject, 'a store with putObject also deletes');
      await store.putObject(fx.bucket, 'runs/state.json', text('{"v":1}'));
      await store.putObject(fx.bucket, 'runs/state.json', text('{"v":22}'));
      same(await store.readRange(fx.bucket, 'runs/state.json', 0, 100), text('{"v":22}'), 'replaced object');
      assert.deepEqual((await all(store.listObjects(fx.bucket, 'runs/'))).map((o) => [o.key, o.size]), [['runs/state.json', 8]]);
      await store.deleteObject!(fx.bucket, 'runs/state.json');
      await store.deleteObject!(fx.bucket, 'runs/state.json');
      assert.deepEqual(await all(store.listObjects(fx.bucket, 'runs/')), []);
      await expectStoreError(store.readRange(fx.bucket, 'runs/state.json', 0, 1), 'NotFound');
    });

    if (paginationKeys > 0) {
      it(`pages through listings longer than one page (${paginationKeys} keys)`, async () => {
        const one = new Uint8Array([49]);
        const keys: string[] = [];
        for (let i = 0; i < paginationKeys; i++) keys.push(`page/k${String(i).padStart(5, '0')}.txt`);
        for (let i = 0; i < keys.length; i += 50) await Promise.all(keys.slice(i, i + 50).map((k) => fx.put(k, one)));
        const listed: ObjectInfo[] = await all(fx.store.listObjects(fx.bucket, 'page/'));
        assert.deepEqual(
          listed.map((o) => o.key),
          keys,
        );
        assert.ok(listed.every((o) => o.size === 1));
      }, 300_000);
    }
  });
}
