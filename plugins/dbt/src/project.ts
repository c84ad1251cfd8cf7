/**
 * `metadata ingest-dbt -c <dbt project folder>`, as OpenMetadata's command works: the OpenMetadata
 * server, token and service come from `vars` in the project's `dbt_project.yml`
 * (`openmetadata_host_port`, `openmetadata_jwt_token`, `openmetadata_service_name`, and optional
 * `openmetadata_dbt_update_descriptions` / `_update_owners` (default true), `openmetadata_include_tags`
 * (true), `openmetadata_search_across_databases` (false), `openmetadata_dbt_classification_name`,
 * `openmetadata_{database,schema,table}_filter_pattern`), the artifacts from its `target/` folder
 * (manifest required; catalog, run_results and sources used when present). The result is an ordinary
 * dbt workflow config, so everything else (validation, secrets, summary) is the `ingest` path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, readConfigFile, type ConfigViolation } from '@om/core';

const REQUIRED = ['openmetadata_host_port', 'openmetadata_jwt_token', 'openmetadata_service_name'] as const;

/** dbt's `{{ env_var('NAME') }}` / `{{ env_var('NAME', 'default') }}` as om-ingest's `${NAME}` / `${NAME:-default}`. */
export function fromDbtEnvVars(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*env_var\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]\s*(?:,\s*['"]([^'"]*)['"]\s*)?\)\s*\}\}/g, (_m, name: string, fallback?: string) =>
      fallback === undefined ? `\${${name}}` : `\${${name}:-${fallback}}`,
    );
  }
  if (Array.isArray(value)) return value.map(fromDbtEnvVars);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromDbtEnvVars(v)]));
  return value;
}

/** The dbt workflow config for a dbt project folder; a ConfigError naming the file and the fix otherwise. */
export function dbtProjectWorkflowConfig(projectDir: string): Record<string, unknown> {
  const dir = path.resolve(projectDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw ConfigError.single('-c', `${dir} is not a folder`, 'give the folder of a dbt project (the one holding dbt_project.yml)');
  }
  const projectFile = path.join(dir, 'dbt_project.yml');
  if (!fs.existsSync(projectFile)) {
    throw ConfigError.single('-c', `no dbt_project.yml in ${dir}`, 'give the folder of a dbt project (the one holding dbt_project.yml)');
  }
  const project = readConfigFile(projectFile);
  const vars = (fromDbtEnvVars(project.vars ?? {}) ?? {}) as Record<string, unknown>;
  const violations: ConfigViolation[] = [];
  for (const key of REQUIRED) {
    if (typeof vars[key] !== 'string' || (vars[key] as string).trim() === '') {
      violations.push({ path: `vars.${key}`, message: 'is required by metadata ingest-dbt', hint: `add it under vars: in dbt_project.yml (${REQUIRED.join(', ')})` });
    }
  }
  const hostPort = vars.openmetadata_host_port;
  if (typeof hostPort === 'string' && !/^https?:\/\//.test(hostPort) && !hostPort.startsWith('${')) {
    violations.push({ path: 'vars.openmetadata_host_port', message: `"${hostPort}" is not an http(s) URL`, hint: 'for example http://openmetadata-server:8585/api' });
  }
  const manifest = path.join(dir, 'target', 'manifest.json');
  if (!fs.existsSync(manifest)) {
    violations.push({ path: 'target/manifest.json', message: `not found in ${path.join(dir, 'target')}`, hint: "run 'dbt compile' or 'dbt run' in the project first" });
  }
  if (violations.length > 0) throw new ConfigError(violations, projectFile);

  const artifact = (name: string): string | undefined => {
    const file = path.join(dir, 'target', name);
    return fs.existsSync(file) ? file : undefined;
  };
  const optional = (key: string, value: string | undefined) => (value ? { [key]: value } : {});
  const flag = (key: string, fallback: boolean): boolean => (typeof vars[key] === 'boolean' ? (vars[key] as boolean) : fallback);
  const filter = (key: string) => (vars[key] && typeof vars[key] === 'object' ? { [key.replace(/^openmetadata_/, '').replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())]: vars[key] } : {});
  return {
    source: {
      type: 'dbt',
      serviceName: vars.openmetadata_service_name,
      sourceConfig: {
        config: {
          type: 'DBT',
          dbtConfigSource: {
            dbtConfigType: 'local',
            dbtManifestFilePath: manifest,
            ...optional('dbtCatalogFilePath', artifact('catalog.json')),
            ...optional('dbtRunResultsFilePath', artifact('run_results.json')),
            ...optional('dbtSourcesFilePath', artifact('sources.json')),
          },
          dbtUpdateDescriptions: flag('openmetadata_dbt_update_descriptions', true),
          dbtUpdateOwners: flag('openmetadata_dbt_update_owners', true),
          includeTags: flag('openmetadata_include_tags', true),
          searchAcrossDatabases: flag('openmetadata_search_across_databases', false),
          ...(typeof vars.openmetadata_dbt_classification_name === 'string' ? { dbtClassificationName: vars.openmetadata_dbt_classification_name } : {}),
          ...filter('openmetadata_database_filter_pattern'),
          ...filter('openmetadata_schema_filter_pattern'),
          ...filter('openmetadata_table_filter_pattern'),
        },
      },
    },
    sink: { type: 'metadata-rest', config: {} },
    workflowConfig: {
      openMetadataServerConfig: { hostPort, authProvider: 'openmetadata', securityConfig: { jwtToken: vars.openmetadata_jwt_token } },
    },
  };
}
