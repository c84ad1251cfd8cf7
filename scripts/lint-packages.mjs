// Package hygiene that TypeScript cannot check: every published package builds to dist/ with
// types and an exports map, and plugins take @om/core as a peer with a real range.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const problems = [];
const rootPkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const rootLicense = fs.readFileSync(path.join(root, 'LICENSE'), 'utf8');
for (const group of ['packages', 'plugins']) {
  const dir = path.join(root, group);
  if (!fs.existsSync(dir)) continue;
  for (const entry of fs.readdirSync(dir)) {
    const file = path.join(dir, entry, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    const where = `${group}/${entry}/package.json`;
    if (pkg.private) continue;
    if (!pkg.name?.startsWith('@om/')) problems.push(`${where}: published packages are named @om/*`);
    if (!pkg.exports?.['.']?.types) problems.push(`${where}: exports["."] needs "types"`);
    if (!pkg.types?.startsWith('./dist/')) problems.push(`${where}: "types" must point into dist/`);
    if (!pkg.files?.includes('dist')) problems.push(`${where}: "files" must include dist`);
    if (pkg.publishConfig?.access !== 'public') problems.push(`${where}: publishConfig.access must be public`);
    const usesCore = pkg.dependencies?.['@om/core'] || pkg.peerDependencies?.['@om/core'] || pkg.devDependencies?.['@om/core'];
    if (group === 'plugins' || (pkg.om && pkg.name !== '@om/core')) {
      const peer = pkg.peerDependencies?.['@om/core'];
      if (!peer || peer.startsWith('workspace:') || peer === '*') problems.push(`${where}: plugins need "@om/core" as a peerDependency with a real semver range`);
      if (pkg.dependencies?.['@om/core']) problems.push(`${where}: @om/core must not be a regular dependency of a plugin (two copies of core)`);
    } else if (usesCore && pkg.name !== '@om/cli' && !pkg.peerDependencies?.['@om/core'] && !pkg.dependencies?.['@om/core']) {
      problems.push(`${where}: declare @om/core as a dependency or peer`);
    }
    // docs/versioning.md: a 0.x caret range (^0.1.0) would refuse the next core minor.
    for (const [dep, range] of Object.entries(pkg.peerDependencies ?? {})) {
      if (dep.startsWith('@om/') && /^[\^~]0\./.test(range)) problems.push(`${where}: peer ${dep} "${range}" refuses the next 0.x minor; use ">=${range.slice(1)} <1" (docs/versioning.md)`);
    }
    // What users see on npm and in the tarball (scripts/check-publish.mjs checks the packed result).
    for (const key of ['description', 'keywords', 'homepage', 'repository', 'bugs', 'engines']) if (!pkg[key]) problems.push(`${where}: "${key}" is missing`);
    if (pkg.license !== 'Apache-2.0') problems.push(`${where}: "license" must be Apache-2.0`);
    if (pkg.engines?.node !== rootPkg.engines.node) problems.push(`${where}: engines.node must be "${rootPkg.engines.node}" like the root package.json`);
    if (!fs.existsSync(path.join(dir, entry, 'README.md'))) problems.push(`${group}/${entry}: README.md is missing`);
    const license = path.join(dir, entry, 'LICENSE');
    if (!fs.existsSync(license) || fs.readFileSync(license, 'utf8') !== rootLicense) problems.push(`${group}/${entry}: LICENSE must be a copy of the root LICENSE (cp LICENSE ${group}/${entry}/)`);
    for (const f of pkg.files ?? []) {
      if (!f.startsWith('!') && f !== 'dist' && !fs.existsSync(path.join(dir, entry, f))) problems.push(`${where}: "files" lists ${f}, which does not exist`);
    }
    if (pkg.om) {
      for (const key of ['id', 'apiVersion', 'provides']) if (pkg.om[key] === undefined) problems.push(`${where}: om.${key} is missing`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('package manifests ok');
