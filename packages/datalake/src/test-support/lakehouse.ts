/**
 * Test-only: Delta Lake, Iceberg and Hudi tables built by hand against their specifications (no writer
 * of those formats is reachable here). Checkpoints are Parquet written by DuckDB in the checkpoint
 * schema of the Delta protocol. Each builder returns `relative key → bytes` under the table folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { duckdb } from './duckdb';

type Files = Map<string, Buffer>;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const ndjson = (actions: unknown[]) => Buffer.from(actions.map((a) => JSON.stringify(a)).join('\n') + '\n');
const version = (v: number) => String(v).padStart(20, '0');

/** A Spark struct field with column-mapping metadata (mode `name`: logical name, stable physical name). */
const field = (id: number, name: string, type: unknown, comment?: string) => ({
  name,
  type,
  nullable: true,
  metadata: { 'delta.columnMapping.id': id, 'delta.columnMapping.physicalName': `col-${id}-phys`, ...(comment ? { comment } : {}) },
});

const SCHEMA_V0 = {
  type: 'struct',
  fields: [
    field(1, 'id', 'long', 'order id'),
    field(2, 'name', 'string'),
    field(3, 'amount', 'decimal(10,2)'),
    field(4, 'day', 'date'),
    field(5, 'lines', { type: 'array', elementType: { type: 'struct', fields: [field(6, 'sku', 'string'), field(7, 'qty', 'integer')] }, containsNull: true }),
    field(8, 'attrs', { type: 'map', keyType: 'string', valueType: 'string', valueContainsNull: true }),
    field(9, 'payload', 'binary'),
    field(10, 'at', 'timestamp_ntz'),
  ],
};
/** Version 2: a column added (schema evolution). */
const SCHEMA_V2 = { ...SCHEMA_V0, fields: [...SCHEMA_V0.fields, field(11, 'discount', 'double')] };
/** Version 4: `name` renamed to `customer` (column mapping keeps the physical name). */
const SCHEMA_V4 = {
  ...SCHEMA_V2,
  fields: SCHEMA_V2.fields.map((f) => (f.name === 'name' ? { ...f, name: 'customer' } : f)),
};

const metaData = (schema: unknown, maxColumnId: number) => ({
  id: '5e6f3d21-9a1c-4c07-9f3f-6ad5c0b1e001',
  name: null,
  description: 'Orders, one row per order',
  format: { provider: 'parquet', options: {} },
  schemaString: JSON.stringify(schema),
  partitionColumns: ['day'],
  configuration: { 'delta.columnMapping.mode': 'name', 'delta.columnMapping.maxColumnId': String(maxColumnId), 'delta.enableDeletionVectors': 'true' },
  createdTime: 1_700_000_000_000,
});

const add = (file: string, day: string, extra: Record<string, unknown> = {}) => ({
  add: { path: `day=${day}/${file}`, partitionValues: { day }, size: 1024, modificationTime: 1_700_000_000_000, dataChange: true, ...extra },
});

const PROTOCOL = {
  protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['columnMapping', 'deletionVectors'], writerFeatures: ['columnMapping', 'deletionVectors'] },
};

/**
 * A Delta table with five commits: the create (v0), a deletion vector (v1), a column added (v2, then a
 * Parquet checkpoint and `_last_checkpoint`), data only (v3), a column renamed (v4). With
 * `{upTo: 3}` the log stops after v3, so the newest schema is the checkpoint's.
 */
