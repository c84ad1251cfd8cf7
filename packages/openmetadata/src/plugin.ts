import { definePlugin, PLUGIN_API_VERSION, stepToken } from '@om/core';
import { metadataRestSinkSchema } from './config';
import { metadataRestSinkFactory } from './sink';

/** The `metadata-rest` sink plugin (package.json `om` manifest: id `openmetadata`). */
export const plugin = definePlugin({
  id: 'openmetadata',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['sink:metadata-rest'],
  configSchemas: {
    'sink:metadata-rest': { '/config': metadataRestSinkSchema },
  },
  register(container) {
    container.register(stepToken('sink', 'metadata-rest'), { useValue: metadataRestSinkFactory });
  },
});
