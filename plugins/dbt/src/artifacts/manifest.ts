/**
 * dbt `manifest.json`, schema versions v1 to v12 (dbt 0.19 … 1.8+), read into one normalized shape.
 * Differences handled: `raw_sql`/`compiled_sql` (≤ v6) vs `raw_code`/`compiled_code` (v7+), `meta` at
 * the top of a node vs `config.meta`, tags on the node and in `config.tags` (a string in old
 * manifests), `attached_node` (v7+) for tests, sources in `sources` with `identifier` instead of
 * `alias`. Anything else (semantic models, metrics, saved queries, unit tests, exposures, groups…) is
 * ignored. Missing optional pieces never throw; a manifest without `nodes` is an error.
 */

import { OmError } from '@om/core';

export const MAX_SUPPORTED_MANIFEST_VERSION = 12;

/** Resource types that are tables in the catalog. */
export type TableResourceType = 'model' | 'seed' | 'snapshot' | 'source';
const TABLE_TYPES: ReadonlySet<string> = new Set(['model', 'seed', 'snapshot', 'source']);

export interface DbtColumn {
  name: string;
  description?: string;
  dataType?: string;
  tags: string[];
  meta: Record<string, unknown>;
}

export interface DbtNode {
  uniqueId: string;
  resourceType: TableResourceType;
  name: string;
  /** The relation name: `alias` for models/seeds/snapshots, `identifier` for sources. */
  alias: string;
  database?: string;
  schema: string;
  packageName?: string;
  sourceName?: string;
  description?: string;
  columns: DbtColumn[];
  tags: string[];
  meta: Record<string, unknown>;
  materialized?: string;
  /** `depends_on.nodes`: unique ids of upstream nodes. */
  upstream: string[];
  rawSql?: string;
  compiledSql?: string;
  /**
   * The data model's path as OpenMetadata builds it (`get_data_model_path` in its dbt `dbt_utils.py`):
   * `root_path/original_file_path` when the manifest has a `root_path` (manifests before v5), else
   * `original_file_path`; nothing without an `original_file_path`.
   */
  path?: string;
}

export interface DbtTest {
  uniqueId: string;
  name: string;
  /** `test_metadata.name` (e.g. `not_null`, `accepted_values`); undefined for singular (data) tests. */
  testName?: string;
  namespace?: string;
  kwargs: Record<string, unknown>;
  columnName?: string;
  description?: string;
  /** Unique id of the node the test is about, when it could be determined. */
  attachedNode?: string;
  dependsOn: string[];
  tags: string[];
}

export interface ParsedManifest {
  /** The N of `.../manifest/vN.json`, when the manifest says. */
  schemaVersion?: number;
  dbtVersion?: string;
  generatedAt?: string;
  projectName?: string;
  /** `metadata.adapter_type` (postgres, snowflake, bigquery…): the SQL dialect of compiled code. */
  adapterType?: string;
  nodes: Map<string, DbtNode>;
  tests: DbtTest[];
  /** Nodes left out, by reason (`ephemeral model`, `analysis`, `disabled`...). */
  skipped: Record<string, number>;
  warnings: string[];
}

/** A dbt artifact that is missing, unreadable or not what dbt writes (the user's to fix). */
export class ArtifactError extends OmError {}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

function tagsOf(...values: unknown[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : [];
    for (const t of list) if (typeof t === 'string' && t.trim() && !out.includes(t.trim())) out.push(t.trim());
  }
  return out;
}

/** JSON text (or an already parsed object) of a dbt artifact; invalid JSON names the file and the artifact to point at. */
export function artifactJson(input: string | unknown, where: string, artifact: string): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch (err) {
    throw new ArtifactError(`${where} is not valid JSON (${(err as Error).message}); point the config at dbt's target/${artifact}`);
  }
}

export function schemaVersionOf(metadata: unknown, kind: 'manifest' | 'catalog' | 'run-results'): number | undefined {
  const url = isObj(metadata) ? metadata.dbt_schema_version : undefined;
  if (typeof url !== 'string') return undefined;
  const m = new RegExp(`/${kind}/v(\\d+)\\.json`).exec(url);
  return m ? Number(m[1]) : undefined;
}

