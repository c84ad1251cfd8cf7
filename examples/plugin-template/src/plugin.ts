import { definePlugin, PLUGIN_API_VERSION, stepToken } from '@om/core';
import { sampleConnectionSchema, sampleSourceConfigSchema } from './config';
import { SampleSource } from './source';

/** Wiring only: what this package provides and how it binds to core's tokens. */
export const plugin = definePlugin({
  id: 'sample',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['source:sample'],
  configSchemas: {
    'source:sample': {
      '/serviceConnection/config': sampleConnectionSchema,
      '/sourceConfig/config': sampleSourceConfigSchema,
    },
  },
  register(container) {
    container.register(stepToken('source', 'sample'), { useValue: { create: (context) => new SampleSource(context) } });
  },
});
