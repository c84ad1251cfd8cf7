import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretMasker, silentLogger, type StepContext } from '@om/core';
import { startStaticFileServer, type StaticFileServer } from '../../../../tests/helpers/static-file-server';
import { plugin as staticStorePlugin } from '../../../../examples/store-static/src/plugin';
import { dbtRequirements } from '../config';
import { fetchArtifacts } from './index';

/** Just what a plugin's register() and the store lookup use of a DI container. */
function container(): StepContext['container'] {
  const bindings = new Map<unknown, unknown[]>();
  const c = {
    register: (token: unknown, provider: { useValue: unknown }) => (bindings.set(token, [...(bindings.get(token) ?? []), provider.useValue]), c),
    isRegistered: (token: unknown) => bindings.has(token),
    resolve: (token: unknown) => bindings.get(token)!.at(-1),
    resolveAll: (token: unknown) => bindings.get(token)!,
  };
  return c as unknown as StepContext['container'];
}

const installed = (...capabilities: `${string}:${string}`[]) => ({ capabilities: () => capabilities, declarations: () => [] });
const section = (dbtConfigType: string) => ({ sourceConfig: { config: { dbtConfigSource: { dbtConfigType } } } });

describe('dbt bucket sources through the store registry', () => {
  let root: string;
  let server: StaticFileServer;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'om-dbt-static-'));
    for (const [file, text] of Object.entries({ 'proj/target/manifest.json': '{"nodes":{}}', 'proj/target/run_results.json': '{"results":[]}', 'proj/notes.txt': 'x' })) {
      fs.mkdirSync(path.dirname(path.join(root, 'artifacts', file)), { recursive: true });
      fs.writeFileSync(path.join(root, 'artifacts', file), text);
    }
    server = await startStaticFileServer(root);
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('requires the store plugin of any installed store kind, and names the types for a typo', () => {
    expect(dbtRequirements('source:dbt', section('static'), {}, installed('objectStore:static'))).toEqual([
      expect.objectContaining({ capability: 'objectStore:static', validate: false }),
    ]);
    // First-party types are required even when not installed (the registry then says what to install).
    expect(dbtRequirements('source:dbt', section('gcs'), {}, installed())).toEqual([expect.objectContaining({ capability: 'objectStore:gcs' })]);
    expect(dbtRequirements('source:dbt', section('local'), {}, installed())).toEqual([]);
    expect(() => dbtRequirements('source:dbt', section('statik'), {}, installed('objectStore:static'))).toThrow(
      /dbtConfigType: "statik" is not one of: local, http, cloud, s3, gcs, azure, static/,
    );
  });

  it('reads the artifacts of a third-party store, addressed with the scheme the store declares', async () => {
    const c = container();
    staticStorePlugin.register(c);
    const result = await fetchArtifacts(
      { dbtConfigType: 'static', dbtSecurityConfig: {}, storeOptions: { staticBaseUrl: server.url }, dbtPrefixConfig: { dbtBucketName: 'artifacts', dbtObjectPrefix: 'proj/' } } as never,
      { step: { configDir: root, container: c, logger: silentLogger, masker: new SecretMasker(), signal: new AbortController().signal }, timeoutMs: 10_000 },
    );
    expect(result.warnings).toEqual([]);
    expect(result.sets).toEqual([
      {
        label: 'http://artifacts/proj/target/',
        manifest: { where: 'http://artifacts/proj/target/manifest.json', text: '{"nodes":{}}' },
        runResults: [{ where: 'http://artifacts/proj/target/run_results.json', text: '{"results":[]}' }],
      },
    ]);
  });

  it('names the field when the store cannot be built from what the dbt source holds', async () => {
    const c = container();
    staticStorePlugin.register(c);
    await expect(
      fetchArtifacts({ dbtConfigType: 'static', dbtSecurityConfig: {} } as never, {
        step: { configDir: root, container: c, logger: silentLogger, masker: new SecretMasker(), signal: new AbortController().signal },
        timeoutMs: 1000,
      }),
    ).rejects.toThrow('source.sourceConfig.config.dbtConfigSource.dbtSecurityConfig: the static object store could not be created: staticBaseUrl must be the http(s) URL');
  });

  it('says which plugin provides a store kind that is not loaded', async () => {
    await expect(
      fetchArtifacts({ dbtConfigType: 'static', dbtSecurityConfig: {} } as never, {
        step: { configDir: root, container: container(), logger: silentLogger, masker: new SecretMasker(), signal: new AbortController().signal },
        timeoutMs: 1000,
      }),
    ).rejects.toThrow('dbtConfigType static needs a plugin that provides objectStore:static');
  });
});