function columnsOf(raw: unknown): DbtColumn[] {
  if (!isObj(raw)) return [];
  return Object.entries(raw).map(([key, c]) => {
    const col = isObj(c) ? c : {};
    return {
      name: str(col.name) ?? key,
      ...(str(col.description) ? { description: str(col.description) } : {}),
      ...(str(col.data_type) ? { dataType: str(col.data_type) } : {}),
      tags: tagsOf(col.tags, isObj(col.config) ? col.config.tags : undefined),
      meta: { ...(isObj(col.meta) ? col.meta : {}), ...(isObj(col.config) && isObj(col.config.meta) ? col.config.meta : {}) },
    };
  });
}

function tableNode(raw: Obj, uniqueId: string, resourceType: TableResourceType): DbtNode | string {
  const config = isObj(raw.config) ? raw.config : {};
  const name = str(raw.name);
  const schema = str(raw.schema);
  if (!name || !schema) return `${uniqueId} has no ${!name ? 'name' : 'schema'}`;
  const alias = resourceType === 'source' ? (str(raw.identifier) ?? name) : (str(raw.alias) ?? name);
  const dependsOn = isObj(raw.depends_on) && Array.isArray(raw.depends_on.nodes) ? raw.depends_on.nodes.filter((n): n is string => typeof n === 'string') : [];
  const rawSql = str(raw.raw_code) ?? str(raw.raw_sql);
  const compiledSql = str(raw.compiled_code) ?? str(raw.compiled_sql);
  const originalFilePath = str(raw.original_file_path);
  const rootPath = str(raw.root_path);
  const path = originalFilePath && rootPath ? `${rootPath}/${originalFilePath}` : originalFilePath;
  return {
    uniqueId,
    resourceType,
    name,
    alias,
    ...(str(raw.database) ? { database: str(raw.database) } : {}),
    schema,
    ...(str(raw.package_name) ? { packageName: str(raw.package_name) } : {}),
    ...(str(raw.source_name) ? { sourceName: str(raw.source_name) } : {}),
    ...(str(raw.description) ? { description: str(raw.description) } : {}),
    columns: columnsOf(raw.columns),
    tags: tagsOf(raw.tags, config.tags),
    meta: { ...(isObj(raw.meta) ? raw.meta : {}), ...(isObj(config.meta) ? config.meta : {}) },
    ...(str(config.materialized) ? { materialized: str(config.materialized) } : {}),
    upstream: [...new Set(dependsOn)],
    ...(rawSql ? { rawSql } : {}),
    ...(compiledSql ? { compiledSql } : {}),
    ...(path ? { path } : {}),
  };
}

function testNode(raw: Obj, uniqueId: string): DbtTest {
  const tm = isObj(raw.test_metadata) ? raw.test_metadata : undefined;
  const kwargs = tm && isObj(tm.kwargs) ? tm.kwargs : {};
  const dependsOn = isObj(raw.depends_on) && Array.isArray(raw.depends_on.nodes) ? raw.depends_on.nodes.filter((n): n is string => typeof n === 'string') : [];
  const columnName = str(raw.column_name) ?? str(kwargs.column_name);
  const attached = str(raw.attached_node);
  const config = isObj(raw.config) ? raw.config : {};
  return {
    uniqueId,
    name: str(raw.name) ?? uniqueId,
    ...(tm && str(tm.name) ? { testName: str(tm.name) } : {}),
    ...(tm && str(tm.namespace) ? { namespace: str(tm.namespace) } : {}),
    kwargs,
    ...(columnName ? { columnName } : {}),
    ...(str(raw.description) ? { description: str(raw.description) } : {}),
    ...(attached ? { attachedNode: attached } : {}),
    dependsOn,
    tags: tagsOf(raw.tags, config.tags),
  };
}

