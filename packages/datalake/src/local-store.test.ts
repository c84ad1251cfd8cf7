import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LocalObjectStore, localObjectStoreFactory } from './local-store';
import { ObjectStoreError } from './object-store';
import { describeObjectStoreConformance } from './testing';

function tempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'om-local-store-'));
}

describeObjectStoreConformance('local', async () => {
  const root = tempRoot();
  fs.mkdirSync(path.join(root, 'bucket1'));
  const store = new LocalObjectStore({ root });
  return {
    store,
    bucket: 'bucket1',
    put: async (key, bytes) => {
      const file = path.join(root, 'bucket1', ...key.split('/'));
      await fs.promises.mkdir(path.dirname(file), { recursive: true });
      await fs.promises.writeFile(file, bytes);
    },
    teardown: async () => fs.rmSync(root, { recursive: true, force: true }),
  };
});

describe('LocalObjectStore specifics', () => {
  let root: string;
  beforeAll(() => {
    root = tempRoot();
    for (const b of ['b2', 'a1', '.hidden']) fs.mkdirSync(path.join(root, b));
    fs.writeFileSync(path.join(root, 'not-a-bucket.csv'), 'x\n');
    fs.mkdirSync(path.join(root, 'a1', 'a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a1', 'a-b.csv'), 'x\n');
    fs.writeFileSync(path.join(root, 'a1', 'a', 'z.csv'), 'x\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('maps sub-directories of the root to buckets, hidden ones excluded', async () => {
    const store = new LocalObjectStore({ root });
    const buckets: string[] = [];
    for await (const b of store.listBuckets()) buckets.push(b);
    expect(buckets).toEqual(['a1', 'b2']);
  });

  it('lists keys in byte order across folders (a-b.csv before a/z.csv)', async () => {
    const store = new LocalObjectStore({ root });
    const keys: string[] = [];
    for await (const o of store.listObjects('a1', '')) keys.push(o.key);
    expect(keys).toEqual(['a-b.csv', 'a/z.csv']);
  });

  it('accepts an absolute directory as bucket and refuses paths escaping the root', async () => {
    const store = new LocalObjectStore({ root: path.join(root, 'b2') });
    const keys: string[] = [];
    for await (const o of store.listObjects(path.join(root, 'a1'), 'a/')) keys.push(o.key);
    expect(keys).toEqual(['a/z.csv']);
    await expect(store.readRange('../a1', 'a-b.csv', 0, 1)).rejects.toBeInstanceOf(ObjectStoreError);
    await expect(store.readRange(path.join(root, 'a1'), '../../etc/passwd', 0, 1)).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('resolves the root against the config folder', async () => {
    const store = (await localObjectStoreFactory.create({ root: path.basename(root) }, { configDir: path.dirname(root) } as never)) as LocalObjectStore;
    expect(store.root).toBe(root);
  });

  it('reports a missing root clearly', async () => {
    const store = new LocalObjectStore({ root: path.join(root, 'nope') });
    const run = async () => {
      for await (const _ of store.listBuckets()) void _;
    };
    await expect(run()).rejects.toThrow(/local root directory .* not found/);
  });
});

describe('LocalObjectStore links', () => {
  it('says which entries it leaves out: dangling links, link loops, links to folders', async () => {
    const root = tempRoot();
    const dir = path.join(root, 'b');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'real.csv'), 'a\n1\n');
    fs.symlinkSync(path.join(dir, 'real.csv'), path.join(dir, 'alias.csv'));
    fs.symlinkSync(path.join(dir, 'missing.csv'), path.join(dir, 'dangling.csv'));
    fs.symlinkSync(path.join(dir, 'loop.csv'), path.join(dir, 'loop.csv'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'up'));
    const skipped: string[] = [];
    const store = new LocalObjectStore({ root, onSkipped: (bucket, key, reason) => skipped.push(`${bucket}/${key}: ${reason}`) });
    const keys: string[] = [];
    for await (const o of store.listObjects('b', '')) keys.push(o.key);
    expect(keys).toEqual(['alias.csv', 'real.csv']);
    expect(skipped.sort()).toEqual([
      'b/dangling.csv: a symbolic link whose target cannot be read (ENOENT: dangling?)',
      'b/loop.csv: a symbolic link loop (ELOOP)',
      'b/sub/up: a symbolic link to a folder (links to folders are not followed, so loops cannot recur)',
    ]);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
