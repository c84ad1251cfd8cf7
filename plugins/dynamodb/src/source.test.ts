import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { planShards, type Column, type CreateTableRequest, type Either, type OmRecord } from '@om/core';
import { parseDynamoDBSource } from './config';
import { DynamoDBSource, DynamoDBSourceError } from './source';
import { FaultProxy, type ProxiedRequest } from '../../../tests/cloud/fault-proxy';
import { adminClient, collect, createTable, DenyProxy, dynamoEndpoint, keyedTable, putItems, TEST_KEYS, uniquePrefix } from './testing/helpers';

const P = uniquePrefix('src');
let admin: DynamoDBClient;

function section(sourceConfig: Record<string, unknown> = {}, connection: Record<string, unknown> = {}, endpoint = dynamoEndpoint()) {
  return {
    type: 'dynamodb',
    serviceName: 'ddb_svc',
    serviceConnection: {
      config: { type: 'DynamoDB', awsConfig: { ...TEST_KEYS, awsRegion: 'us-east-1', endPointURL: endpoint }, ...connection },
    },
    sourceConfig: { config: { type: 'DatabaseMetadata', tableFilterPattern: { includes: [`${P}.*`] }, ...sourceConfig } },
  };
}

/** Counts commands by name (and keeps their inputs) with client middleware: the real calls, nothing faked. */
function countCommands(client: DynamoDBClient): { counts: Map<string, number>; inputs: Map<string, unknown[]> } {
  const counts = new Map<string, number>();
  const inputs = new Map<string, unknown[]>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName).replace(/Command$/, '');
      counts.set(name, (counts.get(name) ?? 0) + 1);
      inputs.set(name, [...(inputs.get(name) ?? []), args.input]);
      return next(args);
    },
    { step: 'initialize', name: 'omTestCounter' },
  );
  return { counts, inputs };
}

function tables(records: Either<OmRecord>[]): Map<string, CreateTableRequest> {
  const out = new Map<string, CreateTableRequest>();
  for (const r of records) if (r.ok && r.value.kind === 'table') out.set(r.value.entity.name, r.value.entity);
  return out;
}

function col(table: CreateTableRequest | undefined, name: string): Column | undefined {
  return table?.columns.find((c) => c.name === name);
}

async function run(sourceConfig: Record<string, unknown> = {}, connection: Record<string, unknown> = {}, endpoint?: string) {
  const source = new DynamoDBSource(parseDynamoDBSource(section(sourceConfig, connection, endpoint)));
  const calls = countCommands(source.client);
  try {
    const records = await collect(source);
    return { source, records, calls, tables: tables(records) };
  } finally {
    await source.close();
  }
}

