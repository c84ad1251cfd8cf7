/**
 * Config of the Datalake source: OpenMetadata's `DatalakeConnection` (serviceConnection.config) and
 * `DatabaseServiceMetadataPipeline` (sourceConfig.config), plus a few om-ingest extensions that live
 * in sourceConfig.config (never in the connection, which is sent to the server).
 */
import { selectStoreKind, storeShapes, type StoreShapes } from '@om/object-store';
import { ConfigError, databaseMetadataPipelineSchema, filterPatternSchema, type DatabaseMetadataPipelineConfig, type FilterPattern, type JsonSchema } from '@om/core';
import { autoClassificationPipelineSchema } from './auto-classification';

/** `s3Config`, `gcsConfig`, `azureConfig`, `localConfig`, or `<kind>Config` of a third-party store. */
export type ConfigSourceKind = `${string}Config`;

export interface DatalakeConnection {
  type?: 'Datalake';
  configSource: Record<string, unknown>;
  bucketName?: string;
  prefix?: string;
  databaseName?: string;
  connectionOptions?: Record<string, string>;
  connectionArguments?: Record<string, unknown>;
  databaseFilterPattern?: FilterPattern;
  schemaFilterPattern?: FilterPattern;
  tableFilterPattern?: FilterPattern;
  [key: string]: unknown;
}

export interface DatabaseMetadataConfig extends DatabaseMetadataPipelineConfig {
  /** om-ingest: rows sampled per text file (CSV/TSV/JSON/JSONL). */
  sampleRows?: number;
  /** om-ingest: bytes of (decompressed) text sampled per text file. */
  sampleBytes?: number;
  /** om-ingest: files read at the same time. */
  readConcurrency?: number;
  /** om-ingest: Hive-style partition folders become one table each. */
  partitionedTables?: boolean;
  /** om-ingest: also read hidden and marker objects (`.x`, `_SUCCESS`, `*.crc`, `_temporary/`). */
  includeHiddenFiles?: boolean;
  /** om-ingest: a Delta Lake, Iceberg or Hudi table folder is one table, read from its metadata (default true). */
  tableFormats?: boolean;
  [key: string]: unknown;
}

/** Resolved reading options with defaults applied. */
export interface ReadOptions {
  sampleRows: number;
  sampleBytes: number;
  maxDepth?: number;
  maxChildren?: number;
}

export const DEFAULT_SAMPLE_ROWS = 1000;
export const DEFAULT_SAMPLE_BYTES = 512 * 1024;
export const DEFAULT_READ_CONCURRENCY = 8;

/** `datalakeConnection.json`. `configSource` is validated by the object-store plugin it selects. */
export const datalakeConnectionSchema: JsonSchema = {
  type: 'object',
  required: ['configSource'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['Datalake'] },
    configSource: {
      type: 'object',
      description: 'securityConfig with AWS keys (S3), gcpConfig (GCS), Azure account/client fields, or {} for local files',
    },
    bucketName: { type: 'string' },
    prefix: { type: 'string' },
    databaseName: { type: 'string' },
    connectionOptions: { type: 'object', additionalProperties: { type: 'string' } },
    connectionArguments: { type: 'object' },
    supportsMetadataExtraction: { type: 'boolean' },
    supportsProfiler: { type: 'boolean' },
    supportsDatabase: { type: 'boolean' },
    supportsQueryComment: { type: 'boolean' },
    sampleDataStorageConfig: { type: 'object' },
    databaseFilterPattern: filterPatternSchema,
    schemaFilterPattern: filterPatternSchema,
    tableFilterPattern: filterPatternSchema,
  },
};

const positiveInt: JsonSchema = { type: 'integer', minimum: 1 };

/** `databaseServiceMetadataPipeline.json` (core's) plus om-ingest extensions (documented in the README). */
export const databaseMetadataSchema: JsonSchema = databaseMetadataPipelineSchema({
  sampleRows: { ...positiveInt, description: 'om-ingest: rows sampled per text file (default 1000)' },
  sampleBytes: { type: 'integer', minimum: 1024, description: 'om-ingest: bytes of text sampled per file (default 524288)' },
  readConcurrency: { ...positiveInt, maximum: 64, description: 'om-ingest: files read in parallel (default 8)' },
  partitionedTables: { type: 'boolean', description: 'om-ingest: one table per Hive-style partitioned folder' },
  includeHiddenFiles: { type: 'boolean', description: 'om-ingest: also read hidden and marker files' },
  tableFormats: { type: 'boolean', description: 'om-ingest: Delta Lake, Iceberg and Hudi folders become one table each (default true)' },
});

