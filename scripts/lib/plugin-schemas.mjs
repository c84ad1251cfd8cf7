// Reads a built package's plugin descriptor and turns its config schemas into JSON Schema
// documents with @om/core's own functions (the ones `om-ingest schema` uses).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

/** The @om/core build a package resolves (itself for core). */
export function coreFor(packageDir) {
  const require = createRequire(path.join(packageDir, 'package.json'));
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return manifest.name === '@om/core' ? require(path.join(packageDir, 'dist', 'index.js')) : require('@om/core');
}

/** `{manifest, descriptor}` of a built plugin package, or undefined for a library without an "om" manifest. */
export function loadPlugin(packageDir) {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  if (!manifest.om) return undefined;
  const entry = path.join(packageDir, 'dist', 'index.js');
  if (!fs.existsSync(entry)) throw new Error(`${manifest.name} is not built (${entry} is missing): run pnpm build`);
  const mod = createRequire(entry)(entry);
  const descriptor = [mod.plugin, mod.builtinPlugin, mod.default].find((d) => d && typeof d.register === 'function' && d.id === manifest.om.id);
  if (!descriptor) throw new Error(`${manifest.name}: dist/index.js exports no descriptor with id "${manifest.om.id}" (export it as "plugin")`);
  return { manifest, descriptor };
}

/** File name of a capability's schema: `source.datalake.schema.json`. */
export const schemaFileName = (capability) => `${capability.replace(':', '.')}.schema.json`;

/** Every published package directory of the repository, sorted. */
export function workspacePackages(root) {
  const out = [];
  for (const group of ['packages', 'plugins']) {
    for (const entry of fs.readdirSync(path.join(root, group)).sort()) {
      const dir = path.join(root, group, entry);
      if (fs.existsSync(path.join(dir, 'package.json')) && !JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).private) out.push(dir);
    }
  }
  return out;
}
