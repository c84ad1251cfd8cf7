import { definePlugin, PLUGIN_API_VERSION } from './descriptor';
import { PluginRegistry } from './registry';

describe('plugin declarations', () => {
  it('are read from manifests without importing, only for capabilities the plugin provides', () => {
    const r = new PluginRegistry();
    r.addManifest('om-store-web', '1.0.0', '/nowhere', {
      id: 'store-web',
      apiVersion: PLUGIN_API_VERSION,
      provides: ['objectStore:web'],
      declares: { 'objectStore:web': { keys: ['baseUrl'] }, 'objectStore:ftp': { keys: ['host'] } },
    });
    r.addDescriptor(
      definePlugin({ id: 'x', apiVersion: PLUGIN_API_VERSION, provides: ['objectStore:x', 'source:x'], declares: { 'objectStore:x': { keys: ['xKey'] } }, register() {} }),
      'om-x',
    );
    r.addManifest('om-old', '1.0.0', '/nowhere', { id: 'old', apiVersion: 0, provides: ['objectStore:old'], declares: { 'objectStore:old': { keys: ['o'] } } });
    expect(r.declarations('objectStore')).toEqual([
      { capability: 'objectStore:web', packageName: 'om-store-web', value: { keys: ['baseUrl'] } },
      { capability: 'objectStore:x', packageName: 'om-x', value: { keys: ['xKey'] } },
    ]);
    expect(r.declarations('source')).toEqual([]);
  });
});
