/**
 * `sourceConfig.config` of the `dbt` source: OpenMetadata's `DbtPipeline` (`dbtPipeline.json` with the
 * `dbtconfig/*.json` variants) plus the om-ingest `tableNameMapping` extension.
 */
import { ConfigError, filterPatternSchema, type Capability, type FilterPattern, type InstalledPlugins, type JsonSchema, type Requirement } from '@om/core';

/** The first-party types; any other type names an installed object-store plugin (`objectStore:<type>`). */
export const DBT_CONFIG_TYPES = ['local', 'http', 'cloud', 's3', 'gcs', 'azure'] as const;
export type DbtConfigType = (typeof DBT_CONFIG_TYPES)[number];
/** The types that read no bucket. */
export const NON_BUCKET_TYPES: readonly string[] = ['local', 'http', 'cloud'];
/** `s3`, `gcs`, `azure`, or the kind of any installed object-store plugin. */
export type BucketConfigType = string;

/** Whether a dbtConfigType reads a bucket through an object-store plugin. */
export function isBucketType(type: unknown): type is BucketConfigType {
  return typeof type === 'string' && type !== '' && !NON_BUCKET_TYPES.includes(type);
}

const str = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({ type: 'string', description, ...extra });
const optStr = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({ type: ['string', 'null'], description, ...extra });
const secret = (description: string): JsonSchema => ({ type: ['string', 'null'], format: 'password', secret: true, description });

/**
 * Credentials of a bucket source, checked here only for shape and secret marking: the store plugin
 * (`@om/datalake-s3|gcs|azure`) interprets them, exactly as for a Datalake `configSource`.
 */
const awsCredentialsSchema: JsonSchema = {
  type: 'object',
  title: 'awsCredentials',
  additionalProperties: false,
  properties: {
    awsAccessKeyId: optStr('access key id'),
    awsSecretAccessKey: secret('secret access key'),
    awsRegion: optStr('region, e.g. us-east-1'),
    awsSessionToken: secret('session token of temporary credentials'),
    endPointURL: optStr('custom endpoint (S3-compatible storage, emulators)'),
    profileName: optStr('shared config profile'),
    assumeRoleArn: optStr('role to assume'),
    assumeRoleSessionName: optStr('session name of the assumed role'),
    assumeRoleSourceIdentity: optStr('source identity of the assumed role'),
  },
};

const gcpCredentialsSchema: JsonSchema = {
  type: 'object',
  title: 'gcpCredentials',
  required: ['gcpConfig'],
  additionalProperties: false,
  properties: {
    gcpConfig: {
      description: 'service-account values, {type: gcp_credential_path, path}, {type: gcp_adc}, external account values, or a credentials file path',
      anyOf: [
        { type: 'string', minLength: 1 },
        {
          type: 'object',
          properties: { privateKey: secret('service account private key (PEM)') },
        },
      ],
    },
    gcpImpersonateServiceAccount: { type: ['object', 'null'] },
  },
};

const azureCredentialsSchema: JsonSchema = {
  type: 'object',
  title: 'azureCredentials',
  additionalProperties: false,
  properties: {
    clientId: optStr('application (client) id'),
    clientSecret: secret('client secret'),
    tenantId: optStr('tenant id'),
    accountName: optStr('storage account name'),
    vaultName: optStr('Key Vault name (not used for storage access)'),
    scopes: optStr('token scopes'),
    accountKey: secret('om-ingest: storage account key'),
    connectionString: secret('om-ingest: storage connection string'),
    sasToken: secret('om-ingest: shared access signature'),
    blobEndpoint: optStr('om-ingest: blob service URL (azurite, private endpoints)'),
  },
};

const bucketDetailsSchema: JsonSchema = {
  type: 'object',
  title: 'dbtBucketDetails',
  additionalProperties: false,
  properties: {
    dbtBucketName: optStr('bucket (container) holding the artifacts; every bucket the credentials see when left out'),
    dbtObjectPrefix: optStr('only keys under this prefix; every directory holding a manifest.json is one artifact set'),
  },
};

/** om-ingest: store options passed next to the credentials to the store plugin. */
const storeOptionsSchema: JsonSchema = {
  type: 'object',
  description: 'om-ingest: options of the object store plugin (as next to securityConfig in a Datalake configSource), e.g. maxAttempts, apiEndpoint',
  not: { required: ['securityConfig'] },
};

