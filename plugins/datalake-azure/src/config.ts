/**
 * The `azureConfig` configSource of a Datalake connection: OpenMetadata's
 * `{securityConfig: azureCredentials}` (clientId, clientSecret, tenantId, accountName, vaultName,
 * scopes), plus om-ingest extensions for non-AAD setups inside `securityConfig` (accountKey,
 * connectionString, sasToken, blobEndpoint) and a few options next to it (documented in the README).
 */
import { OmError, type JsonSchema } from '@om/core';

/** Access tiers whose blobs cannot be read without rehydration. */
export const AZURE_COLD_TIERS: readonly string[] = ['Archive'];

const optionalString = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({
  type: ['string', 'null'],
  description,
  ...extra,
});

export const azureCredentialsSchema: JsonSchema = {
  type: 'object',
  title: 'Azure credentials',
  description:
    'OpenMetadata azureCredentials (client secret of an app registration, or the default Azure credential chain) plus om-ingest account key / connection string / SAS options',
  additionalProperties: false,
  properties: {
    clientId: optionalString('application (client) id of the app registration; with clientSecret and tenantId'),
    clientSecret: optionalString('client secret of the app registration', { format: 'password', secret: true }),
    tenantId: optionalString('Azure AD tenant (directory) id'),
    accountName: optionalString('storage account name; the blob endpoint is https://<accountName>.blob.core.windows.net'),
    vaultName: optionalString('Key Vault name (OpenMetadata secrets manager; not used for storage access)'),
    scopes: optionalString('comma-separated token scopes (OpenMetadata; storage access always uses the storage scope)'),
    accountKey: optionalString('om-ingest: storage account shared key (with accountName)', { format: 'password', secret: true }),
    connectionString: optionalString('om-ingest: storage connection string (AccountName/AccountKey/BlobEndpoint or SharedAccessSignature)', {
      format: 'password',
      secret: true,
    }),
    sasToken: optionalString('om-ingest: shared access signature (account or container SAS), with or without the leading "?"', {
      format: 'password',
      secret: true,
    }),
    blobEndpoint: optionalString('om-ingest: blob service URL, for Azure Stack, private endpoints and azurite (e.g. http://127.0.0.1:10000/devstoreaccount1)', {
      format: 'uri',
    }),
  },
};

export const azureConfigSchema: JsonSchema = {
  type: 'object',
  title: 'azureConfig',
  description: 'Azure Blob Storage for the Datalake source: securityConfig holds OpenMetadata azureCredentials',
  required: ['securityConfig'],
  additionalProperties: false,
  properties: {
    securityConfig: azureCredentialsSchema,
    skipColdStorage: { type: 'boolean', description: 'om-ingest: leave out blobs in the Archive tier (unreadable until rehydrated); default false' },
    maxAttempts: { type: 'integer', minimum: 1, maximum: 20, description: 'om-ingest: attempts per request, the first one included (default 4)' },
    retryDelayMs: {
      type: 'integer',
      minimum: 1,
      maximum: 60000,
      description: 'om-ingest: first retry delay in milliseconds, doubled on each retry (default 4000, the Azure SDK default)',
    },
    readTimeoutSeconds: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 3600,
      description: 'om-ingest: seconds to wait for an answer (a whole listing page), or for the next bytes of a download, before the attempt fails and is retried (default 60)',
    },
  },
};

export interface AzureCredentialsConfig {
  clientId?: string | null;
  clientSecret?: string | null;
  tenantId?: string | null;
  accountName?: string | null;
  vaultName?: string | null;
  scopes?: string | null;
  accountKey?: string | null;
  connectionString?: string | null;
  sasToken?: string | null;
  blobEndpoint?: string | null;
}

export interface AzureStoreConfig {
  securityConfig: AzureCredentialsConfig;
  skipColdStorage?: boolean;
  maxAttempts?: number;
  retryDelayMs?: number;
  readTimeoutSeconds?: number;
}

export function parseAzureConfig(configSource: Record<string, unknown>): AzureStoreConfig {
  return {
    securityConfig: (configSource.securityConfig ?? {}) as AzureCredentialsConfig,
    ...(configSource.skipColdStorage === true ? { skipColdStorage: true } : {}),
    ...(typeof configSource.maxAttempts === 'number' ? { maxAttempts: configSource.maxAttempts } : {}),
    ...(typeof configSource.retryDelayMs === 'number' ? { retryDelayMs: configSource.retryDelayMs } : {}),
    ...(typeof configSource.readTimeoutSeconds === 'number' ? { readTimeoutSeconds: configSource.readTimeoutSeconds } : {}),
  };
}

export function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Raised for missing or contradictory credential settings; a user mistake (no stack trace). */
export class AzureConfigError extends OmError {}

export type AzureAuth =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'accountKey'; url: string; accountName: string; accountKey: string }
  | { kind: 'sas'; url: string; sasToken: string }
  | { kind: 'clientSecret'; url: string; tenantId: string; clientId: string; clientSecret: string }
  | { kind: 'default'; url: string; clientId?: string };

const AT = 'source.serviceConnection.config.configSource.securityConfig';

/**
 * Picks the credential, in this order: connectionString; accountKey; sasToken; clientId +
 * clientSecret + tenantId (ClientSecretCredential); otherwise the default Azure credential chain
 * (environment, workload identity, managed identity with clientId, Azure CLI...).
 */
export function resolveAzureAuth(sec: AzureCredentialsConfig): AzureAuth {
  if (present(sec.connectionString)) return { kind: 'connectionString', connectionString: sec.connectionString.trim() };
  const endpoint = present(sec.blobEndpoint) ? sec.blobEndpoint.trim().replace(/\/+$/, '') : undefined;
  if (!endpoint && !present(sec.accountName)) {
    throw new AzureConfigError(`${AT}.accountName is required (the storage account), unless connectionString or blobEndpoint is given`);
  }
  const url = endpoint ?? `https://${sec.accountName!.trim()}.blob.core.windows.net`;
  if (present(sec.accountKey)) {
    if (!present(sec.accountName)) throw new AzureConfigError(`${AT}.accountName is required with accountKey`);
    return { kind: 'accountKey', url, accountName: sec.accountName.trim(), accountKey: sec.accountKey.trim() };
  }
  if (present(sec.sasToken)) return { kind: 'sas', url, sasToken: sec.sasToken.trim().replace(/^\?/, '') };
  if (present(sec.clientSecret)) {
    const missing = (['clientId', 'tenantId'] as const).filter((k) => !present(sec[k]));
    if (missing.length > 0) throw new AzureConfigError(`${AT}: clientSecret needs ${missing.join(' and ')} as well`);
    return { kind: 'clientSecret', url, tenantId: sec.tenantId!.trim(), clientId: sec.clientId!.trim(), clientSecret: sec.clientSecret.trim() };
  }
  return { kind: 'default', url, ...(present(sec.clientId) ? { clientId: sec.clientId.trim() } : {}) };
}

/** A secret-free description of the credential for logs. */
export function describeAuth(auth: AzureAuth): string {
  switch (auth.kind) {
    case 'connectionString':
      return 'connection string';
    case 'accountKey':
      return `account key of ${auth.accountName} at ${auth.url}`;
    case 'sas':
      return `SAS token at ${auth.url}`;
    case 'clientSecret':
      return `client secret of app ${auth.clientId} (tenant ${auth.tenantId}) at ${auth.url}`;
    default:
      return `default Azure credential chain at ${auth.url}`;
  }
}
