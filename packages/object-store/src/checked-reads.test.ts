import { Readable } from 'node:stream';
import { checkedReads } from './checked-reads';
import { ObjectStoreError, type ByteStream, type ObjectStore } from './contract';

const DATA = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');

/** A store over DATA that counts its calls; `short` cuts the next ranged reads to that many bytes. */
function memoryStore(whole: boolean, options: { short?: number; failRange?: Error } = {}) {
  const calls = { readRange: 0, openStream: [] as number[] };
  const store: ObjectStore = {
    kind: 'memory',
    ...(whole ? { wholeRangedReads: true } : {}),
    async *listBuckets() {},
    async *listObjects() {},
    async objectSize() {
      return DATA.length;
    },
    async readRange(_b, _k, start, end) {
      calls.readRange++;
      if (options.failRange) throw options.failRange;
      const bytes = DATA.subarray(start, Math.min(end, DATA.length));
      return options.short === undefined ? Buffer.from(bytes) : Buffer.from(bytes.subarray(0, options.short));
    },
    async openStream(_b, _k, start = 0, end = DATA.length): Promise<ByteStream> {
      calls.openStream.push(start);
      return (async function* () {
        for (let at = start; at < end; at += 5) yield Buffer.from(DATA.subarray(at, Math.min(end, at + 5)));
      })();
    },
  };
  return { store, calls };
}

