import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeObjectStoreConformance } from '@om/object-store/testing';
import { startStaticFileServer } from '../../../tests/helpers/static-file-server';
import { parseStaticConfig } from './config';
import { StaticFileStore } from './store';

// The same suite as S3, GCS, Azure and local files: a third-party store meets the one contract.
describeObjectStoreConformance('static HTTP files', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-static-'));
  fs.mkdirSync(path.join(root, 'conf-bucket'));
  const server = await startStaticFileServer(root);
  return {
    store: new StaticFileStore(parseStaticConfig({ staticBaseUrl: server.url })),
    bucket: 'conf-bucket',
    put: async (key, bytes) => {
      const file = path.join(root, 'conf-bucket', key);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, bytes);
    },
    teardown: async () => {
      await server.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
});
