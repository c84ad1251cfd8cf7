import { defineStorePlugin, FIRST_PARTY_SHAPES } from '@om/object-store';
import { gcsConfigSchema } from './config';
import { gcsObjectStoreFactory } from './factory';

/** Provides `objectStore:gcs`, selected by the Datalake source for a `gcsConfig` configSource. */
export const plugin = defineStorePlugin({
  id: 'datalake-gcs',
  kind: 'gcs',
  shape: FIRST_PARTY_SHAPES.gcs,
  configSchema: gcsConfigSchema,
  factory: gcsObjectStoreFactory,
});
