/**
 * How a dbt node is named in the OpenMetadata service (`tableNameMapping`). dbt names a relation
 * `database.schema.alias`; a warehouse service uses the same names, a Datalake service does not:
 * its database is `default` (or a GCS project), its schema is the bucket and its table is the object
 * key. Templates fill `{database}`, `{schema}`, `{alias}`, `{name}`, `{identifier}`, `{package}`,
 * `{resourceType}` and `{sourceName}` from the node.
 */
import { buildFqn } from '@om/core';
import type { DbtPipelineConfig } from './config';
import type { DbtNode } from './artifacts/manifest';

export interface MappedNames {
  /** Undefined when the template produced an empty name (dbt adapters without databases): search the service. */
  database?: string;
  schema: string;
  table: string;
}

export function fillTemplate(template: string, node: DbtNode, lowercase: boolean): string {
  const lc = (v: string | undefined): string => (v === undefined ? '' : lowercase ? v.toLowerCase() : v);
  const values: Record<string, string> = {
    database: lc(node.database),
    schema: lc(node.schema),
    alias: lc(node.alias),
    name: lc(node.name),
    identifier: lc(node.alias),
    package: lc(node.packageName),
    resourceType: node.resourceType,
    sourceName: lc(node.sourceName),
  };
  return template.replace(/\{([^}]*)\}/g, (_m, key: string) => values[key] ?? '');
}

export function mapNames(node: DbtNode, mapping: DbtPipelineConfig['tableNameMapping']): MappedNames {
  const database = fillTemplate(mapping.database, node, mapping.lowercase);
  return {
    ...(database ? { database } : {}),
    schema: fillTemplate(mapping.schema, node, mapping.lowercase),
    table: fillTemplate(mapping.table, node, mapping.lowercase),
  };
}

/** The FQN tried for a node (`service.database.schema.table`, `service.*.schema.table` without a database). */
export function describeFqn(service: string, names: MappedNames): string {
  return names.database ? buildFqn(service, names.database, names.schema, names.table) : `${buildFqn(service)}.*.${buildFqn(names.schema, names.table)}`;
}
