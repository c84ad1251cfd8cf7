/**
 * OpenMetadata's Datalake test-connection steps, cheaply: reach the store, then list one page of
 * the bucket/prefix (or of the buckets) and read nothing else.
 */
import { ConnectionCheckFailure, type ConnectionCheck } from '@om/core';
import { ObjectStoreError, type ObjectStore } from './object-store';
import { describe, normalizePrefix } from './pipelines/run';

const CONNECTION_PATH = 'source.serviceConnection.config';

/**
 * The checks for a store of `kind`; `scheme` is how the provider's own tools write a location
 * (`s3://`), empty for a local folder.
 */
export function datalakeConnectionChecks(
  kind: string,
  scheme: string,
  connection: { bucketName?: string; prefix?: string },
  getStore: () => Promise<ObjectStore>,
  signal: AbortSignal,
): ConnectionCheck[] {
  const bucket = connection.bucketName;
  const prefix = normalizePrefix(connection.prefix);
  const where = bucket ? `${scheme}${bucket}/${prefix}` : '';
  return [
    {
      name: `set up the ${kind} storage client`,
      run: async () => {
        try {
          await getStore();
        } catch (err) {
          throw new ConnectionCheckFailure(`${CONNECTION_PATH}.configSource`, describe(err));
        }
      },
    },
    {
      name: bucket ? `list one page of ${where}` : `list the ${kind} buckets (one page)`,
      run: async () => {
        const store = await getStore();
        try {
          if (bucket) {
            for await (const _ of store.listObjects(bucket, prefix, signal)) return 'reachable';
            return prefix ? `reachable; nothing under prefix "${prefix}"` : 'reachable; the bucket is empty';
          }
          for await (const _ of store.listBuckets(store.databaseNames?.()[0])) return 'reachable';
          return 'reachable; no bucket visible to these credentials';
        } catch (err) {
          throw connectionFailure(store.kind, bucket, err);
        }
      },
    },
  ];
}

/** A failed first listing, as the config field to fix and why. */
function connectionFailure(kind: string, bucket: string | undefined, err: unknown): ConnectionCheckFailure {
  const message = describe(err);
  const code = err instanceof ObjectStoreError ? err.code : 'Other';
  if (kind === 'local') {
    if (code === 'NotFound' && bucket) return new ConnectionCheckFailure(`${CONNECTION_PATH}.bucketName`, `${message}: no folder "${bucket}" under the local root (configSource.root)`);
    return new ConnectionCheckFailure(`${CONNECTION_PATH}.configSource.root`, message);
  }
  if (code === 'NotFound') {
    return new ConnectionCheckFailure(`${CONNECTION_PATH}.bucketName`, `${message}: fix the bucket name (${kind} storage)`);
  }
  if (code === 'AccessDenied') {
    return new ConnectionCheckFailure(
      `${CONNECTION_PATH}.configSource.securityConfig`,
      `${message}: check the credentials${bucket ? ` and that they may list bucket "${bucket}"` : ''}`,
    );
  }
  return new ConnectionCheckFailure(`${CONNECTION_PATH}.configSource`, `${message} (check the endpoint, region and network)`);
}