describe('checked reads', () => {
  it('read into a given buffer, through one whole read or the resumable stream', async () => {
    // A whole-read store: read once, into the caller's buffer.
    const whole = memoryStore(true);
    const into = new Uint8Array(40).fill(0x2e);
    expect(await checkedReads(whole.store, 'b', 'k', DATA.length).readRangeInto!('b', 'k', 3, into.subarray(0, 17))).toBe(17);
    expect(Buffer.from(into.subarray(0, 17)).toString()).toBe(DATA.subarray(3, 20).toString());
    expect(whole.calls).toEqual({ readRange: 1, openStream: [] });
    // A short whole read goes on through the stream, into the same buffer.
    const short = memoryStore(true, { short: 4 });
    into.fill(0x2e);
    expect(await checkedReads(short.store, 'b', 'k', DATA.length).readRangeInto!('b', 'k', 3, into.subarray(0, 17))).toBe(17);
    expect(Buffer.from(into.subarray(0, 17)).toString()).toBe(DATA.subarray(3, 20).toString());
    expect(short.calls).toEqual({ readRange: 1, openStream: [7] });
    // A streamed store: chunks land in the buffer; past the listed size, the bytes that exist.
    const streamed = memoryStore(false);
    into.fill(0x2e);
    expect(await checkedReads(streamed.store, 'b', 'k', DATA.length).readRangeInto!('b', 'k', 30, into)).toBe(DATA.length - 30);
    expect(Buffer.from(into.subarray(0, DATA.length - 30)).toString()).toBe(DATA.subarray(30).toString());
    expect(into[DATA.length - 30]).toBe(0x2e);
    expect(await checkedReads(streamed.store, 'b', 'k', DATA.length).readRangeInto!('b', 'k', DATA.length, into)).toBe(0);
  });


  it('read a whole-read store with one ranged read (no stream, no copy)', async () => {
    const { store, calls } = memoryStore(true);
    const file = checkedReads(store, 'b', 'k', DATA.length);
    expect(file.wholeRangedReads).toBe(true);
    expect(Buffer.from(await file.readRange('b', 'k', 3, 20)).toString()).toBe(DATA.subarray(3, 20).toString());
    expect(calls).toEqual({ readRange: 1, openStream: [] });
  });

  it('go on through the resumable stream after a short or failed whole read', async () => {
    const short = memoryStore(true, { short: 4 });
    const file = checkedReads(short.store, 'b', 'k', DATA.length);
    expect(Buffer.from(await file.readRange('b', 'k', 3, 20)).toString()).toBe(DATA.subarray(3, 20).toString());
    expect(short.calls).toEqual({ readRange: 1, openStream: [7] });

    const failing = memoryStore(true, { failRange: new ObjectStoreError('Other', 'disk hiccup', 'b', 'k') });
    const again = checkedReads(failing.store, 'b', 'k', DATA.length);
    expect(Buffer.from(await again.readRange('b', 'k', 0, 10)).toString()).toBe('0123456789');
    expect(failing.calls.openStream).toEqual([0]);

    const missing = memoryStore(true, { failRange: new ObjectStoreError('NotFound', 'gone', 'b', 'k') });
    await expect(checkedReads(missing.store, 'b', 'k', DATA.length).readRange('b', 'k', 0, 10)).rejects.toThrow('gone');
  });

  it('read other stores through the resumable stream', async () => {
    const { store, calls } = memoryStore(false);
    const file = checkedReads(store, 'b', 'k', DATA.length);
    expect(file.wholeRangedReads).toBeUndefined();
    expect(Buffer.from(await file.readRange('b', 'k', 3, 20)).toString()).toBe(DATA.subarray(3, 20).toString());
    expect(calls).toEqual({ readRange: 0, openStream: [3] });
  });

  it('read a ranged body to its end (an HTTP connection is kept only then), but not past an ignored range', async () => {
    let body: Readable | undefined;
    const store = (chunks: string[]): ObjectStore => ({
      kind: 'memory',
      async *listBuckets() {},
      async *listObjects() {},
      objectSize: async () => 36,
      readRange: async () => new Uint8Array(0),
      openStream: async () => (body = Readable.from(chunks.map((c) => Buffer.from(c)))),
    });
    expect(Buffer.from(await checkedReads(store(['01234', '56789']), 'b', 'k', 36).readRange('b', 'k', 0, 10)).toString()).toBe('0123456789');
    expect(body!.readableEnded).toBe(true);
    // The whole object where 10 bytes were asked for: the read stops at the first chunk past them.
    expect(Buffer.from(await checkedReads(store(['01234', '56789', 'abcde', 'fghij']), 'b', 'k', 36).readRange('b', 'k', 0, 10)).toString()).toBe('0123456789');
    expect(body!.readableEnded).toBe(false);
    expect(body!.destroyed).toBe(true);
  });

  it('fill the target in place from bodies that read into a buffer, resuming where one broke off', async () => {
    const opened: number[] = [];
    const targets: Uint8Array[] = [];
    const store: ObjectStore = {
      ...memoryStore(false).store,
      async openStream(_b, _k, start = 0, end = DATA.length): Promise<ByteStream> {
        opened.push(start);
        let at = start;
        // The first body breaks off after 15 bytes; each read moves at most 5.
        const breakAt = opened.length === 1 ? start + 12 : end;
        const body = Readable.from([]) as Readable & { readInto(into: Uint8Array): Promise<number> };
        body.readInto = async (into) => {
          targets.push(into);
          if (at >= breakAt && at < end) throw new Error('socket hang up');
          const n = Math.min(5, into.length, end - at);
          into.set(DATA.subarray(at, at + n));
          at += n;
          return n;
        };
        return body;
      },
    };
    const into = new Uint8Array(40).fill(0x2e);
    expect(await checkedReads(store, 'b', 'k', DATA.length).readRangeInto!('b', 'k', 2, into.subarray(0, 30))).toBe(30);
    expect(Buffer.from(into).toString()).toBe(`${DATA.subarray(2, 32).toString()}${'.'.repeat(10)}`);
    expect(opened).toEqual([2, 17]);
    // Every read went into the caller's buffer, at the place of its bytes.
    expect(targets.every((t) => t.buffer === into.buffer)).toBe(true);
    expect(targets.map((t) => t.byteOffset)).toEqual([0, 5, 10, 15, 15, 20, 25]);
  });
});
