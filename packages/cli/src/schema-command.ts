/** `schema [kind] [type]`: the JSON Schema of an installed plugin's config, or of the whole workflow. */
import { capabilitySchema, workflowEditorSchema, type Capability, type CapabilitySchemas, type JsonSchema, type PluginRegistry } from '@om/core';

/** The config schemas of every capability the enabled plugins provide (imports those plugins). */
export async function installedSchemas(registry: PluginRegistry): Promise<CapabilitySchemas[]> {
  const out: CapabilitySchemas[] = [];
  for (const capability of [...new Set(registry.capabilities())].sort()) {
    const entry = registry.entryFor(capability);
    const descriptor = await registry.load(entry);
    out.push({ capability, packageName: entry.packageName, schemas: descriptor.configSchemas?.[capability] ?? {} });
  }
  return out;
}

/**
 * No kind: the combined workflow schema (for `# yaml-language-server: $schema=`). With a kind and
 * a type: that capability's schema. A plugin that is not installed is a PluginError naming it.
 */
export async function schemaFor(registry: PluginRegistry, kind?: string, type?: string): Promise<JsonSchema> {
  if (!kind) return workflowEditorSchema(await installedSchemas(registry), 'om-ingest workflow (installed plugins)');
  const capability = `${kind}:${type}` as Capability;
  const entry = registry.entryFor(capability);
  const descriptor = await registry.load(entry);
  return capabilitySchema({ capability, packageName: entry.packageName, schemas: descriptor.configSchemas?.[capability] ?? {} });
}
