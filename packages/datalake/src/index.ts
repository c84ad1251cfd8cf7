// Public types use Node's (streams, env); @types/node is a dependency, so say so in the .d.ts.
/// <reference types="node" preserve="true" />
export { plugin } from './plugin';
export * from './object-store';
export { checkedReads, READ_RESUMES, DEFAULT_BODY_IDLE_MS, type CheckedReadOptions } from './checked-reads';
export * from './config';
export * from './formats/registry';
export { LocalObjectStore, localConfigSchema, localObjectStoreFactory, type LocalStoreOptions } from './local-store';
export { DatalakeSource, datalakeSourceFactory, normalizePrefix, keyFromTableName, FILTER_REASONS, DEFAULT_DATABASE, type SourceMode } from './source';
/** Moved to @om/core; re-exported for existing imports. */
export { runOrdered } from '@om/core';
export { listTables, type ListedTable, type ListingOptions } from './listing';
export { tableNameFor, hivePartitionOf, PartitionGroup } from './discovery';
export { readFileSchema, type FileSchema } from './formats/schema';
export { FileReadError, EmptyFileError } from './io/errors';
export { readParquetFooter, parquetColumns, mapPrimitive as mapParquetPrimitive, type ParquetFooter, type ParquetSchemaNode, type ParquetSchemaElement } from './formats/parquet/schema';
export { readAvroHeader, avroSchemaColumns, decodeAvroHeader } from './formats/avro/schema';
export { readTextSample, firstZipEntry, type TextSample, type SampleCaps } from './io/sample';
export { parseDelimited, inferDelimited, headerNames } from './formats/delimited/infer';
export { inferJsonText, inferJsonLines, inferJsonRows, jsonSchemaColumns } from './formats/json/infer';
export { joinScalar, textCellType, temporalType, isNullToken, type ScalarType } from './inference/scalars';
export { TypeNode, CutReport, columnName, nodeToColumn, capColumns, type ColumnLimits } from './inference/tree';
export { JsonCursor, JsonFloat, parseJsonDocument, parseJsonValue, type JsonValue } from './inference/json-parse';
export {
  readRows,
  tableDataRequest,
  DelimitedStreamParser,
  delimitedRows,
  JsonValueSplitter,
  jsonRows,
  jsonLinesRows,
  openParquetTable,
  footerColumnStats,
  avroRows,
  sampleRows,
  seededRandom,
  samplingActive,
  openTextStream,
  openByteStream,
  DEFAULT_SAMPLE_SEED,
  EPOCH_MS_PARSERS,
  type FileLocation,
  type TableRequestOptions,
  type ParquetTable,
  type SamplingOptions,
  type ProfileSampleType,
} from './formats/table-data';
