import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { builtinPlugin, ConfigError, PluginRegistry, validateAgainst, validateWorkflowConfig, Workflow, type CreateTableRequest } from '@om/core';
import { plugin as dynamoPlugin, databaseMetadataSchema, dynamoDBConnectionSchema, DynamoDBSource } from './index';
import { adminClient, createTable, dynamoEndpoint, keyedTable, putItems, TEST_KEYS, uniquePrefix } from './testing/helpers';

/** OpenMetadata's DynamoDB example workflow, as its docs ship it. */
const SEED_YAML = `
source:
  type: dynamodb
  serviceName: local_dynamodb
  serviceConnection:
    config:
      type: DynamoDB
      awsConfig:
        awsAccessKeyId: aws_access_key_id
        awsSecretAccessKey: aws_secret_access_key
        awsRegion: us-east-2
        endPointURL: https://dynamodb.us-east-2.amazonaws.com
      databaseName: custom_database_name
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
  loggerLevel: DEBUG
  openMetadataServerConfig:
    hostPort: http://localhost:8585/api
    authProvider: openmetadata
    securityConfig:
      jwtToken: "eyJraWQiOiJHYjM4OWEtOWY3Ni1nZGpzLWE5MmotMDI0MmJrOTQzNTYiLCJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9"
`;

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(dynamoPlugin, '@om/dynamodb');
  return r;
}

