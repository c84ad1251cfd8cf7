export { plugin } from './plugin';
export {
  azureConfigSchema,
  azureCredentialsSchema,
  parseAzureConfig,
  resolveAzureAuth,
  describeAuth,
  AzureConfigError,
  AZURE_COLD_TIERS,
  type AzureAuth,
  type AzureCredentialsConfig,
  type AzureStoreConfig,
} from './config';
export { AzureObjectStore, toObjectStoreError, type AzureObjectStoreOptions } from './store';
export { createAzureObjectStore, azureObjectStoreFactory, blobServiceClient } from './factory';
