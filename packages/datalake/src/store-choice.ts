/**
 * Which object store a Datalake connection reads through, asked of the plugins that are loaded:
 * every store plugin binds its factory with the configSource shape it handles, so a third-party
 * store is chosen exactly like S3, GCS or Azure.
 */
import { OmError, type StepContext } from '@om/core';
import { boundShapes, objectStoreToken, schemeOf, selectStoreKind, storeShapes, type ObjectStore, type StoreShapes } from '@om/object-store';
import type { DatalakeConnection } from './config';

/** The shapes of the first-party stores and of every loaded store plugin. */
export function loadedStoreShapes(context: Pick<StepContext, 'container'>): StoreShapes {
  return storeShapes(boundShapes(context.container));
}

/** The store kind of a connection's configSource (`s3`, `local`, a third-party kind). */
export function storeKindIn(context: Pick<StepContext, 'container'>, connection: DatalakeConnection): string {
  return selectStoreKind(connection.configSource, loadedStoreShapes(context));
}

/** `s3://`, `gs://`, a third-party scheme, or '' for local folders. */
export function storeScheme(context: Pick<StepContext, 'container'>, kind: string): string {
  return schemeOf(kind, loadedStoreShapes(context));
}

/** Builds the store a connection selects, through the factory its plugin bound. */
export async function openObjectStore(context: StepContext, connection: DatalakeConnection): Promise<ObjectStore> {
  const kind = storeKindIn(context, connection);
  const factory = objectStoreToken(kind).get(context.container);
  if (!factory) {
    throw new OmError(`configSource ${kind}Config needs the plugin that provides objectStore:${kind} (for first-party stores @om/datalake-${kind}): pnpm add @om/datalake-${kind}`);
  }
  return factory.create(connection.configSource ?? {}, { ...context, connection });
}
