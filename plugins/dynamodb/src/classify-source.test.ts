import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, type OmRecord, type TableDataRequest } from '@om/core';
import { checkPipelineFields, parseDynamoDBSource } from './config';
import { DynamoDBClassifySource, plainValue } from './classify-source';
import { adminClient, collect, createTable, dynamoEndpoint, keyedTable, putItems, TEST_KEYS, uniquePrefix } from './testing/helpers';

const P = uniquePrefix('cls');

function section(sourceConfig: Record<string, unknown>) {
  return {
    type: 'dynamodb',
    serviceName: 'ddb_svc',
    serviceConnection: { config: { type: 'DynamoDB', awsConfig: { ...TEST_KEYS, awsRegion: 'us-east-1', endPointURL: dynamoEndpoint() } } },
    sourceConfig: { config: { type: 'AutoClassification', tableFilterPattern: { includes: [`${P}.*`] }, ...sourceConfig } },
  };
}

describe('plainValue', () => {
  it('turns attribute values into plain values', () => {
    expect(plainValue({ S: 'x' })).toBe('x');
    expect(plainValue({ N: '12.5' })).toBe(12.5);
    expect(plainValue({ N: '123456789012345678901' })).toBe('123456789012345678901'); // past 2^53: text
    expect(plainValue({ BOOL: false })).toBe(false);
    expect(plainValue({ NULL: true })).toBeNull();
    expect(plainValue({ SS: ['a', 'b'] })).toEqual(['a', 'b']);
    expect(plainValue({ NS: ['1', '2'] })).toEqual([1, 2]);
    expect(plainValue({ L: [{ S: 'a' }, { M: { n: { N: '1' } } }] })).toEqual(['a', { n: 1 }]);
    expect(plainValue({ B: new Uint8Array([1, 2]) })).toEqual(new Uint8Array([1, 2]));
  });
});

describe('AutoClassification config', () => {
  it('names a field that belongs to the other pipeline', () => {
    expect(() => checkPipelineFields({ type: 'AutoClassification', markDeletedTables: true })).toThrow(ConfigError);
    expect(() => checkPipelineFields({ type: 'AutoClassification', markDeletedTables: true })).toThrow(/source\.sourceConfig\.config\.markDeletedTables: unknown key "markDeletedTables" for a AutoClassification pipeline/);
    expect(() => checkPipelineFields({ type: 'DatabaseMetadata', storeSampleData: true })).toThrow(/storeSampleData/);
    expect(() => checkPipelineFields({ type: 'AutoClassification', storeSampleData: true, confidence: 90, sampleDataCount: 10 })).not.toThrow();
  });
});

describe('DynamoDBClassifySource on dynalite', () => {
  beforeAll(async () => {
    const admin = adminClient();
    await createTable(admin, keyedTable(`${P}_users`, ['id', 'S']));
    await createTable(admin, keyedTable(`other_${P}`, ['id', 'S']));
    await putItems(admin, `${P}_users`, Array.from({ length: 60 }, (_, i) => ({ id: { S: `u${i}` }, email: { S: `p${i}@example.com` }, n: { N: String(i) } })));
    admin.destroy();
  });

  it('reads each kept table with Scans of Limit = sampleDataCount and replays those items on every pass', async () => {
    const settings = parseDynamoDBSource(section({ sampleDataCount: 7 }));
    const client = new DynamoDBClient({ ...settings.aws.config });
    const scans: number[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ScanCommand') scans.push((args.input as { Limit: number }).Limit);
        return next(args);
      },
      { step: 'initialize', name: 'countScans' },
    );
    const source = new DynamoDBClassifySource(settings, client, 7);
    const records = await collect(source);
    const requests = records.filter((r): r is { ok: true; value: Extract<OmRecord, { kind: 'profileRequest' }> } => r.ok && r.value.kind === 'profileRequest');
    expect(requests.map((r) => r.value.table.fqn)).toEqual([`ddb_svc.default.default.${P}_users`]);
    expect(scans).toEqual([7]);
    const table: TableDataRequest = requests[0].value.table;
    expect(table.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['id', 'email', 'n']));
    const rows = [];
    for await (const r of table.rows()) rows.push(r);
    expect(rows).toHaveLength(7);
    const again = [];
    for await (const r of table.rows()) again.push(r);
    expect(again).toEqual(rows);
    expect(scans).toEqual([7]); // no second read
    expect(source.status.snapshot().filtered).toBeGreaterThan(0);
    await source.close();
  });
});
