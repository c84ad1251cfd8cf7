/**
 * Config of the DynamoDB source: OpenMetadata's `DynamoDBConnection` and `DatabaseServiceMetadataPipeline`
 * schemas, plus om-ingest extension options, and parsing into the settings the source uses.
 */
import {
  awsCredentialsSchema,
  awsRetrySchemaProperties,
  buildAwsClientConfig,
  type AwsCredentialsConfig,
  type ResolvedAwsClientConfig,
  type RetryMode,
} from '@om/aws';
import { autoClassificationPipelineSchema, CompiledFilter, ConfigError, databaseMetadataPipelineSchema, filterPatternSchema, type DatabaseMetadataPipelineConfig, type FilterPattern, type JsonSchema } from '@om/core';

export const DEFAULT_SAMPLE_SIZE = 1000;
export const DEFAULT_MAX_COLUMNS = 500;
/** DynamoDB's own maximum for ListTables `Limit`. */
export const MAX_LIST_TABLES_PAGE_SIZE = 100;

const CONNECTION_PATH = 'source.serviceConnection.config';
const SOURCE_CONFIG_PATH = 'source.sourceConfig.config';

/** `dynamoDBConnection.json` (+ connection-level filters of newer releases, + retry settings). */
export const dynamoDBConnectionSchema: JsonSchema = {
  type: 'object',
  title: 'DynamoDBConnection',
  required: ['awsConfig'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['DynamoDB'], default: 'DynamoDB' },
    awsConfig: awsCredentialsSchema,
    databaseName: {
      type: ['string', 'null'],
      description: 'name of the one Database entity holding the tables (default "default")',
    },
    connectionOptions: {
      type: ['object', 'null'],
      additionalProperties: { type: 'string' },
      description: 'accepted for compatibility; DynamoDB uses no connection options',
    },
    connectionArguments: {
      type: ['object', 'null'],
      description: 'om-ingest reads maxAttempts, retryMode, connectTimeoutSeconds and readTimeoutSeconds from here; other keys are accepted and ignored',
      properties: { ...awsRetrySchemaProperties },
    },
    supportsMetadataExtraction: { type: 'boolean' },
    databaseFilterPattern: filterPatternSchema,
    schemaFilterPattern: filterPatternSchema,
    tableFilterPattern: filterPatternSchema,
  },
};

/** `databaseServiceMetadataPipeline.json` (core's) with om-ingest's DynamoDB sampling options. */
export const databaseMetadataSchema: JsonSchema = databaseMetadataPipelineSchema({
  sampleSize: {
    type: 'integer',
    minimum: 0,
    description: `om-ingest: items read by the sample Scan of each table to infer columns (default ${DEFAULT_SAMPLE_SIZE}; 0 = no Scan, key columns only)`,
  },
  scanPageSize: {
    type: 'integer',
    minimum: 1,
    description: 'om-ingest: Limit of each Scan request (default: DynamoDB pages of up to 1 MB)',
  },
  listTablesPageSize: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_LIST_TABLES_PAGE_SIZE,
    description: 'om-ingest: Limit of each ListTables request (default 100)',
  },
  maxColumns: {
    type: 'integer',
    minimum: 1,
    description: `om-ingest: most top-level columns per table, the most frequent attributes first; key columns are always kept (default ${DEFAULT_MAX_COLUMNS})`,
  },
});

/**
 * `databaseServiceAutoClassificationPipeline.json` (`metadata classify`), with the scan options that
 * apply: each table's sample is one Scan of `sampleDataCount` items.
 */
export const autoClassificationSchema: JsonSchema = autoClassificationPipelineSchema({
  storeSampleData: { type: 'boolean', description: 'send the sample items to the sink (default false)' },
  sampleDataCount: { type: 'integer', minimum: 1, description: 'items read per table by one Scan with this Limit (default 50)' },
  maxColumns: { type: 'integer', minimum: 1 },
});

const propsOf = (schema: JsonSchema): Record<string, JsonSchema> => schema.properties as Record<string, JsonSchema>;

/**
 * The source config schema: the fields of both pipelines; which belong to which `type` is checked by
 * `checkPipelineFields`, so a misplaced field is named (an anyOf would report every branch).
 */
export const dynamoDBSourceConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...propsOf(databaseMetadataSchema),
    ...propsOf(autoClassificationSchema),
    type: { type: 'string', enum: ['DatabaseMetadata', 'AutoClassification'] },
  },
};

/** Throws a ConfigError naming the fields of `sourceConfig.config` that its `type` does not have. */
export function checkPipelineFields(config: Record<string, unknown>): void {
  const type = (config.type as string | undefined) ?? 'DatabaseMetadata';
  const allowed = Object.keys(propsOf(type === 'AutoClassification' ? autoClassificationSchema : databaseMetadataSchema));
  const wrong = Object.keys(config).filter((k) => !allowed.includes(k));
  if (wrong.length > 0) {
    throw new ConfigError(wrong.map((k) => ({ path: `${SOURCE_CONFIG_PATH}.${k}`, message: `unknown key "${k}" for a ${type} pipeline`, hint: `allowed keys: ${allowed.join(', ')}` })));
  }
}

