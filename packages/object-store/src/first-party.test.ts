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
  });

  it.each(Object.keys(FIRST_PARTY_SHAPES))('datalake-%s code builds on @om/object-store, never on @om/datalake', (kind) => {
    const src = path.join(__dirname, '..', '..', '..', 'plugins', `datalake-${kind}`, 'src');
    const files = fs.readdirSync(src, { recursive: true }).map(String).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'));
    const imports = files.flatMap((f) => [...fs.readFileSync(path.join(src, f), 'utf8').matchAll(/from '(@om\/[^']+)'/g)].map((m) => m[1]));
    expect(imports).toContain('@om/object-store');
    expect(imports.filter((i) => i.startsWith('@om/datalake'))).toEqual([]);
  });
});
