import { definePlugin, PLUGIN_API_VERSION, stepToken } from '@om/core';
import { registerTableCatalog } from './catalog';
import { metadataRestSinkSchema } from './config';

const BUILT_IN_AUTH_PROVIDERS = ['openmetadata', 'no-auth'];
import { metadataRestSinkFactory } from './sink-factory';
import { metadataRestConnectionChecks } from './connection-check';

/**
 * The `metadata-rest` sink plugin (package.json `om` manifest: id `openmetadata`). It also binds
 * core's `TABLE_CATALOG` to the server, so profiler and test-suite sources see the service's tables.
 */
export const plugin = definePlugin({
  id: 'openmetadata',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['sink:metadata-rest'],
  configSchemas: {
    'sink:metadata-rest': { '/config': metadataRestSinkSchema },
  },
  /** A provider other than the built-in ones comes from a plugin providing `authProvider:<name>`. */
  requires(_capability, _sink, workflowConfig) {
    const server = (workflowConfig.workflowConfig as { openMetadataServerConfig?: { authProvider?: string } } | undefined)
      ?.openMetadataServerConfig;
    const name = server?.authProvider;
    if (!name || BUILT_IN_AUTH_PROVIDERS.includes(name)) return [];
    return [
      {
        capability: `authProvider:${name}` as const,
        at: '#/workflowConfig/openMetadataServerConfig/securityConfig',
        reason: `authProvider "${name}"`,
      },
    ];
  },
  register(container) {
    // The sink connects in prepare(); `test-connection` runs these checks one by one instead.
    container.register(stepToken('sink', 'metadata-rest'), { useValue: { ...metadataRestSinkFactory, connectionChecks: metadataRestConnectionChecks } });
    registerTableCatalog(container);
  },
});
