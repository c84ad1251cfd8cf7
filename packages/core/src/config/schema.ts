import { LOG_LEVELS } from '../logger';
import type { FilterPattern } from '../filters';
import type { JsonSchema } from '../plugin/descriptor';

/** `filterPattern.json`: regexes matched from the start of the name, case-insensitively. */
export const filterPatternSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    includes: { type: 'array', items: { type: 'string', format: 'om-regex' } },
    excludes: { type: 'array', items: { type: 'string', format: 'om-regex' } },
  },
};

/**
 * The fields of OpenMetadata's `databaseServiceMetadataPipeline.json` (sourceConfig of a metadata
 * ingestion), shared by every database-like source. Build a source's schema with
 * `databaseMetadataPipelineSchema({...its own om-ingest options})`.
 */
export const databaseMetadataProperties: Record<string, JsonSchema> = {
  type: { type: 'string', enum: ['DatabaseMetadata'] },
  markDeletedTables: { type: 'boolean' },
  markDeletedStoredProcedures: { type: 'boolean' },
  markDeletedSchemas: { type: 'boolean' },
  markDeletedDatabases: { type: 'boolean' },
  markAllDeletedTables: { type: 'boolean' },
  includeTables: { type: 'boolean' },
  includeViews: { type: 'boolean' },
  includeTags: { type: 'boolean' },
  includeOwners: { type: 'boolean' },
  includeStoredProcedures: { type: 'boolean' },
  includeDDL: { type: 'boolean' },
  overrideMetadata: { type: 'boolean' },
  overrideViewLineage: { type: 'boolean' },
  queryLogDuration: { type: 'integer', minimum: 0 },
  queryParsingTimeoutLimit: { type: 'integer', minimum: 0 },
  useFqnForFiltering: { type: 'boolean' },
  threads: { type: 'integer', minimum: 1 },
  incremental: { type: 'object' },
  databaseFilterPattern: filterPatternSchema,
  schemaFilterPattern: filterPatternSchema,
  tableFilterPattern: filterPatternSchema,
  maxSchemaInferenceDepth: {
    type: ['integer', 'null'],
    minimum: 1,
    description: 'deepest nesting level kept in column trees (1 = top-level columns only); unset = unbounded',
  },
  maxChildrenPerColumn: {
    type: ['integer', 'null'],
    minimum: 1,
    description: 'most children kept per nested column; unset = unbounded',
  },
};

/** The fields of `databaseMetadataProperties` that om-ingest's sources read (a source extends it). */
export interface DatabaseMetadataPipelineConfig {
  type?: 'DatabaseMetadata';
  markDeletedTables?: boolean;
  includeTables?: boolean;
  useFqnForFiltering?: boolean;
  databaseFilterPattern?: FilterPattern;
  schemaFilterPattern?: FilterPattern;
  tableFilterPattern?: FilterPattern;
  maxSchemaInferenceDepth?: number | null;
  maxChildrenPerColumn?: number | null;
  [key: string]: unknown;
}

/** `databaseServiceMetadataPipeline.json` plus a source's own options (describe them `om-ingest: ...`). */
export function databaseMetadataPipelineSchema(extensions: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: 'object',
    title: 'DatabaseServiceMetadataPipeline',
    additionalProperties: false,
    properties: { ...databaseMetadataProperties, ...extensions },
  };
}

/**
 * The fields of OpenMetadata's `databaseServiceAutoClassificationPipeline.json` (`metadata classify`)
 * that every source reads alike; a source adds `storeSampleData` and `sampleDataCount` described for
 * what one sample is there (rows of a file, items of a Scan), and its own options.
 */
export const autoClassificationProperties: Record<string, JsonSchema> = {
  type: { type: 'string', enum: ['AutoClassification'] },
  classificationFilterPattern: filterPatternSchema,
  databaseFilterPattern: filterPatternSchema,
  schemaFilterPattern: filterPatternSchema,
  tableFilterPattern: filterPatternSchema,
  includeViews: { type: 'boolean' },
  useFqnForFiltering: { type: 'boolean' },
  enableAutoClassification: { type: 'boolean', description: 'tag PII columns (default true)' },
  confidence: { type: 'number', minimum: 0, maximum: 100, description: 'tag a column only at or above this confidence, 0–100 (default 80)' },
  classificationLanguage: { type: 'string' },
};

