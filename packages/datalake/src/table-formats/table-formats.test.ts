import { deltaTable, hudiTable, icebergTable } from '../test-support/lakehouse';
import { tempLake } from '../test-support/lake';
import { inTableFolder, readLakehouseTable, tableFormatMarker, type TableFormatKind } from './index';

const lake = tempLake('om-lakehouse-');

function put(root: string, files: Map<string, Buffer>): void {
  for (const [key, bytes] of files) lake.put(`${root}/${key}`, bytes);
}

const read = (format: TableFormatKind, root: string) => readLakehouseTable({ store: lake.store, bucket: lake.bucket }, { format, root });
const shape = (columns: { name: string; dataType: string; children?: unknown[] }[]) => columns.map((c) => `${c.name}:${c.dataType}`);

describe('Delta Lake (protocol: log entries, checkpoints, column mapping)', () => {
  beforeAll(async () => {
    put('warehouse/orders', await deltaTable());
    put('warehouse/orders_v3', await deltaTable({ upTo: 3 }));
    put('warehouse/orders_cleaned', await deltaTable({ upTo: 3, withoutOldCommits: true }));
  });

  it('takes the newest metaData: a renamed column (mode name) and an added one, partition columns, description', async () => {
    const t = await read('delta', 'warehouse/orders');
    expect(shape(t.columns)).toEqual(['id:BIGINT', 'customer:STRING', 'amount:DECIMAL', 'day:DATE', 'lines:ARRAY', 'attrs:MAP', 'payload:BINARY', 'at:DATETIME', 'discount:DOUBLE']);
    expect(t.columns[0]).toMatchObject({ description: 'order id', dataTypeDisplay: 'long' });
    expect(t.columns[2]).toMatchObject({ precision: 10, scale: 2, dataTypeDisplay: 'decimal(10,2)' });
    expect(t.columns[4]).toMatchObject({ arrayDataType: 'STRUCT', dataTypeDisplay: 'array<struct<sku:string,qty:integer>>' });
    expect(shape(t.columns[4].children as never)).toEqual(['sku:STRING', 'qty:INT']);
    expect(t.columns[6]).toMatchObject({ dataLength: -1 });
    expect(t.partition).toEqual({ columns: [{ columnName: 'day', intervalType: 'COLUMN-VALUE' }] });
    expect(t).toMatchObject({ format: 'delta', tableType: 'External', description: 'Orders, one row per order' });
    expect(t.properties).toMatchObject({ 'delta.version': '4', 'delta.columnMapping.mode': 'name', 'delta.enableDeletionVectors': 'true' });
  });

  it('reads the metadata from the Parquet checkpoint when no later commit changed it', async () => {
    const t = await read('delta', 'warehouse/orders_v3');
    // v2 added `discount` (only the checkpoint holds that metaData: commits ≤ 2 are not read).
    expect(shape(t.columns)).toContain('discount:DOUBLE');
    expect(shape(t.columns)).toContain('name:STRING');
    expect(t.properties).toMatchObject({ 'delta.version': '3', 'delta.columnMapping.mode': 'name' });
  });

  it('still knows the schema after the log cleanup removed the commits before the checkpoint', async () => {
    const t = await read('delta', 'warehouse/orders_cleaned');
    expect(shape(t.columns)).toContain('discount:DOUBLE');
    expect(t.partition).toEqual({ columns: [{ columnName: 'day', intervalType: 'COLUMN-VALUE' }] });
  });

  it('a log without metadata is a clear per-table error', async () => {
    lake.put('warehouse/broken/_delta_log/00000000000000000000.json', '{"commitInfo":{}}\n');
    await expect(read('delta', 'warehouse/broken')).rejects.toThrow('Delta Lake table warehouse/broken: no metaData action with a schemaString up to version 0');
  });
});

