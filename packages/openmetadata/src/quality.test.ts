/**
 * Profiles and test results through the metadata-rest sink, the OpenMetadata TableCatalog, and
 * `metadata profile` / `metadata test` style runs: @om/datalake source → @om/profiler processors →
 * metadata-rest, against the OpenMetadata API test server.
 */
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import {
  PLUGIN_API_VERSION, PluginRegistry, StepStatus, TABLE_CATALOG, Workflow, builtinPlugin, definePlugin, right, silentLogger, stepToken,
  type CreateTableProfileRequest, type OmRecord, type PluginDescriptor, type Source, type TableCatalog,
} from '@om/core';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../../../tests/om-api-server';
import { plugin } from './plugin';
import type { MetadataRestSink } from './sink';
import type { MetadataRestStatusSnapshot } from './status';

// Sibling workspace packages, resolved by Jest's module mapper (not dependencies of this package).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const datalake = require('@om/datalake') as { plugin: PluginDescriptor };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const profiler = require('@om/profiler') as { profilerPlugin: PluginDescriptor };

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpbmdlc3Rpb24tYm90In0.cXVhbGl0eS10ZXN0cw';
const LAKE = path.resolve(__dirname, '../../../examples/datalake');
const ORDERS = 'local_datalake.shop.sales."orders.csv"';

let server: OmApiServer;
let feed: OmRecord[] = [];

/** A source that yields `feed` (records as a processor would produce them). */
const feedPlugin = definePlugin({
  id: 'feed',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['source:feed'],
  register(container) {
    container.register(stepToken('source', 'feed'), {
      useValue: {
        create: (): Source => ({
          status: new StepStatus('Source feed'),
          async *records() {
            for (const r of feed) yield right(r);
          },
          async close() {},
        }),
      },
    });
  },
});

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(builtinPlugin, '@om/core');
  r.addDescriptor(plugin, '@om/openmetadata');
  r.addDescriptor(datalake.plugin, '@om/datalake');
  r.addDescriptor(profiler.profilerPlugin, '@om/profiler');
  r.addDescriptor(feedPlugin, 'feed');
  return r;
}

const serverConfig = () => ({ hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } });

function datalakeSource(sourceConfig: Record<string, unknown>, type = 'datalake') {
  return {
    type,
    serviceName: 'local_datalake',
    serviceConnection: { config: { type: 'Datalake', configSource: { root: LAKE }, databaseName: 'shop' } },
    sourceConfig: { config: sourceConfig },
  };
}

async function run(config: Record<string, unknown>) {
  const wf = await Workflow.create(
    { sink: { type: 'metadata-rest', config: {} }, ...config, workflowConfig: { loggerLevel: 'ERROR', openMetadataServerConfig: serverConfig() } },
    { registry: registry(), logger: silentLogger, env: {} },
  );
  try {
    await wf.execute();
  } finally {
    await wf.stop();
  }
  const summary = JSON.stringify(wf.summary());
  expect(summary).not.toContain(TOKEN);
  return { wf, status: (wf.sink as MetadataRestSink).status.snapshot() as MetadataRestStatusSnapshot };
}

