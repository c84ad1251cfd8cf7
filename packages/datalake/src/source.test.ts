import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, PluginRegistry, Workflow, builtinPlugin, parseConfigText, readConfigFile, silentLogger, validateWorkflowConfig, type Column, type CreateTableRequest } from '@om/core';
import { detectConfigSource } from './config';
import { plugin } from './index';
import { normalizePrefix, type DatalakeSource } from './source';

const EXAMPLES = path.resolve(__dirname, '../../../examples');

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(plugin, '@om/datalake');
  return r;
}

interface RunResult {
  records: Record<string, unknown>[];
  tables: Map<string, CreateTableRequest>;
  workflow: Workflow;
}

async function run(config: Record<string, unknown>, file?: string): Promise<RunResult> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-dl-out-')), 'out.json');
  const workflow = await Workflow.create({ ...config, sink: { type: 'file', config: { filename: out } } }, { registry: registry(), logger: silentLogger, file });
  await workflow.execute();
  await workflow.stop();
  const records = JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>[];
  const tables = new Map<string, CreateTableRequest>();
  for (const r of records) if ('columns' in r) tables.set(`${String(r.databaseSchema).split('.').pop()}/${r.name}`, r as unknown as CreateTableRequest);
  return { records, tables, workflow };
}

function localConfig(root: string, sourceConfig: Record<string, unknown> = {}, connection: Record<string, unknown> = {}) {
  return {
    source: {
      type: 'datalake',
      serviceName: 'lake_svc',
      serviceConnection: { config: { type: 'Datalake', configSource: { root }, ...connection } },
      sourceConfig: { config: { type: 'DatabaseMetadata', ...sourceConfig } },
    },
    workflowConfig: { loggerLevel: 'ERROR' },
  };
}

const cols = (t: CreateTableRequest | undefined) => (t?.columns ?? []).map((c: Column) => [c.name, c.dataType]);

