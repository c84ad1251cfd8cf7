import { describeObjectStoreConformance } from '@om/object-store/testing';
import { createAzureObjectStore } from './factory';
import { adminClient, azureConfigSource, createContainer, uniqueContainer } from './testing/helpers';

describeObjectStoreConformance('azure (azurite)', async () => {
  const admin = adminClient();
  const container = uniqueContainer('azconf');
  await createContainer(admin, container);
  return {
    store: createAzureObjectStore(azureConfigSource()),
    bucket: container,
    put: async (key, bytes) => {
      await admin.getContainerClient(container).getBlockBlobClient(key).uploadData(Buffer.from(bytes));
    },
  };
});
