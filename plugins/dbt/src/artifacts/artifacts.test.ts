import * as fs from 'node:fs';
import { shared, v12Column, v12Manifest, v12Model, v12Test } from '../testing/fixtures';
import { parseCatalog } from './catalog';
import { ArtifactError, parseManifest, parseModelRef } from './manifest';
import { mergeRunResults, parseRunResults, testCaseStatusOf } from './run-results';
import { columnTypeOf } from './types';

const read = (f: string) => fs.readFileSync(shared(f), 'utf8');

describe('manifest', () => {
  it('reads the dbt 0.21 (v3) jaffle_shop manifest: models and seeds, tests attached to their model', () => {
    const m = parseManifest(read('manifest.json'), 'manifest.json');
    expect(m.schemaVersion).toBe(3);
    expect(m.dbtVersion).toBe('0.21.0');
    expect([...m.nodes.keys()].sort()).toEqual([
      'model.jaffle_shop.customers', 'model.jaffle_shop.orders', 'model.jaffle_shop.stg_customers', 'model.jaffle_shop.stg_orders',
      'model.jaffle_shop.stg_payments', 'seed.jaffle_shop.raw_customers', 'seed.jaffle_shop.raw_orders', 'seed.jaffle_shop.raw_payments',
    ]);
    const customers = m.nodes.get('model.jaffle_shop.customers')!;
    expect(customers).toMatchObject({ resourceType: 'model', database: 'jaffle_shop', schema: 'dbt_alice', alias: 'customers', materialized: 'table', path: '/Users/harsha/Code/jaffle_shop/models/customers.sql' }); // root_path/original_file_path, as OpenMetadata's get_data_model_path
    expect(customers.rawSql).toContain('with customers as');
    expect(customers.compiledSql).toContain('"jaffle_shop"."dbt_alice"."stg_customers"');
    expect(customers.upstream).toEqual(['model.jaffle_shop.stg_customers', 'model.jaffle_shop.stg_orders', 'model.jaffle_shop.stg_payments']);
    expect(customers.columns.find((c) => c.name === 'customer_id')?.description).toBe('This is a unique identifier for a customer');
    expect(m.tests).toHaveLength(20);
    const rel = m.tests.find((t) => t.testName === 'relationships')!;
    // depends on customers and orders; the tested model is orders (ref in kwargs.model)
    expect(rel.attachedNode).toBe('model.jaffle_shop.orders');
    expect(rel.columnName).toBe('customer_id');
    expect(rel.kwargs).toMatchObject({ to: "ref('customers')", field: 'customer_id' });
  });

  it('reads the dbt 1.0 (v4) manifest, including a model alias with a dot', () => {
    const m = parseManifest(read('manifest_1.0.json'), 'manifest_1.0.json');
    expect(m.schemaVersion).toBe(4);
    expect(m.nodes.get('model.jaffle_shop.stg.customers')).toMatchObject({ alias: 'stg.customers', database: 'warehouse', schema: 'dbt_test' });
    expect(m.tests.every((t) => t.attachedNode)).toBe(true);
  });

  it('reads a v12 manifest: raw_code/compiled_code, config.meta and config.tags, attached_node; ignores semantic models and unit tests', () => {
    const m = parseManifest(
      JSON.stringify(
        v12Manifest([
          v12Model('orders', {
            description: 'Orders',
            config: { meta: { owner: 'alice' }, tags: ['finance'], materialized: 'incremental' },
            tags: ['finance', 'core'],
            columns: { id: v12Column('id', { description: 'Order id', data_type: 'integer', tags: ['pk'] }) },
            depends_on: { macros: [], nodes: ['model.shop.stg'] },
          }),
          v12Model('stg', { config: { materialized: 'view' } }),
          v12Model('eph', { config: { materialized: 'ephemeral' } }),
          { ...v12Model('an'), resource_type: 'analysis', unique_id: 'analysis.shop.an' },
          v12Test('not_null_orders_id', 'not_null', 'orders', 'id'),
        ]),
      ),
      'v12.json',
    );
    expect(m.schemaVersion).toBe(12);
    expect([...m.nodes.keys()].sort()).toEqual(['model.shop.orders', 'model.shop.stg']);
    expect(m.skipped).toEqual({ 'ephemeral model': 1, analysis: 1 });
    const orders = m.nodes.get('model.shop.orders')!;
    expect(orders).toMatchObject({ meta: { owner: 'alice' }, tags: ['finance', 'core'], rawSql: 'select 1 as id', compiledSql: 'select 1 as id', upstream: ['model.shop.stg'] });
    expect(orders.columns).toEqual([{ name: 'id', description: 'Order id', dataType: 'integer', tags: ['pk'], meta: {} }]);
    expect(m.tests[0]).toMatchObject({ testName: 'not_null', columnName: 'id', attachedNode: 'model.shop.orders' });
    expect(m.warnings).toEqual([]);
  });

  it('warns about a manifest newer than v12, reads sources, and refuses files that are not manifests', () => {
    const doc = v12Manifest([], {
      sources: {
        'source.shop.raw.events': { resource_type: 'source', unique_id: 'source.shop.raw.events', name: 'events', identifier: 'events_v2', source_name: 'raw', database: 'lake', schema: 'raw', columns: {}, description: 'Raw events' },
      },
    });
    (doc.metadata as Record<string, unknown>).dbt_schema_version = 'https://schemas.getdbt.com/dbt/manifest/v13.json';
    const m = parseManifest(doc, 'm.json');
    expect(m.warnings[0]).toContain('manifest v13');
    expect(m.nodes.get('source.shop.raw.events')).toMatchObject({ resourceType: 'source', alias: 'events_v2', sourceName: 'raw', description: 'Raw events' });
    expect(() => parseManifest('{"a":', 'bad.json')).toThrow(ArtifactError);
    expect(() => parseManifest('{"a":1}', 'cat.json')).toThrow('cat.json has no "nodes" object');
  });

  it('parses ref() and source() in a test model kwarg', () => {
    expect(parseModelRef("{{ get_where_subquery(ref('orders')) }}")).toEqual({ kind: 'ref', name: 'orders' });
    expect(parseModelRef("{{ get_where_subquery(ref('pkg', 'orders')) }}")).toEqual({ kind: 'ref', packageName: 'pkg', name: 'orders' });
    expect(parseModelRef("{{ get_where_subquery(source('raw', 'events')) }}")).toEqual({ kind: 'source', sourceName: 'raw', name: 'events' });
    expect(parseModelRef(undefined)).toBeUndefined();
  });
});