describe('the examples data lake, end to end', () => {
  let result: RunResult;
  beforeAll(async () => {
    const yamlFile = path.join(EXAMPLES, 'local-datalake.yaml');
    const config = readConfigFile(yamlFile);
    result = await run(config, yamlFile);
  });

  it('emits service, database, one schema per bucket, in order', () => {
    const [service, database, ...rest] = result.records;
    expect(service).toMatchObject({ name: 'local_datalake', serviceType: 'Datalake', connection: { config: { type: 'Datalake' } } });
    expect(database).toEqual({ name: 'shop', service: 'local_datalake' });
    const schemas = rest.filter((r) => !('columns' in r));
    expect(schemas).toEqual([
      { name: 'sales', database: 'local_datalake.shop' },
      { name: 'warehouse', database: 'local_datalake.shop' },
    ]);
  });

  it('makes one table per supported file, skipping hidden, marker and unsupported files', () => {
    expect([...result.tables.keys()].sort()).toEqual([
      'sales/archive/2023.json.zip',
      'sales/customers.tsv',
      'sales/events.jsonl',
      'sales/orders.csv',
      'sales/products.json',
      'sales/returns.csv.gz',
      'warehouse/clicks.avro',
      'warehouse/events',
      'warehouse/products.parquet',
      'warehouse/schemas/person.json',
    ]);
    const orders = result.tables.get('sales/orders.csv')!;
    expect(orders).toMatchObject({ tableType: 'Regular', fileFormat: 'csv', databaseSchema: 'local_datalake.shop.sales' });
    expect(cols(orders)).toEqual([
      ['order_id', 'INT'], ['customer_id', 'STRING'], ['order_date', 'DATE'], ['amount', 'FLOAT'],
      ['quantity', 'INT'], ['paid', 'BOOLEAN'], ['notes', 'STRING'],
    ]);
    expect(cols(result.tables.get('sales/customers.tsv'))).toEqual([['customer_id', 'STRING'], ['name', 'STRING'], ['country', 'STRING'], ['signed_up', 'DATETIME']]);
    expect(cols(result.tables.get('sales/returns.csv.gz'))).toEqual([['return_id', 'INT'], ['order_id', 'INT'], ['reason', 'STRING'], ['refunded_at', 'TIMESTAMP']]);
    expect(result.tables.get('sales/archive/2023.json.zip')!.fileFormat).toBe('json.zip');
  });

  it('infers nested JSON with children, arrays of structs and empty objects', () => {
    const products = result.tables.get('sales/products.json')!;
    expect(cols(products)).toEqual([
      ['sku', 'STRING'], ['name', 'STRING'], ['price', 'FLOAT'], ['dimensions', 'JSON'], ['tags', 'ARRAY'], ['variants', 'ARRAY'], ['metadata', 'JSON'],
    ]);
    const [, , , dims, tags, variants, metadata] = products.columns;
    expect(dims.children!.map((c) => [c.name, c.dataType])).toEqual([['width', 'INT'], ['height', 'FLOAT'], ['depth', 'INT']]);
    expect(tags.arrayDataType).toBe('STRING');
    expect(variants.arrayDataType).toBe('STRUCT');
    expect(variants.children!.map((c) => [c.name, c.dataType])).toEqual([['color', 'STRING'], ['stock', 'INT'], ['discontinued', 'BOOLEAN']]);
    expect(metadata.children).toBeUndefined();
    const events = result.tables.get('sales/events.jsonl')!;
    expect(cols(events)).toEqual([['event_id', 'INT'], ['type', 'STRING'], ['at', 'TIMESTAMP'], ['user', 'JSON'], ['order_id', 'INT']]);
  });

  it('reads Parquet, Avro and JSON Schema files', () => {
    const products = result.tables.get('warehouse/products.parquet')!;
    expect(products.fileFormat).toBe('parquet');
    expect(products.columns.find((c) => c.name === 'price')).toMatchObject({ dataType: 'DECIMAL', precision: 10, scale: 2 });
    expect(products.columns.find((c) => c.name === 'attrs')).toMatchObject({ dataType: 'MAP' });
    expect(products.columns.find((c) => c.name === 'updated_at')).toMatchObject({ dataType: 'TIMESTAMP' });
    const clicks = result.tables.get('warehouse/clicks.avro')!;
    expect(cols(clicks)).toEqual([['click_id', 'LONG'], ['user', 'STRING'], ['at', 'TIMESTAMP'], ['amount', 'DECIMAL'], ['device', 'RECORD'], ['labels', 'ARRAY']]);
    const person = result.tables.get('warehouse/schemas/person.json')!;
    expect(person.columns[0]).toMatchObject({ name: 'Person', dataType: 'RECORD', description: 'A person known to the shop' });
    expect(person.columns[0].children!.map((c) => c.name)).toEqual(['name', 'age', 'email', 'address']);
  });

  it('groups the Hive-partitioned folder into one table with partition columns from the newest file', () => {
    const events = result.tables.get('warehouse/events')!;
    expect(events.tableType).toBe('Partitioned');
    expect(events.fileFormat).toBe('parquet');
    expect(cols(events)).toEqual([['event_id', 'INT'], ['kind', 'STRING'], ['at', 'DATETIME'], ['score', 'DECIMAL'], ['year', 'INT'], ['month', 'STRING']]);
    expect(events.tablePartition).toEqual({ columns: [{ columnName: 'year', intervalType: 'COLUMN-VALUE' }, { columnName: 'month', intervalType: 'COLUMN-VALUE' }] });
  });

  it('finishes with a clean status', () => {
    const s = result.workflow.source.status;
    expect(s.errors).toBe(0);
    expect(s.warnings).toBe(0);
    expect(result.workflow.state()).toBe('success');
    expect(s.records).toBe(2 + 2 + 10);
  });
});

