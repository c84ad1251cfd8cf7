/**
 * Create requests and entity shapes mirroring OpenMetadata's REST API
 * (openmetadata-spec `api/services/createDatabaseService.json`, `api/data/createTable.json`, ...).
 * Field names are the API's, so a record can be sent to the server unchanged.
 */

/** `table.json#/definitions/dataType`. */
export const DATA_TYPES = [
  'NUMBER', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'BYTEINT', 'BYTES', 'FLOAT', 'DOUBLE', 'DECIMAL',
  'NUMERIC', 'TIMESTAMP', 'TIMESTAMPZ', 'TIME', 'DATE', 'DATETIME', 'INTERVAL', 'STRING', 'MEDIUMTEXT',
  'TEXT', 'CHAR', 'LONG', 'VARCHAR', 'BOOLEAN', 'BINARY', 'VARBINARY', 'ARRAY', 'BLOB', 'LONGBLOB',
  'MEDIUMBLOB', 'MAP', 'STRUCT', 'UNION', 'SET', 'GEOGRAPHY', 'ENUM', 'JSON', 'UUID', 'VARIANT',
  'GEOMETRY', 'BYTEA', 'AGGREGATEFUNCTION', 'ERROR', 'FIXED', 'RECORD', 'NULL', 'SUPER', 'HLLSKETCH',
  'PG_LSN', 'PG_SNAPSHOT', 'TSQUERY', 'TXID_SNAPSHOT', 'XML', 'MACADDR', 'TSVECTOR', 'UNKNOWN', 'CIDR',
  'INET', 'CLOB', 'ROWID', 'LOWCARDINALITY', 'YEAR', 'POINT', 'POLYGON', 'TUPLE', 'SPATIAL', 'TABLE',
  'NTEXT', 'IMAGE', 'IPV4', 'IPV6', 'DATETIMERANGE', 'HLL', 'LARGEINT', 'QUANTILE_STATE', 'AGG_STATE',
  'BITMAP', 'UINT',
] as const;
export type DataType = (typeof DATA_TYPES)[number];

/** `table.json#/definitions/fileFormat`. */
export const FILE_FORMATS = [
  'csv', 'csv.gz', 'tsv', 'avro', 'parquet', 'pq', 'pqt', 'parq', 'parquet.snappy', 'json', 'json.gz',
  'json.zip', 'jsonl', 'jsonl.gz', 'jsonl.zip',
] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const TABLE_TYPES = [
  'Regular', 'External', 'Dynamic', 'View', 'SecureView', 'MaterializedView', 'Iceberg', 'Local',
  'Partitioned', 'Foreign', 'Transient', 'Stream',
] as const;
export type TableType = (typeof TABLE_TYPES)[number];

export const COLUMN_CONSTRAINTS = ['NULL', 'NOT_NULL', 'UNIQUE', 'PRIMARY_KEY'] as const;
export type ColumnConstraint = (typeof COLUMN_CONSTRAINTS)[number];

export const TABLE_CONSTRAINT_TYPES = ['UNIQUE', 'PRIMARY_KEY', 'FOREIGN_KEY', 'SORT_KEY', 'DIST_KEY'] as const;
export type TableConstraintType = (typeof TABLE_CONSTRAINT_TYPES)[number];

export const DATABASE_SERVICE_TYPES = ['Datalake', 'DynamoDB', 'CustomDatabase'] as const;
export type DatabaseServiceType = (typeof DATABASE_SERVICE_TYPES)[number] | (string & {});

export interface TagLabel {
  tagFQN: string;
  source?: 'Classification' | 'Glossary';
  labelType?: 'Manual' | 'Propagated' | 'Automated' | 'Derived';
  state?: 'Suggested' | 'Confirmed';
}

export interface Column {
  name: string;
  displayName?: string;
  dataType: DataType;
  arrayDataType?: DataType;
  dataLength?: number;
  precision?: number;
  scale?: number;
  dataTypeDisplay?: string;
  description?: string;
  constraint?: ColumnConstraint;
  ordinalPosition?: number;
  jsonSchema?: string;
  tags?: TagLabel[];
  children?: Column[];
}

export interface TableConstraint {
  constraintType: TableConstraintType;
  columns: string[];
  referredColumns?: string[];
}

export interface TablePartition {
  columns?: { columnName: string; intervalType?: string; interval?: string }[];
}

export interface CustomProperty {
  name: string;
  value: string;
}

export interface CreateDatabaseServiceRequest {
  name: string;
  displayName?: string;
  description?: string;
  serviceType: DatabaseServiceType;
  /** `{config: <XConnection>}`; secret fields are masked in every output except the REST sink. */
  connection?: { config: Record<string, unknown> };
  tags?: TagLabel[];
}

export interface CreateDatabaseRequest {
  name: string;
  displayName?: string;
  description?: string;
  /** Service FQN (= the service name). */
  service: string;
  default?: boolean;
  sourceUrl?: string;
  tags?: TagLabel[];
}

