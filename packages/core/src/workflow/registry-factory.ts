import * as path from 'node:path';
import { discoverPlugins } from '../plugin/discovery';
import { PluginRegistry } from '../plugin/registry';
import { builtinPlugin } from '../sinks/builtin-plugin';
import { CORE_VERSION } from '../version';

export interface RegistryOptions {
  /** Where to look for installed plugins (node_modules chains); default: cwd and @om/core's own location. */
  from?: string[];
  /** Extra plugin directories; default: OM_PLUGIN_PATH split by the path delimiter. */
  extraPaths?: string[];
}

/** A registry holding core's built-in sinks and every plugin installed near `from`. */
export function createPluginRegistry(options: RegistryOptions = {}): PluginRegistry {
  const registry = new PluginRegistry();
  registry.addDescriptor(builtinPlugin, '@om/core', CORE_VERSION);
  const from = options.from ?? [process.cwd(), path.resolve(__dirname, '..', '..')];
  const extraPaths = options.extraPaths ?? (process.env.OM_PLUGIN_PATH ?? '').split(path.delimiter).filter(Boolean);
  discoverPlugins(registry, { from, extraPaths });
  return registry;
}
