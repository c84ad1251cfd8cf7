import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IMPERSONATED_VERSIONS, startOmApiServer, type OmApiServer } from '../om-api-server';
import { v12Column, v12Manifest, v12Model, v12Test } from '../../plugins/dbt/src/testing/fixtures';
import { api, BUCKET, jaffleTables, lineageEdges, runDbt, seedLake, SERVICE, shared, storedTable, tableFqn, tableKey, TOKEN } from './helpers';

let server: OmApiServer;
let tmp: string;
/** The OpenMetadata version the server impersonates; every test runs on each of IMPERSONATED_VERSIONS. */
let version: string = IMPERSONATED_VERSIONS[0];

beforeEach(async () => {
  server = await startOmApiServer({ token: TOKEN, version });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'om-dbt-'));
});
afterEach(async () => {
  await server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const local = (manifest: string, extra: Record<string, unknown> = {}) => ({ dbtConfigSource: { dbtConfigType: 'local', dbtManifestFilePath: manifest, ...extra } });
const write = (name: string, doc: unknown): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
};

describe.each(IMPERSONATED_VERSIONS)('OpenMetadata %s', (impersonated) => {
  beforeAll(() => {
    version = impersonated;
  });

  describe('dbt source on the jaffle_shop artifacts', () => {
    it('dbt 0.21 (manifest v3): data models, descriptions, lineage, tests and results land on the datalake tables', async () => {
      await seedLake(server, jaffleTables('dbt_alice'));
      const r = await runDbt(server, local(shared('manifest.json'), { dbtCatalogFilePath: shared('catalog.json'), dbtRunResultsFilePath: shared('run_results.json') }));
      expect(r.wf.state()).toBe('success');
      expect(r.status.errors).toBe(0);
      expect(r.status.warnings).toBe(0);
      // The source yields what to change (data models, patches, lineage, tests); the sink writes
      // every record, so the summary counts dbt's writes.
      expect(r.status.dbt.models).toEqual({ total: 8, applied: 8, notFound: 0, failed: 0, filtered: 0 });
      expect(r.status.records).toBeGreaterThan(8);
      expect(r.wf.sink.status).toMatchObject({ records: r.status.records, errors: 0 });
      expect(r.status.dbt.artifactSets).toEqual([expect.objectContaining({ manifestVersion: 3, dbtVersion: '0.21.0', catalog: true, runResults: 1 })]);

      const customers = storedTable(server, tableFqn('dbt_alice', 'customers'));
      expect(customers.body.description).toBe("This table has basic information about a customer, as well as some derived facts based on a customer's orders");
      const cols = customers.body.columns as { name: string; description?: string }[];
      expect(cols.find((c) => c.name === 'customer_id')?.description).toBe('This is a unique identifier for a customer');
      expect(cols.find((c) => c.name === 'first_name')?.description).toBe("Customer's first name. PII.");
      // a column dbt does not document keeps no description
      expect(cols.find((c) => c.name === 'customer_lifetime_value')?.description).toBeUndefined();

      const model = customers.dataModel!;
      expect(model).toMatchObject({
        modelType: 'DBT',
        resourceType: 'model',
        // OpenMetadata joins root_path and original_file_path (dbt_utils.py get_data_model_path).
        path: '/Users/harsha/Code/jaffle_shop/models/customers.sql',
        upstream: [tableFqn('dbt_alice', 'stg_customers'), tableFqn('dbt_alice', 'stg_orders'), tableFqn('dbt_alice', 'stg_payments')],
        generatedAt: '2021-11-11T21:56:21.295261Z',
      });
      expect(model.rawSql).toContain('with customers as');
      // A seed has no compiled SQL; the schema requires sql and OpenMetadata's dbt source sends "" (dbt/metadata.py).
      expect(storedTable(server, tableFqn('dbt_alice', 'raw_customers')).dataModel).toMatchObject({ resourceType: 'seed', sql: '', path: '/Users/harsha/Code/jaffle_shop/data/raw_customers.csv' });
      expect(model.sql).toContain('"jaffle_shop"."dbt_alice"."stg_customers"');
      // catalog columns: warehouse types, catalog order, manifest descriptions
      const modelCols = model.columns as { name: string; dataType: string; ordinalPosition: number; description?: string }[];
      expect(modelCols.slice(0, 2)).toEqual([
        expect.objectContaining({ name: 'customer_id', dataType: 'INT', ordinalPosition: 1, description: 'This is a unique identifier for a customer' }),
        expect.objectContaining({ name: 'first_name', dataType: 'VARCHAR', ordinalPosition: 2 }),
      ]);
      // fetched back through the API
      const got = await api(server, 'GET', `/tables/name/${encodeURIComponent(tableFqn('dbt_alice', 'orders'))}?fields=dataModel`);
      expect(got.body.dataModel.upstream).toEqual([tableFqn('dbt_alice', 'stg_orders'), tableFqn('dbt_alice', 'stg_payments')]);

      expect(lineageEdges(server)).toEqual([
        `${tableKey('dbt_alice', 'raw_customers')} -> ${tableKey('dbt_alice', 'stg_customers')}`,
        `${tableKey('dbt_alice', 'raw_orders')} -> ${tableKey('dbt_alice', 'stg_orders')}`,
        `${tableKey('dbt_alice', 'raw_payments')} -> ${tableKey('dbt_alice', 'stg_payments')}`,
        `${tableKey('dbt_alice', 'stg_customers')} -> ${tableKey('dbt_alice', 'customers')}`,
        `${tableKey('dbt_alice', 'stg_orders')} -> ${tableKey('dbt_alice', 'customers')}`,
        `${tableKey('dbt_alice', 'stg_orders')} -> ${tableKey('dbt_alice', 'orders')}`,
        `${tableKey('dbt_alice', 'stg_payments')} -> ${tableKey('dbt_alice', 'customers')}`,
        `${tableKey('dbt_alice', 'stg_payments')} -> ${tableKey('dbt_alice', 'orders')}`,
      ]);
      expect(server.store.lineage[0].lineageDetails).toMatchObject({ source: 'DbtLineage' });
      expect(r.status.dbt.lineage).toEqual({ edges: 8, skipped: 0 });
      // Column lineage from the compiled SQL (redshift): through the model's CTEs, aggregates and joins.
      const edgeInto = (from: string, to: string) =>
        server.store.lineage.find((l) => (l.fromEntity as { id: string }).id === storedTable(server, tableFqn('dbt_alice', from)).id && (l.toEntity as { id: string }).id === storedTable(server, tableFqn('dbt_alice', to)).id)!;
      const col = (table: string, column: string) => `${tableFqn('dbt_alice', table)}.${column}`;
      expect((edgeInto('stg_orders', 'customers').lineageDetails as { columnsLineage: unknown[] }).columnsLineage).toEqual([
        { fromColumns: [col('stg_orders', 'order_date')], toColumn: col('customers', 'first_order') },
        { fromColumns: [col('stg_orders', 'order_date')], toColumn: col('customers', 'most_recent_order') },
        { fromColumns: [col('stg_orders', 'order_id')], toColumn: col('customers', 'number_of_orders') },
      ]);
      expect((edgeInto('stg_customers', 'customers').lineageDetails as { columnsLineage: unknown[] }).columnsLineage).toEqual([
        { fromColumns: [col('stg_customers', 'customer_id')], toColumn: col('customers', 'customer_id') },
        { fromColumns: [col('stg_customers', 'first_name')], toColumn: col('customers', 'first_name') },
        { fromColumns: [col('stg_customers', 'last_name')], toColumn: col('customers', 'last_name') },
      ]);
      // customer_lifetime_value comes from stg_payments.amount (the lake table has that column too).
      expect((edgeInto('stg_payments', 'customers').lineageDetails as { columnsLineage: unknown[] }).columnsLineage).toEqual([
        { fromColumns: [col('stg_payments', 'amount')], toColumn: col('customers', 'customer_lifetime_value') },
      ]);

      // tests: definitions from test_metadata, cases on the right column, results from run_results
      expect(r.status.dbt.tests).toMatchObject({ definitions: 4, cases: 20, skipped: 0, results: { Success: 20, Failed: 0, Aborted: 0 } });
      for (const d of ['unique', 'not_null', 'accepted_values', 'relationships']) {
        expect(server.store.testDefinitions.get(d)).toMatchObject({ testPlatforms: ['DBT'] });
      }
      expect(server.store.testDefinitions.get('accepted_values')).toMatchObject({ entityType: 'COLUMN', parameterDefinition: [{ name: 'values' }] });
      const accepted = [...server.store.testCases.values()].find((t) => t.name === 'accepted_values_orders_status__placed__shipped__completed__return_pending__returned')!;
      expect(accepted.entityLink).toBe(`<#E::table::${tableFqn('dbt_alice', 'orders')}::columns::status>`);
      expect(accepted.parameterValues).toEqual([{ name: 'values', value: "['placed', 'shipped', 'completed', 'return_pending', 'returned']" }]);
      expect(accepted.results).toEqual([expect.objectContaining({ testCaseStatus: 'Success', timestamp: Date.parse('2021-11-11T21:56:22.624430Z') })]);
      const rel = [...server.store.testCases.values()].find((t) => t.name === 'relationships_orders_customer_id__customer_id__ref_customers_')!;
      expect(rel.entityFQN).toBe(tableFqn('dbt_alice', 'orders'));
      expect(r.output).not.toContain(TOKEN);

      // a second run changes nothing on the tables
      const versions = server.store.all('table').map((t) => t.version);
      const again = await runDbt(server, local(shared('manifest.json'), { dbtCatalogFilePath: shared('catalog.json') }));
      expect(again.wf.state()).toBe('success');
      expect(server.store.all('table').map((t) => t.version)).toEqual(versions);
      expect(again.status.updated).toBe(0);
    });

    it('dbt 1.0 (manifest v4): a model alias with a dot, and tests keep their results', async () => {
      await seedLake(server, jaffleTables('dbt_test', 'stg.customers'));
      const r = await runDbt(server, local(shared('manifest_1.0.json'), { dbtCatalogFilePath: shared('catalog_1.0.json'), dbtRunResultsFilePath: shared('run_results.json') }));
      expect(r.wf.state()).toBe('success');
      expect(r.status.dbt.models.applied).toBe(8);
      expect(r.status.dbt.artifactSets[0]).toMatchObject({ manifestVersion: 4, dbtVersion: '1.0.0' });
      const stg = storedTable(server, tableFqn('dbt_test', 'stg.customers'));
      expect(stg.dataModel).toMatchObject({ resourceType: 'model', upstream: [tableFqn('dbt_test', 'raw_customers')] });
      expect(lineageEdges(server)).toContain(`${tableKey('dbt_test', 'stg.customers')} -> ${tableKey('dbt_test', 'customers')}`);
      expect(r.status.dbt.tests.cases).toBe(20);
      // run_results.json comes from the 0.21 run: the two tests on stg.customers have other ids there
      expect(r.status.dbt.tests.results.Success).toBe(18);
      const c = [...server.store.testCases.values()].find((t) => t.name === 'unique_stg.customers_customer_id')!;
      expect(c.fullyQualifiedName).toBe(`${tableFqn('dbt_test', 'stg.customers')}.customer_id."unique_stg.customers_customer_id"`);
    });

    it('keeps descriptions already in OpenMetadata unless dbtUpdateDescriptions', async () => {
      const tables = jaffleTables('dbt_alice').map((t) =>
        t.alias === 'customers' ? { ...t, description: 'Curated by the data team', columnDescriptions: { customer_id: 'Our own words' } } : t,
      );
      await seedLake(server, tables);
      const fqn = tableFqn('dbt_alice', 'customers');
      const col = (name: string) => (storedTable(server, fqn).body.columns as { name: string; description?: string }[]).find((c) => c.name === name)?.description;

      const kept = await runDbt(server, local(shared('manifest.json'), { dbtCatalogFilePath: shared('catalog.json') }));
      expect(kept.wf.state()).toBe('success');
      expect(storedTable(server, fqn).body.description).toBe('Curated by the data team');
      expect(col('customer_id')).toBe('Our own words');
      expect(col('first_name')).toBe("Customer's first name. PII."); // empty ones are filled
      // the data model still carries dbt's description
      expect(storedTable(server, fqn).dataModel!.description).toContain('basic information about a customer');

      const replaced = await runDbt(server, local(shared('manifest.json'), { dbtCatalogFilePath: shared('catalog.json') }), {});
      expect(replaced.status.dbt.tables.descriptions).toBe(0);
      const updated = await runDbt(server, { ...local(shared('manifest.json')), dbtUpdateDescriptions: true });
      expect(updated.wf.state()).toBe('success');
      expect(storedTable(server, fqn).body.description).toContain('basic information about a customer');
      expect(col('customer_id')).toBe('This is a unique identifier for a customer');
    });

    it('without a catalog the columns come from the manifest', async () => {
      await seedLake(server, jaffleTables('dbt_alice'));
      const r = await runDbt(server, local(shared('manifest.json')));
      expect(r.wf.state()).toBe('success');
      expect(r.status.dbt.artifactSets[0]).toMatchObject({ catalog: false, runResults: 0 });
      const model = storedTable(server, tableFqn('dbt_alice', 'customers')).dataModel!;
      expect((model.columns as { name: string }[]).map((c) => c.name)).toEqual([
        'customer_id', 'first_name', 'last_name', 'first_order', 'most_recent_order', 'number_of_orders', 'total_order_amount',
      ]);
      expect((model.columns as { dataType: string }[]).every((c) => c.dataType === 'UNKNOWN')).toBe(true);
      // tests are created, without results
      expect(r.status.dbt.tests).toMatchObject({ cases: 20, results: { Success: 0 } });
      expect([...server.store.testCases.values()].every((t) => t.results.length === 0)).toBe(true);
    });

    it('a model whose table is not in OpenMetadata is a warning naming the FQN tried; the rest is applied', async () => {
      await seedLake(server, jaffleTables('dbt_alice').filter((t) => t.alias !== 'orders'));
      const missingCatalog = path.join(tmp, 'nope', 'catalog.json');
      const r = await runDbt(server, local(shared('manifest.json'), { dbtCatalogFilePath: missingCatalog }));
      expect(r.wf.state()).toBe('success');
      expect(r.status.dbt.models).toMatchObject({ total: 8, applied: 7, notFound: 1 });
      const reasons = r.status.warningSamples.map((w) => `${w.name}: ${w.reason}`);
      expect(reasons).toContain(
        `model.jaffle_shop.orders: table ${tableFqn('dbt_alice', 'orders')} not found in OpenMetadata; check source.serviceName and sourceConfig.config.tableNameMapping`,
      );
      expect(reasons.some((w) => w.includes(missingCatalog) && w.includes('going on without it'))).toBe(true);
      expect(r.status.dbt.perModel.find((m) => m.uniqueId === 'model.jaffle_shop.orders')).toMatchObject({ outcome: 'notFound', fqn: tableFqn('dbt_alice', 'orders') });
      // no lineage into the missing table, its tests are left out
      expect(lineageEdges(server).some((e) => e.endsWith('/orders.parquet'))).toBe(false);
      expect(r.status.dbt.lineage.skipped).toBe(0);
      expect(r.status.dbt.tests.skipped).toBe(10);
      expect(r.output).toContain(`table ${tableFqn('dbt_alice', 'orders')} not found`);
    });

    it('finds tables in any database with searchAcrossDatabases, and honours the filters', async () => {
      await seedLake(server, jaffleTables('dbt_alice'));
      const r = await runDbt(server, {
        ...local(shared('manifest.json')),
        searchAcrossDatabases: true,
        tableNameMapping: { database: 'not_there', schema: BUCKET, table: 'warehouse/{schema}/{alias}.parquet' },
        tableFilterPattern: { excludes: ['.*/raw_'] },
      });
      expect(r.wf.state()).toBe('success');
      expect(r.status.dbt.models).toMatchObject({ applied: 5, filtered: 3, notFound: 0 });
      expect(r.status.filtered).toBe(3);
      expect(storedTable(server, tableFqn('dbt_alice', 'stg_orders')).dataModel).toBeDefined();
      expect(storedTable(server, tableFqn('dbt_alice', 'raw_orders')).dataModel).toBeUndefined();
    });
  });

  describe('dbt source on a v12 manifest', () => {
    function shopManifest(owner: string, extraOrders: Record<string, unknown> = {}) {
      return v12Manifest([
        v12Model('orders', {
          description: 'All orders',
          tags: ['finance'],
          config: { materialized: 'table', tags: ['finance', 'daily'], meta: { owner } },
          columns: {
            id: v12Column('id', { description: 'Order id', data_type: 'bigint', tags: ['pk'] }),
            amount: v12Column('amount', { description: 'Amount in EUR', data_type: 'decimal(12,2)' }),
          },
          depends_on: { macros: [], nodes: ['model.shop.stg_orders'] },
          raw_code: "select * from {{ ref('stg_orders') }}",
          compiled_code: 'select * from "warehouse"."analytics"."stg_orders"',
          ...extraOrders,
        }),
        v12Model('stg_orders', { config: { materialized: 'view', meta: { owner: 'analytics' } } }),
        v12Model('ghost', { config: { materialized: 'ephemeral' } }),
        v12Test('not_null_orders_id', 'not_null', 'orders', 'id'),
        v12Test('accepted_range_orders_amount', 'accepted_range', 'orders', 'amount', { min_value: 0, inclusive: true }),
        v12Test('row_count_orders', 'expect_row_count', 'orders', null, { min: 1 }),
      ]);
    }
    const runResults = {
      metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json', dbt_version: '1.8.7', generated_at: '2024-10-01T10:05:00Z' },
      results: [
        { unique_id: 'test.shop.not_null_orders_id.abc123', status: 'pass', timing: [{ name: 'execute', started_at: '2024-10-01T10:04:00Z', completed_at: '2024-10-01T10:04:01Z' }], message: null, failures: 0 },
        { unique_id: 'test.shop.accepted_range_orders_amount.abc123', status: 'fail', timing: [], message: 'Got 3 results, configured to fail if != 0', failures: 3 },
        { unique_id: 'test.shop.row_count_orders.abc123', status: 'skipped', timing: [], message: null, failures: null },
      ],
      elapsed_time: 1,
      args: {},
    };

    async function seedShop() {
      const ok = (r: { status: number }) => expect(r.status).toBeLessThan(300);
      ok(await api(server, 'PUT', '/services/databaseServices', { name: SERVICE, serviceType: 'Datalake', connection: { config: { type: 'Datalake', configSource: {} } } }));
      ok(await api(server, 'PUT', '/databases', { name: 'default', service: SERVICE }));
      ok(await api(server, 'PUT', '/databaseSchemas', { name: BUCKET, database: `${SERVICE}.default` }));
      for (const name of ['orders', 'stg_orders']) {
        ok(
          await api(server, 'PUT', '/tables', {
            name: tableKey('analytics', name),
            databaseSchema: `${SERVICE}.default.${BUCKET}`,
            columns: [{ name: 'id', dataType: 'BIGINT' }, { name: 'AMOUNT', dataType: 'DOUBLE' }],
          }),
        );
      }
    }

    it('a model whose compiled SQL does not parse keeps its table lineage, with a warning naming it', async () => {
      await seedShop();
      const manifest = write('manifest.json', shopManifest('alice@shop.example', { compiled_code: 'select from where (( "warehouse"."analytics"."stg_orders"' }));
      const r = await runDbt(server, local(manifest));
      expect(lineageEdges(server)).toEqual([`${tableKey('analytics', 'stg_orders')} -> ${tableKey('analytics', 'orders')}`]);
      expect(server.store.lineage[0].lineageDetails).not.toHaveProperty('columnsLineage');
      expect(r.status.warningSamples.map((w) => `${w.name}: ${w.reason}`).join('\n')).toMatch(/model\.shop\.orders: its compiled SQL does not parse as duckdb SQL .*; table-level lineage only/);
    });

    it('sources.json freshness results land as test results on the source tables (dbt/metadata.py _build_freshness_test_case_result)', async () => {
      await seedShop();
      await api(server, 'PUT', '/tables', { name: tableKey('raw', 'payments'), databaseSchema: `${SERVICE}.default.${BUCKET}`, columns: [{ name: 'id', dataType: 'BIGINT' }] });
      const source = {
        unique_id: 'source.shop.raw.payments', resource_type: 'source', name: 'payments', source_name: 'raw', database: 'warehouse', schema: 'raw',
        identifier: 'payments', package_name: 'shop', path: 'models/sources.yml', original_file_path: 'models/sources.yml', fqn: ['shop', 'raw', 'payments'],
        columns: {}, description: '', meta: {}, tags: [], config: { enabled: true }, loaded_at_field: 'loaded_at',
        freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null },
      };
      const manifest = write('manifest.json', { ...shopManifest('alice@shop.example'), sources: { [source.unique_id]: source } });
      const sources = write('sources.json', {
        metadata: { dbt_schema_version: 'https://schemas.getdbt.com/dbt/sources/v3.json', generated_at: '2024-10-01T10:00:00Z' },
        results: [{
          unique_id: 'source.shop.raw.payments', status: 'error', max_loaded_at: '2024-09-28T10:00:00+00:00', snapshotted_at: '2024-10-01T10:00:00+00:00',
          max_loaded_at_time_ago_in_s: 259200, criteria: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' } },
          timing: [{ name: 'execute', completed_at: '2024-10-01T10:00:02Z' }], thread_id: 'Thread-1', execution_time: 0.2, adapter_response: {},
        }],
      });
      const r = await runDbt(server, local(manifest, { dbtSourcesFilePath: sources }));
      expect(r.status.errors).toBe(0);
      expect(server.store.testDefinitions.get('dbt_source_freshness')).toMatchObject({ entityType: 'TABLE', parameterDefinition: [{ name: 'error_after' }, { name: 'warn_after' }] });
      const tc = [...server.store.testCases.values()].find((t) => t.entityLink === `<#E::table::${tableFqn('raw', 'payments')}>`)!;
      expect(tc).toMatchObject({ name: 'payments', testDefinition: 'dbt_source_freshness' });
      expect(tc.parameterValues).toEqual([{ name: 'error_after', value: '1 day' }, { name: 'warn_after', value: '12 hour' }]);
      expect(tc.results[0]).toMatchObject({
        testCaseStatus: 'Failed',
        timestamp: Date.parse('2024-10-01T10:00:02Z'),
        testResultValue: [{ name: 'source.shop.raw.payments', value: '0' }],
        result: 'Data is 72.0 hours old; max_loaded_at=2024-09-28T10:00:00+00:00; warn_after=12 hour; error_after=1 day',
      });
    });

    it('applies tags under the dbtTags classification, owners from config.meta, and test results with their statuses', async () => {
      await seedShop();
      const alice = server.store.governance.seedUser({ name: 'alice', email: 'alice@shop.example' });
      const team = server.store.governance.seedTeam({ name: 'analytics' });
      const manifest = write('manifest.json', shopManifest('alice@shop.example'));
      const results = write('run_results.json', runResults);
      const r = await runDbt(server, local(manifest, { dbtRunResultsFilePath: results }));
      expect(r.wf.state()).toBe('success');
      expect(r.status.warnings).toBe(0);
      expect(r.status.dbt.artifactSets[0]).toMatchObject({ manifestVersion: 12, dbtVersion: '1.8.7' });
      expect(r.status.dbt.models).toMatchObject({ total: 2, applied: 2 });

      expect(server.store.governance.classifications.get('dbtTags')).toBeDefined();
      expect([...server.store.governance.tags.keys()].filter((k) => k.startsWith('dbtTags.')).sort()).toEqual(['dbtTags.daily', 'dbtTags.finance', 'dbtTags.pk']);
      const orders = storedTable(server, tableFqn('analytics', 'orders'));
      expect((orders.body.tags as { tagFQN: string }[]).map((t) => t.tagFQN)).toEqual(['dbtTags.finance', 'dbtTags.daily']);
      const cols = orders.body.columns as { name: string; description?: string; tags?: { tagFQN: string }[] }[];
      expect(cols[0]).toMatchObject({ name: 'id', description: 'Order id', tags: [expect.objectContaining({ tagFQN: 'dbtTags.pk', source: 'Classification' })] });
      // column names match case-insensitively
      expect(cols[1]).toMatchObject({ name: 'AMOUNT', description: 'Amount in EUR' });
      expect(orders.body.description).toBe('All orders');
      // A single `owner` before OpenMetadata 1.5, an `owners` list from then on.
      const ownersOf = (body: Record<string, unknown>) => (version === '1.2.0' ? [body.owner] : body.owners);
      expect(ownersOf(orders.body)).toEqual([expect.objectContaining({ id: alice.id, type: 'user', name: 'alice' })]);
      expect(ownersOf(storedTable(server, tableFqn('analytics', 'stg_orders')).body)).toEqual([expect.objectContaining({ id: team.id, type: 'team' })]);
      expect(orders.dataModel).toMatchObject({
        rawSql: "select * from {{ ref('stg_orders') }}",
        sql: 'select * from "warehouse"."analytics"."stg_orders"',
        tags: [expect.objectContaining({ tagFQN: 'dbtTags.finance' }), expect.objectContaining({ tagFQN: 'dbtTags.daily' })],
        columns: [
          expect.objectContaining({ name: 'id', dataType: 'BIGINT' }),
          expect.objectContaining({ name: 'amount', dataType: 'DECIMAL', precision: 12, scale: 2 }),
        ],
      });
      expect(lineageEdges(server)).toEqual([`${tableKey('analytics', 'stg_orders')} -> ${tableKey('analytics', 'orders')}`]);

      expect(r.status.dbt.tests).toMatchObject({ definitions: 3, cases: 3, results: { Success: 1, Failed: 1, Aborted: 1 } });
      expect(server.store.testDefinitions.get('expect_row_count')).toMatchObject({ entityType: 'TABLE', parameterDefinition: [{ name: 'min' }] });
      const range = [...server.store.testCases.values()].find((t) => t.name === 'accepted_range_orders_amount')!;
      expect(range.entityLink).toBe(`<#E::table::${tableFqn('analytics', 'orders')}::columns::AMOUNT>`);
      expect(range.parameterValues).toEqual([{ name: 'min_value', value: '0' }, { name: 'inclusive', value: 'True' }]);
      expect(range.results[0]).toMatchObject({
        testCaseStatus: 'Failed', result: 'Got 3 results, configured to fail if != 0', testResultValue: [{ name: 'failures', value: '3' }],
        timestamp: Date.parse('2024-10-01T10:05:00Z'),
      });
      // Before incidents (1.3) a failed result is marked New, as OpenMetadata 1.2's runner sends it.
      if (version === '1.2.0') expect(range.results[0].testCaseFailureStatus).toEqual({ testCaseFailureStatusType: 'New', updatedAt: Date.parse('2024-10-01T10:05:00Z') });
      else expect(range.results[0]).not.toHaveProperty('testCaseFailureStatus');

      // owners already set stay unless dbtUpdateOwners
      server.store.governance.seedUser({ name: 'bob' });
      await runDbt(server, local(write('m2.json', shopManifest('bob'))));
      expect(ownersOf(storedTable(server, tableFqn('analytics', 'orders')).body)).toEqual([expect.objectContaining({ name: 'alice' })]);
      await runDbt(server, { ...local(write('m3.json', shopManifest('bob'))), dbtUpdateOwners: true });
      expect(ownersOf(storedTable(server, tableFqn('analytics', 'orders')).body)).toEqual([expect.objectContaining({ name: 'bob' })]);
    });

    it('speaks the pre-1.5 API to an older server: executable suites, PUT testCaseResult, a single owner', async () => {
      await server.close();
      server = await startOmApiServer({ token: TOKEN, version: '1.4.2' });
      await seedShop();
      const alice = server.store.governance.seedUser({ name: 'alice' });
      const r = await runDbt(server, local(write('manifest.json', shopManifest('alice')), { dbtRunResultsFilePath: write('run_results.json', runResults) }));
      expect(r.wf.state()).toBe('success');
      expect(storedTable(server, tableFqn('analytics', 'orders')).body.owner).toMatchObject({ id: alice.id, type: 'user' });
      expect(server.requestsFor('PUT', '/dataQuality/testSuites/executable')).toHaveLength(1);
      expect(server.requestsFor('PUT', /\/dataQuality\/testCases\/.+\/testCaseResult$/)).toHaveLength(3);
      expect(server.requestsFor('POST', '/testCaseResults/')).toHaveLength(0);
      const c = [...server.store.testCases.values()].find((t) => t.name === 'not_null_orders_id')!;
      expect(c.body.testSuite).toBe(`${tableFqn('analytics', 'orders')}.testSuite`);
      expect(c.results).toHaveLength(1);
    });

    it('warns about an owner that is no user or team, and leaves tags out with includeTags: false', async () => {
      await seedShop();
      const r = await runDbt(server, { ...local(write('manifest.json', shopManifest('nobody'))), includeTags: false, dbtClassificationName: 'unused' });
      expect(r.wf.state()).toBe('success');
      expect(r.status.warningSamples.map((w) => w.reason)).toEqual(
        expect.arrayContaining([`owner "nobody" (meta.owner) is not an OpenMetadata user or team; the owner of ${tableFqn('analytics', 'orders')} is left as it is`]),
      );
      expect(server.store.governance.classifications.has('unused')).toBe(false);
      expect(storedTable(server, tableFqn('analytics', 'orders')).body.tags).toBeUndefined();
      expect(storedTable(server, tableFqn('analytics', 'orders')).body.owners).toBeUndefined();
    });
  });

  describe('dbt source configuration', () => {
    it('refuses a config with a missing manifest path, a bad config type or unknown keys, naming the field', async () => {
      await seedLake(server, []);
      await expect(runDbt(server, { dbtConfigSource: { dbtConfigType: 'local' } })).rejects.toThrow(/source\.sourceConfig\.config\.dbtConfigSource\.dbtManifestFilePath: required key "dbtManifestFilePath" is missing/);
      await expect(runDbt(server, { dbtConfigSource: { dbtConfigType: 'ftp' } })).rejects.toThrow(/dbtConfigType: "ftp" is not one of: local, http, cloud, s3, gcs, azure/);
      await expect(runDbt(server, { dbtConfigSource: { dbtConfigType: 'local', dbtManifestFilePath: 'm.json', dbtManifestHttpPath: 'http://x' } })).rejects.toThrow(/unknown key "dbtManifestHttpPath"/);
      await expect(runDbt(server, { ...local('m.json'), tableNameMapping: { table: '{model}.parquet' } })).rejects.toThrow(/tableNameMapping\.table: unknown placeholder \{model\}/);
    });

    it('an S3 source without @om/datalake-s3 installed says what to install', async () => {
      await expect(
        runDbt(server, { dbtConfigSource: { dbtConfigType: 's3', dbtSecurityConfig: { awsRegion: 'us-east-1' }, dbtPrefixConfig: { dbtBucketName: 'b' } } }),
      ).rejects.toThrow(/dbtConfigSource s3 needs @om\/datalake-s3: pnpm add @om\/datalake-s3/);
    });

    it('fails the run with a clear message when the manifest cannot be read or the service does not exist', async () => {
      await seedLake(server, []);
      const missing = path.join(tmp, 'missing.json');
      // Found by the connection test, before anything is applied.
      await expect(runDbt(server, local(missing))).rejects.toThrow(`dbtManifestFilePath: cannot read ${missing} (ENOENT)`);
      const notManifest = await runDbt(server, local(write('x.json', { hello: 1 })));
      expect(notManifest.status.failureSamples[0].error).toContain('has no "nodes" object: is it a dbt manifest.json');

      await server.close();
      server = await startOmApiServer({ token: TOKEN, version: '1.6.2' });
      const noService = await runDbt(server, local(shared('manifest.json')));
      expect(noService.wf.state()).toBe('failed');
      expect(noService.status.failureSamples[0].error).toContain(`database service "${SERVICE}" does not exist in OpenMetadata`);
    });
  });
});
