/**
 * An Iceberg table read from its current table-metadata file only (Iceberg spec, "Table Metadata"):
 * the current schema, the default partition spec and the current snapshot's summary. Manifests and
 * data files are not opened. The current metadata file is the one `metadata/version-hint.text` names
 * (Hadoop tables), else the newest `metadata/<N>-<uuid>.metadata.json` / `v<N>.metadata.json`.
 */
import * as zlib from 'node:zlib';
import type { Column, DataType, TablePartition } from '@om/core';
import { objectsUnder, readBytes, readText, TableFormatError, type LakehouseTable, type TableFormatIO } from './types';

type Json = Record<string, unknown>;

const METADATA_FILE = /^(?:v(\d+)|(\d+)-[0-9a-f-]+)(?:\.gz)?\.metadata\.json(?:\.gz)?$/;

const PRIMITIVES: Record<string, DataType> = {
  boolean: 'BOOLEAN', int: 'INT', long: 'BIGINT', float: 'FLOAT', double: 'DOUBLE', date: 'DATE', time: 'TIME',
  timestamp: 'TIMESTAMP', timestamptz: 'TIMESTAMPZ', timestamp_ns: 'TIMESTAMP', timestamptz_ns: 'TIMESTAMPZ',
  string: 'STRING', uuid: 'UUID', binary: 'BINARY', variant: 'VARIANT', geometry: 'GEOMETRY', geography: 'GEOGRAPHY',
  unknown: 'NULL',
};

/** Iceberg's display string of a type (`list<string>`, `map<string,long>`, `struct<a: int>`). */
function typeName(type: unknown): string {
  if (typeof type === 'string') return type;
  const t = (type ?? {}) as Json;
  if (t.type === 'list') return `list<${typeName(t.element)}>`;
  if (t.type === 'map') return `map<${typeName(t.key)},${typeName(t.value)}>`;
  if (t.type === 'struct') return `struct<${((t.fields as Json[]) ?? []).map((f) => `${String(f.name)}: ${typeName(f.type)}`).join(', ')}>`;
  return String(t.type ?? 'unknown');
}

