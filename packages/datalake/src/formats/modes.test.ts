/** The Datalake source in Profiler and TestSuite mode, and the `testsuite` source, through core's Workflow. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigError, PluginRegistry, StepStatus, TABLE_CATALOG, Workflow, builtinPlugin, right, silentLogger,
  stepToken, definePlugin, PLUGIN_API_VERSION,
  type CatalogTable, type OmRecord, type Processor, type TableCatalog, type TableDataRequest,
} from '@om/core';
import { plugin } from '..';

const LAKE = path.resolve(__dirname, '../../../../examples/datalake');

/** A tiny processor that counts each table's rows (stands in for orm-profiler / orm-test-runner). */
const seen: { fqn: string; rows: number; first?: Record<string, unknown>; table: TableDataRequest }[] = [];
/** Bound as core's TABLE_CATALOG in the run's container when set (as @om/openmetadata does). */
let catalogForRun: TableCatalog | undefined;
const countingProcessor = definePlugin({
  id: 'count-rows',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['processor:count-rows'],
  register(container) {
    if (catalogForRun) container.register(TABLE_CATALOG, { useValue: catalogForRun });
    container.register(stepToken('processor', 'count-rows'), {
      useValue: {
        create: (): Processor => ({
          status: new StepStatus('Processor count-rows'),
          async process(record: OmRecord) {
            if (record.kind !== 'profileRequest' && record.kind !== 'testSuiteRequest') return [right(record)];
            let rows = 0;
            let first: Record<string, unknown> | undefined;
            for await (const row of record.table.rows()) {
              first ??= row;
              rows++;
            }
            seen.push({ fqn: record.table.fqn, rows, first, table: record.table });
            return [right<OmRecord>({ kind: 'tableProfile', tableFqn: record.table.fqn, profile: { tableProfile: { timestamp: 1, rowCount: rows } } })];
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
  r.addDescriptor(plugin, '@om/datalake');
  r.addDescriptor(countingProcessor, 'count-rows');
  return r;
}

async function run(config: Record<string, unknown>) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'om-dl-modes-')), 'out.json');
  const workflow = await Workflow.create(
    { ...config, sink: { type: 'file', config: { filename: out } }, workflowConfig: { loggerLevel: 'ERROR' } },
    { registry: registry(), logger: silentLogger },
  );
  await workflow.execute();
  await workflow.stop();
  return { records: JSON.parse(fs.readFileSync(out, 'utf8')) as Record<string, unknown>[], workflow };
}

function source(type: string, sourceConfig: Record<string, unknown>) {
  return {
    type,
    serviceName: 'local_datalake',
    serviceConnection: { config: { type: 'Datalake', configSource: { root: LAKE }, databaseName: 'shop' } },
    sourceConfig: { config: sourceConfig },
  };
}

beforeEach(() => {
  seen.length = 0;
  catalogForRun = undefined;
});

describe('Profiler mode (no catalog: tables from the storage listing)', () => {
  it('yields profileRequest records only; the file sink writes them without the rows function', async () => {
    const { records, workflow } = await run({ source: source('datalake', { type: 'Profiler', tableFilterPattern: { includes: ['orders.*', 'products.*'] } }) });
    const kinds = records.map((r) => r.kind);
    expect(new Set(kinds)).toEqual(new Set(['profileRequest']));
    const tables = records.map((r) => (r.table as { fqn: string }).fqn).sort();
    expect(tables).toEqual(['local_datalake.shop.sales."orders.csv"', 'local_datalake.shop.sales."products.json"', 'local_datalake.shop.warehouse."products.parquet"']);
    const orders = records.find((r) => (r.table as { fqn: string }).fqn.endsWith('"orders.csv"'))!.table as Record<string, unknown>;
    expect(orders).toMatchObject({ name: 'orders.csv', fileFormat: 'csv' });
    expect(orders.rows).toBeUndefined();
    expect((orders.columns as { name: string }[]).map((c) => c.name)).toEqual(['order_id', 'customer_id', 'order_date', 'amount', 'quantity', 'paid', 'notes']);
    const parquet = records.find((r) => (r.table as { fqn: string }).fqn.endsWith('"products.parquet"'))!.table as Record<string, unknown>;
    expect(typeof parquet.knownRowCount).toBe('number');
    expect(workflow.summary().state).toBe('success');
  });

  it('rows() reads every row; a processor tableConfig overrides the sample', async () => {
    await run({
      source: source('datalake', { type: 'Profiler', tableFilterPattern: { includes: ['orders\\.csv'] }, profileSample: 50, sampleSeed: 3 }),
      processor: { type: 'count-rows', config: { tableConfig: [{ fullyQualifiedName: 'local_datalake.shop.sales."orders.csv"', profileSample: 100 }] } },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0].rows).toBe(3); // 1003 has a quoted two-line note
    expect(seen[0].first).toMatchObject({ order_id: '1001', amount: '19.99', notes: 'first order, gift wrapped' });
    expect(seen[0].table.sampling).toEqual({ profileSample: 100, profileSampleType: 'PERCENTAGE', seed: 3 });
  });

  it('rejects fields of another pipeline type, naming them', async () => {
    await expect(run({ source: source('datalake', { type: 'Profiler', markDeletedTables: true }) })).rejects.toThrow(ConfigError);
    await expect(run({ source: source('datalake', { type: 'Profiler', markDeletedTables: true }) })).rejects.toThrow(/markDeletedTables/);
    await expect(run({ source: source('datalake', { type: 'Profiler', profileSampleType: 'ROW' }) })).rejects.toThrow(/profileSampleType/);
  });
});

describe('Profiler mode with a catalog bound', () => {
  function bindCatalog(tables: CatalogTable[]) {
    const catalog: TableCatalog & { closed: number } = {
      closed: 0,
      async *listTables(service: string) {
        for (const t of tables) if (t.fullyQualifiedName.startsWith(`${service}.`)) yield t;
      },
      async getTable(fqn: string) {
        return tables.find((t) => t.fullyQualifiedName === fqn);
      },
    };
    (catalog as unknown as { close: () => void }).close = () => {
      catalog.closed++;
    };
    catalogForRun = catalog;
    return catalog;
  }

  it('profiles the tables the server has, mapped back to bucket + key, with the server columns', async () => {
    const catalog = bindCatalog([
      { name: 'orders.csv', fullyQualifiedName: 'local_datalake.shop.sales."orders.csv"', columns: [{ name: 'order_id', dataType: 'INT' }] },
      { name: 'events', fullyQualifiedName: 'local_datalake.shop.warehouse.events', columns: [] },
      { name: 'gone.csv', fullyQualifiedName: 'local_datalake.shop.sales."gone.csv"', columns: [] },
      { name: 'clicks.avro', fullyQualifiedName: 'local_datalake.shop.warehouse."clicks.avro"', columns: [] },
    ]);
    const { records, workflow } = await run({ source: source('datalake', { type: 'Profiler', schemaFilterPattern: { excludes: ['nothing'] } }), processor: { type: 'count-rows' } });
    expect(records.map((r) => r.tableFqn)).toEqual(['local_datalake.shop.sales."orders.csv"', 'local_datalake.shop.warehouse."clicks.avro"']);
    expect(seen[0].table.columns).toEqual([{ name: 'order_id', dataType: 'INT' }]);
    expect(seen[1].rows).toBeGreaterThan(0);
    const status = workflow.source.status.snapshot();
    expect(status.failureSamples.map((f) => f.name)).toEqual(['local_datalake.shop.sales."gone.csv"']);
    expect(status.failureSamples[0].error).toMatch(/gone/);
    expect(status.warningSamples.map((w) => w.name)).toContain('local_datalake.shop.warehouse.events');
    expect(catalog.closed).toBe(1);
  });
});

describe('TestSuite: the testsuite source and the datalake source with type TestSuite', () => {
  it.each(['testsuite', 'datalake'])('source %s yields one testSuiteRequest for the entity FQN', async (type) => {
    const { records } = await run({
      source: source(type, { type: 'TestSuite', entityFullyQualifiedName: 'local_datalake.shop.sales."customers.tsv"' }),
      processor: { type: 'count-rows' },
    });
    expect(records).toHaveLength(1);
    expect(seen[0].fqn).toBe('local_datalake.shop.sales."customers.tsv"');
    expect(seen[0].first).toMatchObject({ customer_id: 'C-01', name: 'Ann Smith' });
    expect(seen[0].table.columns.map((c) => c.name)).toEqual(['customer_id', 'name', 'country', 'signed_up']);
  });

  it('writes the testSuiteRequest (without rows) when no processor runs', async () => {
    const { records } = await run({ source: source('testsuite', { type: 'TestSuite', entityFullyQualifiedName: 'local_datalake.shop.sales."orders.csv"' }) });
    expect(records).toEqual([{ kind: 'testSuiteRequest', table: expect.objectContaining({ fqn: 'local_datalake.shop.sales."orders.csv"', fileFormat: 'csv' }) }]);
    expect((records[0].table as Record<string, unknown>).rows).toBeUndefined();
  });

  it('a table that does not exist is a clear failure naming the FQN', async () => {
    const { workflow } = await run({ source: source('testsuite', { type: 'TestSuite', entityFullyQualifiedName: 'local_datalake.shop.sales."missing.csv"' }) });
    const failures = workflow.source.status.snapshot().failureSamples;
    expect(failures).toHaveLength(1);
    expect(failures[0].name).toBe('local_datalake.shop.sales."missing.csv"');
    expect(failures[0].error).toMatch(/does not exist: no object missing\.csv in bucket sales/);
    const { workflow: w2 } = await run({ source: source('testsuite', { type: 'TestSuite', entityFullyQualifiedName: 'local_datalake.shop.sales' }) });
    expect(w2.source.status.snapshot().failureSamples[0].error).toMatch(/must name a table/);
  });

  it('with a catalog, a table the server does not have is a failure', async () => {
    catalogForRun = { async *listTables() {}, getTable: async () => undefined };
    const { workflow } = await run({
      source: source('testsuite', { type: 'TestSuite', entityFullyQualifiedName: 'local_datalake.shop.sales."orders.csv"' }),
      processor: { type: 'count-rows' },
    });
    expect(workflow.source.status.snapshot().failureSamples[0].error).toMatch(/does not exist in OpenMetadata/);
  });

  it('entityFullyQualifiedName is required', async () => {
    await expect(run({ source: source('testsuite', { type: 'TestSuite' }) })).rejects.toThrow(/entityFullyQualifiedName/);
  });
});