export async function deltaTable(options: { upTo?: number; withoutOldCommits?: boolean } = {}): Promise<Files> {
  const files: Files = new Map();
  const commits: unknown[][] = [
    [PROTOCOL, { metaData: metaData(SCHEMA_V0, 10) }, add('part-00000-a.snappy.parquet', '2024-01-01'), { commitInfo: { operation: 'CREATE TABLE' } }],
    [
      add('part-00001-b.snappy.parquet', '2024-01-01', {
        deletionVector: { storageType: 'u', pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 1, sizeInBytes: 36, cardinality: 2 },
      }),
      { remove: { path: 'day=2024-01-01/part-00000-a.snappy.parquet', deletionTimestamp: 1_700_000_100_000, dataChange: true } },
      { commitInfo: { operation: 'DELETE' } },
    ],
    [{ metaData: metaData(SCHEMA_V2, 11) }, add('part-00002-c.snappy.parquet', '2024-01-02'), { commitInfo: { operation: 'ADD COLUMNS' } }],
    [add('part-00003-d.snappy.parquet', '2024-01-03'), { commitInfo: { operation: 'WRITE' } }],
    [{ metaData: metaData(SCHEMA_V4, 11) }, { commitInfo: { operation: 'RENAME COLUMN' } }],
  ];
  const upTo = options.upTo ?? commits.length - 1;
  for (let v = 0; v <= upTo; v++) {
    if (options.withoutOldCommits && v <= 2) continue;
    files.set(`_delta_log/${version(v)}.json`, ndjson(commits[v]));
  }
  files.set(`_delta_log/${version(2)}.checkpoint.parquet`, await deltaCheckpoint(SCHEMA_V2));
  files.set('_delta_log/_last_checkpoint', json({ version: 2, size: 4 }));
  files.set(`_delta_log/${version(0)}.crc`, json({ tableSizeBytes: 1024, numFiles: 1 }));
  for (const day of ['2024-01-01', '2024-01-02', '2024-01-03']) files.set(`day=${day}/part-0000x.snappy.parquet`, Buffer.from('PAR1-not-read'));
  files.set('deletion_vector_0a1b2c3d.bin', Buffer.from([1, 2, 3]));
  return files;
}

/** The Parquet checkpoint of version 2 (protocol, metaData and add rows), written by DuckDB. */
async function deltaCheckpoint(schema: unknown): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-delta-cp-'));
  const file = path.join(dir, 'checkpoint.parquet');
  const m = metaData(schema, 11);
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  await duckdb([
    `CREATE TABLE cp (
      protocol STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER),
      metaData STRUCT(id VARCHAR, name VARCHAR, description VARCHAR, format STRUCT(provider VARCHAR, options MAP(VARCHAR, VARCHAR)),
        schemaString VARCHAR, partitionColumns VARCHAR[], configuration MAP(VARCHAR, VARCHAR), createdTime BIGINT),
      "add" STRUCT(path VARCHAR, partitionValues MAP(VARCHAR, VARCHAR), size BIGINT, modificationTime BIGINT, dataChange BOOLEAN)
    )`,
    `INSERT INTO cp VALUES ({'minReaderVersion': 3, 'minWriterVersion': 7}, NULL, NULL)`,
    `INSERT INTO cp VALUES (NULL, {'id': ${quote(m.id)}, 'name': NULL, 'description': ${quote(m.description)},
      'format': {'provider': 'parquet', 'options': MAP {}}, 'schemaString': ${quote(m.schemaString)}, 'partitionColumns': ['day'],
      'configuration': MAP {${Object.entries(m.configuration).map(([k, v]) => `${quote(k)}: ${quote(v)}`).join(', ')}}, 'createdTime': ${m.createdTime}}, NULL)`,
    `INSERT INTO cp VALUES (NULL, NULL, {'path': 'day=2024-01-02/part-00002-c.snappy.parquet', 'partitionValues': MAP {'day': '2024-01-02'}, 'size': 1024, 'modificationTime': 1700000000000, 'dataChange': false})`,
    `COPY cp TO '${file}' (FORMAT parquet)`,
  ]);
  const bytes = fs.readFileSync(file);
  fs.rmSync(dir, { recursive: true, force: true });
  return bytes;
}