/** om-ingest extension keys of a local configSource. */
export const LOCAL_CONFIG_KEYS = ['root'];

/**
 * Tells which storage a structural `configSource` (as OpenMetadata writes it) is for, as
 * OpenMetadata's family name: AWS keys → `s3Config`, `gcpConfig` → `gcsConfig`, Azure account/client
 * keys → `azureConfig`, keys a third-party store plugin declares → `<kind>Config`, nothing (or only
 * `root`) → `localConfig`. `shapes` are the stores to choose from (default: the first-party ones;
 * the plugin passes the installed ones). Throws a ConfigError when the keys mix stores or none is recognized.
 */
export function detectConfigSource(configSource: unknown, path = 'source.serviceConnection.config.configSource', shapes: StoreShapes = storeShapes()): ConfigSourceKind {
  return `${selectStoreKind(configSource, shapes, path)}Config`;
}

/** `s3Config` → `s3`: the store kind in `objectStore:<kind>`. */
export function storeKindOf(kind: ConfigSourceKind): string {
  return kind.replace(/Config$/, '');
}

export function readOptionsFrom(config: DatabaseMetadataConfig): ReadOptions {
  return {
    sampleRows: config.sampleRows ?? DEFAULT_SAMPLE_ROWS,
    sampleBytes: config.sampleBytes ?? DEFAULT_SAMPLE_BYTES,
    ...(config.maxSchemaInferenceDepth ? { maxDepth: config.maxSchemaInferenceDepth } : {}),
    ...(config.maxChildrenPerColumn ? { maxChildren: config.maxChildrenPerColumn } : {}),
  };
}

/** `databaseServiceProfilerPipeline.json` (`sourceConfig.config` with `type: Profiler`). */
export interface ProfilerPipelineConfig {
  type: 'Profiler';
  profileSample?: number;
  profileSampleType?: 'PERCENTAGE' | 'ROWS';
  samplingMethodType?: string;
  generateSampleData?: boolean;
  computeMetrics?: boolean;
  computeTableMetrics?: boolean;
  computeColumnMetrics?: boolean;
  includeViews?: boolean;
  useStatistics?: boolean;
  threadCount?: number;
  timeoutSeconds?: number;
  useFqnForFiltering?: boolean;
  databaseFilterPattern?: FilterPattern;
  schemaFilterPattern?: FilterPattern;
  tableFilterPattern?: FilterPattern;
  /** om-ingest: seed of the sampling PRNG (default 20240101). */
  sampleSeed?: number;
  /** om-ingest: Parquet footer statistics (row count, min/max/nullCount) feed the profile (default true). */
  useFooterStatistics?: boolean;
  sampleRows?: number;
  sampleBytes?: number;
  maxSchemaInferenceDepth?: number;
  maxChildrenPerColumn?: number;
  includeHiddenFiles?: boolean;
  [key: string]: unknown;
}

/** `testSuitePipeline.json` (`sourceConfig.config` with `type: TestSuite`). */
export interface TestSuitePipelineConfig {
  type: 'TestSuite';
  entityFullyQualifiedName: string;
  profileSample?: number;
  profileSampleType?: 'PERCENTAGE' | 'ROWS';
  samplingMethodType?: string;
  testCases?: string[];
  serviceConnections?: unknown[];
  sampleSeed?: number;
  sampleRows?: number;
  sampleBytes?: number;
  [key: string]: unknown;
}

const profileSampleSchema: JsonSchema = { type: 'number', exclusiveMinimum: 0, description: 'PERCENTAGE: 0 < p ≤ 100; ROWS: a row count' };
const profileSampleTypeSchema: JsonSchema = { type: 'string', enum: ['PERCENTAGE', 'ROWS'] };
const sampleSeedSchema: JsonSchema = { type: 'integer', description: 'om-ingest: seed of the sampling PRNG (default 20240101); same seed + same file → same sample' };

