/**
 * `metadata ingest-dbt -c <dbt project folder>` (OpenMetadata's command of the same name): the dbt
 * plugin builds the workflow from the project's `dbt_project.yml` vars and `target/` artifacts; the CLI
 * runs it as `ingest` would. The plugin is found like every other, so a missing `@om/dbt` says what to
 * install.
 */
import * as path from 'node:path';
import type { PluginRegistry } from '@om/core';
import type { ConfigInput } from './config-input';

type ProjectConfigBuilder = (projectDir: string) => Record<string, unknown>;

export function dbtProjectInput(registry: PluginRegistry, projectDir: string): ConfigInput {
  const entry = registry.entryFor('source:dbt', 'metadata ingest-dbt');
  const module = (entry.dir ? require(entry.dir) : {}) as { dbtProjectWorkflowConfig?: ProjectConfigBuilder };
  if (typeof module.dbtProjectWorkflowConfig !== 'function') {
    throw new Error(`${entry.packageName} ${entry.version} cannot read a dbt project folder: upgrade it for metadata ingest-dbt`);
  }
  const dir = path.resolve(projectDir);
  return { raw: module.dbtProjectWorkflowConfig(dir), label: path.join(dir, 'dbt_project.yml'), configDir: dir };
}
