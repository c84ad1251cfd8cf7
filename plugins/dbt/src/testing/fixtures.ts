/** Paths of the shared dbt artifacts and small hand-made manifests for tests (not published). */
import * as path from 'node:path';

/** `../shared/testdata/dbt` from the repository root. */
export const SHARED_DBT = path.resolve(__dirname, '../../../../../shared/testdata/dbt');

export const shared = (file: string): string => path.join(SHARED_DBT, file);

type Obj = Record<string, unknown>;

/** A model node in the v12 shape (`raw_code`, `compiled_code`, `config.meta`, `config.tags`). */
export function v12Model(name: string, extra: Obj = {}): Obj {
  const { config, ...rest } = extra as { config?: Obj };
  return {
    database: 'warehouse',
    schema: 'analytics',
    name,
    resource_type: 'model',
    package_name: 'shop',
    path: `${name}.sql`,
    original_file_path: `models/${name}.sql`,
    unique_id: `model.shop.${name}`,
    fqn: ['shop', name],
    alias: name,
    checksum: { name: 'sha256', checksum: 'x' },
    config: { enabled: true, alias: null, schema: null, database: null, tags: [], meta: {}, materialized: 'table', ...(config ?? {}) },
    tags: [],
    description: '',
    columns: {},
    meta: {},
    group: null,
    docs: { show: true, node_color: null },
    patch_path: null,
    build_path: null,
    unrendered_config: {},
    created_at: 1718000000.0,
    relation_name: `"warehouse"."analytics"."${name}"`,
    raw_code: `select 1 as id`,
    language: 'sql',
    refs: [],
    sources: [],
    metrics: [],
    depends_on: { macros: [], nodes: [] },
    compiled_path: `target/compiled/shop/models/${name}.sql`,
    compiled: true,
    compiled_code: `select 1 as id`,
    extra_ctes_injected: true,
    extra_ctes: [],
    contract: { enforced: false, alias_types: true, checksum: null },
    access: 'protected',
    constraints: [],
    version: null,
    latest_version: null,
    deprecation_date: null,
    ...rest,
  };
}

export function v12Column(name: string, extra: Obj = {}): Obj {
  return { name, description: '', meta: {}, data_type: null, constraints: [], quote: null, tags: [], granularity: null, ...extra };
}

export function v12Test(name: string, testName: string, model: string, column: string | null, kwargs: Obj = {}): Obj {
  return {
    database: 'warehouse',
    schema: 'analytics_dbt_test__audit',
    name,
    resource_type: 'test',
    package_name: 'shop',
    path: `${name}.sql`,
    original_file_path: 'models/schema.yml',
    unique_id: `test.shop.${name}.abc123`,
    fqn: ['shop', name],
    alias: name,
    checksum: { name: 'none', checksum: '' },
    config: { enabled: true, severity: 'ERROR', tags: [], meta: {} },
    tags: [],
    description: '',
    columns: {},
    meta: {},
    raw_code: `{{ test_${testName}(**_dbt_generic_test_kwargs) }}`,
    language: 'sql',
    refs: [{ name: model, package: null, version: null }],
    sources: [],
    depends_on: { macros: [`macro.dbt.test_${testName}`], nodes: [`model.shop.${model}`] },
    compiled: true,
    column_name: column,
    file_key_name: `models.${model}`,
    attached_node: `model.shop.${model}`,
    test_metadata: { name: testName, kwargs: { ...(column ? { column_name: column } : {}), model: `{{ get_where_subquery(ref('${model}')) }}`, ...kwargs }, namespace: null },
  };
}

/** A whole v12 manifest around the given nodes. */
export function v12Manifest(nodes: Obj[], extra: Obj = {}): Obj {
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      dbt_version: '1.8.7',
      generated_at: '2024-10-01T10:00:00.000000Z',
      invocation_id: '00000000-0000-0000-0000-000000000000',
      env: {},
      project_name: 'shop',
      project_id: 'p',
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: 'duckdb',
    },
    nodes: Object.fromEntries(nodes.map((n) => [n.unique_id as string, n])),
    sources: {},
    macros: {},
    docs: {},
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled: {},
    parent_map: {},
    child_map: {},
    group_map: {},
    saved_queries: {},
    semantic_models: {
      'semantic_model.shop.orders': { name: 'orders', resource_type: 'semantic_model', node_relation: { alias: 'orders' }, entities: [], measures: [], dimensions: [] },
    },
    unit_tests: {
      'unit_test.shop.orders.t1': { name: 't1', resource_type: 'unit_test', model: 'orders' },
    },
    ...extra,
  };
}