export const profilerPipelineSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['Profiler'] },
    profileSample: profileSampleSchema,
    profileSampleType: profileSampleTypeSchema,
    samplingMethodType: { type: 'string', enum: ['BERNOULLI', 'SYSTEM'] },
    generateSampleData: { type: 'boolean' },
    sampleDataCount: { type: 'integer', minimum: 0, description: 'sample rows per table (default 50)' },
    processPiiSensitive: { type: 'boolean' },
    confidence: { type: 'number' },
    computeMetrics: { type: 'boolean' },
    computeTableMetrics: { type: 'boolean' },
    computeColumnMetrics: { type: 'boolean' },
    includeViews: { type: 'boolean' },
    useStatistics: { type: 'boolean' },
    threadCount: { type: 'number', minimum: 1 },
    timeoutSeconds: { type: 'integer', minimum: 0 },
    useFqnForFiltering: { type: 'boolean' },
    databaseFilterPattern: filterPatternSchema,
    schemaFilterPattern: filterPatternSchema,
    tableFilterPattern: filterPatternSchema,
    classificationFilterPattern: filterPatternSchema,
    sampleSeed: sampleSeedSchema,
    useFooterStatistics: { type: 'boolean', description: 'om-ingest: use Parquet footer statistics (default true)' },
    sampleRows: { ...positiveInt, description: 'om-ingest: rows sampled per text file for schema inference (default 1000)' },
    sampleBytes: { type: 'integer', minimum: 1024 },
    maxSchemaInferenceDepth: positiveInt,
    maxChildrenPerColumn: positiveInt,
    includeHiddenFiles: { type: 'boolean' },
  },
};

export const testSuitePipelineSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'entityFullyQualifiedName'],
  properties: {
    type: { type: 'string', enum: ['TestSuite'] },
    entityFullyQualifiedName: { type: 'string', minLength: 1, description: 'the table FQN, e.g. svc.default.bucket."data/orders.csv"' },
    profileSample: profileSampleSchema,
    profileSampleType: profileSampleTypeSchema,
    samplingMethodType: { type: 'string', enum: ['BERNOULLI', 'SYSTEM'] },
    testCases: { type: 'array', items: { type: 'string' } },
    serviceConnections: { type: 'array' },
    sampleSeed: sampleSeedSchema,
    sampleRows: positiveInt,
    sampleBytes: { type: 'integer', minimum: 1024 },
  },
};

const propsOf = (schema: JsonSchema): Record<string, JsonSchema> => schema.properties as Record<string, JsonSchema>;

/**
 * `sourceConfig.config` of the datalake source: the fields of the three pipelines it runs
 * (`DatabaseMetadata`, `Profiler`, `TestSuite`). Which fields belong to which `type` is checked by the
 * source (`checkPipelineFields`), so a misplaced field is reported by name; a JSON Schema if/then or
 * oneOf would add an unhelpful "must match schema" line to every error.
 */
export const datalakeSourceConfigSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ...propsOf(databaseMetadataSchema),
    ...propsOf(testSuitePipelineSchema),
    ...propsOf(profilerPipelineSchema),
    ...propsOf(autoClassificationPipelineSchema),
    type: { type: 'string', enum: ['DatabaseMetadata', 'Profiler', 'TestSuite', 'AutoClassification'] },
  },
};

/** Throws a ConfigError naming the fields of `sourceConfig.config` that its `type` does not have. */
export function checkPipelineFields(config: Record<string, unknown>, path = 'source.sourceConfig.config'): void {
  const type = (config.type as string | undefined) ?? 'DatabaseMetadata';
  const schema =
    type === 'Profiler' ? profilerPipelineSchema : type === 'TestSuite' ? testSuitePipelineSchema : type === 'AutoClassification' ? autoClassificationPipelineSchema : databaseMetadataSchema;
  const allowed = Object.keys(propsOf(schema));
  const wrong = Object.keys(config).filter((k) => !allowed.includes(k));
  if (wrong.length > 0) {
    throw new ConfigError(
      wrong.map((k) => ({ path: `${path}.${k}`, message: `unknown key "${k}" for a ${type} pipeline`, hint: `allowed keys: ${allowed.join(', ')}` })),
    );
  }
  if (type === 'TestSuite' && (typeof config.entityFullyQualifiedName !== 'string' || config.entityFullyQualifiedName === '')) {
    throw ConfigError.single(`${path}.entityFullyQualifiedName`, 'is required for a TestSuite pipeline', 'the table FQN, e.g. svc.default.bucket."data/orders.csv"');
  }
}

/** `sourceConfig.config` of the `testsuite` source. */
export const testSuiteSourceConfigSchema: JsonSchema = testSuitePipelineSchema;
