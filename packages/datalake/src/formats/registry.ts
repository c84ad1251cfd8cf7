/**
 * The formats the Datalake source reads: one handler per format, chosen by the file's suffix.
 * Adding a format is a folder next to these and one line in `FORMAT_HANDLERS`.
 */
import { avroFormat } from './avro';
import { csvFormat, tsvFormat } from './delimited';
import type { FormatHandler, FormatInfo } from './handler';
import { jsonFormatHandler, jsonLinesFormat } from './json';
import { parquetFormat } from './parquet';

export type { Compression, FileLocation, FormatHandler, FormatInfo, FormatSuffix, ReaderKind, SchemaRead } from './handler';

export const FORMAT_HANDLERS: Readonly<Record<string, FormatHandler>> = {
  csv: csvFormat,
  tsv: tsvFormat,
  json: jsonFormatHandler,
  jsonl: jsonLinesFormat,
  parquet: parquetFormat,
  avro: avroFormat,
};

/**
 * Every handler's suffixes, longest first so `json.gz` wins over `gz`-less forms. Matching is on the
 * key's lower-cased end after a `.` (so `data.csv` matches but `data_csv` does not: OpenMetadata's
 * plain `endswith` without the dot also accepted `foo_csv`, which is never a CSV file by intent).
 */
const SUFFIXES: [string, FormatInfo][] = Object.entries(FORMAT_HANDLERS)
  .flatMap(([reader, handler]) => handler.suffixes.map((s): [string, FormatInfo] => [s.suffix, { fileFormat: s.fileFormat, reader, compression: s.compression }]))
  .sort((a, b) => b[0].length - a[0].length);

/** The format of a key by its extension (case-insensitive), or undefined for unsupported files. */
export function formatOf(key: string): FormatInfo | undefined {
  if (key.endsWith('/')) return undefined;
  const base = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  for (const [suffix, info] of SUFFIXES) {
    if (base.length > suffix.length && base.endsWith(`.${suffix}`)) return info;
  }
  return undefined;
}

/** The handler of a format (a FormatInfo always names a registered one). */
export function handlerOf(format: FormatInfo): FormatHandler {
  const handler = FORMAT_HANDLERS[format.reader];
  if (!handler) throw new Error(`no format handler "${format.reader}" (known: ${Object.keys(FORMAT_HANDLERS).join(', ')})`);
  return handler;
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
