/** Test helpers: talk to the GCS emulator (firebase-tools storage emulator) started by tests/setup. */
import { randomBytes } from 'node:crypto';
import { Storage } from '@google-cloud/storage';

export function gcsEndpoint(): string {
  const endpoint = process.env.OM_TEST_GCS_ENDPOINT;
  if (!endpoint) throw new Error('OM_TEST_GCS_ENDPOINT is not set: run with OM_TEST_SERVERS=gcs-emulator (or unset) so tests/setup starts the GCS emulator');
  return endpoint;
}

export const TEST_PROJECT = 'demo-om';

/**
 * Runs `fn` with STORAGE_EMULATOR_HOST pointing at `endpoint` (the emulator or a proxy in front of
 * it). @google-cloud/storage reads the variable when a Storage client is constructed.
 */
export function withEmulatorHost<T>(endpoint: string, fn: () => T): T {
  const before = process.env.STORAGE_EMULATOR_HOST;
  process.env.STORAGE_EMULATOR_HOST = endpoint;
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = before;
  }
}

/** configSource as an OpenMetadata user writes it for ADC with a project id. */
export function gcsConfigSource(extra: Record<string, unknown> = {}, gcpConfig: Record<string, unknown> = { type: 'gcp_adc', projectId: TEST_PROJECT }): Record<string, unknown> {
  return { securityConfig: { gcpConfig }, maxRetryDelayMs: 50, ...extra };
}

export function adminStorage(): Storage {
  return withEmulatorHost(gcsEndpoint(), () => new Storage({ projectId: TEST_PROJECT }));
}

export function uniqueBucket(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/** Buckets are implicit in the emulator: uploading the objects creates it. */
export async function putObjects(storage: Storage, bucket: string, objects: Record<string, string | Uint8Array>, concurrency = 16): Promise<void> {
  const entries = Object.entries(objects);
  for (let i = 0; i < entries.length; i += concurrency) {
    await Promise.all(
      entries.slice(i, i + concurrency).map(([key, body]) => storage.bucket(bucket).file(key).save(Buffer.from(body), { resumable: false })),
    );
  }
}
