import { defineStorePlugin, FIRST_PARTY_SHAPES } from '@om/object-store';
import { s3ConfigSchema } from './config';
import { s3ObjectStoreFactory } from './factory';

/** Provides `objectStore:s3`, selected by the Datalake source for an `s3Config` configSource. */
export const plugin = defineStorePlugin({
  id: 'datalake-s3',
  kind: 's3',
  shape: FIRST_PARTY_SHAPES.s3,
  configSchema: s3ConfigSchema,
  factory: s3ObjectStoreFactory,
});
