/**
 * A store plugin is wiring only: its kind, the configSource shape it handles, the schema of that
 * configSource and the factory that builds the store from it.
 */
import { definePlugin, PLUGIN_API_VERSION, type JsonSchema, type PluginDescriptor } from '@om/core';
import type { ObjectStoreFactory } from './contract';
import type { ConfigSourceShape } from './shapes';
import { objectStoreToken } from './tokens';

export interface StorePluginOptions {
  /** Plugin id (the package.json `om.id`). */
  id: string;
  /** Store kind: the plugin provides `objectStore:<kind>`. */
  kind: string;
  /** The configSource keys that select this store (also in package.json `om.declares`). */
  shape: ConfigSourceShape;
  /** JSON Schema of the whole configSource. */
  configSchema: JsonSchema;
  factory: ObjectStoreFactory;
}

export function defineStorePlugin(options: StorePluginOptions): PluginDescriptor {
  const token = objectStoreToken(options.kind);
  return definePlugin({
    id: options.id,
    apiVersion: PLUGIN_API_VERSION,
    provides: [token.capability],
    configSchemas: { [token.capability]: { '': options.configSchema } },
    declares: { [token.capability]: options.shape },
    register(container) {
      token.bind(container, options.factory, options.shape);
    },
  });
}
