import { defineStorePlugin, FIRST_PARTY_SHAPES } from '@om/object-store';
import { azureConfigSchema } from './config';
import { azureObjectStoreFactory } from './factory';

/** Provides `objectStore:azure`, selected by the Datalake source for an `azureConfig` configSource. */
export const plugin = defineStorePlugin({
  id: 'datalake-azure',
  kind: 'azure',
  shape: FIRST_PARTY_SHAPES.azure,
  configSchema: azureConfigSchema,
  factory: azureObjectStoreFactory,
});
