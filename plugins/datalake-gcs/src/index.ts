export { plugin } from './plugin';
export {
  gcsConfigSchema,
  gcpCredentialsSchema,
  parseGcsConfig,
  projectIdsOf,
  resolveGcsAuth,
  describeAuth,
  GcsConfigError,
  GCS_COLD_STORAGE_CLASSES,
  type GcpValues,
  type GcsAuth,
  type GcsStoreConfig,
} from './config';
export { GcsObjectStore, toObjectStoreError, type GcsObjectStoreOptions } from './store';
export { createGcsObjectStore, gcsObjectStoreFactory, storageOptions } from './factory';