describe('source behaviour on a temporary data lake', () => {
  let root: string;
  const put = (key: string, data: string | Buffer) => {
    const file = path.join(root, ...key.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  };
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-dl-src-'));
    put('b1/data/a.csv', 'x\n1\n');
    put('b1/data/b.CSV', 'y\n2\n');
    put('b1/database/c.json', '[{"z": 1}]');
    put('b1/data/empty.csv', '');
    put('b1/data/broken.parquet', 'not a parquet file');
    put('b1/data/_temporary/0/part.csv', 'x\n1\n');
    put('b1/data/part.csv.crc', 'crc');
    put('b1/data/events/dt=2024-01-01/p.jsonl', '{"a":1}\n');
    put('b1/data/events/dt=2024-01-02/p.jsonl', '{"a":1,"b":"x"}\n');
    put('b2/x.csv', 'k\nv\n');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reports a corrupt file as one failure and an empty file as a warning, and goes on', async () => {
    const { tables, workflow } = await run(localConfig(root, {}, { bucketName: 'b1' }));
    expect([...tables.keys()].sort()).toEqual([
      'b1/data/a.csv', 'b1/data/b.CSV', 'b1/data/events/dt=2024-01-01/p.jsonl', 'b1/data/events/dt=2024-01-02/p.jsonl', 'b1/database/c.json',
    ]);
    const s = workflow.source.status;
    expect(s.errors).toBe(1);
    expect(s.failureSamples[0].name).toBe('b1/data/broken.parquet');
    expect(s.failureSamples[0].error).toMatch(/cannot read it as parquet: not a Parquet file/);
    expect(s.failureSamples[0].stackTrace).toBeUndefined();
    expect(s.warnings).toBe(1);
    expect(s.warningSamples[0]).toEqual({ name: 'b1/data/empty.csv', reason: 'the file is empty: no table created' });
  });

  it('appends / to the prefix like OpenMetadata (data lists data/..., not database/...)', async () => {
    expect(normalizePrefix('data')).toBe('data/');
    expect(normalizePrefix('/data/')).toBe('data/');
    expect(normalizePrefix('')).toBe('');
    const { tables } = await run(localConfig(root, {}, { bucketName: 'b1', prefix: 'data' }));
    expect([...tables.keys()].some((k) => k.includes('database/'))).toBe(false);
    expect(tables.has('b1/data/a.csv')).toBe(true);
  });

  it('filters tables, buckets and databases with their OpenMetadata reasons', async () => {
    const { tables, workflow } = await run(
      localConfig(root, { tableFilterPattern: { excludes: ['.*\\.csv$'] }, schemaFilterPattern: { includes: ['b1'] } }),
    );
    expect([...tables.keys()].every((k) => !k.toLowerCase().endsWith('.csv'))).toBe(true);
    const s = workflow.source.status;
    expect(s.filteredByReason.get('Bucket Filtered Out')).toBe(1);
    expect(s.filteredByReason.get('Object Filtered Out')).toBe(3); // a.csv, b.CSV, empty.csv
    expect(s.filteredSamples.find((f) => f.reason === 'Bucket Filtered Out')!.name).toBe('lake_svc.default.b2');
    const db = await run(localConfig(root, { databaseFilterPattern: { excludes: ['default'] } }));
    expect(db.tables.size).toBe(0);
    expect(db.workflow.source.status.filteredByReason.get('Database Filtered Out')).toBe(1);
  });

  it('matches filters against FQNs with useFqnForFiltering', async () => {
    const { tables } = await run(
      localConfig(root, { useFqnForFiltering: true, tableFilterPattern: { includes: ['lake_svc\\.default\\.b1\\."data/a\\.csv"'] } }),
    );
    expect([...tables.keys()]).toEqual(['b1/data/a.csv']);
  });

  it('groups partition folders only when asked, and types partition values', async () => {
    const { tables } = await run(localConfig(root, { partitionedTables: true }, { bucketName: 'b1' }));
    const events = tables.get('b1/data/events')!;
    expect(cols(events)).toEqual([['a', 'INT'], ['b', 'STRING'], ['dt', 'DATE']]);
    expect(events.fileFormat).toBe('jsonl');
  });

  it('emits schemaDone after each bucket, incomplete when the bucket is missing', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-dl-out-')), 'out.jsonl');
    const workflow = await Workflow.create(
      { ...localConfig(root, {}, { bucketName: 'nope' }), sink: { type: 'file', config: { filename: out, format: 'jsonl' } } },
      // The source's own handling of a bucket that vanishes after the connection test.
      { registry: registry(), logger: silentLogger, testConnection: false },
    );
    const kinds: unknown[] = [];
    for await (const item of workflow.source.records()) kinds.push(item.ok ? item.value.kind : item.error);
    await workflow.stop();
    expect(kinds).toEqual(['databaseService', 'database', { name: 'nope', error: expect.stringMatching(/bucket "nope" not found: check serviceConnection.config.bucketName/) }]);

    const ok = await Workflow.create({ ...localConfig(root), sink: { type: 'file', config: { filename: out } } }, { registry: registry(), logger: silentLogger });
    const done: unknown[] = [];
    for await (const item of ok.source.records()) if (item.ok && item.value.kind === 'schemaDone') done.push(item.value);
    await ok.stop();
    expect(done).toEqual([
      { kind: 'schemaDone', databaseSchema: 'lake_svc.default.b1', complete: true, markDeletedTables: true },
      { kind: 'schemaDone', databaseSchema: 'lake_svc.default.b2', complete: true, markDeletedTables: true },
    ]);
  });

  it('counts the records a metadata run will yield, for the progress total', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-dl-out-')), 'out.json');
    const cases: [Record<string, unknown>, Record<string, unknown>][] = [
      [{}, {}],
      [{ tableFilterPattern: { excludes: ['.*\\.json$'] } }, { bucketName: 'b1' }],
      [{ includeTables: false }, {}],
    ];
    for (const [sourceConfig, connection] of cases) {
      const wf = await Workflow.create({ ...localConfig(root, sourceConfig, connection), sink: { type: 'file', config: { filename: out } } }, { registry: registry(), logger: silentLogger });
      const source = wf.source as DatalakeSource;
      // The first progress report starts the count; the total shows once it is done.
      expect(wf.progress().total).toBeUndefined();
      const expected = await source.counting;
      expect(wf.progress().total).toBe(expected);
      await wf.execute();
      await wf.stop();
      const st = wf.source.status;
      // Every counted object is a record, or a file that turned out empty (a warning) or unreadable (a failure).
      expect(st.records + st.errors + st.warningSamples.filter((w) => /empty/.test(w.reason)).length).toBe(expected);
    }
    const profiler = await Workflow.create({ ...localConfig(root, { type: 'Profiler' }), sink: { type: 'file', config: { filename: out } } }, { registry: registry(), logger: silentLogger });
    expect(await (profiler.source as DatalakeSource).countExpectedRecords()).toBeUndefined();
    await profiler.stop();
  });

  it('fails the connection test before anything is written for a missing bucket or root', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-dl-out-')), 'out.json');
    const sink = { type: 'file', config: { filename: out } };
    await expect(Workflow.create({ ...localConfig(root, {}, { bucketName: 'nope' }), sink }, { registry: registry(), logger: silentLogger })).rejects.toThrow(
      /^Connection test failed for source datalake \(list one page of nope\/\): source\.serviceConnection\.config\.bucketName: bucket "nope" not found/,
    );
    const noRoot = localConfig(path.join(root, 'missing-root'));
    await expect(Workflow.create({ ...noRoot, sink }, { registry: registry(), logger: silentLogger })).rejects.toThrow(
      /\(list the local buckets \(one page\)\): source\.serviceConnection\.config\.configSource\.root: local root directory .*missing-root not found/,
    );
    expect(fs.existsSync(out)).toBe(false);
    const results = await Workflow.testConnections({ ...localConfig(root, {}, { bucketName: 'b1', prefix: 'data' }), sink }, { registry: registry(), logger: silentLogger });
    expect(results).toEqual([
      { step: 'source datalake', name: 'set up the local storage client', ok: true },
      { step: 'source datalake', name: 'list one page of b1/data/', ok: true, detail: 'reachable' },
      { step: 'sink file', name: 'connect', ok: true, detail: 'nothing to check (this step connects to nothing)' },
    ]);
  });

  it('lists buckets but no tables with includeTables: false', async () => {
    const { records, tables } = await run(localConfig(root, { includeTables: false }));
    expect(tables.size).toBe(0);
    expect(records.filter((r) => 'database' in r).map((r) => r.name)).toEqual(['b1', 'b2']);
  });
});