const variant = (type: DbtConfigType, properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  if: { properties: { dbtConfigType: { const: type } }, required: ['dbtConfigType'] },
  then: {
    required: ['dbtConfigType', ...required],
    properties: { dbtConfigType: true, ...properties },
    additionalProperties: false,
  },
});

const localProps = {
  dbtManifestFilePath: str('path of manifest.json (relative paths: from the config file)', { minLength: 1 }),
  dbtCatalogFilePath: optStr('path of catalog.json (column types, order and comments)'),
  dbtRunResultsFilePath: optStr('path of run_results.json (test results)'),
  dbtSourcesFilePath: optStr('path of sources.json (dbt source freshness): results on the source tables'),
};
const httpProps = {
  dbtManifestHttpPath: str('URL of manifest.json', { pattern: '^https?://' }),
  dbtCatalogHttpPath: optStr('URL of catalog.json', { pattern: '^https?://' }),
  dbtRunResultsHttpPath: optStr('URL of run_results.json', { pattern: '^https?://' }),
  dbtSourcesHttpPath: optStr('URL of sources.json (dbt source freshness): results on the source tables'),
};
const cloudProps: Record<string, JsonSchema> = {
  dbtCloudAuthToken: { type: 'string', minLength: 1, format: 'password', secret: true, description: 'dbt Cloud API token (service token or personal token)' },
  dbtCloudAccountId: { type: ['string', 'integer'], description: 'dbt Cloud account id' },
  dbtCloudProjectId: { type: ['string', 'integer', 'null'], description: 'only runs of this project' },
  dbtCloudJobId: { type: ['string', 'integer', 'null'], description: 'only runs of this job' },
  dbtCloudUrl: optStr('dbt Cloud URL (default https://cloud.getdbt.com)', { pattern: '^https?://' }),
};
const bucketProps = (creds: JsonSchema): Record<string, JsonSchema> => ({
  dbtSecurityConfig: creds,
  dbtPrefixConfig: bucketDetailsSchema,
  storeOptions: storeOptionsSchema,
});

export const dbtConfigSourceSchema: JsonSchema = {
  type: 'object',
  title: 'dbtConfigSource',
  description: 'where the dbt artifacts are: dbtConfigType local, http, cloud, s3, gcs, azure, or the kind of an installed object-store plugin',
  required: ['dbtConfigType'],
  properties: {
    // Not an enum: a bucket of any installed store plugin works; a type no plugin provides is reported by name.
    dbtConfigType: { type: 'string', minLength: 1, description: `${DBT_CONFIG_TYPES.join(', ')}, or the kind of an installed object-store plugin` },
    ...localProps,
    ...httpProps,
    ...cloudProps,
    dbtSecurityConfig: { type: 'object' },
    dbtPrefixConfig: bucketDetailsSchema,
    storeOptions: storeOptionsSchema,
  },
  allOf: [
    variant('local', localProps, ['dbtManifestFilePath']),
    variant('http', httpProps, ['dbtManifestHttpPath']),
    variant('cloud', cloudProps, ['dbtCloudAuthToken', 'dbtCloudAccountId']),
    variant('s3', bucketProps(awsCredentialsSchema), ['dbtSecurityConfig']),
    variant('gcs', bucketProps(gcpCredentialsSchema), ['dbtSecurityConfig']),
    variant('azure', bucketProps(azureCredentialsSchema), ['dbtSecurityConfig']),
  ],
};

/** A template over the dbt node's names: `{database}`, `{schema}`, `{alias}`, `{name}`, `{identifier}`, `{package}`, `{resourceType}`, `{sourceName}`. */
const templateSchema = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });

export const tableNameMappingSchema: JsonSchema = {
  type: 'object',
  title: 'tableNameMapping',
  description:
    'om-ingest: how a dbt node (database/schema/alias) is named in the OpenMetadata service. Templates use {database}, {schema}, {alias}, {name}, {identifier}, {package}, {resourceType}, {sourceName}',
  additionalProperties: false,
  properties: {
    database: templateSchema('OpenMetadata database name (default "{database}"; a datalake service uses "default" or the GCS project)'),
    schema: templateSchema('OpenMetadata schema name (default "{schema}"; a datalake service uses the bucket name)'),
    table: templateSchema('OpenMetadata table name (default "{alias}"; a datalake table is its object key, e.g. "warehouse/{schema}/{alias}.parquet")'),
    lowercase: { type: 'boolean', description: 'lower-case the dbt names before they fill the templates (default false)' },
  },
};

