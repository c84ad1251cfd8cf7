import { capabilityToken, definePlugin, PLUGIN_API_VERSION } from '@om/core';
import { azureConfigSchema } from './config';
import { azureObjectStoreFactory } from './factory';

/** Provides `objectStore:azure`, selected by the Datalake source for an `azureConfig` configSource. */
export const plugin = definePlugin({
  id: 'datalake-azure',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['objectStore:azure'],
  configSchemas: { 'objectStore:azure': { '': azureConfigSchema } },
  register(container) {
    container.register(capabilityToken('objectStore:azure'), { useValue: azureObjectStoreFactory });
  },
});