export interface CreateDatabaseSchemaRequest {
  name: string;
  displayName?: string;
  description?: string;
  /** Database FQN `service.database`. */
  database: string;
  sourceUrl?: string;
  tags?: TagLabel[];
}

export interface CreateTableRequest {
  name: string;
  displayName?: string;
  description?: string;
  tableType?: TableType;
  columns: Column[];
  tableConstraints?: TableConstraint[] | null;
  tablePartition?: TablePartition;
  /** Schema FQN `service.database.schema`. */
  databaseSchema: string;
  fileFormat?: FileFormat;
  sourceUrl?: string;
  locationPath?: string;
  tags?: TagLabel[];
  /** Facts the API has no field for (for example DynamoDB billing mode), kept by file/console sinks. */
  extension?: Record<string, unknown>;
}

export type EntityType = 'databaseService' | 'database' | 'databaseSchema' | 'table';

/** `table.json#/definitions/tableProfile` (timestamps are epoch milliseconds). */
export interface TableProfile {
  timestamp: number;
  profileSample?: number;
  profileSampleType?: 'PERCENTAGE' | 'ROWS';
  columnCount?: number;
  rowCount?: number;
  sizeInByte?: number;
  createDateTime?: string;
  customMetrics?: { name: string; value: number }[];
}

export interface Histogram {
  boundaries: string[];
  frequencies: number[];
}

/** `table.json#/definitions/columnProfile`. */
export interface ColumnProfile {
  name: string;
  timestamp: number;
  valuesCount?: number;
  valuesPercentage?: number;
  validCount?: number;
  duplicateCount?: number;
  nullCount?: number;
  nullProportion?: number;
  missingPercentage?: number;
  missingCount?: number;
  uniqueCount?: number;
  uniqueProportion?: number;
  distinctCount?: number;
  distinctProportion?: number;
  min?: number | string;
  max?: number | string;
  minLength?: number;
  maxLength?: number;
  mean?: number;
  sum?: number;
  stddev?: number;
  variance?: number;
  median?: number;
  firstQuartile?: number;
  thirdQuartile?: number;
  interQuartileRange?: number;
  nonParametricSkew?: number;
  histogram?: Histogram;
  customMetrics?: { name: string; value: number }[];
}

/** Body of `PUT /tables/{id}/tableProfile` (`CreateTableProfileRequest`). */
export interface CreateTableProfileRequest {
  tableProfile: TableProfile;
  columnProfile?: ColumnProfile[];
}

export interface TestCaseParameterValue {
  name: string;
  /** Always a string, as OpenMetadata writes it (lists in Python-literal form: `"['a', 'b']"`). */
  value: string;
}

/** `CreateTestCaseRequest`. */
export interface CreateTestCaseRequest {
  name: string;
  displayName?: string;
  description?: string;
  /** `<#E::table::<tableFQN>>` or `<#E::table::<tableFQN>::columns::<column>>`. */
  entityLink: string;
  testDefinition: string;
  testSuite?: string;
  parameterValues?: TestCaseParameterValue[];
  computePassedFailedRowCount?: boolean;
}

export type TestCaseStatus = 'Success' | 'Failed' | 'Aborted' | 'Queued';

/** `tests/basic.json#/definitions/testCaseResult`. */
export interface TestCaseResult {
  timestamp: number;
  testCaseStatus: TestCaseStatus;
  result?: string;
  testResultValue?: { name: string; value: string }[];
  passedRows?: number;
  failedRows?: number;
  passedRowsPercentage?: number;
  failedRowsPercentage?: number;
}

/** `api/classification/createClassification.json`. */
export interface CreateClassificationRequest {
  name: string;
  description: string;
}

/** `api/classification/createTag.json`. */
export interface CreateTagRequest {
  name: string;
  /** Classification name. */
  classification: string;
  description: string;
}

/** `entity/data/table.json#/definitions/dataModel` (the dbt model behind a table). */
export interface DataModel {
  modelType: 'DBT' | (string & {});
  resourceType?: string;
  description?: string;
  path?: string;
  rawSql?: string;
  sql: string;
  upstream?: string[];
  tags?: TagLabel[];
  columns?: Column[];
  generatedAt?: string;
}

/** One JSON Patch (RFC 6902) operation. */
export interface JsonPatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** `type/entityLineage.json#/definitions/edge` as `api/lineage/addLineage.json` sends it. */
export interface LineageEdge {
  fromEntity: { id: string; type: string };
  toEntity: { id: string; type: string };
  lineageDetails?: { sqlQuery?: string; source?: string; columnsLineage?: { fromColumns: string[]; toColumn: string }[] };
}

/** `api/tests/createTestDefinition.json`. */
export interface CreateTestDefinitionRequest {
  name: string;
  displayName?: string;
  description: string;
  entityType: 'TABLE' | 'COLUMN';
  testPlatforms: string[];
  parameterDefinition?: { name: string }[];
}
