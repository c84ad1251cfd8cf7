import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describeObjectStoreConformance } from '@om/object-store/testing';
import { createS3ObjectStore } from './factory';
import { adminClient, createBucket, s3ConfigSource, uniqueBucket } from './testing/helpers';

describeObjectStoreConformance('s3 (fauxqs)', async () => {
  const admin = adminClient();
  const bucket = uniqueBucket('s3conf');
  await createBucket(admin, bucket);
  return {
    store: createS3ObjectStore(s3ConfigSource()),
    bucket,
    put: async (key, bytes) => {
      await admin.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    teardown: async () => admin.destroy(),
  };
});