describe('catalog and run results', () => {
  it('reads catalog columns in index order with types and the table owner', () => {
    const c = parseCatalog(read('catalog.json'), 'catalog.json');
    const orders = c.tables.get('seed.jaffle_shop.raw_orders')!;
    expect(orders.columns.map((x) => [x.name, x.type, x.index])).toEqual([
      ['id', 'integer', 1], ['user_id', 'integer', 2], ['order_date', 'date', 3], ['status', 'character varying(14)', 4],
    ]);
    expect(orders.owner).toBe('awsuser');
  });

  it('maps run result statuses and takes the completion time', () => {
    const r = parseRunResults(read('run_results.json'), 'run_results.json');
    const t = r.results.get('test.jaffle_shop.unique_customers_customer_id.c5af1ff4b1')!;
    expect(t).toMatchObject({ status: 'success', testCaseStatus: 'Success', timestamp: Date.parse('2021-11-11T21:56:22.623860Z') });
    expect(['pass', 'success'].map(testCaseStatusOf)).toEqual(['Success', 'Success']);
    expect(['fail', 'error', 'failure'].map(testCaseStatusOf)).toEqual(['Failed', 'Failed', 'Failed']);
    expect(['skipped', 'warn', 'runtime error'].map(testCaseStatusOf)).toEqual(['Aborted', 'Aborted', 'Aborted']);
    const older = { results: new Map([['x', { ...t, uniqueId: 'x', timestamp: 1 }]]) };
    const newer = { results: new Map([['x', { ...t, uniqueId: 'x', timestamp: 2, status: 'fail' }]]) };
    expect(mergeRunResults([newer, older]).results.get('x')!.status).toBe('fail');
  });

  it('maps warehouse types to OpenMetadata types', () => {
    expect(columnTypeOf('integer')).toMatchObject({ dataType: 'INT' });
    expect(columnTypeOf('character varying(14)')).toMatchObject({ dataType: 'VARCHAR', dataLength: 14 });
    expect(columnTypeOf('character varying')).toMatchObject({ dataType: 'STRING' });
    expect(columnTypeOf('numeric(10,2)')).toMatchObject({ dataType: 'NUMERIC', precision: 10, scale: 2 });
    expect(columnTypeOf('timestamp without time zone')).toMatchObject({ dataType: 'TIMESTAMP' });
    expect(columnTypeOf('TIMESTAMP_TZ')).toMatchObject({ dataType: 'TIMESTAMPZ' });
    expect(columnTypeOf('array<string>')).toMatchObject({ dataType: 'ARRAY', arrayDataType: 'STRING' });
    expect(columnTypeOf('STRUCT<a INT64>')).toMatchObject({ dataType: 'STRUCT' });
    expect(columnTypeOf(undefined)).toEqual({ dataType: 'UNKNOWN' });
    expect(columnTypeOf('weird thing!')).toMatchObject({ dataType: 'UNKNOWN', dataTypeDisplay: 'weird thing!' });
  });
});
