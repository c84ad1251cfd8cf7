/**
 * Parquet schema from the footer, through at most two range reads: the last 64 KiB first (which
 * holds the whole footer of most files), then the rest of the footer if it is longer. The footer is
 * decoded by hyparquet, which keeps every logical type (see the README for why not parquetjs-lite).
 */
import type { Column } from '@om/core';
import type { ObjectStore } from '../../object-store';
import { mappedColumn, type MappedType } from '../../inference/tree';
import { FileReadError } from '../../io/errors';
import { hyparquet } from '../../io/hyparquet';

export const PARQUET_TAIL_FETCH = 64 * 1024;
/** A footer larger than this is refused rather than loaded into memory. */
export const PARQUET_MAX_FOOTER = 64 * 1024 * 1024;

/** The fields of a Parquet SchemaElement that the mapping reads (as hyparquet returns them). */
export interface ParquetSchemaElement {
  type?: string;
  type_length?: number;
  repetition_type?: string;
  name: string;
  num_children?: number;
  converted_type?: string;
  scale?: number;
  precision?: number;
  logical_type?: { type: string; [key: string]: unknown };
}

export interface ParquetSchemaNode {
  element: ParquetSchemaElement;
  children: ParquetSchemaNode[];
}

export interface ParquetFooter {
  numRows: number;
  root: ParquetSchemaNode;
  createdBy?: string;
  /** hyparquet's decoded FileMetaData (row groups, column chunks, statistics). */
  metadata?: unknown;
}

/** Reads and decodes the footer of `bucket/key` (of known `size`). */
export async function readParquetFooter(
  store: ObjectStore,
  bucket: string,
  key: string,
  size: number,
  options: { parsers?: Record<string, unknown> } = {},
): Promise<ParquetFooter> {
  if (size < 12) throw new FileReadError(`not a Parquet file: only ${size} bytes`);
  const tailStart = Math.max(0, size - PARQUET_TAIL_FETCH);
  let tail = await store.readRange(bucket, key, tailStart, size);
  if (tail.length !== size - tailStart) throw new FileReadError(`short read of the Parquet footer (${tail.length} of ${size - tailStart} bytes)`);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const magic = String.fromCharCode(...tail.subarray(tail.length - 4));
  if (magic === 'PARE') throw new FileReadError('encrypted Parquet footers are not supported');
  if (magic !== 'PAR1') throw new FileReadError('not a Parquet file (no PAR1 magic at the end)');
  const footerLength = view.getUint32(tail.length - 8, true);
  if (footerLength + 8 > size - 4) throw new FileReadError(`corrupt Parquet footer: length ${footerLength} exceeds the file size ${size}`);
  if (footerLength > PARQUET_MAX_FOOTER) throw new FileReadError(`Parquet footer of ${footerLength} bytes is larger than the ${PARQUET_MAX_FOOTER}-byte limit`);
  const needed = footerLength + 8;
  if (needed > tail.length) {
    const start = size - needed;
    const head = await store.readRange(bucket, key, start, tailStart);
    if (head.length !== tailStart - start) throw new FileReadError('short read of the Parquet footer');
    const joined = new Uint8Array(needed);
    joined.set(head, 0);
    joined.set(tail, head.length);
    tail = joined;
  } else if (needed < tail.length) {
    tail = tail.subarray(tail.length - needed);
  }
  const hp = await hyparquet();
  let metadata;
  try {
    metadata = hp.parquetMetadata(tail, options.parsers ? { parsers: options.parsers as never } : undefined);
  } catch (err) {
    throw new FileReadError(`corrupt Parquet footer: ${(err as Error).message}`);
  }
  let tree: ParquetSchemaNode;
  try {
    tree = hp.parquetSchema(metadata) as unknown as ParquetSchemaNode;
    checkSchemaTree(tree);
  } catch (err) {
    throw new FileReadError(`corrupt Parquet footer: its schema cannot be read (${(err as Error).message})`);
  }
  return { numRows: Number(metadata.num_rows), root: tree, createdBy: metadata.created_by, metadata };
}

