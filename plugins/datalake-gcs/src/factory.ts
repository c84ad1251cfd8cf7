import { IdempotencyStrategy, Storage, type StorageOptions } from '@google-cloud/storage';
import { adapterReporting, type ObjectStoreContext, type ObjectStoreFactory } from '@om/object-store';
import { describeAuth, GCS_COLD_STORAGE_CLASSES, GcsConfigError, parseGcsConfig, projectIdsOf, resolveGcsAuth } from './config';
import { GcsObjectStore } from './store';

/** As boto3's read timeout: a request that never answers fails after this and is retried. */
export const DEFAULT_GCS_READ_TIMEOUT_SECONDS = 60;

/** Storage client options for a validated `gcsConfig`. Service-account values stay in memory. */
export function storageOptions(configSource: Record<string, unknown>): { options: StorageOptions; projectIds: string[]; summary: string } {
  const config = parseGcsConfig(configSource);
  if (config.impersonate?.impersonateServiceAccount) {
    throw new GcsConfigError(
      'source.serviceConnection.config.configSource.securityConfig.gcpImpersonateServiceAccount is not supported by @om/datalake-gcs yet: grant the service account access directly, or use application default credentials that already impersonate it',
    );
  }
  const auth = resolveGcsAuth(config.gcpConfig);
  const projectIds = projectIdsOf(config.gcpConfig);
  const options: StorageOptions = {
    ...(projectIds[0] ? { projectId: projectIds[0] } : {}),
    ...(auth.kind === 'serviceAccount' || auth.kind === 'externalAccount' ? { credentials: auth.credentials as StorageOptions['credentials'] } : {}),
    ...(auth.kind === 'keyFile' ? { keyFilename: auth.keyFilename } : {}),
    ...(config.apiEndpoint ? { apiEndpoint: config.apiEndpoint.replace(/\/+$/, '') } : {}),
    retryOptions: {
      autoRetry: true,
      // Run-file writes replace whole objects and deletes ignore a missing object: both are safe to
      // retry. Under the default strategy the SDK also switches retries off on the whole client
      // while such a request runs, reads included.
      idempotencyStrategy: IdempotencyStrategy.RetryAlways,
      ...(config.maxAttempts !== undefined ? { maxRetries: config.maxAttempts - 1 } : {}),
      ...(config.maxRetryDelayMs !== undefined ? { maxRetryDelay: config.maxRetryDelayMs / 1000 } : {}),
    },
    userAgent: 'om-ingest',
    // Time to the answer of each attempt (without it a silent server hangs the run forever).
    timeout: Math.round((config.readTimeoutSeconds ?? DEFAULT_GCS_READ_TIMEOUT_SECONDS) * 1000),
  };
  const endpoint = process.env.STORAGE_EMULATOR_HOST || config.apiEndpoint;
  const summary = `${describeAuth(auth)}${projectIds.length ? `, projects ${projectIds.join(', ')}` : ''}${endpoint ? `, endpoint ${endpoint}` : ''}${config.skipColdStorage ? ', skipping COLDLINE/ARCHIVE' : ''}`;
  return { options, projectIds, summary };
}

export function createGcsObjectStore(configSource: Record<string, unknown>, context?: Pick<ObjectStoreContext, 'logger' | 'masker'>): GcsObjectStore {
  const { options, projectIds, summary } = storageOptions(configSource);
  const config = parseGcsConfig(configSource);
  context?.logger.debug(`GCS object store: ${summary}`);
  return new GcsObjectStore(new Storage(options), {
    projectIds,
    readTimeoutMs: options.timeout as number,
    ...(config.skipColdStorage ? { skipColdStorage: true } : {}),
    ...adapterReporting(context, (bucket, prefix, count) => `GCS: left out ${count} object(s) in ${GCS_COLD_STORAGE_CLASSES.join('/')} under gs://${bucket}/${prefix}`),
  });
}

export const gcsObjectStoreFactory: ObjectStoreFactory = {
  create: (configSource, context) => createGcsObjectStore(configSource, context),
};
