/** Test helpers for store plugins' own tests (and the conformance suite). */
import { ObjectStoreError } from '../object-store';
import type { ObjectInfo, ObjectStore } from '../object-store';

/** Every item of an async iterable. */
export async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Every object under `prefix` of `bucket`. */
export function listAll(store: ObjectStore, bucket: string, prefix = ''): Promise<ObjectInfo[]> {
  return all(store.listObjects(bucket, prefix));
}

/** The ObjectStoreError `fn` fails with (the test fails if it succeeds or throws anything else). */
export async function storeError(fn: () => Promise<unknown>): Promise<ObjectStoreError> {
  try {
    await fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ObjectStoreError);
    return err as ObjectStoreError;
  }
  throw new Error('expected a failure');
}
