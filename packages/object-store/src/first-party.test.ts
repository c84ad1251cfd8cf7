import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIRST_PARTY_SHAPES } from './shapes';

// The CLI knows an installed store by its package.json alone: the declared shape there must be the one the code uses.
describe('first-party store plugins', () => {
  it.each(Object.keys(FIRST_PARTY_SHAPES))('datalake-%s declares its configSource shape in package.json', (kind) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'plugins', `datalake-${kind}`, 'package.json'), 'utf8'));
    expect(pkg.om.provides).toEqual([`objectStore:${kind}`]);
    expect(pkg.om.declares).toEqual({ [`objectStore:${kind}`]: FIRST_PARTY_SHAPES[kind] });
    expect(pkg.peerDependencies['@om/object-store']).toBeDefined();
    expect(pkg.peerDependencies['@om/datalake']).toBeUndefined();
  });
});
