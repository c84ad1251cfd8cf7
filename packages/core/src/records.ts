/**
 * Create requests and records mirroring OpenMetadata's REST API
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

/**
 * A slice of consecutive rows as one array per column (`columns[name][i]` is row i's value).
 * Values follow the row conventions: numbers, strings, booleans, epoch ms for dates and
 * timestamps, nested objects/arrays, and null or undefined for a missing value. Every column
 * array has at least `length` entries. Consumers must not keep a batch after asking for the
 * next one (producers may reuse the arrays).
 */
export interface ColumnBatch {
  length: number;
  columns: Record<string, ArrayLike<unknown>>;
}

/**
 * One column's values for consecutive rows `[rowStart, rowStart + length)` of a pass (row numbers
 * count the rows of the pass, after sampling). Same value conventions as `ColumnBatch`, except that
 * a numeric column may come as a Float64Array in which NaN is a missing value (as pandas reads it);
 * `values` has at least `length` entries, or is undefined when the source has no such column (every
 * row missing). Consumers must not keep a chunk after asking for the next one.
 */
export interface ColumnChunk {
  column: string;
  rowStart: number;
  length: number;
  values: ArrayLike<unknown> | undefined;
}

export { rowsOfBatches, batchesOfRows, chunksOfBatches } from './batches';

/**
 * One part of a split pass: a payload for the part decoder (structured-cloneable), and the
 * ArrayBuffers in it that may be moved to the worker instead of copied.
 */
export interface TablePart {
  payload: unknown;
  transfer?: ArrayBuffer[];
  /** Bytes of the file this part covers (progress and flow control). */
  bytes: number;
  /**
   * Parts of one lane go to the same worker (lane mod workers), in order: a columnar file split by
   * columns keeps each column on one worker. Without lanes, parts go round-robin.
   */
  lane?: number;
  /**
   * Rows this part adds to the pass, when parts split by columns (then the parts of one block
   * cover the same rows, and exactly one of them counts them). Without it, the decoded rows count.
   */
  rows?: number;
}

/** What a consumer tells `TableDataRequest.parts` about its reading. */
export interface TablePartsOptions {
  /** Workers that will decode the parts: a columnar file may split its columns into this many lanes. */
  lanes?: number;
  /** The columns that will be asked for (others need not be read); default all. */
  columns?: string[];
}

/**
 * A whole, unsampled pass split into parts that decode independently, so a consumer can spread
 * them over worker threads. The parts, decoded in order and concatenated, are the same rows as
 * `batches()`. A worker thread loads `decoderModule` (an absolute path to a CommonJS module whose
 * `openPartDecoder(decoderOptions)` returns a `PartDecoder`) and decodes the parts it is given.
 */
export interface TablePartsPass {
  decoderModule: string;
  /** Structured-cloneable (sent to each worker once). */
  decoderOptions: unknown;
  parts: AsyncIterable<TablePart>;
  /** Stops reading (the consumer ends early or fails). */
  close(): Promise<void>;
}

/** Decodes parts in a worker thread (see `TablePartsPass`). */
export interface PartDecoder {
  /**
   * The part's rows one column chunk at a time, for the requested columns (rowStart relative to
   * the part), with the same ordering rules as `TableDataRequest.columnChunks`.
   */
  columnChunks(payload: unknown, columns: string[]): AsyncIterable<ColumnChunk> | Iterable<ColumnChunk>;
}

