/**
 * Spark SQL types as Delta Lake's `schemaString` writes them (a `StructType` serialised as JSON:
 * primitive types as strings, `struct` / `array` / `map` as objects), mapped to OpenMetadata columns.
 * `dataTypeDisplay` keeps Spark's own spelling (`decimal(10,2)`, `array<string>`).
 */
import type { Column, DataType } from '@om/core';

const PRIMITIVES: Record<string, DataType> = {
  string: 'STRING', varchar: 'VARCHAR', char: 'CHAR',
  long: 'BIGINT', integer: 'INT', short: 'SMALLINT', byte: 'TINYINT',
  float: 'FLOAT', double: 'DOUBLE', boolean: 'BOOLEAN', binary: 'BINARY',
  date: 'DATE', timestamp: 'TIMESTAMP', timestamp_ntz: 'DATETIME', void: 'NULL', variant: 'VARIANT',
};

type Json = Record<string, unknown>;

/** Spark's display string of a type: `bigint`-style names for primitives, `array<…>`, `struct<a:int>`. */
export function sparkTypeName(type: unknown): string {
  if (typeof type === 'string') return type;
  const t = (type ?? {}) as Json;
  if (t.type === 'array') return `array<${sparkTypeName(t.elementType)}>`;
  if (t.type === 'map') return `map<${sparkTypeName(t.keyType)},${sparkTypeName(t.valueType)}>`;
  if (t.type === 'struct') return `struct<${((t.fields as Json[]) ?? []).map((f) => `${String(f.name)}:${sparkTypeName(f.type)}`).join(',')}>`;
  return String(t.type ?? 'unknown');
}

function primitive(name: string): Pick<Column, 'dataType' | 'precision' | 'scale' | 'dataLength'> {
  const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(name);
  if (decimal) return { dataType: 'DECIMAL', precision: Number(decimal[1]), scale: Number(decimal[2]) };
  const sized = /^(varchar|char)\((\d+)\)$/.exec(name);
  if (sized) return { dataType: PRIMITIVES[sized[1]], dataLength: Number(sized[2]) };
  const dataType = PRIMITIVES[name] ?? 'UNKNOWN';
  // OpenMetadata requires a length for BINARY; -1 is its "variable" (as its Parquet parser sends).
  return dataType === 'BINARY' ? { dataType, dataLength: -1 } : { dataType };
}

/** One field of a `struct` (name, type, nullable, metadata with an optional `comment`). */
function fieldColumn(field: Json, where: string): Column {
  const name = String(field.name);
  const type = field.type;
  const comment = ((field.metadata ?? {}) as Json).comment;
  const column: Column = { name, dataType: 'UNKNOWN', dataTypeDisplay: sparkTypeName(type) };
  if (typeof comment === 'string' && comment !== '') column.description = comment;
  if (typeof type === 'string') return { ...column, ...primitive(type) };
  const t = (type ?? {}) as Json;
  if (t.type === 'struct') return { ...column, dataType: 'STRUCT', children: sparkSchemaColumns(t, `${where}.${name}`) };
  if (t.type === 'map') return { ...column, dataType: 'MAP' };
  if (t.type === 'array') {
    const element = t.elementType;
    if (typeof element === 'string') return { ...column, dataType: 'ARRAY', arrayDataType: primitive(element).dataType };
    const e = (element ?? {}) as Json;
    const arrayDataType: DataType = e.type === 'struct' ? 'STRUCT' : e.type === 'map' ? 'MAP' : e.type === 'array' ? 'ARRAY' : 'UNKNOWN';
    return {
      ...column,
      dataType: 'ARRAY',
      arrayDataType,
      ...(e.type === 'struct' ? { children: sparkSchemaColumns(e, `${where}.${name}`) } : {}),
    };
  }
  return column;
}

/** The columns of a Spark `StructType` JSON. */
export function sparkSchemaColumns(schema: unknown, where: string): Column[] {
  const s = (schema ?? {}) as Json;
  if (s.type !== 'struct' || !Array.isArray(s.fields)) throw new Error(`${where}: the schema is not a Spark struct type`);
  return (s.fields as Json[]).map((f) => fieldColumn(f, where));
}