/** A footer that decodes can still hold a broken schema (a child count past the end, no names). */
function checkSchemaTree(node: ParquetSchemaNode | undefined, depth = 0): void {
  if (!node || !node.element || !Array.isArray(node.children)) throw new Error('a schema element is missing');
  if (depth > 0 && typeof node.element.name !== 'string') throw new Error('a schema element has no name');
  for (const child of node.children) checkSchemaTree(child, depth + 1);
}

export async function readParquetColumns(store: ObjectStore, bucket: string, key: string, size: number): Promise<Column[]> {
  const footer = await readParquetFooter(store, bucket, key, size);
  try {
    return parquetColumns(footer.root);
  } catch (err) {
    throw new FileReadError(`corrupt Parquet footer: its schema cannot be mapped to columns (${(err as Error).message})`);
  }
}

/** OpenMetadata columns from the schema tree (root excluded). */
export function parquetColumns(root: ParquetSchemaNode): Column[] {
  return root.children.map((child) => {
    const col = mapField(child);
    if (child.element.repetition_type === 'REQUIRED') col.constraint = 'NOT_NULL';
    return col;
  });
}


function mapField(node: ParquetSchemaNode): Column {
  const m = node.element.repetition_type === 'REPEATED' ? legacyRepeated(node) : mapNode(node);
  return mappedColumn(node.element.name, m);
}

/** A `repeated` field outside a LIST annotation: a list of that field (legacy 2-level lists). */
function legacyRepeated(node: ParquetSchemaNode): MappedType {
  const inner = node.children.length > 0 ? mapStruct(node) : mapPrimitive(node.element);
  return arrayOf(inner);
}

function arrayOf(item: MappedType): MappedType {
  const m: MappedType = { dataType: 'ARRAY', display: `list<element: ${item.display}>`, arrayDataType: item.dataType };
  if (item.dataType === 'STRUCT' && item.children) m.children = item.children;
  return m;
}

function mapNode(node: ParquetSchemaNode): MappedType {
  const e = node.element;
  const logical = e.logical_type?.type;
  if (node.children.length === 0 && e.type) return mapPrimitive(e);
  if (logical === 'LIST' || e.converted_type === 'LIST') return mapList(node);
  if (logical === 'MAP' || e.converted_type === 'MAP' || e.converted_type === 'MAP_KEY_VALUE') return mapMap(node);
  return mapStruct(node);
}

function mapStruct(node: ParquetSchemaNode): MappedType {
  const children = node.children.map(mapField);
  const display = `struct<${children.map((c) => `${c.displayName ?? c.name}: ${c.dataTypeDisplay}`).join(', ')}>`;
  return { dataType: 'STRUCT', display, children };
}

/**
 * LIST per the Parquet backward-compatibility rules: the repeated child is the element when it is a
 * primitive, a group of several fields, or a group named `array` / `<list>_tuple`; otherwise
 * (standard 3-level form) its single child is the element.
 */
function mapList(node: ParquetSchemaNode): MappedType {
  const repeated = node.children[0];
  if (!repeated) return { dataType: 'ARRAY', display: 'list<null>', arrayDataType: 'UNKNOWN' };
  let item: MappedType;
  if (repeated.children.length === 0) item = mapPrimitive(repeated.element);
  else if (repeated.children.length > 1 || repeated.element.name === 'array' || repeated.element.name === `${node.element.name}_tuple`) {
    item = mapStruct(repeated);
  } else {
    const element = repeated.children[0];
    item = element.element.repetition_type === 'REPEATED' ? legacyRepeated(element) : mapNode(element);
  }
  return arrayOf(item);
}

function mapMap(node: ParquetSchemaNode): MappedType {
  const kv = node.children[0];
  const key = kv?.children[0];
  const value = kv?.children[1];
  const k = key ? mapNode(key) : undefined;
  const v = value ? mapNode(value) : undefined;
  return { dataType: 'MAP', display: `map<${k?.display ?? 'null'}, ${v?.display ?? 'null'}>` };
}

