/** Test-only: writes Parquet files with DuckDB (a real producer nobody here wrote). */
import { DuckDBInstance } from '@duckdb/node-api';

export async function duckdb(sql: string[]): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    for (const s of sql) await conn.run(s);
  } finally {
    conn.closeSync();
  }
}

/** A SELECT covering every type the Parquet mapping handles, 3000 rows with nulls. */
export const TYPES_SELECT = `
SELECT
  (i % 100)::TINYINT AS i8, i::SMALLINT AS i16, i::INTEGER AS i32, i::BIGINT AS i64,
  (i % 200)::UTINYINT AS u8, i::USMALLINT AS u16, (4294967295 - i)::UINTEGER AS u32, (18446744073709551615 - i)::UBIGINT AS u64,
  (i / 3)::FLOAT AS f32, (i / 7)::DOUBLE AS f64,
  (i / 10)::DECIMAL(4,1) AS d4_1, (i / 100)::DECIMAL(9,2) AS d9_2, (i / 1000)::DECIMAL(18,3) AS d18_3, (i / 3)::DECIMAL(38,10) AS d38_10,
  (i % 2 = 0) AS flag,
  CASE WHEN i % 10 = 0 THEN NULL ELSE 'text "' || i || '", with\nnewline' END AS txt,
  ('\\x00\\xFF' || i::VARCHAR)::BLOB AS blob,
  DATE '2024-01-01' + (i % 365)::INTEGER AS day,
  TIME '12:00:00' + INTERVAL (i) SECOND AS tod,
  TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE AS ts_us,
  (TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE)::TIMESTAMP_MS AS ts_ms,
  (TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE)::TIMESTAMP_NS AS ts_ns,
  (TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) MINUTE)::TIMESTAMPTZ AS ts_tz,
  uuid() AS id_uuid,
  ('{"k":' || i || '}')::JSON AS doc,
  (['sad','ok','happy'])[1 + i % 3]::mood AS feeling,
  CASE WHEN i % 5 = 0 THEN [] ELSE [i, NULL, i + 1] END::BIGINT[] AS ints,
  {'a': i, 'b': 'x' || i, 'c': [i]} AS rec,
  MAP {'k' || i: i} AS kv,
  [{'x': i, 'y': 'v'}] AS recs,
  [[i], [i, i]] AS nested,
  [i, i, i]::INTEGER[3] AS fixed3
FROM range(3000) t(i)`;
