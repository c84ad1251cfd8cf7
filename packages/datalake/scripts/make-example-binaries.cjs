// Regenerates the small binary files of examples/datalake (Parquet by DuckDB, Avro by avsc, zip, gzip).
// Run from packages/datalake: node scripts/make-example-binaries.cjs
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { DuckDBInstance } = require('@duckdb/node-api');
const avro = require('avsc');

const lake = path.resolve(__dirname, '../../../examples/datalake');

async function parquet() {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const wh = path.join(lake, 'warehouse');
  await c.run(`COPY (SELECT i AS product_id, 'Product ' || i AS name, (i * 2.5)::DECIMAL(10,2) AS price,
      (i % 2 = 0) AS in_stock, DATE '2024-01-01' + i::INTEGER AS launched,
      TIMESTAMPTZ '2024-01-01 00:00:00+00' + INTERVAL (i) HOUR AS updated_at,
      ['tag' || i, 'all'] AS tags, {'width': i, 'height': i * 2} AS dims, MAP {'color': 'red'} AS attrs
    FROM range(1, 6) t(i)) TO '${wh}/products.parquet' (FORMAT parquet, COMPRESSION zstd)`);
  await c.run(`COPY (SELECT i AS event_id, 'click' AS kind, TIMESTAMP '2024-01-05' + INTERVAL (i) MINUTE AS at FROM range(3) t(i))
    TO '${wh}/events/year=2024/month=01/part-0.parquet' (FORMAT parquet)`);
  await c.run(`COPY (SELECT i AS event_id, 'view' AS kind, TIMESTAMP '2024-02-05' + INTERVAL (i) MINUTE AS at, i * 0.5 AS score FROM range(3) t(i))
    TO '${wh}/events/year=2024/month=02/part-0.parquet' (FORMAT parquet, COMPRESSION snappy)`);
  c.closeSync();
  // The February file is the newest: its schema (with `score`) is the table's.
  const now = Date.now() / 1000;
  fs.utimesSync(path.join(wh, 'events/year=2024/month=01/part-0.parquet'), now - 3600, now - 3600);
}

async function avroFile() {
  const schema = {
    type: 'record', name: 'Click', namespace: 'example',
    fields: [
      { name: 'click_id', type: 'long', doc: 'unique click id' },
      { name: 'user', type: ['null', 'string'], default: null },
      { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
      { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
      { name: 'device', type: { type: 'record', name: 'Device', fields: [{ name: 'os', type: 'string' }, { name: 'version', type: 'int' }] } },
      { name: 'labels', type: { type: 'array', items: 'string' } },
    ],
  };
  const file = path.join(lake, 'warehouse', 'clicks.avro');
  const enc = new avro.streams.BlockEncoder(schema, { codec: 'deflate' });
  const out = fs.createWriteStream(file);
  const done = new Promise((resolve) => out.on('close', resolve));
  enc.pipe(out);
  for (let i = 0; i < 3; i++) enc.write({ click_id: i, user: i ? `u${i}` : null, at: 1704067200000 + i, amount: Buffer.from([0, 100 + i]), device: { os: 'linux', version: i }, labels: ['a'] });
  enc.end();
  await done;
}

function compressed() {
  const sales = path.join(lake, 'sales');
  fs.writeFileSync(path.join(sales, 'returns.csv.gz'), zlib.gzipSync('return_id,order_id,reason,refunded_at\n1,1002,damaged,2024-03-01T10:00:00Z\n2,1003,,2024-03-02T11:30:00Z\n'));
  const rows = [{ region: 'emea', totals: { q1: 10.5, q2: 12 } }, { region: 'apac', totals: { q1: 7, q3: 1.25 } }];
  const data = Buffer.from(JSON.stringify(rows, null, 2));
  // A one-entry zip (deflate), written by hand: local header, data, central directory, end record.
  const body = zlib.deflateRawSync(data);
  const name = Buffer.from('2023.json');
  const crc = zlib.crc32(data) >>> 0;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14); local.writeUInt32LE(body.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16); central.writeUInt32LE(body.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  const cdOffset = 30 + name.length + body.length;
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + name.length, 12); end.writeUInt32LE(cdOffset, 16);
  fs.writeFileSync(path.join(sales, 'archive', '2023.json.zip'), Buffer.concat([local, name, body, central, name, end]));
}

(async () => {
  await parquet();
  await avroFile();
  compressed();
  console.log('examples/datalake binaries written');
})();