beforeAll(async () => {
  admin = adminClient();
  // Composite key, a GSI and an LSI; items with every wire type and conflicting types.
  await createTable(admin, {
    ...keyedTable(`${P}orders`, ['customer', 'S'], ['orderedAt', 'N']),
    AttributeDefinitions: [
      { AttributeName: 'customer', AttributeType: 'S' },
      { AttributeName: 'orderedAt', AttributeType: 'N' },
      { AttributeName: 'status', AttributeType: 'S' },
      { AttributeName: 'amount', AttributeType: 'N' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byStatus',
        KeySchema: [
          { AttributeName: 'status', KeyType: 'HASH' },
          { AttributeName: 'orderedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['amount'] },
      },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byAmount',
        KeySchema: [
          { AttributeName: 'customer', KeyType: 'HASH' },
          { AttributeName: 'amount', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
  });
  await putItems(admin, `${P}orders`, [
    {
      customer: { S: 'c1' },
      orderedAt: { N: '1' },
      status: { S: 'open' },
      amount: { N: '12.5' },
      address: { M: { city: { S: 'Oslo' }, geo: { M: { lat: { N: '59.9' }, lon: { N: '10.7' } } } } },
      lines: { L: [{ M: { sku: { S: 'A-1' }, qty: { N: '2' } } }] },
      tags: { SS: ['red', 'big'] },
      scores: { NS: ['1', '2.5'] },
      blobs: { BS: [new Uint8Array([1, 2, 3])] },
      photo: { B: new Uint8Array([0xff, 0xd8]) },
      paid: { BOOL: true },
      note: { NULL: true },
      flex: { N: '7' },
      notes: { L: [{ S: 'x' }] },
    },
    {
      customer: { S: 'c2' },
      orderedAt: { N: '2' },
      status: { S: 'done' },
      amount: { N: '3' },
      address: { M: { city: { S: 'Bergen' }, zip: { S: '5003' } } },
      lines: { L: [{ M: { sku: { S: 'B-2' }, discount: { N: '0.1' } } }, { M: { sku: { S: 'C-3' } } }] },
      flex: { S: 'seven' },
      note: { S: 'leave at door' },
    },
  ]);
  // Hash-only key.
  await createTable(admin, keyedTable(`${P}users`, ['userId', 'S']));
  await putItems(admin, `${P}users`, [{ userId: { S: '1001' }, name: { S: 'Ada' } }]);
  // Empty, composite with a binary sort key.
  await createTable(admin, keyedTable(`${P}empty`, ['pk', 'N'], ['sk', 'B']));
  // 26 items: more than one Scan page with a small page size.
  await createTable(admin, keyedTable(`${P}events`, ['id', 'N']));
  await putItems(
    admin,
    `${P}events`,
    Array.from({ length: 26 }, (_, i) => ({ id: { N: String(i) }, kind: { S: i % 2 ? 'click' : 'view' } })),
  );
  // More tables than one ListTables page (page size 2 below).
  for (const n of ['t1', 't2', 't3', 't4']) await createTable(admin, keyedTable(`${P}${n}`, ['k', 'S']));
});

afterAll(() => admin?.destroy());

describe('DynamoDBSource on dynalite', () => {
  it('shards by table name: every table in exactly one shard, and a shard describes only its own', async () => {
    const planning = new DynamoDBSource(parseDynamoDBSource(section()));
    const units = await planning.shardUnits();
    await planning.close();
    const plan = planShards(units, 3, 'test');
    const seen: string[] = [];
    for (const [index, ranges] of plan.shards.entries()) {
      const source = new DynamoDBSource(parseDynamoDBSource(section()), { shard: { index, of: 3, ranges } });
      const calls = countCommands(source.client);
      const names = [...tables(await collect(source)).keys()];
      await source.close();
      expect(source.expectedRecords()).toBeUndefined();
      expect(calls.counts.get('DescribeTable') ?? 0).toBe(names.length);
      seen.push(...names);
    }
    const whole = [...(await run()).tables.keys()];
    expect(whole.length).toBeGreaterThan(2);
    expect(seen.sort()).toEqual(whole.sort());
  });

  it('yields service, database, schema, tables and schemaDone in order, one DescribeTable per table', async () => {
    const { records, calls, source } = await run({ listTablesPageSize: 2 }, { databaseName: 'shop' });
    expect(records.every((r) => r.ok)).toBe(true);
    const values = records.map((r) => (r.ok ? r.value : undefined)) as OmRecord[];
    expect(values[0]).toEqual({
      kind: 'databaseService',
      entity: {
        name: 'ddb_svc',
        serviceType: 'DynamoDB',
        connection: { config: section({}, { databaseName: 'shop' }).serviceConnection.config },
      },
    });
    expect(values[1]).toEqual({ kind: 'database', entity: { name: 'shop', service: 'ddb_svc' } });
    expect(values[2]).toEqual({ kind: 'databaseSchema', entity: { name: 'default', database: 'ddb_svc.shop' } });
    expect(values.at(-1)).toEqual({ kind: 'schemaDone', databaseSchema: 'ddb_svc.shop.default', complete: true, markDeletedTables: true });
    const names = values.filter((v) => v.kind === 'table').map((v) => (v as { entity: CreateTableRequest }).entity.name);
    expect(names.sort()).toEqual([`${P}empty`, `${P}events`, `${P}orders`, `${P}t1`, `${P}t2`, `${P}t3`, `${P}t4`, `${P}users`].sort());
    // ListTables paged by 2 across every table on the server (other files' tables are filtered out).
    expect(calls.counts.get('ListTables')!).toBeGreaterThanOrEqual(4);
    for (const input of calls.inputs.get('ListTables')!) expect(input).toMatchObject({ Limit: 2 });
    expect(calls.counts.get('DescribeTable')).toBe(8);
    expect(source.status.warnings).toBe(0);
    expect(source.status.filtered).toBeGreaterThanOrEqual(0);
  });

  it('infers columns and constraints for a composite key with indexes, maps, lists, sets and binary', async () => {
    const { tables: t } = await run({ tableFilterPattern: { includes: [`${P}orders$`] } });
    const orders = t.get(`${P}orders`)!;
    expect(orders).toMatchObject({
      name: `${P}orders`,
      tableType: 'Regular',
      databaseSchema: 'ddb_svc.default.default',
      sourceUrl: `https://us-east-1.console.aws.amazon.com/dynamodbv2/home?region=us-east-1#table?name=${P}orders`,
      tableConstraints: [
        { constraintType: 'PRIMARY_KEY', columns: ['customer', 'orderedAt'] },
        { constraintType: 'SORT_KEY', columns: ['orderedAt'] },
      ],
    });
    expect(orders.columns.some((c) => c.constraint)).toBe(false);
    expect(orders.columns.slice(0, 2)).toEqual([
      { name: 'customer', dataType: 'STRING', dataTypeDisplay: 'string', ordinalPosition: 1 },
      { name: 'orderedAt', dataType: 'NUMBER', dataTypeDisplay: 'number', ordinalPosition: 2 },
    ]);
    expect(col(orders, 'status')).toMatchObject({ dataType: 'STRING' });
    expect(col(orders, 'amount')).toMatchObject({ dataType: 'NUMBER' });
    // Children are merged across items; their order follows the (server's) scan order.
    const byName = (cols: Column[] | undefined) => Object.fromEntries((cols ?? []).map((c) => [c.name, c]));
    const address = col(orders, 'address')!;
    expect(address.dataType).toBe('JSON');
    expect(Object.keys(byName(address.children)).sort()).toEqual(['city', 'geo', 'zip']);
    expect(byName(address.children).geo).toMatchObject({
      dataType: 'JSON',
      children: [{ name: 'lat', dataType: 'NUMBER' }, { name: 'lon', dataType: 'NUMBER' }],
    });
    const lines = col(orders, 'lines')!;
    expect(lines).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRUCT', dataTypeDisplay: 'list<struct>' });
    expect(byName(lines.children)).toEqual({
      sku: { name: 'sku', dataType: 'STRING', dataTypeDisplay: 'string' },
      qty: { name: 'qty', dataType: 'NUMBER', dataTypeDisplay: 'number' },
      discount: { name: 'discount', dataType: 'NUMBER', dataTypeDisplay: 'number' },
    });
    expect(col(orders, 'tags')).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING', dataTypeDisplay: 'set<string>' });
    expect(col(orders, 'scores')).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'NUMBER', dataTypeDisplay: 'set<number>' });
    expect(col(orders, 'blobs')).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'BYTES', dataTypeDisplay: 'set<binary>' });
    expect(col(orders, 'photo')).toMatchObject({ dataType: 'BYTES' });
    expect(col(orders, 'paid')).toMatchObject({ dataType: 'BOOLEAN' });
    expect(col(orders, 'notes')).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING', dataTypeDisplay: 'list<string>' });
    // Conflicting types: N in one item, S in the other → STRING; NULL + S → STRING.
    expect(col(orders, 'flex')).toMatchObject({ dataType: 'STRING', dataTypeDisplay: 'string (widened from N|S)' });
    expect(col(orders, 'note')).toMatchObject({ dataType: 'STRING' });
    // Facts OpenMetadata drops.
    expect(orders.extension).toMatchObject({
      partitionKey: 'customer',
      sortKey: 'orderedAt',
      billingMode: 'PAY_PER_REQUEST',
      itemCount: expect.any(Number),
      tableSizeBytes: expect.any(Number),
      globalSecondaryIndexes: [{ name: 'byStatus', partitionKey: 'status', sortKey: 'orderedAt', projection: 'INCLUDE', nonKeyAttributes: ['amount'] }],
      localSecondaryIndexes: [{ name: 'byAmount', partitionKey: 'customer', sortKey: 'amount', projection: 'KEYS_ONLY' }],
      sampledItems: 2,
    });
    expect(orders.description).toContain('partition key `customer` (S), sort key `orderedAt` (N)');
    expect(orders.description).toContain('Billing mode: PAY_PER_REQUEST');
    expect(orders.description).toContain('Global secondary indexes: `byStatus`');
    expect(orders.description).toContain('Local secondary indexes: `byAmount`');
  });

  it('puts PRIMARY_KEY on the column of a hash-only key, and gives an empty table its key columns', async () => {
    const { tables: t } = await run({ tableFilterPattern: { includes: [`${P}users$`, `${P}empty$`] } });
    const users = t.get(`${P}users`)!;
    expect(users.tableConstraints).toBeUndefined();
    expect(users.columns).toEqual([
      { name: 'userId', dataType: 'STRING', dataTypeDisplay: 'string', ordinalPosition: 1, constraint: 'PRIMARY_KEY' },
      { name: 'name', dataType: 'STRING', dataTypeDisplay: 'string', ordinalPosition: 2 },
    ]);
    const empty = t.get(`${P}empty`)!;
    expect(empty.columns).toEqual([
      { name: 'pk', dataType: 'NUMBER', dataTypeDisplay: 'number', ordinalPosition: 1 },
      { name: 'sk', dataType: 'BYTES', dataTypeDisplay: 'binary', ordinalPosition: 2 },
    ]);
    expect(empty.tableConstraints).toEqual([
      { constraintType: 'PRIMARY_KEY', columns: ['pk', 'sk'] },
      { constraintType: 'SORT_KEY', columns: ['sk'] },
    ]);
    expect(empty.extension).toMatchObject({ sampledItems: 0 });
  });

  it('pages the Scan with ExclusiveStartKey and stops at sampleSize', async () => {
    const all = await run({ tableFilterPattern: { includes: [`${P}events$`] }, scanPageSize: 4 });
    expect(all.tables.get(`${P}events`)!.extension).toMatchObject({ sampledItems: 26 });
    const scans = all.calls.inputs.get('Scan') as { Limit: number; ExclusiveStartKey?: unknown }[];
    expect(scans.length).toBe(7);
    expect(scans[0].ExclusiveStartKey).toBeUndefined();
    expect(scans.slice(1).every((s) => s.ExclusiveStartKey)).toBe(true);

    const capped = await run({ tableFilterPattern: { includes: [`${P}events$`] }, scanPageSize: 4, sampleSize: 10 });
    expect(capped.tables.get(`${P}events`)!.extension).toMatchObject({ sampledItems: 10 });
    expect((capped.calls.inputs.get('Scan') as { Limit: number }[]).map((s) => s.Limit)).toEqual([4, 4, 2]);

    const none = await run({ tableFilterPattern: { includes: [`${P}events$`] }, sampleSize: 0 });
    expect(none.calls.counts.get('Scan')).toBeUndefined();
    expect(none.tables.get(`${P}events`)!.columns.map((c) => c.name)).toEqual(['id']);
  });

  it('filters tables (includes win, excludes, FQN filtering) and reports them as filtered', async () => {
    const ex = await run({ tableFilterPattern: { includes: [`${P}t`] } });
    expect([...ex.tables.keys()].sort()).toEqual([`${P}t1`, `${P}t2`, `${P}t3`, `${P}t4`]);
    expect(ex.calls.counts.get('DescribeTable')).toBe(4);
    // The total the progress line shows, known once every ListTables page is in: the records yielded.
    expect(ex.source.expectedRecords()).toBe(7);
    expect(ex.records.filter((r) => r.ok && r.value.kind !== 'schemaDone')).toHaveLength(7);

    const excl = await run({ tableFilterPattern: { excludes: [`${P}t[12]$`, '^(?!' + P + ')'] } });
    expect([...excl.tables.keys()].sort()).toEqual([`${P}empty`, `${P}events`, `${P}orders`, `${P}t3`, `${P}t4`, `${P}users`].sort());
    expect(excl.source.status.filteredSamples.map((f) => f.name)).toEqual(
      expect.arrayContaining([`ddb_svc.default.default.${P}t1`, `ddb_svc.default.default.${P}t2`]),
    );
    expect(excl.source.status.filteredByReason.get('Table Filtered Out')).toBeGreaterThanOrEqual(2);

    const fqn = await run({ useFqnForFiltering: true, tableFilterPattern: { includes: [`ddb_svc\\.default\\.default\\.${P}users$`] } });
    expect([...fqn.tables.keys()]).toEqual([`${P}users`]);

    const schema = await run({ schemaFilterPattern: { excludes: ['default'] } });
    expect(schema.records.map((r) => (r.ok ? r.value.kind : 'error'))).toEqual(['databaseService', 'database']);
    expect(schema.calls.counts.get('ListTables')).toBeUndefined();
  });

  it('caps the columns with one warning', async () => {
    const { tables: t, source } = await run({ tableFilterPattern: { includes: [`${P}orders$`] }, maxColumns: 4 });
    const orders = t.get(`${P}orders`)!;
    expect(orders.columns).toHaveLength(4);
    expect(orders.columns.slice(0, 2).map((c) => c.name)).toEqual(['customer', 'orderedAt']);
    expect(source.status.warnings).toBe(1);
    expect(source.status.warningSamples[0].reason).toMatch(/kept the 4 most frequent \(maxColumns 4\) and left out: /);
  });

  it('uses the default credential chain when no keys are configured', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, profile: process.env.AWS_PROFILE };
    process.env.AWS_ACCESS_KEY_ID = 'AKIDFROMENV';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret-value';
    delete process.env.AWS_PROFILE;
    try {
      const s = section({ tableFilterPattern: { includes: [`${P}users$`] } });
      const aws = s.serviceConnection.config.awsConfig as Record<string, unknown>;
      delete aws.awsAccessKeyId;
      delete aws.awsSecretAccessKey;
      const settings = parseDynamoDBSource(s);
      expect(settings.aws.credentialSource).toBe('default');
      const source = new DynamoDBSource(settings);
      const records = await collect(source);
      await source.close();
      expect(tables(records).has(`${P}users`)).toBe(true);
    } finally {
      for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret], ['AWS_PROFILE', saved.profile]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  describe('denied calls (through a proxy answering AccessDeniedException)', () => {
    let proxy: DenyProxy;
    beforeEach(async () => {
      proxy = new DenyProxy(dynamoEndpoint());
      await proxy.start();
    });
    afterEach(async () => proxy.stop());

    it('DescribeTable denied → warning, table from the sample without constraints', async () => {
      proxy.deny.add(`DescribeTable:${P}orders`);
      const { tables: t, source, records } = await run({ tableFilterPattern: { includes: [`${P}orders$`, `${P}users$`] } }, {}, proxy.endpoint);
      expect(records.every((r) => r.ok)).toBe(true);
      const orders = t.get(`${P}orders`)!;
      expect(orders.tableConstraints).toBeUndefined();
      expect(orders.columns.some((c) => c.constraint)).toBe(false);
      expect(col(orders, 'address')?.children?.length).toBe(3);
      expect(orders.description).toBeUndefined();
      expect(t.get(`${P}users`)!.columns[0].constraint).toBe('PRIMARY_KEY');
      expect(source.status.warnings).toBe(1);
      expect(source.status.warningSamples[0]).toEqual({
        name: `ddb_svc.default.default.${P}orders`,
        reason: expect.stringMatching(/^DescribeTable on table .*orders was denied \(AccessDeniedException\): .*Grant dynamodb:DescribeTable .*columns come from the sample only/),
      });
    });

    it('Scan denied → warning, key columns only', async () => {
      proxy.deny.add(`Scan:${P}orders`);
      const { tables: t, source } = await run({ tableFilterPattern: { includes: [`${P}orders$`] } }, {}, proxy.endpoint);
      const orders = t.get(`${P}orders`)!;
      expect(orders.columns.map((c) => c.name)).toEqual(['customer', 'orderedAt', 'status', 'amount']);
      expect(orders.tableConstraints).toHaveLength(2);
      expect(source.status.warnings).toBe(1);
      expect(source.status.warningSamples[0].reason).toMatch(/Scan on table .*orders was denied.*only the key and index columns/);
    });

    it('Scan denied part-way → columns from the items read so far', async () => {
      proxy.denyAfter.set('Scan', 2);
      const { tables: t, source } = await run({ tableFilterPattern: { includes: [`${P}events$`] }, scanPageSize: 4 }, {}, proxy.endpoint);
      expect(t.get(`${P}events`)!.extension).toMatchObject({ sampledItems: 8, sampleIncomplete: true });
      expect(source.status.warningSamples[0].reason).toMatch(/from the 8 items read before/);
    });

    it('DescribeTable and Scan both denied → a failure for that table only', async () => {
      proxy.deny.add(`Scan:${P}users`);
      proxy.deny.add(`DescribeTable:${P}users`);
      const { records, tables: t } = await run({ tableFilterPattern: { includes: [`${P}users$`, `${P}t1$`] } }, {}, proxy.endpoint);
      const failures = records.filter((r) => !r.ok);
      expect(failures).toEqual([
        { ok: false, error: { name: `${P}users`, error: expect.stringMatching(/both DescribeTable and Scan were denied/) } },
      ]);
      expect(t.has(`${P}t1`)).toBe(true);
    });

    it('ListTables denied → a clear failure of the source, after an incomplete schemaDone', async () => {
      proxy.deny.add('ListTables');
      const source = new DynamoDBSource(parseDynamoDBSource(section({}, {}, proxy.endpoint)));
      const seen: OmRecord[] = [];
      let error: unknown;
      try {
        for await (const r of source.records()) if (r.ok) seen.push(r.value);
      } catch (err) {
        error = err;
      }
      await source.close();
      expect(error).toBeInstanceOf(DynamoDBSourceError);
      expect((error as Error).message).toMatch(
        /^Cannot list the DynamoDB tables: ListTables on region us-east-1 was denied \(AccessDeniedException\): .*Grant dynamodb:ListTables/,
      );
      expect((error as Error).message).not.toContain(TEST_KEYS.awsSecretAccessKey);
      expect(seen.at(-1)).toEqual({ kind: 'schemaDone', databaseSchema: 'ddb_svc.default.default', complete: false, markDeletedTables: true });
      await expect(new DynamoDBSource(parseDynamoDBSource(section({}, {}, proxy.endpoint))).testConnection()).rejects.toThrow(
        /Cannot list the DynamoDB tables/,
      );
    });
  });

  describe('faults (through the fault-injecting proxy)', () => {
    let proxy: FaultProxy;
    beforeEach(async () => {
      proxy = new FaultProxy(dynamoEndpoint());
      await proxy.start();
    });
    afterEach(async () => proxy.stop());

    const scanOf = (table: string) => (r: ProxiedRequest) =>
      String(r.headers['x-amz-target']).endsWith('.Scan') && (JSON.parse(r.body) as { TableName?: string }).TableName === table;

    it('a Scan that never answers fails that table after the read timeout and the retries; the run goes on', async () => {
      proxy.fault((r) => (scanOf(`${P}orders`)(r) ? { hang: true } : undefined));
      const { records, tables: t } = await run(
        { tableFilterPattern: { includes: [`${P}orders$`, `${P}users$`] } },
        { connectionArguments: { maxAttempts: 2, readTimeoutSeconds: 0.3 } },
        proxy.endpoint,
      );
      expect(records.filter((r) => !r.ok)).toEqual([
        { ok: false, error: { name: `${P}orders`, error: expect.stringMatching(/Scan on table .*orders failed: no answer within the read timeout .*is not sent/) } },
      ]);
      expect(t.has(`${P}orders`)).toBe(false);
      expect(t.has(`${P}users`)).toBe(true);
      expect(proxy.injected).toHaveLength(2);
    });

    it('a throttled Scan does not send the table with its key columns only (the catalog keeps its columns)', async () => {
      const throttled = {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException', message: 'The level of configured provisioned throughput for the table was exceeded.' }),
      };
      proxy.fault((r) => (scanOf(`${P}orders`)(r) ? throttled : undefined));
      const { records, tables: t, source } = await run({ tableFilterPattern: { includes: [`${P}orders$`] } }, { connectionArguments: { maxAttempts: 2 } }, proxy.endpoint);
      expect(t.has(`${P}orders`)).toBe(false);
      expect(records.filter((r) => !r.ok)).toEqual([
        {
          ok: false,
          error: {
            name: `${P}orders`,
            error: expect.stringMatching(/Scan on table .*orders was throttled after all retries \(ProvisionedThroughputExceededException\).*the columns OpenMetadata holds for it are kept/),
          },
        },
      ]);
      // The schema is still complete (the table was listed), and the failure keeps mark-deleted off for the run.
      expect(records.at(-1)).toEqual({ ok: true, value: expect.objectContaining({ kind: 'schemaDone', complete: true }) });
      expect(source.status.warnings).toBe(0);
    });
  });
});
