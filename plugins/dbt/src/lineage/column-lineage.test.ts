import * as fs from 'node:fs';
import * as path from 'node:path';
import { ColumnLineageParser, type ColumnLineage } from './column-lineage';

const SHARED = path.resolve(__dirname, '../../../../../shared/testdata/dbt');
const manifest = JSON.parse(fs.readFileSync(path.join(SHARED, 'manifest.json'), 'utf8'));
const catalog = JSON.parse(fs.readFileSync(path.join(SHARED, 'catalog.json'), 'utf8'));

/** The catalog's columns per relation, as the dbt source resolves them. */
const columns = new Map<string, string[]>(
  Object.values(catalog.nodes as Record<string, { metadata: { database: string; schema: string; name: string }; columns: Record<string, unknown> }>).map((n) => [
    `${n.metadata.database}.${n.metadata.schema}.${n.metadata.name}`.toLowerCase(),
    Object.keys(n.columns),
  ]),
);
const parser = new ColumnLineageParser((relation) => columns.get(relation));
const edges = (lineage: ColumnLineage) =>
  Object.fromEntries([...lineage].map(([column, sources]) => [column, sources.map((s) => `${s.relation.split('.').pop()}.${s.column}`)]));

describe('column lineage from compiled SQL (jaffle_shop, redshift)', () => {
  it('customers: through CTEs, aggregates, joins, aliases and a final select *', () => {
    const sql = manifest.nodes['model.jaffle_shop.customers'].compiled_sql;
    expect(edges(parser.lineage(sql, manifest.metadata.adapter_type))).toEqual({
      customer_id: ['stg_customers.customer_id'],
      first_name: ['stg_customers.first_name'],
      last_name: ['stg_customers.last_name'],
      first_order: ['stg_orders.order_date'],
      most_recent_order: ['stg_orders.order_date'],
      number_of_orders: ['stg_orders.order_id'],
      customer_lifetime_value: ['stg_payments.amount'],
    });
  });

  it('orders: CASE expressions read both the condition and the value', () => {
    const lineage = edges(parser.lineage(manifest.nodes['model.jaffle_shop.orders'].compiled_sql, 'redshift'));
    expect(lineage.order_id).toEqual(['stg_orders.order_id']);
    expect(lineage.credit_card_amount).toEqual(['stg_payments.payment_method', 'stg_payments.amount']);
    expect(lineage.amount).toEqual(['stg_payments.amount']);
  });

  it('staging models: renamed columns from the seeds', () => {
    const lineage = edges(parser.lineage(manifest.nodes['model.jaffle_shop.stg_payments'].compiled_sql, 'redshift'));
    expect(lineage.payment_id).toEqual(['raw_payments.id']);
    expect(lineage.amount).toEqual(['raw_payments.amount']);
  });

  it('unions, subqueries and other dialects', () => {
    const union = 'select a.id, a.v from "d"."s"."x" a union all select b.key, b.w from "d"."s"."y" b';
    expect(edges(parser.lineage(union))).toEqual({ id: ['x.id', 'y.key'], v: ['x.v', 'y.w'] });
    const bq = 'select t.user_id, count(*) as n from (select user_id from `proj.ds.events`) t group by 1';
    expect(edges(parser.lineage(bq, 'bigquery'))).toEqual({ user_id: ['events.user_id'], n: [] });
    const sf = 'select o.id as order_id, upper(c.name) as customer from DB.SALES.ORDERS o join DB.SALES.CUSTOMERS c on o.cid = c.id';
    expect(edges(parser.lineage(sf, 'snowflake'))).toEqual({ order_id: ['orders.id'], customer: ['customers.name'] });
    const spark = 'select e.`user`, count(distinct e.session_id) as sessions from `lake`.`web`.`events` e group by e.`user`';
    expect(edges(parser.lineage(spark, 'spark'))).toEqual({ user: ['events.user'], sessions: ['events.session_id'] });
    const duck = 'with t as (select id, amount * 2 as doubled from "main"."shop"."orders") select t.id, t.doubled from t';
    expect(edges(parser.lineage(duck, 'duckdb'))).toEqual({ id: ['orders.id'], doubled: ['orders.amount'] });
  });

  it('SQL that does not parse throws (the caller keeps table lineage and warns)', () => {
    expect(() => parser.lineage('select from where', 'postgres')).toThrow();
  });
});