function primitive(name: string): Pick<Column, 'dataType' | 'precision' | 'scale' | 'dataLength'> {
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(name);
  if (decimal) return { dataType: 'DECIMAL', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const fixed = /^fixed\[(\d+)\]$/.exec(name);
  if (fixed) return { dataType: 'FIXED', dataLength: Number(fixed[1]) };
  const dataType = PRIMITIVES[name] ?? 'UNKNOWN';
  return dataType === 'BINARY' ? { dataType, dataLength: -1 } : { dataType };
}

function fieldColumn(field: Json): Column {
  const type = field.type;
  const column: Column = { name: String(field.name), dataType: 'UNKNOWN', dataTypeDisplay: typeName(type) };
  if (typeof field.doc === 'string' && field.doc !== '') column.description = field.doc;
  if (field.required === true) column.constraint = 'NOT_NULL';
  if (typeof type === 'string') return { ...column, ...primitive(type) };
  const t = (type ?? {}) as Json;
  if (t.type === 'struct') return { ...column, dataType: 'STRUCT', children: structColumns(t) };
  if (t.type === 'map') return { ...column, dataType: 'MAP' };
  if (t.type === 'list') {
    const element = t.element;
    if (typeof element === 'string') return { ...column, dataType: 'ARRAY', arrayDataType: primitive(element).dataType };
    const e = (element ?? {}) as Json;
    const arrayDataType: DataType = e.type === 'struct' ? 'STRUCT' : e.type === 'map' ? 'MAP' : e.type === 'list' ? 'ARRAY' : 'UNKNOWN';
    return { ...column, dataType: 'ARRAY', arrayDataType, ...(e.type === 'struct' ? { children: structColumns(e) } : {}) };
  }
  return column;
}

function structColumns(struct: Json): Column[] {
  return ((struct.fields as Json[]) ?? []).map(fieldColumn);
}

/** The current metadata file of the table: named by version-hint.text, else the newest. */
async function currentMetadataKey(io: TableFormatIO, root: string): Promise<{ key: string; size: number }> {
  const folder = root === '' ? 'metadata' : `${root}/metadata`;
  const files: { key: string; size: number; version: number }[] = [];
  let hint: { key: string; size: number } | undefined;
  for await (const o of objectsUnder(io, folder)) {
    const name = o.key.slice(folder.length + 1);
    if (name === 'version-hint.text') hint = { key: o.key, size: o.size };
    const m = METADATA_FILE.exec(name);
    if (m) files.push({ key: o.key, size: o.size, version: Number(m[1] ?? m[2]) });
  }
  if (hint) {
    const version = Number((await readText(io, hint.key, hint.size)).trim());
    const named = files.find((f) => f.version === version && f.key.endsWith(`/v${version}.metadata.json`)) ?? files.find((f) => f.version === version);
    if (named) return named;
  }
  files.sort((a, b) => b.version - a.version);
  if (files.length === 0) throw new TableFormatError('iceberg', root, 'metadata/ holds no *.metadata.json file');
  return files[0];
}

/** Partition transforms as OpenMetadata's interval types: identity by value, time transforms by time unit. */
function partitionOf(spec: Json | undefined, columns: Json[]): TablePartition | undefined {
  const fields = (spec?.fields as Json[] | undefined) ?? [];
  if (fields.length === 0) return undefined;
  const byId = new Map(columns.map((c) => [c.id, String(c.name)]));
  return {
    columns: fields.map((f) => {
      const transform = String(f.transform ?? 'identity');
      const columnName = byId.get(f['source-id']) ?? String(f.name);
      if (transform === 'identity') return { columnName, intervalType: 'COLUMN-VALUE' };
      if (['year', 'month', 'day', 'hour'].includes(transform)) return { columnName, intervalType: 'TIME-UNIT', interval: transform };
      return { columnName, intervalType: 'OTHER', interval: transform };
    }),
  };
}

export async function readIcebergTable(io: TableFormatIO, root: string): Promise<LakehouseTable> {
  const file = await currentMetadataKey(io, root);
  let bytes = Buffer.from(await readBytes(io, file.key, file.size));
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
  let metadata: Json;
  try {
    metadata = JSON.parse(bytes.toString('utf8')) as Json;
  } catch {
    throw new TableFormatError('iceberg', root, `${file.key} is not JSON`);
  }
  // format v2 lists schemas with a current id; v1 may only have `schema`.
  const schemas = (metadata.schemas as Json[] | undefined) ?? [];
  const schema = schemas.find((s) => s['schema-id'] === metadata['current-schema-id']) ?? (metadata.schema as Json | undefined);
  if (!schema || !Array.isArray(schema.fields)) throw new TableFormatError('iceberg', root, `${file.key} has no current schema`);
  const specs = (metadata['partition-specs'] as Json[] | undefined) ?? [];
  const spec = specs.find((s) => s['spec-id'] === metadata['default-spec-id']) ?? (Array.isArray(metadata['partition-spec']) ? { fields: metadata['partition-spec'] } : undefined);
  const partition = partitionOf(spec, schema.fields as Json[]);

  const properties: Record<string, string> = { 'iceberg.format-version': String(metadata['format-version'] ?? 1), 'iceberg.metadata': file.key };
  for (const [k, v] of Object.entries((metadata.properties as Json | undefined) ?? {})) properties[k] = String(v);
  const current = ((metadata.snapshots as Json[] | undefined) ?? []).find((s) => s['snapshot-id'] === metadata['current-snapshot-id']);
  if (current) {
    properties['iceberg.current-snapshot-id'] = String(current['snapshot-id']);
    for (const [k, v] of Object.entries((current.summary as Json | undefined) ?? {})) properties[`iceberg.snapshot.${k}`] = String(v);
  }
  const comment = ((metadata.properties as Json | undefined) ?? {}).comment;
  return {
    format: 'iceberg',
    columns: structColumns(schema),
    ...(partition ? { partition } : {}),
    tableType: 'Iceberg',
    ...(typeof comment === 'string' && comment !== '' ? { description: comment } : {}),
    properties,
  };
}