describe('configuration', () => {
  const s3Seed = `
source:
  type: datalake
  serviceName: local_datalake
  serviceConnection:
    config:
      type: Datalake
      configSource:
        securityConfig:
          awsAccessKeyId: aws access key id
          awsSecretAccessKey: aws secret access key
          awsRegion: aws region
      bucketName: bucket name
      prefix: prefix
  sourceConfig:
    config:
      type: DatabaseMetadata
      tableFilterPattern:
        includes:
        - ''
sink:
  type: metadata-rest
  config: {}
workflowConfig:
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: openmetadata
    securityConfig:
      jwtToken: "token"
`;

  it('detects the storage from the structural configSource', () => {
    expect(detectConfigSource({ securityConfig: { awsRegion: 'us-east-1' } })).toBe('s3Config');
    expect(detectConfigSource({ securityConfig: { gcpConfig: { type: 'service_account' } } })).toBe('gcsConfig');
    expect(detectConfigSource({ securityConfig: { clientId: 'x', tenantId: 'y', accountName: 'z' } })).toBe('azureConfig');
    expect(detectConfigSource({})).toBe('localConfig');
    expect(detectConfigSource({ root: 'x' })).toBe('localConfig');
    expect(() => detectConfigSource({ securityConfig: { awsRegion: 'x', accountName: 'y' } })).toThrow(/s3Config \(awsRegion\) and azureConfig \(accountName\)/);
    expect(() => detectConfigSource({ securityConfig: { awsRegoin: 'x' } })).toThrow(/cannot tell which storage this is from key\(s\) awsRegoin/);
    expect(() => detectConfigSource({ securityConfig: {} })).toThrow(ConfigError);
  });

  it('names the missing store plugin for an S3 seed config', async () => {
    const raw = parseConfigText(s3Seed, 'yaml');
    delete raw.sink;
    let err: unknown;
    try {
      await validateWorkflowConfig(raw, registry());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toMatch(/configSource s3Config needs @om\/datalake-s3: pnpm add @om\/datalake-s3/);
    expect((err as ConfigError).violations).toHaveLength(1);
  });

  it('validates the S3 seed config unchanged once an S3 store is registered', async () => {
    const raw = parseConfigText(s3Seed, 'yaml');
    delete raw.sink;
    const r = registry();
    r.addDescriptor({ id: 'fake-s3', apiVersion: 1, provides: ['objectStore:s3'], register() {} }, '@om/datalake-s3');
    const validated = await validateWorkflowConfig(raw, r);
    expect(validated.capabilities.map((c) => c.capability)).toEqual(['source:datalake', 'objectStore:s3']);
  });

  it('rejects unknown keys in the connection and local configSource with hints', async () => {
    const bad = localConfig('x', { tableFilterPatern: {} }, { bucketname: 'b' });
    (bad.source.serviceConnection.config.configSource as Record<string, unknown>) = { root: 'x', rot: 'y' };
    let err: ConfigError | undefined;
    try {
      await validateWorkflowConfig(bad, registry());
    } catch (e) {
      err = e as ConfigError;
    }
    const paths = err!.violations.map((v) => v.path).sort();
    expect(paths).toEqual([
      'source.serviceConnection.config.bucketname',
      'source.serviceConnection.config.configSource.rot',
      'source.sourceConfig.config.tableFilterPatern',
    ]);
    expect(err!.violations.find((v) => v.path.endsWith('.rot'))!.hint).toBe('did you mean "root"?');
  });
});
