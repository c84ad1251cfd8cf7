/** Test helpers for store plugins' own tests (and the conformance kit). Runner-neutral: node:assert. */
import assert from 'node:assert/strict';
import { ObjectStoreError, type ObjectInfo, type ObjectStore } from '../contract';

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

/** The ObjectStoreError `fn` fails with (fails the test if it succeeds or throws anything else). */
export async function storeError(fn: () => Promise<unknown>): Promise<ObjectStoreError> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof ObjectStoreError, `expected an ObjectStoreError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    return err;
  }
  throw new Error('expected a failure');
}
