import type { FileFormat } from '@om/core';

export type ReaderKind = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet' | 'avro';
export type Compression = 'none' | 'gzip' | 'zip';

export interface FormatInfo {
  /** The `fileFormat` value of the table. */
  fileFormat: FileFormat;
  reader: ReaderKind;
  compression: Compression;
}

/**
 * Supported suffixes, longest first so `json.gz` wins over `gz`-less forms. Matching is on the key's
 * lower-cased end after a `.` (so `data.csv` matches but `data_csv` does not: OpenMetadata's plain
 * `endswith` without the dot also accepted `foo_csv`, which is never a CSV file by intent).
 */
const FORMATS: [string, FormatInfo][] = [
  ['parquet.snappy', { fileFormat: 'parquet.snappy', reader: 'parquet', compression: 'none' }],
  ['jsonl.gz', { fileFormat: 'jsonl.gz', reader: 'jsonl', compression: 'gzip' }],
  ['jsonl.zip', { fileFormat: 'jsonl.zip', reader: 'jsonl', compression: 'zip' }],
  ['json.gz', { fileFormat: 'json.gz', reader: 'json', compression: 'gzip' }],
  ['json.zip', { fileFormat: 'json.zip', reader: 'json', compression: 'zip' }],
  ['csv.gz', { fileFormat: 'csv.gz', reader: 'csv', compression: 'gzip' }],
  ['parquet', { fileFormat: 'parquet', reader: 'parquet', compression: 'none' }],
  ['jsonl', { fileFormat: 'jsonl', reader: 'jsonl', compression: 'none' }],
  ['json', { fileFormat: 'json', reader: 'json', compression: 'none' }],
  ['avro', { fileFormat: 'avro', reader: 'avro', compression: 'none' }],
  ['parq', { fileFormat: 'parq', reader: 'parquet', compression: 'none' }],
  ['csv', { fileFormat: 'csv', reader: 'csv', compression: 'none' }],
  ['tsv', { fileFormat: 'tsv', reader: 'tsv', compression: 'none' }],
  ['pqt', { fileFormat: 'pqt', reader: 'parquet', compression: 'none' }],
  ['pq', { fileFormat: 'pq', reader: 'parquet', compression: 'none' }],
];

/** The format of a key by its extension (case-insensitive), or undefined for unsupported files. */
export function formatOf(key: string): FormatInfo | undefined {
  if (key.endsWith('/')) return undefined;
  const base = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  for (const [suffix, info] of FORMATS) {
    if (base.length > suffix.length && base.endsWith(`.${suffix}`)) return info;
  }
  return undefined;
}

/**
 * Hidden and marker objects that writers (Spark, Hadoop, Hive, editors) leave next to data:
 * a segment starting with `.` (or `_temporary`), `_SUCCESS`, `_committed_*`/`_started_*`, `*.crc`,
 * `_metadata`/`_common_metadata` summary files, and `$folder$` markers.
 */
export function isHiddenOrMarker(key: string): boolean {
  const segments = key.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s.startsWith('.') || s === '_temporary' || s.startsWith('_temporary_'))) return true;
  const base = segments[segments.length - 1] ?? '';
  if (/^_(SUCCESS|FAILURE|committed_.*|started_.*|metadata|common_metadata)$/.test(base)) return true;
  if (/\.crc$/i.test(base) || base.endsWith('$folder$')) return true;
  return false;
}
