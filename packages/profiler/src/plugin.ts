import { definePlugin, PLUGIN_API_VERSION, stepToken } from '@om/core';
import { profilerConfigSchema, testRunnerConfigSchema } from './config';
import { profilerProcessorFactory, testRunnerProcessorFactory } from './processors';

/** `processor:orm-profiler` and `processor:orm-test-runner`. */
export const profilerPlugin = definePlugin({
  id: 'profiler',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['processor:orm-profiler', 'processor:orm-test-runner'],
  configSchemas: {
    'processor:orm-profiler': { '/config': profilerConfigSchema },
    'processor:orm-test-runner': { '/config': testRunnerConfigSchema },
  },
  register(container) {
    container.register(stepToken('processor', 'orm-profiler'), { useValue: profilerProcessorFactory });
    container.register(stepToken('processor', 'orm-test-runner'), { useValue: testRunnerProcessorFactory });
  },
});

export default profilerPlugin;