/** An Iceberg v2 table: two metadata versions (a column added in v2), a version hint, manifests and data. */
export function icebergTable(options: { hint?: boolean } = {}): Files {
  const schema0 = {
    type: 'struct', 'schema-id': 0, fields: [
      { id: 1, name: 'event_id', required: true, type: 'long' },
      { id: 2, name: 'ts', required: true, type: 'timestamptz', doc: 'event time' },
      { id: 3, name: 'user', required: false, type: { type: 'struct', fields: [{ id: 5, name: 'id', required: true, type: 'uuid' }, { id: 6, name: 'country', required: false, type: 'string' }] } },
      { id: 4, name: 'tags', required: false, type: { type: 'list', 'element-id': 7, element: 'string', 'element-required': false } },
    ],
  };
  const schema1 = {
    ...schema0, 'schema-id': 1,
    fields: [
      ...schema0.fields,
      { id: 8, name: 'amount', required: false, type: 'decimal(12,2)' },
      { id: 9, name: 'digest', required: false, type: 'fixed[16]' },
      { id: 10, name: 'props', required: false, type: { type: 'map', 'key-id': 11, key: 'string', 'value-id': 12, value: 'string', 'value-required': false } },
    ],
  };
  const spec = { 'spec-id': 0, fields: [{ name: 'ts_day', transform: 'day', 'source-id': 2, 'field-id': 1000 }, { name: 'user_bucket', transform: 'bucket[16]', 'source-id': 1, 'field-id': 1001 }] };
  const base = {
    'format-version': 2, 'table-uuid': '9c12d441-03fe-4693-9a96-a0705ddf69c1', location: 's3://lake/events', 'last-sequence-number': 2,
    'last-updated-ms': 1_700_000_000_000, 'last-column-id': 12, 'partition-specs': [spec], 'default-spec-id': 0, 'last-partition-id': 1001,
    properties: { comment: 'Click events', 'write.format.default': 'parquet' }, 'sort-orders': [{ 'order-id': 0, fields: [] }], 'default-sort-order-id': 0,
  };
  const snapshot = (id: number, records: number) => ({
    'snapshot-id': id, 'sequence-number': 1, 'timestamp-ms': 1_700_000_000_000, 'manifest-list': `s3://lake/events/metadata/snap-${id}.avro`,
    summary: { operation: 'append', 'added-records': String(records), 'total-records': String(records) }, 'schema-id': 0,
  });
  const files: Files = new Map();
  files.set('metadata/00000-0b0e0c2e-1111-4d3a-9d89-3f1d5b3c0001.metadata.json', json({ ...base, schemas: [schema0], 'current-schema-id': 0, snapshots: [snapshot(1, 10)], 'current-snapshot-id': 1 }));
  files.set('metadata/00001-0b0e0c2e-2222-4d3a-9d89-3f1d5b3c0002.metadata.json', json({ ...base, schemas: [schema0, schema1], 'current-schema-id': 1, snapshots: [snapshot(1, 10), snapshot(2, 25)], 'current-snapshot-id': 2 }));
  if (options.hint) {
    // A Hadoop table: v<N>.metadata.json named by version-hint.text (here the older one is current).
    files.clear();
    files.set('metadata/v1.metadata.json', json({ ...base, schemas: [schema0], 'current-schema-id': 0, snapshots: [snapshot(1, 10)], 'current-snapshot-id': 1 }));
    files.set('metadata/v2.metadata.json', json({ ...base, schemas: [schema0, schema1], 'current-schema-id': 1, snapshots: [snapshot(2, 25)], 'current-snapshot-id': 2 }));
    files.set('metadata/version-hint.text', Buffer.from('1\n'));
  }
  files.set('metadata/snap-2-1-a.avro', Buffer.from('Obj-not-read'));
  files.set('metadata/a1b2-m0.avro', Buffer.from('Obj-not-read'));
  files.set('data/ts_day=2024-01-01/user_bucket=3/00000-0-data.parquet', Buffer.from('PAR1-not-read'));
  return files;
}

/** A Hudi (0.x timeline) copy-on-write table: the newest commit's schema adds a column. */
export function hudiTable(): Files {
  const record = (extra: unknown[]) => JSON.stringify({
    type: 'record', name: 'trips_record', namespace: 'hoodie.trips',
    fields: [
      { name: '_hoodie_commit_time', type: ['null', 'string'], default: null },
      { name: '_hoodie_record_key', type: ['null', 'string'], default: null },
      { name: 'uuid', type: 'string' },
      { name: 'rider', type: 'string' },
      { name: 'fare', type: 'double' },
      { name: 'city', type: 'string' },
      ...extra,
    ],
  });
  const files: Files = new Map();
  files.set('.hoodie/hoodie.properties', Buffer.from([
    '#Properties saved on 2024-01-01T00:00:00Z',
    'hoodie.table.name=trips',
    'hoodie.table.type=COPY_ON_WRITE',
    'hoodie.table.version=6',
    'hoodie.table.recordkey.fields=uuid',
    'hoodie.table.partition.fields=city',
    `hoodie.table.create.schema=${record([]).replace(/:/g, '\\:')}`,
  ].join('\n')));
  files.set('.hoodie/20240101000000000.commit', json({ partitionToWriteStats: {}, extraMetadata: { schema: record([]) }, operationType: 'INSERT' }));
  files.set('.hoodie/20240102000000000.commit', json({ partitionToWriteStats: {}, extraMetadata: { schema: record([{ name: 'tip', type: ['null', 'double'], default: null }]) }, operationType: 'UPSERT' }));
  files.set('.hoodie/20240103000000000.commit.requested', Buffer.from(''));
  files.set('.hoodie/20240103000000000.inflight', Buffer.from(''));
  files.set('city=oslo/0a1b-0_0-1-1_20240102000000000.parquet', Buffer.from('PAR1-not-read'));
  return files;
}
