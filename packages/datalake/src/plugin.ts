import { ConfigError, PLUGIN_API_VERSION, definePlugin, stepToken, type Capability, type Requirement } from '@om/core';
import { installedStoreShapes, objectStoreToken } from '@om/object-store';
import { datalakeConnectionSchema, datalakeSourceConfigSchema, detectConfigSource, storeKindOf, testSuiteSourceConfigSchema } from './config';
import { localConfigSchema, localObjectStoreFactory } from './local-store';
import { datalakeSourceFactory } from './source';

/**
 * The `@om/datalake` plugin: the `datalake` source (metadata, profiler and test-suite pipelines),
 * the `testsuite` source (OpenMetadata's TestSuite workflow on a datalake table) and the
 * local-filesystem object store.
 */
export const plugin = definePlugin({
  id: 'datalake',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['source:datalake', 'source:testsuite', 'objectStore:local'],
  configSchemas: {
    'source:datalake': {
      '/serviceConnection/config': datalakeConnectionSchema,
      '/sourceConfig/config': datalakeSourceConfigSchema,
    },
    'source:testsuite': {
      '/serviceConnection/config': datalakeConnectionSchema,
      '/sourceConfig/config': testSuiteSourceConfigSchema,
    },
    'objectStore:local': { '': localConfigSchema },
  },
  requires(capability: Capability, section: Record<string, unknown>, _workflow, installed): Requirement[] {
    if (capability !== 'source:datalake' && capability !== 'source:testsuite') return [];
    const connection = (section.serviceConnection as { config?: Record<string, unknown> } | undefined)?.config;
    if (!connection || typeof connection !== 'object') return [];
    const configSource = connection.configSource;
    if (configSource === undefined || configSource === null || typeof configSource !== 'object') return [];
    let kind;
    try {
      kind = detectConfigSource(configSource, undefined, installedStoreShapes(installed));
    } catch (err) {
      if (err instanceof ConfigError) {
        const v = err.violations[0];
        throw new Error(`serviceConnection.config.configSource: ${v.message}${v.hint ? ` (${v.hint})` : ''}`);
      }
      throw err;
    }
    return [{ capability: `objectStore:${storeKindOf(kind)}`, at: '/serviceConnection/config/configSource', reason: `configSource ${kind}` }];
  },
  register(container) {
    container.register(stepToken('source', 'datalake'), { useValue: datalakeSourceFactory });
    container.register(stepToken('source', 'testsuite'), { useValue: datalakeSourceFactory });
    objectStoreToken('local').bind(container, localObjectStoreFactory);
  },
});

export default plugin;
