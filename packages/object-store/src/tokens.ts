/**
 * One typed token per store kind (an extension point in Backstage's sense): a store plugin binds
 * its factory with `bind`, the Datalake and dbt sources look it up with `get`. The underlying
 * symbol is core's `capabilityToken('objectStore:<kind>')`, so plugins built on either agree.
 */
import { capabilityToken, type Capability, type PluginDescriptor } from '@om/core';
import type { ObjectStoreFactory } from './contract';
import { objectStoreCapability } from './capability';
import type { ConfigSourceShape } from './shapes';

export { objectStoreCapability, storeKindOfCapability } from './capability';

/** The per-run container a plugin's `register` receives. */
export type PluginContainer = Parameters<PluginDescriptor['register']>[0];

export interface ObjectStoreToken {
  /** The store kind: `s3`, `gcs`, `azure`, `local` or a third-party name. */
  readonly kind: string;
  /** `objectStore:<kind>`: what the plugin lists in `provides`. */
  readonly capability: Capability;
  /**
   * Binds the store's factory (in a plugin's `register`), with the configSource shape it handles
   * so the source can tell a configSource of this store at run time (see `boundStoreShapes`).
   */
  bind(container: PluginContainer, factory: ObjectStoreFactory, shape?: ConfigSourceShape): void;
  /** The bound factory, or undefined when no loaded plugin provides this kind. */
  get(container: PluginContainer): ObjectStoreFactory | undefined;
}

/** Every `{kind, shape}` bound in a run (a multi-registration). */
export const BOUND_SHAPES = Symbol.for('om.objectStore.shapes');

/** The `{kind, shape}` pairs the loaded store plugins bound. */
export function boundShapes(container: PluginContainer): { kind: string; shape: unknown }[] {
  return container.isRegistered(BOUND_SHAPES, true) ? (container.resolveAll(BOUND_SHAPES) as { kind: string; shape: unknown }[]) : [];
}

export function objectStoreToken(kind: string): ObjectStoreToken {
  const capability = objectStoreCapability(kind);
  const token = capabilityToken(capability);
  return {
    kind,
    capability,
    bind: (container, factory, shape) => {
      container.register(token, { useValue: factory });
      if (shape) container.register(BOUND_SHAPES, { useValue: { kind, shape } });
    },
    get: (container) => (container.isRegistered(token, true) ? (container.resolve(token) as ObjectStoreFactory) : undefined),
  };
}
