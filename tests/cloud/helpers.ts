/** Helpers for the cross-package cloud tests: one registry with every storage plugin, workflow runs, normalization. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtinPlugin, PluginRegistry, Workflow, type PluginDescriptor } from '@om/core';
import { plugin as datalake } from '@om/datalake';
import { plugin as s3 } from '@om/datalake-s3';
import { plugin as gcs } from '@om/datalake-gcs';
import { plugin as azure } from '@om/datalake-azure';

export const ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');
export const LAKE = path.join(EXAMPLES, 'datalake');

/** A registry holding core's sinks, @om/datalake and the given storage plugins (default: all three). */
export function registryWith(plugins: { descriptor: PluginDescriptor; pkg: string }[] = allStorePlugins()): PluginRegistry {
  const registry = new PluginRegistry();
  registry.addDescriptor(builtinPlugin, '@om/core', '0.1.0');
  registry.addDescriptor(datalake, '@om/datalake', '0.1.0');
  for (const p of plugins) registry.addDescriptor(p.descriptor, p.pkg, '0.1.0');
  return registry;
}

export function allStorePlugins(): { descriptor: PluginDescriptor; pkg: string }[] {
  return [
    { descriptor: s3, pkg: '@om/datalake-s3' },
    { descriptor: gcs, pkg: '@om/datalake-gcs' },
    { descriptor: azure, pkg: '@om/datalake-azure' },
  ];
}

/** Every file of the examples data lake as `{bucket, key, bytes}` (first-level folders are buckets). */
export function exampleObjects(): { bucket: string; key: string; bytes: Buffer }[] {
  const out: { bucket: string; key: string; bytes: Buffer }[] = [];
  for (const bucket of fs.readdirSync(LAKE).sort()) {
    const dir = path.join(LAKE, bucket);
    if (!fs.statSync(dir).isDirectory()) continue;
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else out.push({ bucket, key: path.relative(dir, full).split(path.sep).join('/'), bytes: fs.readFileSync(full) });
      }
    };
    walk(dir);
  }
  return out;
}

export function exampleBuckets(): string[] {
  return [...new Set(exampleObjects().map((o) => o.bucket))];
}

export interface RunResult {
  records: Record<string, unknown>[];
  workflow: Workflow;
  logs: string[];
}

/** Runs a workflow config into a JSON file sink and returns the written records. */
export async function runToFile(config: Record<string, unknown>, registry = registryWith(), env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'om-cloud-'));
  const file = path.join(dir, 'out.json');
  const logs: string[] = [];
  const logger = {
    level: 'DEBUG' as const,
    debug: (m: string) => logs.push(`DEBUG ${m}`),
    info: (m: string) => logs.push(`INFO ${m}`),
    warn: (m: string) => logs.push(`WARN ${m}`),
    error: (m: string) => logs.push(`ERROR ${m}`),
  };
  const workflow = await Workflow.create({ ...config, sink: { type: 'file', config: { filename: file } } }, { registry, env, logger });
  try {
    await workflow.execute();
  } finally {
    await workflow.stop();
  }
  const records = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>[]) : [];
  fs.rmSync(dir, { recursive: true, force: true });
  return { records, workflow, logs: logs.map((l) => workflow.masker.redact(l)) };
}

/**
 * Records in a comparable form: the service and database names replaced by placeholders (GCS
 * names its Database after the project), sorted by their JSON.
 */
export function normalize(records: Record<string, unknown>[], service: string, database: string): string[] {
  const out = records.map((r) => {
    // The service record carries the connection, which differs by storage by design.
    const { connection: _connection, ...rest } = r as Record<string, unknown> & { connection?: unknown };
    let text = JSON.stringify(r.serviceType ? rest : r);
    text = text.split(`"${service}.${database}`).join('"SERVICE.DB');
    text = text.split(`"name":"${database}","service":"${service}"`).join('"name":"DB","service":"SERVICE"');
    text = text.split(`"service":"${service}"`).join('"service":"SERVICE"');
    text = text.split(`"name":"${service}"`).join('"name":"SERVICE"');
    return text;
  });
  return out.sort();
}

/** A datalake source section over `configSource`, restricted to the example buckets. */
export function datalakeSource(
  serviceName: string,
  configSource: Record<string, unknown>,
  connection: Record<string, unknown> = {},
  buckets: string[] = connection.bucketName ? [String(connection.bucketName)] : exampleBuckets(),
): Record<string, unknown> {
  return {
    type: 'datalake',
    serviceName,
    serviceConnection: { config: { type: 'Datalake', configSource, ...connection } },
    sourceConfig: {
      config: {
        type: 'DatabaseMetadata',
        schemaFilterPattern: { includes: buckets.map((b) => `^${b}$`) },
      },
    },
  };
}

export function workflowConfig(source: Record<string, unknown>): Record<string, unknown> {
  return { source, workflowConfig: { loggerLevel: 'DEBUG' } };
}
