import { capabilityToken, definePlugin, PLUGIN_API_VERSION } from '@om/core';
import { gcsConfigSchema } from './config';
import { gcsObjectStoreFactory } from './factory';

/** Provides `objectStore:gcs`, selected by the Datalake source for a `gcsConfig` configSource. */
export const plugin = definePlugin({
  id: 'datalake-gcs',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['objectStore:gcs'],
  configSchemas: { 'objectStore:gcs': { '': gcsConfigSchema } },
  register(container) {
    container.register(capabilityToken('objectStore:gcs'), { useValue: gcsObjectStoreFactory });
  },
});
