import { capabilityToken, definePlugin, PLUGIN_API_VERSION } from '@om/core';
import { s3ConfigSchema } from './config';
import { s3ObjectStoreFactory } from './factory';

/** Provides `objectStore:s3`, selected by the Datalake source for an `s3Config` configSource. */
export const plugin = definePlugin({
  id: 'datalake-s3',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['objectStore:s3'],
  configSchemas: { 'objectStore:s3': { '': s3ConfigSchema } },
  register(container) {
    container.register(capabilityToken('objectStore:s3'), { useValue: s3ObjectStoreFactory });
  },
});