/** One table to profile or test: its identity and a way to read its rows (a fresh pass per call). */
export interface TableDataRequest {
  /** Table FQN `service.database.schema."key"`. */
  fqn: string;
  name: string;
  columns: Column[];
  fileFormat?: FileFormat;
  sizeInByte?: number;
  /** Reads the rows (already sampled as configured); each call starts a new pass. */
  rows: (signal?: AbortSignal) => AsyncIterable<Record<string, unknown>>;
  /**
   * The same pass as column batches (same rows, same sample, same order). When present,
   * consumers should prefer it: no object per row and one async step per batch, not per row.
   * `rows()` stays the simple path (`rowsOfBatches` gives rows from batches).
   */
  batches?: (signal?: AbortSignal) => AsyncIterable<ColumnBatch>;
  /**
   * The same pass (same rows, same sample, same order) one column at a time, for consumers whose
   * work is per column (profiles): producers may decode a single column chunk at a time, so memory
   * is one column of one block (e.g. a Parquet row group), not all its columns. For each block of
   * rows the chunks of the requested `columns` come in the order asked, each block after the
   * previous one, and every requested column covers every row of the pass (an unknown column comes
   * with `values` undefined). A column's chunks are in row order with no gap or overlap; chunks of
   * different columns need not line up. Row-level consumers (custom SQL tests, `rowsOfBatches`)
   * must keep using `batches`/`rows`: there is never a partial `ColumnBatch`. With no columns
   * asked, it yields nothing (count rows through `batches`).
   */
  columnChunks?: (columns: string[], signal?: AbortSignal) => AsyncIterable<ColumnChunk>;
  /**
   * The unsampled pass split into independently decodable parts (record-aligned CSV byte ranges,
   * Parquet row groups), for parallel consumers. Resolves undefined when this file cannot be split
   * (then read it through the other methods). Absent when the pass is sampled.
   */
  parts?: (signal?: AbortSignal, options?: TablePartsOptions) => Promise<TablePartsPass | undefined>;
  /** Metrics the storage format answers for free (e.g. Parquet footer statistics), by column. */
  knownColumnStats?: Record<string, Partial<ColumnProfile>>;
  /** Row count when the format stores it (Parquet footer). */
  knownRowCount?: number;
  sampling?: { profileSample?: number; profileSampleType?: 'PERCENTAGE' | 'ROWS'; seed?: number };
}

/** One record flowing from a source through processors to a sink. */
export type OmRecord =
  | { kind: 'databaseService'; entity: CreateDatabaseServiceRequest }
  | { kind: 'database'; entity: CreateDatabaseRequest }
  | { kind: 'databaseSchema'; entity: CreateDatabaseSchemaRequest }
  | { kind: 'table'; entity: CreateTableRequest }
  /** Soft (or hard) delete of one entity by FQN. */
  | { kind: 'delete'; entityType: EntityType; fqn: string; hardDelete?: boolean; recursive?: boolean }
  /**
   * End of one schema's tables. `complete` is false when listing failed part-way, in which case
   * nothing may be marked deleted for it. Sinks that keep state (mark-deleted) act on it.
   */
  | { kind: 'schemaDone'; databaseSchema: string; complete: boolean; markDeletedTables: boolean }
  /** A table whose data a processor (orm-profiler) should profile. */
  | { kind: 'profileRequest'; table: TableDataRequest }
  /** The profile of one table (sinks: `PUT /tables/{id}/tableProfile`). */
  | {
      kind: 'tableProfile';
      tableFqn: string;
      profile: CreateTableProfileRequest;
      /** `column.metric` entries computed from sketches (see @om/profiler's error bounds). */
      approximateMetrics?: string[];
      /** Facts the API's TableProfile has no field for. */
      columnNames?: string[];
      columnTypes?: Record<string, string>;
    }
  /** A table to run data-quality test cases on (orm-test-runner). */
  | { kind: 'testSuiteRequest'; table: TableDataRequest }
  /** Test case results for one table (sinks: get-or-create suite and cases, then post results). */
  | { kind: 'testCaseResults'; tableFqn: string; results: { testCase: CreateTestCaseRequest; result: TestCaseResult }[] }
  /** Records contributed by other packages (lineage, dbt data models...). */
  | { kind: `x-${string}`; [key: string]: unknown };

export type RecordKind = OmRecord['kind'];

/** A short, human name for a record, used in status lines and failure tables. */
export function recordName(record: OmRecord): string {
  switch (record.kind) {
    case 'databaseService':
    case 'database':
    case 'databaseSchema':
      return record.entity.name;
    case 'table':
      return `${record.entity.databaseSchema}.${record.entity.name}`;
    case 'delete':
      return record.fqn;
    case 'schemaDone':
      return record.databaseSchema;
    case 'profileRequest':
    case 'testSuiteRequest':
      return record.table.fqn;
    case 'tableProfile':
    case 'testCaseResults':
      return record.tableFqn;
    default:
      return typeof (record as { name?: unknown }).name === 'string'
        ? String((record as { name?: unknown }).name)
        : record.kind;
  }
}
