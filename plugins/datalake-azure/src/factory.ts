import { ClientSecretCredential, DefaultAzureCredential } from '@azure/identity';
import { AnonymousCredential, BlobServiceClient, StorageSharedKeyCredential, type StoragePipelineOptions } from '@azure/storage-blob';
import type { ObjectStoreContext, ObjectStoreFactory } from '@om/datalake';
import { AZURE_COLD_TIERS, describeAuth, parseAzureConfig, resolveAzureAuth, type AzureAuth } from './config';
import { AzureObjectStore } from './store';

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

export function createAzureObjectStore(configSource: Record<string, unknown>, context?: Pick<ObjectStoreContext, 'logger' | 'masker'>): AzureObjectStore {
  const config = parseAzureConfig(configSource);
  const auth = resolveAzureAuth(config.securityConfig);
  const client = blobServiceClient(auth, {
    retryOptions: {
      ...(config.maxAttempts !== undefined ? { maxTries: config.maxAttempts } : {}),
      ...(config.retryDelayMs !== undefined ? { retryDelayInMs: config.retryDelayMs } : {}),
    },
    userAgentOptions: { userAgentPrefix: 'om-ingest' },
  });
  context?.logger.debug(`Azure object store: ${describeAuth(auth)}${config.skipColdStorage ? ', skipping the Archive tier' : ''}`);
  return new AzureObjectStore(client, {
    ...(config.skipColdStorage ? { skipColdStorage: true } : {}),
    ...(context
      ? {
          redact: (text: string) => context.masker.redact(text),
          onColdSkipped: (container: string, prefix: string, count: number) =>
            context.logger.info(`Azure: left out ${count} blob(s) in the ${AZURE_COLD_TIERS.join('/')} tier under ${container}/${prefix}`),
        }
      : {}),
  });
}

export const azureObjectStoreFactory: ObjectStoreFactory = {
  create: (configSource, context) => createAzureObjectStore(configSource, context),
};
