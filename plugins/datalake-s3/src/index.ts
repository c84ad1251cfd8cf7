export { plugin } from './plugin';
export { s3ConfigSchema, parseS3Config, S3_COLD_STORAGE_CLASSES, type S3StoreConfig } from './config';
export { S3ObjectStore, toObjectStoreError, type S3ObjectStoreOptions } from './store';
export { createS3ObjectStore, s3ObjectStoreFactory } from './factory';