describe('@om/dynamodb plugin', () => {
  it('matches its package.json manifest', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    expect(pkg.om).toEqual({ id: 'dynamodb', apiVersion: 1, provides: ['source:dynamodb'] });
    expect(dynamoPlugin.id).toBe(pkg.om.id);
    expect(dynamoPlugin.provides).toEqual(pkg.om.provides);
  });

  it("validates OpenMetadata's DynamoDB example unchanged", async () => {
    const seed = parse(SEED_YAML) as Record<string, unknown>;
    const source = seed.source as { serviceConnection: { config: unknown }; sourceConfig: { config: unknown } };
    const secrets = new Set<string>();
    expect(validateAgainst(dynamoDBConnectionSchema, source.serviceConnection.config, '/source/serviceConnection/config', secrets)).toEqual([]);
    expect(validateAgainst(databaseMetadataSchema, source.sourceConfig.config)).toEqual([]);
    expect(secrets).toEqual(new Set(['/source/serviceConnection/config/awsConfig/awsSecretAccessKey']));
    // The whole file: only the REST sink (another package) is missing here.
    try {
      await validateWorkflowConfig(seed, registry());
      throw new Error('expected the missing metadata-rest sink to be reported');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).violations.map((v) => v.path)).toEqual(['sink.type']);
    }
    const withFileSink = { ...seed, sink: { type: 'file', config: { filename: 'out.json' } } };
    const validated = await validateWorkflowConfig(withFileSink, registry());
    expect(validated.capabilities.map((c) => c.capability)).toEqual(['source:dynamodb', 'sink:file']);
  });

  it('reports config mistakes by path', async () => {
    const seed = parse(SEED_YAML) as { source: { serviceConnection: { config: Record<string, unknown> }; sourceConfig: { config: Record<string, unknown> } } };
    const conn = seed.source.serviceConnection.config;
    conn.awsConfig = { awsAccessKeyId: 'x', awsSecretAccessKey: 'y', endpointUrl: 'http://h' };
    seed.source.sourceConfig.config.sampleSize = -1;
    seed.source.sourceConfig.config.tableFilterPatern = {};
    const err = await validateWorkflowConfig({ ...seed, sink: { type: 'console' } }, registry()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    const text = (err as ConfigError).message;
    expect(text).toContain('source.serviceConnection.config.awsConfig.awsRegion: required key "awsRegion" is missing');
    expect(text).toContain('source.serviceConnection.config.awsConfig.endpointUrl: unknown key "endpointUrl"');
    expect(text).toContain('did you mean "endPointURL"?');
    expect(text).toContain('source.sourceConfig.config.sampleSize');
    expect(text).toContain('did you mean "tableFilterPattern"?');
  });

  it('names the missing half of a key pair when the config is validated (before any run)', async () => {
    const seed = parse(SEED_YAML) as { source: { serviceConnection: { config: { awsConfig: Record<string, unknown> } } } };
    delete seed.source.serviceConnection.config.awsConfig.awsAccessKeyId;
    const err = await validateWorkflowConfig({ ...seed, sink: { type: 'console' } }, registry()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain('source.serviceConnection.config.awsConfig.awsAccessKeyId: required key "awsAccessKeyId" is missing');
    expect((err as Error).message).not.toContain('aws_secret_access_key');

    const noSecret = parse(SEED_YAML) as { source: { serviceConnection: { config: { awsConfig: Record<string, unknown> } } } };
    noSecret.source.serviceConnection.config.awsConfig.awsSecretAccessKey = '';
    const err2 = await validateWorkflowConfig({ ...noSecret, sink: { type: 'console' } }, registry()).catch((e: unknown) => e);
    expect((err2 as Error).message).toContain('source.serviceConnection.config.awsConfig.awsSecretAccessKey');
    // Both halves empty or null still mean "use the default chain".
    const neither = parse(SEED_YAML) as { source: { serviceConnection: { config: { awsConfig: Record<string, unknown> } } } };
    neither.source.serviceConnection.config.awsConfig.awsAccessKeyId = null;
    neither.source.serviceConnection.config.awsConfig.awsSecretAccessKey = '';
    await expect(validateWorkflowConfig({ ...neither, sink: { type: 'console' } }, registry())).resolves.toBeDefined();
  });

  describe('end to end with the file sink on dynalite', () => {
    const P = uniquePrefix('e2e');
    let dir: string;

    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-dynamodb-'));
      const admin = adminClient();
      try {
        await createTable(admin, keyedTable(`${P}orders`, ['customer', 'S'], ['orderedAt', 'N']));
        await putItems(admin, `${P}orders`, [
          { customer: { S: 'c1' }, orderedAt: { N: '1' }, total: { N: '9.5' }, items: { L: [{ M: { sku: { S: 'A' } } }] } },
        ]);
        await createTable(admin, keyedTable(`${P}users`, ['userId', 'S']));
        await putItems(admin, `${P}users`, [{ userId: { S: 'u1' }, emails: { SS: ['a@x.org'] } }]);
      } finally {
        admin.destroy();
      }
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('writes the tables and columns, with secrets masked', async () => {
      const filename = path.join(dir, 'out.json');
      const config = {
        source: {
          type: 'dynamodb',
          serviceName: 'ddb_e2e',
          serviceConnection: {
            config: {
              type: 'DynamoDB',
              awsConfig: { ...TEST_KEYS, awsRegion: 'eu-north-1', endPointURL: dynamoEndpoint() },
              connectionArguments: { maxAttempts: 2, retryMode: 'adaptive' },
            },
          },
          sourceConfig: { config: { type: 'DatabaseMetadata', tableFilterPattern: { includes: [P] } } },
        },
        sink: { type: 'file', config: { filename } },
        workflowConfig: { loggerLevel: 'ERROR' },
      };
      const workflow = await Workflow.create(config, { registry: registry() });
      let describes = 0;
      const source = workflow.source as DynamoDBSource;
      expect(source).toBeInstanceOf(DynamoDBSource);
      expect(source.settings.aws.config).toMatchObject({ maxAttempts: 2, retryMode: 'adaptive', region: 'eu-north-1' });
      source.client.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'DescribeTableCommand') describes++;
          return next(args);
        },
        { step: 'initialize', name: 'omTestDescribeCounter' },
      );
      await workflow.execute();
      await workflow.stop();
      expect(workflow.state()).toBe('success');
      expect(describes).toBe(2);
      const summary = workflow.summary();
      expect(summary.steps[0]).toMatchObject({ records: 5, errors: 0 });

      const text = fs.readFileSync(filename, 'utf8');
      expect(text).not.toContain(TEST_KEYS.awsSecretAccessKey);
      const out = JSON.parse(text) as Record<string, unknown>[];
      expect(out[0]).toMatchObject({ name: 'ddb_e2e', serviceType: 'DynamoDB', connection: { config: { awsConfig: { awsSecretAccessKey: '******' } } } });
      expect(out[1]).toEqual({ name: 'default', service: 'ddb_e2e' });
      expect(out[2]).toEqual({ name: 'default', database: 'ddb_e2e.default' });
      const tables = out.slice(3) as unknown as CreateTableRequest[];
      const summaryOf = (t: CreateTableRequest) => ({
        name: t.name,
        databaseSchema: t.databaseSchema,
        columns: t.columns.map((c) => [c.name, c.dataType, c.arrayDataType ?? null, c.constraint ?? null, (c.children ?? []).map((x) => x.name)]),
        tableConstraints: t.tableConstraints ?? null,
      });
      expect(tables.map(summaryOf).sort((a, b) => a.name.localeCompare(b.name))).toEqual([
        {
          name: `${P}orders`,
          databaseSchema: 'ddb_e2e.default.default',
          columns: [
            ['customer', 'STRING', null, null, []],
            ['orderedAt', 'NUMBER', null, null, []],
            ['total', 'NUMBER', null, null, []],
            ['items', 'ARRAY', 'STRUCT', null, ['sku']],
          ],
          tableConstraints: [
            { constraintType: 'PRIMARY_KEY', columns: ['customer', 'orderedAt'] },
            { constraintType: 'SORT_KEY', columns: ['orderedAt'] },
          ],
        },
        {
          name: `${P}users`,
          databaseSchema: 'ddb_e2e.default.default',
          columns: [
            ['userId', 'STRING', null, 'PRIMARY_KEY', []],
            ['emails', 'ARRAY', 'STRING', null, []],
          ],
          tableConstraints: null,
        },
      ]);
      expect(tables[0].sourceUrl).toMatch(/^https:\/\/eu-north-1\.console\.aws\.amazon\.com\/dynamodbv2\/home\?region=eu-north-1#table\?name=/);
    });
  });
});
