import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { AnonymousCredential, BlobServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import { adapterReporting, type ObjectStoreContext, type ObjectStoreFactory } from '@om/object-store';
import { AZURE_COLD_TIERS, describeAuth, parseAzureConfig, resolveAzureAuth, type AzureAuth } from './config';
import { AzureObjectStore } from './store';

/** As boto3's read timeout: an attempt that gets no answer fails after this and is retried. */
export const DEFAULT_AZURE_READ_TIMEOUT_SECONDS = 60;

/** The BlobServiceClient for a resolved credential choice. */
export function blobServiceClient(auth: AzureAuth, options: StoragePipelineOptions = {}): BlobServiceClient {
  switch (auth.kind) {
    case 'connectionString':
      return BlobServiceClient.fromConnectionString(auth.connectionString, options);
    case 'accountKey':
      return new BlobServiceClient(auth.url, new StorageSharedKeyCredential(auth.accountName, auth.accountKey), options);
    case 'sas':
      return new BlobServiceClient(`${auth.url}?${auth.sasToken}`, new AnonymousCredential(), options);
    case 'clientSecret':
      return new BlobServiceClient(auth.url, new ClientSecretCredential(auth.tenantId, auth.clientId, auth.clientSecret), options);
    default:
      return new BlobServiceClient(auth.url, new DefaultAzureCredential(auth.clientId ? { managedIdentityClientId: auth.clientId } : {}), options);
  }
}

export function createAzureObjectStore(
  configSource: Record<string, unknown>,
  context?: Pick<ObjectStoreContext, 'logger' | 'masker'> & { signal?: AbortSignal },
): AzureObjectStore {
  const config = parseAzureConfig(configSource);
  const auth = resolveAzureAuth(config.securityConfig);
  const readTimeoutMs = Math.round((config.readTimeoutSeconds ?? DEFAULT_AZURE_READ_TIMEOUT_SECONDS) * 1000);
  const client = blobServiceClient(auth, {
    retryOptions: {
      // Sent to the service as its own timeout; the client side is the store's (see timed()).
      tryTimeoutInMs: readTimeoutMs,
      ...(config.maxAttempts !== undefined ? { maxTries: config.maxAttempts } : {}),
      ...(config.retryDelayMs !== undefined ? { retryDelayInMs: config.retryDelayMs } : {}),
    },
    userAgentOptions: { userAgentPrefix: 'om-ingest' },
  });
  context?.logger.debug(`Azure object store: ${describeAuth(auth)}${config.skipColdStorage ? ', skipping the Archive tier' : ''}`);
  return new AzureObjectStore(client, {
    readTimeoutMs,
    ...(config.maxAttempts !== undefined ? { maxAttempts: config.maxAttempts } : {}),
    ...(context?.signal ? { signal: context.signal } : {}),
    ...(config.skipColdStorage ? { skipColdStorage: true } : {}),
    ...adapterReporting(context, (container, prefix, count) => `Azure: left out ${count} blob(s) in the ${AZURE_COLD_TIERS.join('/')} tier under ${container}/${prefix}`),
  });
}

export const azureObjectStoreFactory: ObjectStoreFactory = {
  create: (configSource, context) => createAzureObjectStore(configSource, context),
};
