/**
 * Small gzip objects are inflated in one call; the sample (text, cut, errors) is the one the
 * streaming inflater gives for the same object.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { LocalObjectStore } from '../local-store';
import { readTextSample, type SampleCaps } from './sample';

let root: string;
let store: LocalObjectStore;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-sample-'));
  fs.mkdirSync(path.join(root, 'lake'));
  store = new LocalObjectStore({ root });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The sample of `bytes` stored as `key`: in one call, and as the stream reads it (a size past the one-call limit). */
async function both(key: string, bytes: Buffer, caps: SampleCaps) {
  fs.writeFileSync(path.join(root, 'lake', key), bytes);
  const settle = (p: Promise<unknown>) => p.then((value) => ({ value }), (err: Error) => ({ error: `${err.name}: ${err.message}` }));
  const oneCall = await settle(readTextSample(store, 'lake', key, bytes.length, 'gzip', caps));
  const streamed = await settle(readTextSample(store, 'lake', key, 1024 * 1024, 'gzip', caps));
  return { oneCall, streamed };
}

const rows = (n: number) => ['id,name', ...Array.from({ length: n }, (_, i) => `${i},name ${i}`)].join('\n') + '\n';

describe('gzip samples read in one call', () => {
  const cases: [string, Buffer, SampleCaps][] = [
    ['small', zlib.gzipSync(rows(20)), { maxBytes: 512 * 1024, maxLines: 1001 }],
    ['cut by lines', zlib.gzipSync(rows(5000)), { maxBytes: 512 * 1024, maxLines: 100 }],
    ['cut by bytes (more text than the cap)', zlib.gzipSync(rows(5000)), { maxBytes: 2000 }],
    ['exactly the cap', zlib.gzipSync('x'.repeat(2000)), { maxBytes: 2000 }],
    ['two members', Buffer.concat([zlib.gzipSync('a,b\n1,2\n'), zlib.gzipSync('3,4\n')]), { maxBytes: 4096 }],
    ['trailing zeros', Buffer.concat([zlib.gzipSync('a,b\n1,2\n'), Buffer.alloc(16)]), { maxBytes: 4096 }],
    ['empty', zlib.gzipSync(''), { maxBytes: 4096 }],
    ['not gzip', Buffer.from('this is not gzip at all'), { maxBytes: 4096 }],
    ['truncated', zlib.gzipSync(rows(200)).subarray(0, 300), { maxBytes: 512 * 1024 }],
    ['utf-8 split across slices', zlib.gzipSync('é'.repeat(70_000)), { maxBytes: 512 * 1024 }],
  ];
  it.each(cases)('%s', async (name, bytes, caps) => {
    const { oneCall, streamed } = await both(`${name.replace(/\W+/g, '-')}.csv.gz`, bytes, caps);
    expect(oneCall).toEqual(streamed);
  });
});
