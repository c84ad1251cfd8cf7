import * as path from 'node:path';
import { PluginError } from '../errors';
import { tempDir, writePackage } from '../testing/fixtures';
import { discoverPlugins } from './discovery';
import { PLUGIN_API_VERSION } from './descriptor';
import { PluginRegistry } from './registry';

const pluginJs = (id: string, provides: string[], apiVersion = PLUGIN_API_VERSION) => `
globalThis.__omLoaded = (globalThis.__omLoaded || []).concat(${JSON.stringify(id)});
module.exports = { plugin: { id: ${JSON.stringify(id)}, apiVersion: ${apiVersion}, provides: ${JSON.stringify(provides)}, register() {} } };
`;

describe('PluginRegistry', () => {
  beforeEach(() => {
    (globalThis as { __omLoaded?: string[] }).__omLoaded = [];
  });

  it('discovers packages by their "om" manifest without importing them, and imports lazily', async () => {
    const root = tempDir();
    const nm = path.join(root, 'node_modules');
    writePackage(nm, '@acme/om-foo', { om: { id: 'foo', apiVersion: 1, provides: ['source:foo'] } }, pluginJs('foo', ['source:foo']));
    writePackage(nm, 'om-plugin-bar', { om: { id: 'bar', apiVersion: 1, provides: ['sink:bar'] } }, pluginJs('bar', ['sink:bar']));
    writePackage(nm, 'left-pad', {}, 'module.exports = 1;');
    const registry = new PluginRegistry();
    discoverPlugins(registry, { from: [path.join(root, 'sub', 'dir')] });

    expect(registry.list().map((p) => p.package).sort()).toEqual(['@acme/om-foo', 'om-plugin-bar']);
    expect((globalThis as { __omLoaded?: string[] }).__omLoaded).toEqual([]);

    const descriptor = await registry.descriptorFor('source:foo');
    expect(descriptor.id).toBe('foo');
    expect((globalThis as { __omLoaded?: string[] }).__omLoaded).toEqual(['foo']);
  });

  it('disables both plugins of a duplicate id, naming both packages', () => {
    const registry = new PluginRegistry();
    registry.addManifest('pkg-one', '1.0.0', undefined, { id: 'same', apiVersion: 1, provides: ['source:x'] });
    registry.addManifest('pkg-two', '2.0.0', undefined, { id: 'same', apiVersion: 1, provides: ['source:y'] });
    const [one, two] = registry.list();
    expect(one.enabled).toBe(false);
    expect(one.reason).toContain('pkg-two');
    expect(two.enabled).toBe(false);
    expect(two.reason).toContain('pkg-one');
    expect(() => registry.entryFor('source:y')).toThrow(/pkg-two, which is disabled: duplicate plugin id "same": also declared by pkg-one/);
  });

  it('disables a plugin built for another API version, with the reason', () => {
    const registry = new PluginRegistry();
    registry.addManifest('om-plugin-future', '9.0.0', undefined, { id: 'future', apiVersion: 2, provides: ['source:future'] });
    const [info] = registry.list();
    expect(info.enabled).toBe(false);
    expect(info.reason).toMatch(/plugin API v2.*implements v1/);
    expect(() => registry.entryFor('source:future')).toThrow(PluginError);
  });

  it('disables a plugin whose code disagrees with its manifest', async () => {
    const root = tempDir();
    const nm = path.join(root, 'node_modules');
    writePackage(nm, 'om-liar', { om: { id: 'liar', apiVersion: 1, provides: ['source:liar'] } }, pluginJs('liar', ['source:other']));
    const registry = new PluginRegistry();
    discoverPlugins(registry, { from: [root] });
    await expect(registry.descriptorFor('source:liar')).rejects.toThrow(/does not provide source:liar/);
    expect(registry.list()[0].enabled).toBe(false);
  });

  it('names the package to install for a known missing capability', () => {
    const registry = new PluginRegistry();
    expect(() => registry.entryFor('objectStore:s3', 'configSource s3Config')).toThrow(
      'configSource s3Config needs @om/datalake-s3: pnpm add @om/datalake-s3 (or npm install @om/datalake-s3)',
    );
  });

  it('suggests the closest known type for a typo', () => {
    const registry = new PluginRegistry();
    registry.addManifest('om-plugin-foo', '1.0.0', undefined, { id: 'foo', apiVersion: 1, provides: ['source:mysource'] });
    expect(registry.missingMessage('source:dynamdb')).toContain('Did you mean "dynamodb"?');
    expect(registry.missingMessage('source:mysourc')).toContain('Did you mean "mysource"?');
  });

  it('keeps the closest copy when a package is found twice', () => {
    const registry = new PluginRegistry();
    registry.addManifest('om-plugin-foo', '2.0.0', '/near', { id: 'foo', apiVersion: 1, provides: ['source:foo'] });
    registry.addManifest('om-plugin-foo', '1.0.0', '/far', { id: 'foo', apiVersion: 1, provides: ['source:foo'] });
    expect(registry.list()).toHaveLength(1);
    expect(registry.list()[0].version).toBe('2.0.0');
    expect(registry.list()[0].enabled).toBe(true);
  });

  it('rejects a malformed manifest with a reason', () => {
    const registry = new PluginRegistry();
    registry.addManifest('bad', '1.0.0', undefined, { id: 'bad', apiVersion: 1, provides: ['nocolon'] } as never);
    expect(registry.list()[0].reason).toContain('om.provides');
  });
});
