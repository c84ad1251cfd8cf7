import { defineStorePlugin, type ObjectStoreFactory } from '@om/object-store';
import { parseStaticConfig, STATIC_STORE_SHAPE, staticConfigSchema } from './config';
import { StaticFileStore } from './store';

export const staticStoreFactory: ObjectStoreFactory = {
  create: (configSource, context) => new StaticFileStore(parseStaticConfig(configSource), { redact: (text) => context.masker.redact(text), signal: context.signal }),
};

/** Provides `objectStore:static`, chosen for a configSource with `staticBaseUrl`. */
export const plugin = defineStorePlugin({
  id: 'store-static',
  kind: 'static',
  shape: STATIC_STORE_SHAPE,
  configSchema: staticConfigSchema,
  factory: staticStoreFactory,
});