export interface DynamoDBConnectionConfig {
  type?: 'DynamoDB';
  awsConfig: AwsCredentialsConfig;
  databaseName?: string | null;
  connectionOptions?: Record<string, string> | null;
  connectionArguments?:
    | ({ maxAttempts?: number; retryMode?: RetryMode; connectTimeoutSeconds?: number; readTimeoutSeconds?: number } & Record<string, unknown>)
    | null;
  supportsMetadataExtraction?: boolean;
  databaseFilterPattern?: FilterPattern;
  schemaFilterPattern?: FilterPattern;
  tableFilterPattern?: FilterPattern;
}

export interface DatabaseMetadataConfig extends DatabaseMetadataPipelineConfig {
  sampleSize?: number;
  scanPageSize?: number;
  listTablesPageSize?: number;
  maxColumns?: number;
  [key: string]: unknown;
}

export interface InferenceLimits {
  maxColumns: number;
  maxDepth?: number;
  maxChildren?: number;
}

/** Everything the source needs, parsed and checked. */
export interface DynamoDBSettings {
  serviceName: string;
  /** The connection config as given (the service record carries it; sinks mask its secrets). */
  connection: DynamoDBConnectionConfig;
  aws: ResolvedAwsClientConfig;
  region: string;
  databaseName: string;
  useFqnForFiltering: boolean;
  includeTables: boolean;
  markDeletedTables: boolean;
  databaseFilter: CompiledFilter;
  schemaFilter: CompiledFilter;
  tableFilter: CompiledFilter;
  sampleSize: number;
  scanPageSize?: number;
  listTablesPageSize?: number;
  limits: InferenceLimits;
}

/**
 * Parses a (schema-validated) `source` section. Filters given in `sourceConfig.config` win; the
 * connection-level filters of newer OpenMetadata releases are used when the source config has none.
 */
export function parseDynamoDBSource(source: Record<string, unknown>): DynamoDBSettings {
  const serviceName = String(source.serviceName ?? '');
  const connection = ((source.serviceConnection as { config?: unknown } | undefined)?.config ?? undefined) as
    | DynamoDBConnectionConfig
    | undefined;
  if (!connection || typeof connection !== 'object') {
    throw ConfigError.single(
      'source.serviceConnection',
      'the DynamoDB source needs serviceConnection.config with awsConfig (om-ingest cannot fetch the connection from the server)',
      'add serviceConnection: {config: {type: DynamoDB, awsConfig: {awsRegion: ...}}}',
    );
  }
  const sourceConfig = ((source.sourceConfig as { config?: unknown } | undefined)?.config ?? {}) as DatabaseMetadataConfig;
  const args = connection.connectionArguments ?? {};
  let aws: ResolvedAwsClientConfig;
  try {
    aws = buildAwsClientConfig(connection.awsConfig, {
      maxAttempts: args.maxAttempts,
      retryMode: args.retryMode,
      connectTimeoutSeconds: args.connectTimeoutSeconds,
      readTimeoutSeconds: args.readTimeoutSeconds,
      configPath: `${CONNECTION_PATH}.awsConfig`,
    });
  } catch (err) {
    throw ConfigError.single(`${CONNECTION_PATH}.awsConfig`, (err as Error).message.replace(`${CONNECTION_PATH}.awsConfig.`, ''));
  }
  const filter = (key: 'databaseFilterPattern' | 'schemaFilterPattern' | 'tableFilterPattern'): CompiledFilter =>
    sourceConfig[key]
      ? new CompiledFilter(sourceConfig[key], `${SOURCE_CONFIG_PATH}.${key}`)
      : new CompiledFilter(connection[key], `${CONNECTION_PATH}.${key}`);
  const databaseName = typeof connection.databaseName === 'string' && connection.databaseName.trim() ? connection.databaseName.trim() : 'default';
  return {
    serviceName,
    connection,
    aws,
    region: aws.config.region,
    databaseName,
    useFqnForFiltering: sourceConfig.useFqnForFiltering === true,
    includeTables: sourceConfig.includeTables !== false,
    markDeletedTables: sourceConfig.markDeletedTables !== false,
    databaseFilter: filter('databaseFilterPattern'),
    schemaFilter: filter('schemaFilterPattern'),
    tableFilter: filter('tableFilterPattern'),
    sampleSize: sourceConfig.sampleSize ?? DEFAULT_SAMPLE_SIZE,
    ...(sourceConfig.scanPageSize ? { scanPageSize: sourceConfig.scanPageSize } : {}),
    ...(sourceConfig.listTablesPageSize ? { listTablesPageSize: sourceConfig.listTablesPageSize } : {}),
    limits: {
      maxColumns: sourceConfig.maxColumns ?? DEFAULT_MAX_COLUMNS,
      ...(sourceConfig.maxSchemaInferenceDepth ? { maxDepth: sourceConfig.maxSchemaInferenceDepth } : {}),
      ...(sourceConfig.maxChildrenPerColumn ? { maxChildren: sourceConfig.maxChildrenPerColumn } : {}),
    },
  };
}