const UNIT: Record<string, string> = { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' };

/** Physical + logical (or legacy converted) type → OpenMetadata type and an Arrow-style display. */
export function mapPrimitive(e: ParquetSchemaElement): MappedType {
  const lt = e.logical_type;
  const ct = e.converted_type;
  const physical = e.type;
  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') {
    const precision = Number(lt?.precision ?? e.precision);
    const scale = Number(lt?.scale ?? e.scale ?? 0);
    return { dataType: 'DECIMAL', display: `${precision > 38 ? 'decimal256' : 'decimal128'}(${precision}, ${scale})`, precision, scale };
  }
  if (lt?.type === 'INTEGER' || /^U?INT_/.test(ct ?? '')) {
    const signed = lt?.type === 'INTEGER' ? Boolean(lt.isSigned) : !ct!.startsWith('U');
    const bits = lt?.type === 'INTEGER' ? Number(lt.bitWidth) : Number(ct!.split('_')[1]);
    return { dataType: signed ? 'INT' : 'UINT', display: `${signed ? 'int' : 'uint'}${bits}` };
  }
  if (lt?.type === 'DATE' || ct === 'DATE') return { dataType: 'DATE', display: 'date32[day]' };
  if (lt?.type === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') {
    const unit = String(lt?.unit ?? (ct === 'TIME_MILLIS' ? 'MILLIS' : 'MICROS'));
    return { dataType: 'TIME', display: `${unit === 'MILLIS' ? 'time32' : 'time64'}[${UNIT[unit] ?? unit}]` };
  }
  if (lt?.type === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') {
    const unit = String(lt?.unit ?? (ct === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS'));
    // Legacy converted types carry no UTC flag; the spec says they are UTC-adjusted.
    const utc = lt?.type === 'TIMESTAMP' ? Boolean(lt.isAdjustedToUTC) : true;
    return utc
      ? { dataType: 'TIMESTAMP', display: `timestamp[${UNIT[unit] ?? unit}, tz=UTC]` }
      : { dataType: 'DATETIME', display: `timestamp[${UNIT[unit] ?? unit}]` };
  }
  if (lt?.type === 'UUID') return { dataType: 'UUID', display: 'uuid' };
  if (lt?.type === 'JSON' || ct === 'JSON') return { dataType: 'JSON', display: 'json' };
  // OpenMetadata requires dataLength for BINARY; its Parquet parser sends -1 for variable-length binary.
  if (lt?.type === 'BSON' || ct === 'BSON') return { dataType: 'BINARY', display: 'bson', dataLength: -1 };
  if (lt?.type === 'ENUM' || ct === 'ENUM') return { dataType: 'ENUM', display: 'enum' };
  if (lt?.type === 'STRING' || ct === 'UTF8') return { dataType: 'STRING', display: 'string' };
  if (lt?.type === 'FLOAT16') return { dataType: 'FLOAT', display: 'halffloat' };
  if (lt?.type === 'INTERVAL' || ct === 'INTERVAL') return { dataType: 'INTERVAL', display: 'month_day_millis_interval' };
  if (lt?.type === 'GEOMETRY') return { dataType: 'GEOMETRY', display: 'geometry' };
  if (lt?.type === 'GEOGRAPHY') return { dataType: 'GEOGRAPHY', display: 'geography' };
  if (lt?.type === 'VARIANT') return { dataType: 'VARIANT', display: 'variant' };
  if (lt?.type === 'NULL') return { dataType: 'NULL', display: 'null' };
  switch (physical) {
    case 'BOOLEAN':
      return { dataType: 'BOOLEAN', display: 'bool' };
    case 'INT32':
      return { dataType: 'INT', display: 'int32' };
    case 'INT64':
      return { dataType: 'INT', display: 'int64' };
    case 'INT96':
      return { dataType: 'DATETIME', display: 'timestamp[ns]' };
    case 'FLOAT':
      return { dataType: 'FLOAT', display: 'float' };
    case 'DOUBLE':
      return { dataType: 'FLOAT', display: 'double' };
    case 'BYTE_ARRAY':
      return { dataType: 'BINARY', display: 'binary', dataLength: -1 };
    case 'FIXED_LEN_BYTE_ARRAY':
      return { dataType: 'BINARY', display: `fixed_size_binary[${e.type_length}]`, dataLength: e.type_length };
    default:
      return { dataType: 'UNKNOWN', display: String(physical ?? 'unknown') };
  }
}