// Every test runs against the oldest and the newest OpenMetadata version the server impersonates.
describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (version) => {
  beforeAll(async () => {
    server = await startOmApiServer({ token: TOKEN, version });
    // The metadata first: profiles and tests need the tables on the server.
    const { wf } = await run({ source: datalakeSource({ type: 'DatabaseMetadata' }) });
    expect(wf.summary().state).toBe('success');
  });
  afterAll(async () => {
    await server.close();
  });

  describe('TableCatalog', () => {
    it('is bound by the plugin and lists the service tables with columns, and gets one by FQN', async () => {
      let catalog: TableCatalog | undefined;
      const probe = definePlugin({
        id: 'probe',
        apiVersion: PLUGIN_API_VERSION,
        provides: ['source:probe'],
        register(container) {
          container.register(stepToken('source', 'probe'), {
            useValue: {
              create: (ctx: { container: { resolve(t: unknown): unknown } }): Source => {
                catalog = ctx.container.resolve(TABLE_CATALOG) as TableCatalog;
                return { status: new StepStatus('Source probe'), async *records() {}, async close() {} };
              },
            },
          });
        },
      });
      const r = registry();
      r.addDescriptor(probe, 'probe');
      const wf = await Workflow.create(
        { source: { type: 'probe', serviceName: 'x', sourceConfig: { config: {} } }, sink: { type: 'metadata-rest' }, workflowConfig: { openMetadataServerConfig: serverConfig() } },
        { registry: r, logger: silentLogger, env: {} },
      );
      try {
        const tables = [];
        for await (const t of catalog!.listTables('local_datalake')) tables.push(t);
        const orders = tables.find((t) => t.fullyQualifiedName === ORDERS)!;
        expect(orders.columns.map((c) => c.name)).toEqual(['order_id', 'customer_id', 'order_date', 'amount', 'quantity', 'paid', 'notes']);
        expect((orders.columns[0] as unknown as Record<string, unknown>).fullyQualifiedName).toBeUndefined();
        expect(tables.length).toBeGreaterThan(5);
        expect(tables.every((t) => t.fullyQualifiedName.startsWith('local_datalake.'))).toBe(true);
        expect((await catalog!.getTable(ORDERS))?.name).toBe('orders.csv');
        expect(await catalog!.getTable('local_datalake.shop.sales."nope.csv"')).toBeUndefined();
        expect(server.requestsFor('GET', '/tables').some((q) => q.query.includes('service=local_datalake') && q.query.includes('fields=columns'))).toBe(true);
      } finally {
        await wf.stop();
        await (catalog as unknown as { close(): Promise<void> }).close();
      }
    });
  });

  describe('metadata-rest sink: tableProfile and testCaseResults', () => {
    const profile = (columns: string[]): CreateTableProfileRequest => ({
      tableProfile: { timestamp: 1_700_000_000_000, rowCount: 3, columnCount: 7, profileSample: 100, profileSampleType: 'PERCENTAGE' },
      columnProfile: columns.map((name) => ({ name, timestamp: 1_700_000_000_000, nullCount: 0, valuesCount: 3 })),
    });

    it('PUTs profiles by table id; a missing table fails naming the FQN; unknown columns are dropped with a warning', async () => {
      feed = [
        { kind: 'tableProfile', tableFqn: ORDERS, profile: profile(['order_id', 'amount', 'not_a_column']) },
        { kind: 'tableProfile', tableFqn: 'local_datalake.shop.sales."missing.csv"', profile: profile([]) },
      ];
      const { wf, status } = await run({ source: { type: 'feed', serviceName: 'local_datalake', sourceConfig: { config: {} } } });
      const table = server.store.all('table').find((t) => t.fullyQualifiedName === ORDERS) as unknown as { profiles: { table: Record<string, unknown>; columns: { name: string }[] }[] };
      expect(table.profiles.at(-1)!.table).toMatchObject({ rowCount: 3, columnCount: 7 });
      expect(table.profiles.at(-1)!.columns.map((c) => c.name)).toEqual(['order_id', 'amount']);
      expect(status.openMetadata.entities.tableProfile).toEqual({ created: 1, updated: 0, unchanged: 0, deleted: 0 });
      expect(status.warningSamples[0]).toMatchObject({ name: ORDERS, reason: expect.stringMatching(/not_a_column/) });
      expect(status.failureSamples).toHaveLength(1);
      expect(status.failureSamples[0].name).toBe('local_datalake.shop.sales."missing.csv"');
      expect(status.failureSamples[0].error).toMatch(/table local_datalake\.shop\.sales\."missing\.csv" does not exist in OpenMetadata/);
      expect(wf.summary().steps.at(-1)!.records).toBe(1);
    });

    it('get-or-creates the basic suite and test cases, updates changed parameters, posts results', async () => {
      const link = `<#E::table::${ORDERS}::columns::amount>`;
      const results = (max: string) => [
        {
          testCase: { name: 'amount_between', entityLink: link, testDefinition: 'columnValuesToBeBetween', parameterValues: [{ name: 'minValue', value: '0' }, { name: 'maxValue', value: max }] },
          result: { timestamp: 1_700_000_000_000, testCaseStatus: 'Success' as const, result: 'ok', testResultValue: [{ name: 'min', value: '5' }] },
        },
        {
          testCase: { name: 'row_count', entityLink: `<#E::table::${ORDERS}>`, testDefinition: 'tableRowCountToBeBetween', parameterValues: [{ name: 'minValue', value: '1' }] },
          result: { timestamp: 1_700_000_000_000, testCaseStatus: 'Failed' as const, result: 'too few' },
        },
      ];
      feed = [{ kind: 'testCaseResults', tableFqn: ORDERS, results: results('1000') }];
      const first = await run({ source: { type: 'feed', serviceName: 'local_datalake', sourceConfig: { config: {} } } });
      expect(first.status.errors).toBe(0);
      expect(first.status.openMetadata.entities.testSuite).toMatchObject({ created: 1 });
      expect(first.status.openMetadata.entities.testCase).toMatchObject({ created: 2 });
      expect(first.status.openMetadata.entities.testCaseResult).toMatchObject({ created: 2 });
      expect(server.store.testSuites.has(`${ORDERS}.testSuite`)).toBe(true);
      // Basic suites from 1.6 on, executable suites before (compat/server-versions.ts).
      const suiteRoute = version === '1.2.0' ? '/dataQuality/testSuites/executable' : '/dataQuality/testSuites/base';
      expect(server.requestsFor('PUT', suiteRoute)).toHaveLength(1);
      // Results: PUT …/{fqn}/testCaseResult before 1.5, POST …/testCaseResults/{fqn} from then on.
      expect(server.requestsFor(version === '1.2.0' ? 'PUT' : 'POST', version === '1.2.0' ? '/testCaseResult' : '/testCaseResults/')).toHaveLength(2);
      const tc = server.store.testCases.get(`${ORDERS}.amount.amount_between`)!;
      expect(tc.results.map((r) => r.testCaseStatus)).toEqual(['Success']);

      feed = [{ kind: 'testCaseResults', tableFqn: ORDERS, results: results('2000') }];
      const second = await run({ source: { type: 'feed', serviceName: 'local_datalake', sourceConfig: { config: {} } } });
      expect(second.status.openMetadata.entities.testSuite).toBeUndefined(); // found, not created
      expect(second.status.openMetadata.entities.testCase).toMatchObject({ updated: 1, unchanged: 1 });
      expect(server.store.testCases.get(`${ORDERS}.amount.amount_between`)!.parameterValues).toContainEqual({ name: 'maxValue', value: '2000' });
      expect(server.store.testCases.get(`${ORDERS}.row_count`)!.results).toHaveLength(2);
    });

    it('a profileRequest reaching the sink says which processor is missing', async () => {
      const { status } = await run({ source: datalakeSource({ type: 'Profiler', tableFilterPattern: { includes: ['orders\\.csv'] } }) });
      expect(status.failureSamples[0].error).toMatch(/orm-profiler/);
    });
  });

  describe('metadata profile / metadata test runs (datalake → @om/profiler → metadata-rest)', () => {
    it('profiles the tables the server has for the service', async () => {
      const { wf, status } = await run({
        source: datalakeSource({ type: 'Profiler', schemaFilterPattern: { includes: ['sales'] }, tableFilterPattern: { includes: ['orders\\.csv', 'customers\\.tsv'] } }),
        processor: { type: 'orm-profiler', config: {} },
      });
      expect(wf.summary().state).toBe('success');
      expect(status.openMetadata.entities.tableProfile).toMatchObject({ created: 2 });
      const table = server.store.all('table').find((t) => t.fullyQualifiedName === ORDERS) as unknown as { profiles: { table: Record<string, unknown>; columns: Record<string, unknown>[] }[] };
      const latest = table.profiles.at(-1)!;
      expect(latest.table).toMatchObject({ rowCount: 3, columnCount: 7 });
      expect(latest.columns.find((c) => c.name === 'amount')).toMatchObject({ min: 5, max: 120.5, nullCount: 0 });
      expect(latest.columns.find((c) => c.name === 'quantity')).toMatchObject({ nullCount: 1, valuesCount: 2 });
    });

    it('runs a TestSuite on a table and posts the results', async () => {
      const { wf, status } = await run({
        source: datalakeSource({ type: 'TestSuite', entityFullyQualifiedName: 'local_datalake.shop.sales."customers.tsv"' }, 'testsuite'),
        processor: {
          type: 'orm-test-runner',
          config: {
            testCases: [
              { name: 'id_unique', testDefinitionName: 'columnValuesToBeUnique', columnName: 'customer_id' },
              { name: 'rows', testDefinitionName: 'tableRowCountToBeBetween', parameterValues: [{ name: 'minValue', value: '100' }] },
            ],
          },
        },
      });
      expect(wf.summary().state).toBe('success');
      expect(status.openMetadata.entities.testCaseResult).toMatchObject({ created: 2 });
      const unique = server.store.testCases.get('local_datalake.shop.sales."customers.tsv".customer_id.id_unique')!;
      expect(unique.results.at(-1)!.testCaseStatus).toBe('Success');
      const rows = server.store.testCases.get('local_datalake.shop.sales."customers.tsv".rows')!;
      expect(rows.results.at(-1)!.testCaseStatus).toBe('Failed');
    });
  });

  describe('example configs', () => {
    it.each(['local-profiler.yaml', 'local-testsuite.yaml'])('%s runs to success with the console sink', async (file) => {
      const out = new PassThrough();
      let text = '';
      out.on('data', (c: Buffer) => (text += c.toString()));
      const wf = await Workflow.create(path.resolve(__dirname, '../../../examples', file), { registry: registry(), logger: silentLogger, env: {}, stdout: out });
      try {
        await wf.execute();
      } finally {
        await wf.stop();
      }
      expect(wf.summary().state).toBe('success');
      expect(text).toContain('orders.csv');
      expect(wf.summary().steps[0].records).toBeGreaterThan(0);
    });
  });
});
