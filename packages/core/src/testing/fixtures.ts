/** Test helpers shared by core's tests (not part of the published build). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { right, type Either } from '../either';
import { definePlugin, PLUGIN_API_VERSION, type PluginDescriptor } from '../plugin/descriptor';
import { PluginRegistry } from '../plugin/registry';
import type { OmRecord } from '../model/records';
import { builtinPlugin } from '../sinks/builtin-plugin';
import { StepStatus } from '../status';
import type { Source, StepContext } from '../steps';
import { stepToken } from '../tokens';

export function tempDir(prefix = 'om-core-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a package with a package.json (and optional index.js) into `nodeModules/name`. */
export function writePackage(nodeModules: string, name: string, pkg: Record<string, unknown>, indexJs?: string): string {
  const dir = path.join(nodeModules, ...name.split('/'));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', main: 'index.js', ...pkg }));
  if (indexJs !== undefined) fs.writeFileSync(path.join(dir, 'index.js'), indexJs);
  return dir;
}

export type ScriptItem = Either<OmRecord> | { throw: string } | { hang: true };

/**
 * A source that yields a scripted list of items (records, failures, a throw, or a read that never
 * settles and ignores the stop signal, as a stuck SDK call does).
 */
export function scriptedSourcePlugin(items: () => ScriptItem[], type = 'scripted'): PluginDescriptor {
  return definePlugin({
    id: `test-${type}`,
    apiVersion: PLUGIN_API_VERSION,
    provides: [`source:${type}`],
    configSchemas: {
      [`source:${type}`]: {
        '/serviceConnection/config': {
          type: 'object',
          additionalProperties: false,
          properties: { type: { type: 'string' }, password: { type: 'string', secret: true }, note: { type: 'string' } },
        },
      },
    },
    register(container) {
      container.register(stepToken('source', type), {
        useValue: {
          create: (context: StepContext): Source => {
            const status = new StepStatus(`Source ${type}`);
            return {
              status,
              async *records() {
                for (const item of items()) {
                  if ('throw' in item) throw new Error(item.throw);
                  if ('hang' in item) {
                    await new Promise(() => undefined);
                    continue;
                  }
                  yield item;
                }
              },
              async close() {
                context.logger.debug('closed');
              },
            };
          },
        },
      });
    },
  });
}

export function registryWith(...plugins: PluginDescriptor[]): PluginRegistry {
  const registry = new PluginRegistry();
  registry.addDescriptor(builtinPlugin, '@om/core', '0.1.0');
  plugins.forEach((p, i) => registry.addDescriptor(p, `test-plugin-${i}`));
  return registry;
}

export function tableRecord(name: string, schema = 'svc.db.schema'): Either<OmRecord> {
  return right({ kind: 'table', entity: { name, databaseSchema: schema, tableType: 'Regular', columns: [{ name: 'id', dataType: 'INT' }] } });
}
