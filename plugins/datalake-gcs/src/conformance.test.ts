import { describeObjectStoreConformance } from '@om/object-store/testing';
import { FaultProxy } from '../../../tests/cloud/fault-proxy';
import { createGcsObjectStore } from './factory';
import { adminStorage, gcsConfigSource, gcsEndpoint, uniqueBucket, withEmulatorHost } from './testing/helpers';

const MISSING = 'om-missing-gcs-bucket';

describeObjectStoreConformance('gcs (firebase storage emulator)', async () => {
  const admin = adminStorage();
  const bucket = uniqueBucket('gcsconf');
  // The emulator has no explicit buckets: it lists an unknown bucket as empty where GCS answers 404.
  // The proxy answers for the one missing bucket the suite uses, exactly as GCS does.
  const proxy = new FaultProxy(gcsEndpoint());
  proxy.fault((r) =>
    r.url.startsWith(`/b/${MISSING}/o?`)
      ? {
          status: 404,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ error: { code: 404, message: 'The specified bucket does not exist.', errors: [{ reason: 'notFound' }] } }),
        }
      : undefined,
  );
  await proxy.start();
  return {
    store: withEmulatorHost(proxy.endpoint, () => createGcsObjectStore(gcsConfigSource())),
    bucket,
    missingBucket: MISSING,
    put: async (key, bytes) => {
      await admin.bucket(bucket).file(key).save(Buffer.from(bytes), { resumable: false, validation: false });
    },
    teardown: () => proxy.stop(),
  };
});
