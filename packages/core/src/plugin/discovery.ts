import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PluginManifest } from './descriptor';
import type { PluginRegistry } from './registry';

export interface DiscoveryOptions {
  /** Directories to start from; each one's node_modules chain up to the root is searched. */
  from: string[];
  /** Extra directories: a plugin package itself or a node_modules folder (OM_PLUGIN_PATH). */
  extraPaths?: string[];
}

/**
 * Finds installed packages whose package.json has an `"om"` manifest, without importing
 * any of them (like pip extras: what is installed is what is available).
 */
export function discoverPlugins(registry: PluginRegistry, options: DiscoveryOptions): void {
  const seenDirs = new Set<string>();
  for (const extra of options.extraPaths ?? []) {
    if (!extra) continue;
    const dir = path.resolve(extra);
    if (fs.existsSync(path.join(dir, 'package.json'))) addPackage(registry, dir, seenDirs);
    else scanNodeModules(registry, dir, seenDirs);
  }
  for (const start of options.from) {
    for (const nm of nodeModulesChain(path.resolve(start))) scanNodeModules(registry, nm, seenDirs);
  }
}

export function nodeModulesChain(start: string): string[] {
  const result: string[] = [];
  let dir = start;
  for (;;) {
    if (path.basename(dir) !== 'node_modules') result.push(path.join(dir, 'node_modules'));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return result;
}

function scanNodeModules(registry: PluginRegistry, nodeModules: string, seenDirs: Set<string>): void {
  let names: string[];
  try {
    names = fs.readdirSync(nodeModules);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue;
    const full = path.join(nodeModules, name);
    if (name.startsWith('@')) {
      let scoped: string[] = [];
      try {
        scoped = fs.readdirSync(full);
      } catch {
        continue;
      }
      for (const inner of scoped) addPackage(registry, path.join(full, inner), seenDirs);
    } else {
      addPackage(registry, full, seenDirs);
    }
  }
}

function addPackage(registry: PluginRegistry, dir: string, seenDirs: Set<string>): void {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return;
  }
  if (seenDirs.has(real)) return;
  seenDirs.add(real);
  let pkg: { name?: string; version?: string; om?: PluginManifest };
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(real, 'package.json'), 'utf8'));
  } catch {
    return;
  }
  if (!pkg.om || !pkg.name) return;
  registry.addManifest(pkg.name, pkg.version ?? '0.0.0', real, pkg.om);
}