export const dbtPipelineSchema: JsonSchema = {
  type: 'object',
  title: 'DbtPipeline',
  required: ['dbtConfigSource'],
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['DBT'] },
    dbtConfigSource: dbtConfigSourceSchema,
    dbtUpdateDescriptions: { type: 'boolean', description: 'overwrite descriptions already set in OpenMetadata (default false: only fill empty ones)' },
    dbtUpdateOwners: { type: 'boolean', description: 'replace owners already set in OpenMetadata (default false)' },
    includeTags: { type: 'boolean', description: 'apply dbt tags (default true)' },
    dbtClassificationName: { type: 'string', minLength: 1, pattern: '^[^.]+$', description: 'classification of the dbt tags (default dbtTags); no dots' },
    searchAcrossDatabases: { type: 'boolean', description: 'find a table in any database of the service when the exact FQN does not exist (default false)' },
    databaseFilterPattern: filterPatternSchema,
    schemaFilterPattern: filterPatternSchema,
    tableFilterPattern: filterPatternSchema,
    parsingTimeoutLimit: { type: 'integer', minimum: 1, description: 'seconds to wait for one artifact download (default 300)' },
    tableNameMapping: tableNameMappingSchema,
  },
};

export interface TableNameMapping {
  database?: string;
  schema?: string;
  table?: string;
  lowercase?: boolean;
}

/** A bucket source: s3, gcs, azure or a third-party store, read through its object-store plugin. */
export interface BucketDbtConfigSource {
  dbtConfigType: BucketConfigType;
  dbtSecurityConfig: Record<string, unknown>;
  dbtPrefixConfig?: { dbtBucketName?: string | null; dbtObjectPrefix?: string | null };
  storeOptions?: Record<string, unknown>;
}

export type DbtConfigSource =
  | { dbtConfigType: 'local'; dbtManifestFilePath: string; dbtCatalogFilePath?: string | null; dbtRunResultsFilePath?: string | null; dbtSourcesFilePath?: string | null }
  | { dbtConfigType: 'http'; dbtManifestHttpPath: string; dbtCatalogHttpPath?: string | null; dbtRunResultsHttpPath?: string | null; dbtSourcesHttpPath?: string | null }
  | {
      dbtConfigType: 'cloud';
      dbtCloudAuthToken: string;
      dbtCloudAccountId: string | number;
      dbtCloudProjectId?: string | number | null;
      dbtCloudJobId?: string | number | null;
      dbtCloudUrl?: string | null;
    }
  | BucketDbtConfigSource;

/** A local, http or cloud source (what remains once buckets are handled). */
export type FixedDbtConfigSource = Exclude<DbtConfigSource, BucketDbtConfigSource>;

export function isBucketSource(source: DbtConfigSource): source is BucketDbtConfigSource {
  return isBucketType(source.dbtConfigType);
}

export interface DbtPipelineConfig {
  dbtConfigSource: DbtConfigSource;
  dbtUpdateDescriptions: boolean;
  dbtUpdateOwners: boolean;
  includeTags: boolean;
  dbtClassificationName: string;
  searchAcrossDatabases: boolean;
  databaseFilterPattern?: FilterPattern;
  schemaFilterPattern?: FilterPattern;
  tableFilterPattern?: FilterPattern;
  parsingTimeoutSeconds: number;
  tableNameMapping: Required<Omit<TableNameMapping, 'lowercase'>> & { lowercase: boolean };
}

export const DEFAULT_CLASSIFICATION = 'dbtTags';
export const DEFAULT_DBT_CLOUD_URL = 'https://cloud.getdbt.com';
export const CONFIG_PATH = 'source.sourceConfig.config';

const PLACEHOLDERS = ['database', 'schema', 'alias', 'name', 'identifier', 'package', 'resourceType', 'sourceName'];

