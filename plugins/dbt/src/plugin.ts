import { definePlugin, PLUGIN_API_VERSION, stepToken } from '@om/core';
import { dbtPipelineSchema, dbtRequirements } from './config';
import { dbtSourceFactory } from './source';

/** The `dbt` source plugin (package.json `om` manifest: id `dbt`). */
export const plugin = definePlugin({
  id: 'dbt',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['source:dbt'],
  configSchemas: {
    'source:dbt': { '/sourceConfig/config': dbtPipelineSchema },
  },
  /** A bucket source (s3 / gcs / azure) reads through the matching installed object store plugin. */
  requires: (capability, section, workflow, installed) => dbtRequirements(capability, section, workflow, installed),
  register(container) {
    container.register(stepToken('source', 'dbt'), { useValue: dbtSourceFactory });
  },
});
