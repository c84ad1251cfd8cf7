/** Shared helpers of the dbt end-to-end tests: seed a datalake catalog on the API test server and run the dbt workflow. */
import * as path from 'node:path';
import { ConsoleLogger, PluginRegistry, Workflow, type PluginDescriptor } from '@om/core';
import { plugin as omPlugin } from '../../packages/openmetadata/src';
import { plugin as dbtPlugin, type DbtStatusSnapshot } from '../../plugins/dbt/src';
import type { OmApiServer } from '../om-api-server';

export const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkYnQtYm90In0.ZGJ0LXRlc3Qtc2lnbmF0dXJl';
export const SHARED_DBT = path.resolve(__dirname, '../../../shared/testdata/dbt');
export const shared = (file: string): string => path.join(SHARED_DBT, file);

export const SERVICE = 'lake';
export const BUCKET = 'jaffle-bucket';
/** Datalake naming: database `default`, schema = bucket, table = object key. */
export const MAPPING = { database: 'default', schema: BUCKET, table: 'warehouse/{schema}/{alias}.parquet' };

export const tableKey = (schema: string, alias: string): string => `warehouse/${schema}/${alias}.parquet`;
export const tableFqn = (schema: string, alias: string): string => `${SERVICE}.default.${BUCKET}."${tableKey(schema, alias)}"`;

export async function api(server: OmApiServer, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${server.url}/api/v1${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface SeedTable {
  schema: string;
  alias: string;
  columns: string[];
  description?: string;
  columnDescriptions?: Record<string, string>;
}

/** The jaffle_shop relations as a datalake would have ingested them (Parquet files in one bucket). */
export function jaffleTables(schema: string, stgCustomersAlias = 'stg_customers'): SeedTable[] {
  return [
    { schema, alias: 'raw_customers', columns: ['id', 'first_name', 'last_name'] },
    { schema, alias: 'raw_orders', columns: ['id', 'user_id', 'order_date', 'status'] },
    { schema, alias: 'raw_payments', columns: ['id', 'order_id', 'payment_method', 'amount'] },
    { schema, alias: stgCustomersAlias, columns: ['customer_id', 'first_name', 'last_name'] },
    { schema, alias: 'stg_orders', columns: ['order_id', 'customer_id', 'order_date', 'status'] },
    { schema, alias: 'stg_payments', columns: ['payment_id', 'order_id', 'payment_method', 'amount'] },
    {
      schema,
      alias: 'customers',
      columns: ['customer_id', 'first_name', 'last_name', 'first_order', 'most_recent_order', 'number_of_orders', 'total_order_amount', 'customer_lifetime_value'],
    },
    {
      schema,
      alias: 'orders',
      columns: ['order_id', 'customer_id', 'order_date', 'status', 'amount', 'credit_card_amount', 'coupon_amount', 'bank_transfer_amount', 'gift_card_amount'],
    },
  ];
}

export async function seedLake(server: OmApiServer, tables: SeedTable[]): Promise<void> {
  const ok = (r: { status: number; body: unknown }) => {
    if (r.status >= 300) throw new Error(`seeding failed: ${r.status} ${JSON.stringify(r.body)}`);
  };
  ok(await api(server, 'PUT', '/services/databaseServices', { name: SERVICE, serviceType: 'Datalake', connection: { config: { type: 'Datalake', configSource: {} } } }));
  ok(await api(server, 'PUT', '/databases', { name: 'default', service: SERVICE }));
  ok(await api(server, 'PUT', '/databaseSchemas', { name: BUCKET, database: `${SERVICE}.default` }));
  for (const t of tables) {
    ok(
      await api(server, 'PUT', '/tables', {
        name: tableKey(t.schema, t.alias),
        tableType: 'Regular',
        fileFormat: 'parquet',
        databaseSchema: `${SERVICE}.default.${BUCKET}`,
        ...(t.description ? { description: t.description } : {}),
        columns: t.columns.map((name, i) => ({
          name,
          dataType: 'STRING',
          ordinalPosition: i + 1,
          ...(t.columnDescriptions?.[name] ? { description: t.columnDescriptions[name] } : {}),
        })),
      }),
    );
  }
}

export function registry(...extra: { descriptor: PluginDescriptor; name: string }[]): PluginRegistry {
  const r = new PluginRegistry();
  r.addDescriptor(dbtPlugin, '@om/dbt');
  r.addDescriptor(omPlugin, '@om/openmetadata');
  for (const e of extra) r.addDescriptor(e.descriptor, e.name);
  return r;
}

export interface RunResult {
  wf: Workflow;
  status: DbtStatusSnapshot;
  output: string;
}

/** Runs a dbt workflow to the end; `output` is every log line, the printed summary and the summary JSON. */
export async function runDbt(server: OmApiServer, sourceConfig: Record<string, unknown>, options: { registry?: PluginRegistry; sink?: Record<string, unknown> } = {}): Promise<RunResult> {
  const lines: string[] = [];
  const logger = new ConsoleLogger({ level: 'DEBUG', write: (l) => lines.push(l) });
  const config = {
    source: { type: 'dbt', serviceName: SERVICE, sourceConfig: { config: { type: 'DBT', tableNameMapping: MAPPING, ...sourceConfig } } },
    sink: options.sink ?? { type: 'metadata-rest' },
    workflowConfig: { loggerLevel: 'DEBUG', openMetadataServerConfig: { hostPort: server.hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: TOKEN } } },
  };
  const wf = await Workflow.create(config, { registry: options.registry ?? registry(), logger, env: {} });
  try {
    await wf.execute();
  } finally {
    await wf.stop();
  }
  let printed = '';
  wf.printStatus((t) => (printed += t), { debug: true });
  const output = [...lines, printed, JSON.stringify(wf.summary())].join('\n');
  return { wf, status: wf.source.status.snapshot() as DbtStatusSnapshot, output };
}

/** A stored table by FQN (with its data model). */
export function storedTable(server: OmApiServer, fqn: string) {
  const t = server.store.entities.table.get(fqn);
  if (!t) throw new Error(`no table ${fqn} on the test server`);
  return t;
}

export function lineageEdges(server: OmApiServer): string[] {
  const nameOf = (id: string) => server.store.all('table').find((t) => t.id === id)?.name ?? id;
  return server.store.lineage.map((l) => `${nameOf((l.fromEntity as { id: string }).id)} -> ${nameOf((l.toEntity as { id: string }).id)}`).sort();
}