describe('Iceberg (table metadata: current schema, partition spec, snapshot)', () => {
  beforeAll(() => {
    put('warehouse/events', icebergTable());
    put('warehouse/events_hadoop', icebergTable({ hint: true }));
  });

  it('reads the newest metadata file: evolved schema, nested types, partition transforms', async () => {
    const t = await read('iceberg', 'warehouse/events');
    expect(shape(t.columns)).toEqual(['event_id:BIGINT', 'ts:TIMESTAMPZ', 'user:STRUCT', 'tags:ARRAY', 'amount:DECIMAL', 'digest:FIXED', 'props:MAP']);
    expect(t.columns[0]).toMatchObject({ constraint: 'NOT_NULL' });
    expect(t.columns[1]).toMatchObject({ description: 'event time' });
    expect(shape(t.columns[2].children as never)).toEqual(['id:UUID', 'country:STRING']);
    expect(t.columns[3]).toMatchObject({ arrayDataType: 'STRING', dataTypeDisplay: 'list<string>' });
    expect(t.columns[5]).toMatchObject({ dataLength: 16 });
    expect(t.partition).toEqual({
      columns: [
        { columnName: 'ts', intervalType: 'TIME-UNIT', interval: 'day' },
        { columnName: 'event_id', intervalType: 'OTHER', interval: 'bucket[16]' },
      ],
    });
    expect(t).toMatchObject({ format: 'iceberg', tableType: 'Iceberg', description: 'Click events' });
    expect(t.properties).toMatchObject({ 'iceberg.format-version': '2', 'iceberg.current-snapshot-id': '2', 'iceberg.snapshot.total-records': '25' });
  });

  it('follows version-hint.text on a Hadoop table', async () => {
    const t = await read('iceberg', 'warehouse/events_hadoop');
    expect(shape(t.columns)).toEqual(['event_id:BIGINT', 'ts:TIMESTAMPZ', 'user:STRUCT', 'tags:ARRAY']);
    expect(t.properties['iceberg.metadata']).toBe('warehouse/events_hadoop/metadata/v1.metadata.json');
  });
});

describe('Hudi (0.x timeline)', () => {
  beforeAll(() => put('warehouse/trips', hudiTable()));

  it('takes the schema of the newest completed commit and the partition fields of hoodie.properties', async () => {
    const t = await read('hudi', 'warehouse/trips');
    expect(t.columns.map((c) => c.name)).toEqual(['_hoodie_commit_time', '_hoodie_record_key', 'uuid', 'rider', 'fare', 'city', 'tip']);
    expect(t.partition).toEqual({ columns: [{ columnName: 'city', intervalType: 'COLUMN-VALUE' }] });
    expect(t.properties).toMatchObject({ 'hoodie.table.name': 'trips', 'hoodie.table.type': 'COPY_ON_WRITE', 'hudi.latest-instant': '20240102000000000' });
  });
});

describe('markers', () => {
  it('tells a table folder from the keys only a format writes', () => {
    expect(tableFormatMarker('warehouse/orders/_delta_log/00000000000000000000.json')).toEqual({ format: 'delta', root: 'warehouse/orders' });
    expect(tableFormatMarker('_delta_log/_last_checkpoint')).toEqual({ format: 'delta', root: '' });
    expect(tableFormatMarker('warehouse/events/metadata/00001-0b0e0c2e-2222-4d3a-9d89-3f1d5b3c0002.metadata.json')).toEqual({ format: 'iceberg', root: 'warehouse/events' });
    expect(tableFormatMarker('warehouse/events/metadata/version-hint.text')).toEqual({ format: 'iceberg', root: 'warehouse/events' });
    expect(tableFormatMarker('warehouse/trips/.hoodie/hoodie.properties')).toEqual({ format: 'hudi', root: 'warehouse/trips' });
    // Look-alikes are not markers.
    expect(tableFormatMarker('docs/metadata/notes.json')).toBeUndefined();
    expect(tableFormatMarker('warehouse/trips/.hoodie/20240101000000000.commit')).toBeUndefined();
    expect(tableFormatMarker('warehouse/orders/day=2024-01-01/part-0.parquet')).toBeUndefined();
    expect(inTableFolder('warehouse/orders/day=2024-01-01/part-0.parquet', 'warehouse/orders')).toBe(true);
    expect(inTableFolder('warehouse/orders_v3/x.parquet', 'warehouse/orders')).toBe(false);
  });
});
