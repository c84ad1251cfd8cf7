/**
 * The parts of OpenMetadata's JSON schemas (openmetadata-spec, 1.x) that the test server enforces.
 * Kept independent of @om/core on purpose: the server must catch mistakes in our own type lists.
 */

/** `entity/data/table.json#/definitions/dataType`. */
export const DATA_TYPES = new Set([
  'NUMBER', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'BYTEINT', 'BYTES', 'FLOAT', 'DOUBLE', 'DECIMAL',
  'NUMERIC', 'TIMESTAMP', 'TIMESTAMPZ', 'TIME', 'DATE', 'DATETIME', 'INTERVAL', 'STRING', 'MEDIUMTEXT',
  'TEXT', 'CHAR', 'LONG', 'VARCHAR', 'BOOLEAN', 'BINARY', 'VARBINARY', 'ARRAY', 'BLOB', 'LONGBLOB',
  'MEDIUMBLOB', 'MAP', 'STRUCT', 'UNION', 'SET', 'GEOGRAPHY', 'ENUM', 'JSON', 'UUID', 'VARIANT',
  'GEOMETRY', 'BYTEA', 'AGGREGATEFUNCTION', 'ERROR', 'FIXED', 'RECORD', 'NULL', 'SUPER', 'HLLSKETCH',
  'PG_LSN', 'PG_SNAPSHOT', 'TSQUERY', 'TXID_SNAPSHOT', 'XML', 'MACADDR', 'TSVECTOR', 'UNKNOWN', 'CIDR',
  'INET', 'CLOB', 'ROWID', 'LOWCARDINALITY', 'YEAR', 'POINT', 'POLYGON', 'TUPLE', 'SPATIAL', 'TABLE',
  'NTEXT', 'IMAGE', 'IPV4', 'IPV6', 'DATETIMERANGE', 'HLL', 'LARGEINT', 'QUANTILE_STATE', 'AGG_STATE',
  'BITMAP', 'UINT',
]);

/** Data types the server refuses without `dataLength`. */
export const NEEDS_DATA_LENGTH = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

export const TABLE_TYPES = new Set([
  'Regular', 'External', 'Dynamic', 'View', 'SecureView', 'MaterializedView', 'Iceberg', 'Local',
  'Partitioned', 'Foreign', 'Transient', 'Stream',
]);

export const FILE_FORMATS = new Set([
  'csv', 'csv.gz', 'tsv', 'avro', 'parquet', 'pq', 'pqt', 'parq', 'parquet.snappy', 'json', 'json.gz',
  'json.zip', 'jsonl', 'jsonl.gz', 'jsonl.zip',
]);

export const COLUMN_CONSTRAINTS = new Set(['NULL', 'NOT_NULL', 'UNIQUE', 'PRIMARY_KEY']);
export const TABLE_CONSTRAINT_TYPES = new Set(['UNIQUE', 'PRIMARY_KEY', 'FOREIGN_KEY', 'SORT_KEY', 'DIST_KEY']);
export const RELATIONSHIP_TYPES = new Set(['ONE_TO_ONE', 'ONE_TO_MANY', 'MANY_TO_ONE', 'MANY_TO_MANY']);
export const PARTITION_INTERVAL_TYPES = new Set([
  'TIME-UNIT', 'INTEGER-RANGE', 'INGESTION-TIME', 'COLUMN-VALUE', 'INJECTED', 'ENUM', 'OTHER',
]);

/** `entity/services/databaseService.json#/definitions/databaseServiceType` (subset of a 1.x release). */
export const DATABASE_SERVICE_TYPES = new Set([
  'BigQuery', 'BigTable', 'Mysql', 'Redshift', 'Snowflake', 'Postgres', 'Mssql', 'Oracle', 'Athena', 'Hive',
  'Impala', 'Presto', 'Trino', 'Vertica', 'Glue', 'MariaDB', 'Druid', 'Db2', 'Clickhouse', 'Databricks',
  'AzureSQL', 'DynamoDB', 'SingleStore', 'SQLite', 'DeltaLake', 'Salesforce', 'PinotDB', 'Datalake',
  'DomoDatabase', 'QueryLog', 'CustomDatabase', 'Dbt', 'SapHana', 'MongoDB', 'Couchbase', 'Greenplum',
  'Doris', 'UnityCatalog', 'SAS', 'Iceberg', 'Teradata', 'SapErp', 'Synapse', 'Exasol', 'Cockroach',
]);

