/**
 * The object store of a bucket source, from the plugin that provides `objectStore:<dbtConfigType>`:
 * s3, gcs, azure or a third-party store, built from `dbtSecurityConfig` plus `storeOptions` exactly
 * as a Datalake `configSource`.
 */
import { boundShapes, FIRST_PARTY_SHAPES, objectStoreToken, schemeOf, storeShapes, type ObjectStore } from '@om/object-store';
import type { BucketDbtConfigSource } from '../config';
import type { FetchContext } from './context';

/** `s3`, `gs`, `azure` or what a third-party store declares: the scheme of object addresses in messages. */
export function bucketScheme(type: string, ctx: FetchContext): string {
  return schemeOf(type, storeShapes(boundShapes(ctx.step.container))).replace(/:\/\/$/, '');
}

/** A failure to get the store: no plugin provides it, or it could not be built from the credentials. */
export class BucketStoreProblem extends Error {
  constructor(
    readonly field: 'dbtConfigType' | 'dbtSecurityConfig',
    message: string,
  ) {
    super(message);
  }
}

/** The store for a bucket source; a BucketStoreProblem names the field to fix. */
export async function openBucketStore(source: BucketDbtConfigSource, ctx: FetchContext): Promise<ObjectStore> {
  const type = source.dbtConfigType;
  const factory = objectStoreToken(type).get(ctx.step.container);
  if (!factory) {
    const pkg = FIRST_PARTY_SHAPES[type] ? `@om/datalake-${type}` : `a plugin that provides objectStore:${type}`;
    throw new BucketStoreProblem('dbtConfigType', `${type} needs ${FIRST_PARTY_SHAPES[type] ? `the ${pkg} plugin: pnpm add ${pkg}` : pkg}`);
  }
  const storeConfig: Record<string, unknown> = { ...(source.storeOptions ?? {}), securityConfig: source.dbtSecurityConfig };
  try {
    return await factory.create(storeConfig, { ...(ctx.step as Parameters<typeof factory.create>[1]), connection: { type: 'Datalake', configSource: storeConfig } });
  } catch (err) {
    throw new BucketStoreProblem('dbtSecurityConfig', `the ${type} object store could not be created: ${(err as Error).message}`);
  }
}
