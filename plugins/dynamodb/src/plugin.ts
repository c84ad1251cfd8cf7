import { definePlugin, PLUGIN_API_VERSION, stepToken, type StepFactory } from '@om/core';
import { databaseMetadataSchema, dynamoDBConnectionSchema, parseDynamoDBSource } from './config';
import { DynamoDBSource } from './source';

export const dynamoDBSourceFactory: StepFactory<DynamoDBSource> = {
  create: (context) =>
    new DynamoDBSource(parseDynamoDBSource(context.stepConfig), { logger: context.logger, signal: context.signal, catalogConnection: context.catalogConnection }),
};

/** `source: {type: dynamodb}`. */
export const plugin = definePlugin({
  id: 'dynamodb',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['source:dynamodb'],
  configSchemas: {
    'source:dynamodb': {
      '/serviceConnection/config': dynamoDBConnectionSchema,
      '/sourceConfig/config': databaseMetadataSchema,
    },
  },
  register(container) {
    container.register(stepToken('source', 'dynamodb'), { useValue: dynamoDBSourceFactory });
  },
});

export default plugin;
