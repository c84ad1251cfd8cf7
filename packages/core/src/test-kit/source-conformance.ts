/**
 * What every Source plugin must do, checked without a test framework (node:test, Jest, Vitest all
 * work: a broken rule throws an Error that names it). Published as `@om/core/test-kit`.
 */
import type { OmRecord } from '../model/records';
import { PLUGIN_API_VERSION, type PluginDescriptor, type PluginManifest } from '../plugin/descriptor';
import { PluginRegistry } from '../plugin/registry';
import { builtinPlugin } from '../sinks/builtin-plugin';
import { Workflow } from '../workflow/workflow';
import type { WorkflowSummary } from '../workflow/summary';
import { buildFqn } from '../fqn';

export interface SourceConformanceOptions {
  /** The plugin's descriptor (what its package exports). */
  plugin: PluginDescriptor;
  /** The plugin's package.json: its `"om"` manifest must say what the descriptor does. */
  manifest?: { name?: string; om?: PluginManifest };
  /** A workflow config whose `source` uses the plugin; its sink is replaced by an in-memory one. */
  config: Record<string, unknown>;
  /** Folder that relative paths in the config resolve from. */
  configDir?: string;
}

export interface SourceConformanceResult {
  /** Every record the source produced, in order. */
  records: OmRecord[];
  summary: WorkflowSummary;
}

function fail(rule: string, detail: string): never {
  throw new Error(`Source conformance: ${rule}: ${detail}`);
}

/** The descriptor and the package.json manifest agree, and target this core's plugin API. */
export function checkPluginDescriptor(plugin: PluginDescriptor, manifest?: { name?: string; om?: PluginManifest }): void {
  if (plugin.apiVersion !== PLUGIN_API_VERSION) {
    fail('apiVersion', `the descriptor says ${plugin.apiVersion}, this @om/core implements ${PLUGIN_API_VERSION} (use PLUGIN_API_VERSION)`);
  }
  if (typeof plugin.register !== 'function') fail('register', 'the descriptor has no register(container) function');
  if (!manifest) return;
  const om = manifest.om;
  if (!om) fail('package.json', `${manifest.name ?? 'the package'} has no "om" field, so the CLI cannot discover it`);
  if (om.id !== plugin.id) fail('package.json', `"om.id" is ${JSON.stringify(om.id)} but the descriptor's id is ${JSON.stringify(plugin.id)}`);
  if (om.apiVersion !== plugin.apiVersion) fail('package.json', `"om.apiVersion" is ${om.apiVersion} but the descriptor's is ${plugin.apiVersion}`);
  const declared = [...om.provides].sort().join(', ');
  const provided = [...plugin.provides].sort().join(', ');
  if (declared !== provided) fail('package.json', `"om.provides" is [${declared}] but the descriptor provides [${provided}]`);
}

/** Parents come before children and every table sits in a schema the source announced. */
function checkHierarchy(records: OmRecord[]): void {
  const services = new Set<string>();
  const databases = new Set<string>();
  const schemas = new Set<string>();
  const done = new Set<string>();
  const tables = new Set<string>();
  records.forEach((record, i) => {
    const at = `record ${i + 1} (${record.kind})`;
    switch (record.kind) {
      case 'databaseService':
        services.add(record.entity.name);
        break;
      case 'database':
        if (!services.has(record.entity.service)) fail('hierarchy', `${at} names service "${record.entity.service}" before any databaseService record of that name`);
        databases.add(buildFqn(record.entity.service, record.entity.name));
        break;
      case 'databaseSchema':
        if (!databases.has(record.entity.database)) fail('hierarchy', `${at} names database "${record.entity.database}" before any database record with that FQN`);
        schemas.add(buildFqn(...splitFqn(record.entity.database), record.entity.name));
        break;
      case 'table': {
        const schema = record.entity.databaseSchema;
        if (!schemas.has(schema)) fail('hierarchy', `${at} names schema "${schema}" before any databaseSchema record with that FQN`);
        if (done.has(schema)) fail('hierarchy', `${at} comes after the schemaDone record of "${schema}"`);
        const fqn = `${schema}.${record.entity.name}`;
        if (tables.has(fqn)) fail('tables', `${at}: table "${fqn}" is emitted twice`);
        tables.add(fqn);
        const columns = record.entity.columns ?? [];
        if (columns.length === 0) fail('tables', `${at}: table "${fqn}" has no columns`);
        for (const c of columns) if (!c.name || !c.dataType) fail('tables', `${at}: a column of "${fqn}" has no name or dataType`);
        break;
      }
      case 'schemaDone':
        if (!schemas.has(record.databaseSchema)) fail('hierarchy', `${at} closes schema "${record.databaseSchema}" that no databaseSchema record opened`);
        done.add(record.databaseSchema);
        break;
      default:
        break;
    }
  });
  for (const schema of schemas) {
    if (!done.has(schema)) fail('schemaDone', `schema "${schema}" has no schemaDone record after its tables (mark-deleted needs it)`);
  }
}

/** FQN parts, honouring quoted names that contain dots. */
function splitFqn(fqn: string): string[] {
  return (fqn.match(/"[^"]*"|[^.]+/g) ?? []).map((p) => (p.startsWith('"') ? p.slice(1, -1) : p));
}

/**
 * Validates the config with the plugin's schemas, runs the source through a real Workflow (with
 * its connection checks) into an in-memory sink, and checks the records and the status. Returns
 * the records for the test's own assertions.
 */
export async function checkSourceConformance(options: SourceConformanceOptions): Promise<SourceConformanceResult> {
  const { plugin, manifest } = options;
  checkPluginDescriptor(plugin, manifest);
  const source = options.config.source as { type?: unknown } | undefined;
  const capability = `source:${String(source?.type)}` as const;
  if (!plugin.provides.includes(capability)) fail('provides', `the config's source.type needs ${capability}, the plugin provides [${plugin.provides.join(', ')}]`);

  const registry = new PluginRegistry();
  registry.addDescriptor(builtinPlugin, '@om/core');
  registry.addDescriptor(plugin, manifest?.name ?? plugin.id);
  const config = { workflowConfig: {}, ...options.config, sink: { type: 'console' } };
  const records: OmRecord[] = [];
  const discard = { write: () => true } as unknown as NodeJS.WritableStream;
  const common = { registry, logLevel: 'ERROR' as const, stdout: discard, ...(options.configDir ? { configDir: options.configDir } : {}) };
  await Workflow.validate(config, common);
  const workflow = await Workflow.create(config, { ...common, onRecord: (r) => records.push(r) });
  try {
    await workflow.execute();
  } finally {
    await workflow.stop();
  }
  workflow.raiseFromStatus();
  const summary = workflow.summary();
  if (summary.state !== 'success') fail('status', `the run ended ${summary.state}`);
  if (records.length === 0) fail('records', 'the source yielded no records for this config');
  checkHierarchy(records);
  return { records, summary };
}