/** The validated `sourceConfig.config` with defaults filled in; template mistakes are ConfigErrors. */
export function parseDbtPipeline(raw: Record<string, unknown>): DbtPipelineConfig {
  const mapping = (raw.tableNameMapping ?? {}) as TableNameMapping;
  const violations = [];
  for (const key of ['database', 'schema', 'table'] as const) {
    const t = mapping[key];
    if (t === undefined) continue;
    for (const m of t.matchAll(/\{([^}]*)\}/g)) {
      if (!PLACEHOLDERS.includes(m[1])) {
        violations.push({
          path: `${CONFIG_PATH}.tableNameMapping.${key}`,
          message: `unknown placeholder {${m[1]}} in ${JSON.stringify(t)}`,
          hint: `placeholders: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        });
      }
    }
  }
  if (violations.length) throw new ConfigError(violations);
  return {
    dbtConfigSource: raw.dbtConfigSource as DbtConfigSource,
    dbtUpdateDescriptions: raw.dbtUpdateDescriptions === true,
    dbtUpdateOwners: raw.dbtUpdateOwners === true,
    includeTags: raw.includeTags !== false,
    dbtClassificationName: typeof raw.dbtClassificationName === 'string' ? raw.dbtClassificationName : DEFAULT_CLASSIFICATION,
    searchAcrossDatabases: raw.searchAcrossDatabases === true,
    ...(raw.databaseFilterPattern ? { databaseFilterPattern: raw.databaseFilterPattern as FilterPattern } : {}),
    ...(raw.schemaFilterPattern ? { schemaFilterPattern: raw.schemaFilterPattern as FilterPattern } : {}),
    ...(raw.tableFilterPattern ? { tableFilterPattern: raw.tableFilterPattern as FilterPattern } : {}),
    parsingTimeoutSeconds: typeof raw.parsingTimeoutLimit === 'number' ? raw.parsingTimeoutLimit : 300,
    tableNameMapping: {
      database: mapping.database ?? '{database}',
      schema: mapping.schema ?? '{schema}',
      table: mapping.table ?? '{alias}',
      lowercase: mapping.lowercase === true,
    },
  };
}

/**
 * Pointer handed to core for a bucket source's object store. The store plugins validate
 * `{securityConfig, ...options}`, which a dbt config does not contain (it has `dbtSecurityConfig`):
 * this pointer resolves to nothing, so core loads and registers the store plugin without validating,
 * and @om/dbt validates `dbtSecurityConfig` itself (schema above).
 */
/** Where a missing store plugin is reported: the dbt source's `dbtConfigType`. */
export const STORE_REQUIREMENT_POINTER = '/sourceConfig/config/dbtConfigSource/dbtConfigType';

/** `requires()` of the plugin: a bucket source needs the matching object store plugin. */
export function dbtRequirements(capability: Capability, section: Record<string, unknown>, _workflow: unknown, installed: InstalledPlugins): Requirement[] {
  if (capability !== 'source:dbt') return [];
  const config = (section.sourceConfig as { config?: Record<string, unknown> } | undefined)?.config;
  const source = config?.dbtConfigSource as { dbtConfigType?: unknown } | undefined;
  const type = source?.dbtConfigType;
  if (!isBucketType(type)) return [];
  const stores = installed.capabilities().filter((c) => c.startsWith('objectStore:') && c !== 'objectStore:local').map((c) => c.slice('objectStore:'.length));
  if (!(DBT_CONFIG_TYPES as readonly string[]).includes(type) && !stores.includes(type)) {
    // Neither a first-party type nor an installed store: most likely a typo.
    const extra = stores.filter((s) => !(DBT_CONFIG_TYPES as readonly string[]).includes(s));
    throw new Error(
      `sourceConfig.config.dbtConfigSource.dbtConfigType: "${type}" is not one of: ${[...DBT_CONFIG_TYPES, ...extra].join(', ')} (another type needs the object-store plugin that provides objectStore:${type})`,
    );
  }
  // dbt's `dbtSecurityConfig` is shaped differently from a datalake configSource: @om/dbt
  // validates it itself and builds the store config, so the store plugin is only loaded.
  return [{ capability: `objectStore:${type}`, at: STORE_REQUIREMENT_POINTER, reason: `dbtConfigSource ${type}`, validate: false }];
}
