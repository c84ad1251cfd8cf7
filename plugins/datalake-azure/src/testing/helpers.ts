/** Test helpers: talk to the azurite server started by tests/setup. */
import { randomBytes } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';

export interface AzuriteInfo {
  endpoint: string;
  accountName: string;
  accountKey: string;
  connectionString: string;
}

export function azurite(): AzuriteInfo {
  const endpoint = process.env.OM_TEST_AZURE_BLOB_ENDPOINT;
  if (!endpoint) throw new Error('OM_TEST_AZURE_BLOB_ENDPOINT is not set: run with OM_TEST_SERVERS=azurite (or unset) so tests/setup starts azurite');
  return {
    endpoint,
    accountName: process.env.OM_TEST_AZURE_ACCOUNT_NAME!,
    accountKey: process.env.OM_TEST_AZURE_ACCOUNT_KEY!,
    connectionString: process.env.OM_TEST_AZURE_CONNECTION_STRING!,
  };
}

/** configSource with the account key, against `endpoint` (azurite or a proxy in front of it). */
export function azureConfigSource(endpoint = azurite().endpoint, extra: Record<string, unknown> = {}, security: Record<string, unknown> = {}): Record<string, unknown> {
  const a = azurite();
  return { securityConfig: { accountName: a.accountName, accountKey: a.accountKey, blobEndpoint: endpoint, ...security }, retryDelayMs: 20, ...extra };
}

export function adminClient(): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(azurite().connectionString);
}

export function uniqueContainer(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export async function createContainer(client: BlobServiceClient, name: string, blobs: Record<string, string | Uint8Array> = {}, concurrency = 16): Promise<void> {
  const container = client.getContainerClient(name);
  await container.create();
  const entries = Object.entries(blobs);
  for (let i = 0; i < entries.length; i += concurrency) {
    await Promise.all(
      entries.slice(i, i + concurrency).map(([key, body]) => {
        const buf = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
        return container.getBlockBlobClient(key).uploadData(buf);
      }),
    );
  }
}
