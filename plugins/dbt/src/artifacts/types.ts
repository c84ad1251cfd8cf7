/**
 * Warehouse column types (as catalog.json / manifest `data_type` write them, e.g. `character varying(14)`,
 * `numeric(10,2)`, `array<string>`, `timestamp without time zone`) → OpenMetadata column data types.
 */
import type { Column, DataType } from '@om/core';

const SIMPLE: Record<string, DataType> = {
  int: 'INT', integer: 'INT', int4: 'INT', int32: 'INT', mediumint: 'INT', serial: 'INT',
  smallint: 'SMALLINT', int2: 'SMALLINT', int16: 'SMALLINT', smallserial: 'SMALLINT',
  tinyint: 'TINYINT', int8: 'BIGINT', bigint: 'BIGINT', int64: 'BIGINT', long: 'LONG', bigserial: 'BIGINT', hugeint: 'BIGINT',
  byteint: 'BYTEINT', uint: 'UINT',
  float: 'FLOAT', float4: 'FLOAT', real: 'FLOAT', float32: 'FLOAT', float64: 'DOUBLE', float8: 'DOUBLE', double: 'DOUBLE',
  'double precision': 'DOUBLE',
  decimal: 'DECIMAL', numeric: 'NUMERIC', number: 'NUMBER', bignumeric: 'NUMERIC', money: 'NUMBER',
  bool: 'BOOLEAN', boolean: 'BOOLEAN',
  string: 'STRING', text: 'TEXT', mediumtext: 'MEDIUMTEXT', longtext: 'TEXT', tinytext: 'TEXT', ntext: 'NTEXT', clob: 'CLOB',
  uuid: 'UUID', json: 'JSON', jsonb: 'JSON', xml: 'XML', variant: 'VARIANT', object: 'JSON', super: 'SUPER',
  date: 'DATE', time: 'TIME', 'time without time zone': 'TIME', 'time with time zone': 'TIME', timetz: 'TIME',
  datetime: 'DATETIME', datetime2: 'DATETIME', smalldatetime: 'DATETIME',
  timestamp: 'TIMESTAMP', 'timestamp without time zone': 'TIMESTAMP', timestamp_ntz: 'TIMESTAMP', timestamp_ltz: 'TIMESTAMP',
  'timestamp with time zone': 'TIMESTAMPZ', timestamptz: 'TIMESTAMPZ', timestamp_tz: 'TIMESTAMPZ',
  interval: 'INTERVAL', bytea: 'BYTEA', bytes: 'BYTES', blob: 'BLOB', longblob: 'LONGBLOB', mediumblob: 'MEDIUMBLOB',
  geography: 'GEOGRAPHY', geometry: 'GEOMETRY', inet: 'INET', cidr: 'CIDR', macaddr: 'MACADDR', year: 'YEAR',
  map: 'MAP', struct: 'STRUCT', record: 'RECORD', array: 'ARRAY', enum: 'ENUM', set: 'SET', null: 'NULL',
};

const LENGTHED: Record<string, DataType> = {
  varchar: 'VARCHAR', 'character varying': 'VARCHAR', nvarchar: 'VARCHAR', 'varchar2': 'VARCHAR', 'nvarchar2': 'VARCHAR',
  char: 'CHAR', character: 'CHAR', nchar: 'CHAR', bpchar: 'CHAR',
  binary: 'BINARY', varbinary: 'VARBINARY',
};

export type ColumnType = Pick<Column, 'dataType' | 'dataTypeDisplay'> & Partial<Pick<Column, 'dataLength' | 'precision' | 'scale' | 'arrayDataType'>>;

/** The OpenMetadata type of a warehouse type string; `UNKNOWN` when missing or unrecognised. */
export function columnTypeOf(raw: string | undefined): ColumnType {
  if (!raw || !raw.trim()) return { dataType: 'UNKNOWN' };
  const display = raw.trim();
  const t = display.toLowerCase();
  // array<T>, T[], array(T)
  const arr = /^array\s*[<(]\s*(.+?)\s*[>)]$/.exec(t) ?? /^(.+?)\s*\[\]$/.exec(t);
  if (arr) {
    const inner = columnTypeOf(arr[1]).dataType;
    return { dataType: 'ARRAY', arrayDataType: inner, dataTypeDisplay: display };
  }
  if (/^(struct|row)\s*[<(]/.test(t)) return { dataType: 'STRUCT', dataTypeDisplay: display };
  if (/^map\s*[<(]/.test(t)) return { dataType: 'MAP', dataTypeDisplay: display };
  const m = /^([a-z_][a-z0-9_ ]*?)\s*(?:\(\s*(\d+|max)\s*(?:,\s*(\d+)\s*)?\))?\s*$/.exec(t);
  if (!m) return { dataType: 'UNKNOWN', dataTypeDisplay: display };
  const base = m[1].trim();
  const first = m[2];
  const second = m[3];
  const lengthed = LENGTHED[base];
  if (lengthed) {
    // A VARCHAR/CHAR/BINARY type needs a length in OpenMetadata; without one it is a plain STRING/BYTES.
    if (first === undefined || first === 'max') return { dataType: lengthed === 'BINARY' || lengthed === 'VARBINARY' ? 'BYTES' : 'STRING', dataTypeDisplay: display };
    return { dataType: lengthed, dataLength: Number(first), dataTypeDisplay: display };
  }
  const simple = SIMPLE[base] ?? SIMPLE[base.replace(/\s+/g, '_')];
  if (!simple) return { dataType: 'UNKNOWN', dataTypeDisplay: display };
  const out: ColumnType = { dataType: simple, dataTypeDisplay: display };
  if ((simple === 'DECIMAL' || simple === 'NUMERIC' || simple === 'NUMBER') && first !== undefined && first !== 'max') {
    out.precision = Number(first);
    if (second !== undefined) out.scale = Number(second);
  }
  return out;
}
