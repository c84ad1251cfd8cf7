/**
 * DynamoDB (dynalite, a real server) → metadata-rest → the strict OpenMetadata API test server:
 * key constraints in the shapes the server accepts, nested columns, extension facts dropped.
 */
import { builtinPlugin, PluginRegistry, silentLogger, Workflow } from '@om/core';
import { plugin as dynamoPlugin } from '@om/dynamodb';
import { plugin as openMetadataPlugin, type MetadataRestSink } from '@om/openmetadata';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { adminClient, createTable, keyedTable, putItems, TEST_KEYS, uniquePrefix } from '../../plugins/dynamodb/src/testing/helpers';

// Every test runs against the oldest and the newest OpenMetadata version the server impersonates.
describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  describe('DynamoDB → OpenMetadata API test server', () => {
    let server: OmApiServer;
    const prefix = uniquePrefix('e2e');

    beforeAll(async () => {
      server = await startOmApiServer({ version });
      const client = adminClient();
      await createTable(client, keyedTable(`${prefix}_orders`, ['customer', 'S'], ['orderedAt', 'N']));
      await createTable(client, keyedTable(`${prefix}_users`, ['userId', 'S']));
      await putItems(client, `${prefix}_orders`, [
        { customer: { S: 'c1' }, orderedAt: { N: '1' }, total: { N: '9.5' }, lines: { L: [{ M: { sku: { S: 'a' }, qty: { N: '2' } } }] } },
        { customer: { S: 'c2' }, orderedAt: { N: '2' }, total: { N: '3' }, address: { M: { city: { S: 'Oslo' } } } },
      ]);
      await putItems(client, `${prefix}_users`, [{ userId: { S: 'u1' }, tags: { SS: ['a', 'b'] } }]);
    });

    afterAll(async () => {
      await server.close();
    });

    it('ingests both tables with constraints the server accepts', async () => {
      const registry = new PluginRegistry();
      registry.addDescriptor(builtinPlugin, '@om/core');
      registry.addDescriptor(dynamoPlugin, '@om/dynamodb');
      registry.addDescriptor(openMetadataPlugin, '@om/openmetadata');
      const run = async () => {
        const wf = await Workflow.create(
          {
            source: {
              type: 'dynamodb',
              serviceName: 'ddb',
              serviceConnection: {
                config: { type: 'DynamoDB', awsConfig: { ...TEST_KEYS, awsRegion: 'us-east-1', endPointURL: process.env.OM_TEST_DYNAMODB_ENDPOINT } },
              },
              sourceConfig: { config: { type: 'DatabaseMetadata', tableFilterPattern: { includes: [`${prefix}.*`] } } },
            },
            sink: { type: 'metadata-rest', config: {} },
            workflowConfig: { openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'no-auth' } },
          },
          { registry, logger: silentLogger },
        );
        await wf.execute();
        await wf.stop();
        return wf;
      };
      const wf = await run();
      const summary = wf.summary();
      expect(summary.steps.map((s) => s.failureSamples)).toEqual([[], []]);
      expect(summary.state).toBe('success');

      const orders = server.store.getByName('table', `ddb.default.default.${prefix}_orders`);
      expect(orders.body.tableConstraints).toEqual([
        { constraintType: 'PRIMARY_KEY', columns: ['customer', 'orderedAt'] },
        { constraintType: 'SORT_KEY', columns: ['orderedAt'] },
      ]);
      const orderColumns = orders.body.columns as { name: string; dataType: string; constraint?: string; children?: unknown[] }[];
      expect(orderColumns.find((c) => c.name === 'customer')).toMatchObject({ dataType: 'STRING' });
      expect(orderColumns.find((c) => c.name === 'customer')?.constraint).toBeUndefined();
      expect(orderColumns.find((c) => c.name === 'address')).toMatchObject({ dataType: 'JSON' });
      expect(orderColumns.find((c) => c.name === 'lines')).toMatchObject({ dataType: 'ARRAY' });
      expect(orders.body.extension).toBeUndefined();

      const users = server.store.getByName('table', `ddb.default.default.${prefix}_users`);
      expect((users.body.columns as { name: string; constraint?: string }[]).find((c) => c.name === 'userId')?.constraint).toBe('PRIMARY_KEY');
      expect(server.requests.filter((r) => r.status === 400)).toEqual([]);

      // A re-run changes nothing: every PUT answers with the same version.
      const again = await run();
      expect(again.summary().state).toBe('success');
      expect((again.sink as MetadataRestSink).status.totals()).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    });
  });
});