/** `ref('x')`, `ref('pkg', 'x')`, `ref(name='x')` or `source('s', 't')` inside a test's `model` kwarg. */
export function parseModelRef(model: unknown): { kind: 'ref'; name: string; packageName?: string } | { kind: 'source'; sourceName: string; name: string } | undefined {
  if (typeof model !== 'string') return undefined;
  const ref = /\bref\(\s*(?:name\s*=\s*)?['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]+)['"]\s*)?(?:,[^)]*)?\)/.exec(model);
  if (ref) return ref[2] ? { kind: 'ref', packageName: ref[1], name: ref[2] } : { kind: 'ref', name: ref[1] };
  const src = /\bsource\(\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]\s*\)/.exec(model);
  if (src) return { kind: 'source', sourceName: src[1], name: src[2] };
  return undefined;
}

/** Parses manifest JSON text (or an already parsed object); `where` names the file in errors. */
export function parseManifest(input: string | unknown, where: string): ParsedManifest {
  const doc = artifactJson(input, where, 'manifest.json');
  if (!isObj(doc) || !isObj(doc.nodes)) {
    throw new ArtifactError(`${where} has no "nodes" object: is it a dbt manifest.json (target/manifest.json after dbt compile/run)?`);
  }
  const metadata = isObj(doc.metadata) ? doc.metadata : {};
  const schemaVersion = schemaVersionOf(metadata, 'manifest');
  const warnings: string[] = [];
  if (schemaVersion !== undefined && schemaVersion > MAX_SUPPORTED_MANIFEST_VERSION) {
    warnings.push(`${where} is a manifest v${schemaVersion}; @om/dbt knows up to v${MAX_SUPPORTED_MANIFEST_VERSION} and reads it as such`);
  }
  const nodes = new Map<string, DbtNode>();
  const tests: DbtTest[] = [];
  const skipped: Record<string, number> = {};
  const skip = (why: string): void => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };
  const visit = (uniqueId: string, raw: unknown): void => {
    if (!isObj(raw)) return skip('not an object');
    const type = str(raw.resource_type) ?? uniqueId.split('.')[0];
    const config = isObj(raw.config) ? raw.config : {};
    if (config.enabled === false) return skip('disabled');
    if (type === 'test' || type === 'data_test') {
      tests.push(testNode(raw, uniqueId));
      return;
    }
    if (!TABLE_TYPES.has(type)) return skip(type);
    if (type === 'model' && config.materialized === 'ephemeral') return skip('ephemeral model');
    const node = tableNode(raw, uniqueId, type as TableResourceType);
    if (typeof node === 'string') {
      warnings.push(`${where}: ${node}; it is left out`);
      return skip('incomplete');
    }
    nodes.set(uniqueId, node);
  };
  for (const [id, raw] of Object.entries(doc.nodes)) visit(id, raw);
  if (isObj(doc.sources)) for (const [id, raw] of Object.entries(doc.sources)) visit(id, { resource_type: 'source', ...(isObj(raw) ? raw : {}) });

  for (const t of tests) {
    if (t.attachedNode && nodes.has(t.attachedNode)) continue;
    delete t.attachedNode;
    const ref = parseModelRef(t.kwargs.model);
    let target: DbtNode | undefined;
    if (ref?.kind === 'ref') {
      target = [...nodes.values()].find((n) => n.resourceType !== 'source' && n.name === ref.name && (!ref.packageName || n.packageName === ref.packageName));
    } else if (ref?.kind === 'source') {
      target = [...nodes.values()].find((n) => n.resourceType === 'source' && n.sourceName === ref.sourceName && n.name === ref.name);
    }
    if (!target) {
      const candidates = t.dependsOn.filter((id) => nodes.has(id));
      if (candidates.length > 0) target = nodes.get(candidates[candidates.length - 1]);
    }
    if (target) t.attachedNode = target.uniqueId;
  }

  const projectName = str(metadata.project_name) ?? [...nodes.values()].find((n) => n.resourceType === 'model')?.packageName;
  return {
    ...(schemaVersion !== undefined ? { schemaVersion } : {}),
    ...(str(metadata.dbt_version) ? { dbtVersion: str(metadata.dbt_version) } : {}),
    ...(str(metadata.generated_at) ? { generatedAt: str(metadata.generated_at) } : {}),
    ...(projectName ? { projectName } : {}),
    ...(str(metadata.adapter_type) ? { adapterType: str(metadata.adapter_type) } : {}),
    nodes,
    tests,
    skipped,
    warnings,
  };
}
