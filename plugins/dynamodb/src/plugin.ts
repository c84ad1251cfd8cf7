import { definePlugin, PLUGIN_API_VERSION, stepToken, type StepFactory } from '@om/core';
import { DEFAULT_CLASSIFY_SAMPLE, DynamoDBClassifySource } from './classify-source';
import { checkPipelineFields, dynamoDBConnectionSchema, dynamoDBSourceConfigSchema, parseDynamoDBSource } from './config';
import { DynamoDBSource } from './source';

export const dynamoDBSourceFactory: StepFactory<DynamoDBSource | DynamoDBClassifySource> = {
  create: (context) => {
    const sourceConfig = ((context.stepConfig.sourceConfig as { config?: Record<string, unknown> } | undefined)?.config ?? {}) as Record<string, unknown>;
    checkPipelineFields(sourceConfig);
    const settings = parseDynamoDBSource(context.stepConfig);
    const metadata = new DynamoDBSource(settings, { logger: context.logger, signal: context.signal, catalogConnection: context.catalogConnection, ...(context.shard ? { shard: context.shard } : {}) });
    if (sourceConfig.type !== 'AutoClassification') return metadata;
    const count = typeof sourceConfig.sampleDataCount === 'number' ? sourceConfig.sampleDataCount : DEFAULT_CLASSIFY_SAMPLE;
    return new DynamoDBClassifySource(settings, metadata.client, count, context.signal, metadata.connectionChecks());
  },
};

/** `source: {type: dynamodb}`. */
export const plugin = definePlugin({
  id: 'dynamodb',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['source:dynamodb'],
  configSchemas: {
    'source:dynamodb': {
      '/serviceConnection/config': dynamoDBConnectionSchema,
      '/sourceConfig/config': dynamoDBSourceConfigSchema,
    },
  },
  register(container) {
    container.register(stepToken('source', 'dynamodb'), { useValue: dynamoDBSourceFactory });
  },
});

export default plugin;
