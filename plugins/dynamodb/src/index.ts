export { plugin, dynamoDBSourceFactory } from './plugin';
export {
  databaseMetadataSchema,
  dynamoDBConnectionSchema,
  parseDynamoDBSource,
  DEFAULT_MAX_COLUMNS,
  DEFAULT_SAMPLE_SIZE,
  type DatabaseMetadataConfig,
  type DynamoDBConnectionConfig,
  type DynamoDBSettings,
  type InferenceLimits,
} from './config';
export { DynamoDBSource, DynamoDBSourceError, DEFAULT_SCHEMA_NAME, describeTable, type DynamoDBSourceOptions } from './source';
export { inferColumns, Shape, Fields, wireTypeOf, type InferenceOptions, type InferenceResult, type WireType } from './infer';
