import { ConfigError } from '@om/core';
import { installedStoreShapes, schemeOf, selectStoreKind, storeShapes } from './shapes';

describe('selectStoreKind', () => {
  it('tells the first-party stores apart by their keys, and local files by none', () => {
    expect(selectStoreKind({ securityConfig: { awsRegion: 'us-east-1' } })).toBe('s3');
    expect(selectStoreKind({ securityConfig: { gcpConfig: { type: 'service_account' } } })).toBe('gcs');
    expect(selectStoreKind({ securityConfig: { clientId: 'x', tenantId: 'y', accountName: 'z' } })).toBe('azure');
    expect(selectStoreKind({})).toBe('local');
    expect(selectStoreKind({ root: 'x' })).toBe('local');
    expect(selectStoreKind(undefined)).toBe('local');
  });

  it('chooses a store an installed plugin declares, by its keys at the top or in securityConfig', () => {
    const shapes = storeShapes([{ kind: 'web', shape: { keys: ['baseUrl'], scheme: 'https' } }]);
    expect(selectStoreKind({ baseUrl: 'http://127.0.0.1:1/' }, shapes)).toBe('web');
    expect(selectStoreKind({ securityConfig: { baseUrl: 'http://x/' } }, shapes)).toBe('web');
    expect(schemeOf('web', shapes)).toBe('https://');
    // Without the declaration the same configSource is left to the local store's schema.
    expect(selectStoreKind({ baseUrl: 'http://127.0.0.1:1/' })).toBe('local');
  });

  it('names the keys of each store when a configSource mixes them', () => {
    const shapes = storeShapes([{ kind: 'web', shape: { keys: ['baseUrl'] } }]);
    expect(() => selectStoreKind({ securityConfig: { awsRegion: 'x', accountName: 'y' } })).toThrow(/s3Config \(awsRegion\) and azureConfig \(accountName\)/);
    expect(() => selectStoreKind({ baseUrl: 'u', securityConfig: { awsRegion: 'x' } }, shapes)).toThrow(/s3Config \(awsRegion\) and webConfig \(baseUrl\)/);
  });

  it('refuses unknown securityConfig keys and an empty securityConfig', () => {
    expect(() => selectStoreKind({ securityConfig: { awsRegoin: 'x' } })).toThrow(/cannot tell which storage this is from key\(s\) awsRegoin/);
    expect(() => selectStoreKind({ securityConfig: {} })).toThrow(ConfigError);
    expect(() => selectStoreKind('s3')).toThrow(/must be an object/);
  });

  it('keeps first-party shapes and ignores malformed declarations', () => {
    const shapes = storeShapes([
      { kind: 's3', shape: { keys: ['baseUrl'] } },
      { kind: 'local', shape: { keys: ['root'] } },
      { kind: 'bad', shape: { keys: [] } },
      { kind: 'worse', shape: 'baseUrl' },
    ]);
    expect([...shapes.keys()]).toEqual(['s3', 'gcs', 'azure']);
    expect(shapes.get('s3')!.keys).toContain('awsRegion');
  });

  it('reads declarations of objectStore capabilities from the installed plugins', () => {
    const shapes = installedStoreShapes({
      capabilities: () => ['objectStore:web'],
      declarations: (kind) =>
        kind === 'objectStore' ? [{ capability: 'objectStore:web', packageName: 'om-store-web', value: { keys: ['baseUrl'] } }] : [],
    });
    expect(shapes.get('web')).toEqual({ keys: ['baseUrl'] });
  });
});