export const TAG_SOURCES = new Set(['Classification', 'Glossary']);
export const TAG_LABEL_TYPES = new Set(['Manual', 'Propagated', 'Automated', 'Derived']);
export const TAG_STATES = new Set(['Suggested', 'Confirmed']);

/** Tags seeded like a fresh server (classification.tag). */
export const DEFAULT_TAGS = [
  'PII.Sensitive', 'PII.NonSensitive', 'PII.None', 'PersonalData.Personal', 'PersonalData.SpecialCategory',
  'Tier.Tier1', 'Tier.Tier2', 'Tier.Tier3', 'Tier.Tier4', 'Tier.Tier5',
];

const COMMON = ['name', 'displayName', 'description', 'tags', 'owner', 'owners', 'domain', 'domains', 'dataProducts', 'extension', 'sourceHash', 'lifeCycle', 'sourceUrl', 'retentionPeriod', 'reviewers', 'certification'];

/** Fields each create request may carry; anything else is `Unrecognized field` (Jackson's strictness). */
export const CREATE_FIELDS: Record<string, Set<string>> = {
  databaseService: new Set([...COMMON, 'serviceType', 'connection', 'ingestionRunner']),
  database: new Set([...COMMON, 'service', 'default']),
  databaseSchema: new Set([...COMMON, 'database']),
  table: new Set([
    ...COMMON, 'tableType', 'columns', 'tableConstraints', 'tablePartition', 'tableProfilerConfig', 'databaseSchema',
    'viewDefinition', 'schemaDefinition', 'fileFormat', 'locationPath', 'dataModel', 'processedLineage',
  ]),
};

export const COLUMN_FIELDS = new Set([
  'name', 'displayName', 'dataType', 'arrayDataType', 'dataLength', 'precision', 'scale', 'dataTypeDisplay',
  'description', 'fullyQualifiedName', 'tags', 'constraint', 'ordinalPosition', 'jsonSchema', 'children',
  'customMetrics', 'profile', 'extension',
]);

/** Default OpenMetadata test definitions the server is seeded with (name → entityType). */
export const DEFAULT_TEST_DEFINITIONS: Record<string, 'TABLE' | 'COLUMN'> = {
  tableRowCountToBeBetween: 'TABLE', tableRowCountToEqual: 'TABLE', tableColumnCountToBeBetween: 'TABLE',
  tableColumnCountToEqual: 'TABLE', tableColumnNameToExist: 'TABLE', tableColumnToMatchSet: 'TABLE',
  tableCustomSQLQuery: 'TABLE', tableRowInsertedCountToBeBetween: 'TABLE',
  columnValuesToBeNotNull: 'COLUMN', columnValuesToBeUnique: 'COLUMN', columnValuesToBeBetween: 'COLUMN',
  columnValuesToBeInSet: 'COLUMN', columnValuesToBeNotInSet: 'COLUMN', columnValuesToMatchRegex: 'COLUMN',
  columnValuesToNotMatchRegex: 'COLUMN', columnValueLengthsToBeBetween: 'COLUMN', columnValuesMissingCount: 'COLUMN',
  columnValuesSumToBeBetween: 'COLUMN', columnValueMaxToBeBetween: 'COLUMN', columnValueMinToBeBetween: 'COLUMN',
  columnValueMeanToBeBetween: 'COLUMN', columnValueMedianToBeBetween: 'COLUMN', columnValueStdDevToBeBetween: 'COLUMN',
};

export const TEST_CASE_STATUSES = new Set(['Success', 'Failed', 'Aborted', 'Queued']);
export const PROFILE_SAMPLE_TYPES = new Set(['PERCENTAGE', 'ROWS']);