/** `databaseServiceAutoClassificationPipeline.json` plus a source's own fields. */
export function autoClassificationPipelineSchema(extensions: Record<string, JsonSchema> = {}): JsonSchema {
  return {
    type: 'object',
    title: 'DatabaseServiceAutoClassificationPipeline',
    additionalProperties: false,
    properties: { ...autoClassificationProperties, ...extensions },
  };
}

/** `openMetadataConnection.json` (the fields the ingestion side uses). */
export const openMetadataServerConfigSchema: JsonSchema = {
  type: 'object',
  required: ['hostPort'],
  additionalProperties: false,
  properties: {
    clusterName: { type: 'string' },
    type: { type: 'string', enum: ['OpenMetadata'] },
    hostPort: { type: 'string', pattern: '^https?://' },
    authProvider: {
      type: 'string',
      enum: ['no-auth', 'basic', 'azure', 'google', 'okta', 'auth0', 'aws-cognito', 'custom-oidc', 'ldap', 'saml', 'openmetadata'],
    },
    securityConfig: {
      type: 'object',
      properties: { jwtToken: { type: 'string', secret: true } },
    },
    verifySSL: { type: 'string', enum: ['no-ssl', 'ignore', 'validate'] },
    sslConfig: {
      type: 'object',
      additionalProperties: false,
      properties: {
        caCertificate: { type: 'string', omPath: true },
        sslCertificate: { type: 'string', omPath: true },
        sslKey: { type: 'string', secret: true, omPath: true },
      },
    },
    apiVersion: { type: 'string' },
    enableVersionValidation: { type: 'boolean' },
    forceEntityOverwriting: { type: 'boolean' },
    storeServiceConnection: { type: 'boolean' },
    supportsMetadataExtraction: { type: 'boolean' },
    includeTopics: { type: 'boolean' },
    includeTables: { type: 'boolean' },
    includeDashboards: { type: 'boolean' },
    includePipelines: { type: 'boolean' },
    includeMlModels: { type: 'boolean' },
    includeUsers: { type: 'boolean' },
    includeTeams: { type: 'boolean' },
    includeGlossaryTerms: { type: 'boolean' },
    includeTags: { type: 'boolean' },
    includePolicy: { type: 'boolean' },
    includeMessagingServices: { type: 'boolean' },
    includeDatabaseServices: { type: 'boolean' },
    includePipelineServices: { type: 'boolean' },
    limitRecords: { type: 'integer' },
    secretsManagerProvider: { type: 'string' },
    secretsManagerLoader: { type: 'string' },
    extraHeaders: { type: 'object', additionalProperties: { type: 'string' } },
    timeout: { type: 'number', minimum: 0, description: 'request timeout in seconds (om-ingest extension)' },
    maxRetries: { type: 'integer', minimum: 0, description: 'retries on 429/503/504 (om-ingest extension)' },
  },
};

const stepSchema = (name: string): JsonSchema => ({
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', minLength: 1, description: `${name} type` },
    config: { type: ['object', 'null'] },
  },
});

/** The workflow (`openMetadataWorkflowConfig`); plugin schemas validate the inner sections. */
export const workflowSchema: JsonSchema = {
  type: 'object',
  required: ['source', 'workflowConfig'],
  additionalProperties: false,
  properties: {
    source: {
      type: 'object',
      required: ['type', 'serviceName', 'sourceConfig'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', minLength: 1 },
        serviceName: { type: 'string', minLength: 1, maxLength: 256, not: { pattern: '::' } },
        serviceConnection: {
          type: 'object',
          required: ['config'],
          additionalProperties: false,
          properties: { config: { type: 'object' } },
        },
        sourceConfig: {
          type: 'object',
          required: ['config'],
          additionalProperties: false,
          properties: { config: { type: 'object' } },
        },
      },
    },
    processor: stepSchema('processor'),
    stage: stepSchema('stage'),
    sink: stepSchema('sink'),
    bulkSink: stepSchema('bulkSink'),
    workflowConfig: {
      type: 'object',
      additionalProperties: false,
      properties: {
        loggerLevel: { type: 'string', enum: [...LOG_LEVELS] },
        successThreshold: { type: 'number', minimum: 0, maximum: 100 },
        raiseOnError: { type: 'boolean' },
        openMetadataServerConfig: openMetadataServerConfigSchema,
        config: { type: 'object' },
      },
    },
    ingestionPipelineFQN: { type: 'string' },
    pipelineRunId: { type: 'string' },
  },
};
