/**
 * The storage contract now lives in `@om/object-store` (store plugins depend on it, not on this
 * package); re-exported here for code written against `@om/datalake`.
 */
export {
  ObjectStoreError,
  collectStream,
  destroyStream,
  type ByteStream,
  type ListOptions,
  type ObjectInfo,
  type ObjectStore,
  type ObjectStoreContext,
  type ObjectStoreErrorCode,
  type ObjectStoreFactory,
  type StoreConnection,
} from '@om/object-store';
