/**
 * Run files (shard plans and reports, incremental state) kept in the source's own store, at URLs of its
 * scheme (`s3://bucket/.om-ingest/state.json`), with the credentials of its connection.
 */
import { OmError, splitLocation, type RunFileStore } from '@om/core';
import { collectStream, ObjectStoreError, type ObjectStore } from './object-store';

export function storeRunFiles(getStore: () => Promise<ObjectStore>, scheme: string): RunFileStore {
  const writable = async (location: string) => {
    const store = await getStore();
    if (!store.putObject || !store.deleteObject) {
      throw new OmError(`${location}: the ${store.kind} store cannot write objects; keep run files on a local path (a shared volume)`, { kind: 'user' });
    }
    return store as ObjectStore & Required<Pick<ObjectStore, 'putObject' | 'deleteObject'>>;
  };
  return {
    async read(location) {
      const { bucket, key } = splitLocation(location);
      const store = await getStore();
      // One GET of the whole (small) file; a missing one is NotFound, on opening or on the first bytes.
      try {
        return Buffer.from(await collectStream(await store.openStream(bucket, key))).toString('utf8');
      } catch (err) {
        if (ObjectStoreError.isNotFound(err)) return undefined;
        throw err;
      }
    },
    async write(location, text) {
      const { bucket, key } = splitLocation(location);
      await (await writable(location)).putObject(bucket, key, Buffer.from(text, 'utf8'));
    },
    async list(folder) {
      const { bucket, key } = splitLocation(folder);
      const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
      const out: string[] = [];
      for await (const o of (await getStore()).listObjects(bucket, prefix)) out.push(`${scheme}://${bucket}/${o.key}`);
      return out;
    },
    async remove(location) {
      const { bucket, key } = splitLocation(location);
      await (await writable(location)).deleteObject(bucket, key);
    },
  };
}
