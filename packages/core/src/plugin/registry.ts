import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DependencyContainer } from 'tsyringe';
import { PluginError } from '../errors';
import type { Capability } from '../tokens';
import { PLUGIN_API_VERSION, type InstalledPlugins, type PluginDeclaration, type PluginDescriptor, type PluginManifest } from './descriptor';
import { didYouMean, knownPackageFor, KNOWN_PLUGIN_PACKAGES } from './known-plugins';

export interface PluginEntry {
  packageName: string;
  version: string;
  /** Package directory; undefined for plugins handed over in-process. */
  dir?: string;
  manifest: PluginManifest;
  enabled: boolean;
  disabledReason?: string;
  /** Set once imported (or at once for in-process plugins). */
  descriptor?: PluginDescriptor;
}

export interface PluginInfo {
  package: string;
  version: string;
  id: string;
  apiVersion: number;
  provides: Capability[];
  enabled: boolean;
  reason?: string;
  dir?: string;
}

/**
 * Knows every installed plugin by its manifest and imports one only when a config needs
 * what it provides. Duplicate ids and API mismatches disable plugins with a reason instead
 * of relying on tsyringe's silent last-registration-wins.
 */
export class PluginRegistry implements InstalledPlugins {
  private readonly entries: PluginEntry[] = [];
  private readonly loading = new Map<PluginEntry, Promise<PluginDescriptor>>();

  /** Adds a discovered package. A package already known by name is ignored (closest wins). */
  addManifest(packageName: string, version: string, dir: string | undefined, manifest: PluginManifest): PluginEntry {
    const existing = this.entries.find((e) => e.packageName === packageName);
    if (existing) return existing;
    const entry: PluginEntry = { packageName, version, dir, manifest, enabled: true };
    const problem = manifestProblem(manifest);
    if (problem) this.disable(entry, problem);
    else if (manifest.apiVersion !== PLUGIN_API_VERSION) {
      this.disable(
        entry,
        `built for plugin API v${manifest.apiVersion}, but this @om/core implements v${PLUGIN_API_VERSION}; ` +
          `install a ${packageName} release made for @om/core with plugin API v${PLUGIN_API_VERSION}`,
      );
    }
    const clash = this.entries.find((e) => e.manifest.id === manifest.id);
    if (clash) {
      this.disable(clash, `duplicate plugin id "${manifest.id}": also declared by ${packageName}; uninstall one of them`);
      this.disable(
        entry,
        `duplicate plugin id "${manifest.id}": also declared by ${clash.packageName}; uninstall one of them`,
      );
    }
    this.entries.push(entry);
    return entry;
  }

  /** Adds a plugin whose descriptor is already in memory (built-ins, tests, embedding apps). */
  addDescriptor(descriptor: PluginDescriptor, packageName: string, version = '0.0.0'): PluginEntry {
    const entry = this.addManifest(packageName, version, undefined, {
      id: descriptor.id,
      apiVersion: descriptor.apiVersion,
      provides: descriptor.provides,
      ...(descriptor.declares ? { declares: descriptor.declares } : {}),
    });
    if (entry.packageName === packageName && !entry.descriptor) entry.descriptor = descriptor;
    return entry;
  }

  list(): PluginInfo[] {
    return this.entries.map((e) => ({
      package: e.packageName,
      version: e.version,
      id: e.manifest.id,
      apiVersion: e.manifest.apiVersion,
      provides: [...e.manifest.provides],
      enabled: e.enabled,
      ...(e.disabledReason ? { reason: e.disabledReason } : {}),
      ...(e.dir ? { dir: e.dir } : {}),
    }));
  }

  /** What enabled plugins declare about their `<kind>:*` capabilities (only ones they provide). */
  declarations(kind: string): PluginDeclaration[] {
    const out: PluginDeclaration[] = [];
    for (const e of this.entries) {
      if (!e.enabled || !e.manifest.declares || typeof e.manifest.declares !== 'object') continue;
      for (const [capability, value] of Object.entries(e.manifest.declares) as [Capability, unknown][]) {
        if (splitCapability(capability)[0] === kind && e.manifest.provides.includes(capability)) out.push({ capability, packageName: e.packageName, value });
      }
    }
    return out;
  }

  /** Every capability some enabled plugin provides. */
  capabilities(): Capability[] {
    return this.entries.filter((e) => e.enabled).flatMap((e) => e.manifest.provides);
  }

  /**
   * The enabled plugin providing a capability. Throws a PluginError that says what to install
   * (and did-you-mean for typos) when none does.
   */
  entryFor(capability: Capability, reason?: string): PluginEntry {
    const providers = this.entries.filter((e) => e.manifest.provides.includes(capability));
    const enabled = providers.filter((e) => e.enabled);
    if (enabled.length > 1) {
      throw new PluginError(
        `${capability} is provided by both ${enabled[0].packageName} and ${enabled[1].packageName}; uninstall one of them`,
      );
    }
    if (enabled.length === 1) return enabled[0];
    if (providers.length > 0) {
      const p = providers[0];
      throw new PluginError(`${describe(capability, reason)} needs ${p.packageName}, which is disabled: ${p.disabledReason}`);
    }
    throw new PluginError(this.missingMessage(capability, reason));
  }

  missingMessage(capability: Capability, reason?: string): string {
    const pkg = knownPackageFor(capability);
    const [kind, type] = splitCapability(capability);
    if (pkg) return `${describe(capability, reason)} needs ${pkg}: pnpm add ${pkg} (or npm install ${pkg})`;
    const candidates = new Set<string>();
    for (const c of [...this.capabilities(), ...Object.keys(KNOWN_PLUGIN_PACKAGES)]) {
      const [k, t] = splitCapability(c as Capability);
      if (k === kind) candidates.add(t);
    }
    const guess = didYouMean(type, candidates);
    const hint = guess ? ` Did you mean "${guess}"?` : '';
    const known = [...candidates].sort().join(', ');
    return `No installed plugin provides ${kind} "${type}".${hint} Known ${kind} types: ${known || 'none'}. Run "metadata plugins" to see what is installed.`;
  }

  /** Imports (once) and returns the descriptor of the plugin providing a capability. */
  async descriptorFor(capability: Capability, reason?: string): Promise<PluginDescriptor> {
    const entry = this.entryFor(capability, reason);
    return this.load(entry);
  }

  async load(entry: PluginEntry): Promise<PluginDescriptor> {
    if (entry.descriptor) return entry.descriptor;
    let pending = this.loading.get(entry);
    if (!pending) {
      pending = this.importDescriptor(entry);
      this.loading.set(entry, pending);
    }
    return pending;
  }

  /** Registers every loaded plugin's bindings into a (per-run) container. */
  registerLoaded(container: DependencyContainer): void {
    for (const entry of this.entries) if (entry.enabled && entry.descriptor) entry.descriptor.register(container);
  }

  private async importDescriptor(entry: PluginEntry): Promise<PluginDescriptor> {
    if (!entry.dir) throw new PluginError(`${entry.packageName} has no package directory to load from`);
    const target = path.resolve(entry.dir, entry.manifest.entry ?? mainOf(entry.dir));
    let mod: Record<string, unknown>;
    try {
      mod = (await dynamicImport(target)) as Record<string, unknown>;
    } catch (err) {
      const reason = `could not be loaded from ${target}: ${(err as Error).message}`;
      this.disable(entry, reason);
      throw new PluginError(`Plugin ${entry.packageName} ${reason}`);
    }
    const descriptor = pickDescriptor(mod);
    const problem = descriptor ? descriptorProblem(descriptor, entry.manifest) : 'it exports no plugin descriptor (default export or `plugin`)';
    if (problem || !descriptor) {
      this.disable(entry, problem!);
      throw new PluginError(`Plugin ${entry.packageName} is disabled: ${problem}`);
    }
    entry.descriptor = descriptor;
    return descriptor;
  }

  private disable(entry: PluginEntry, reason: string): void {
    entry.enabled = false;
    entry.disabledReason = entry.disabledReason ? `${entry.disabledReason}; ${reason}` : reason;
  }
}

function describe(capability: Capability, reason?: string): string {
  return reason ?? capability;
}

export function splitCapability(capability: Capability): [string, string] {
  const i = capability.indexOf(':');
  return [capability.slice(0, i), capability.slice(i + 1)];
}

function manifestProblem(m: PluginManifest): string | undefined {
  if (!m || typeof m !== 'object') return 'its package.json "om" field is not an object';
  if (typeof m.id !== 'string' || !m.id) return 'its package.json "om" field has no "id"';
  if (typeof m.apiVersion !== 'number') return 'its package.json "om" field has no numeric "apiVersion"';
  if (!Array.isArray(m.provides) || m.provides.some((p) => typeof p !== 'string' || !p.includes(':'))) {
    return 'its package.json "om.provides" must list capabilities like "source:name"';
  }
  return undefined;
}

function descriptorProblem(d: PluginDescriptor, m: PluginManifest): string | undefined {
  if (typeof d.register !== 'function') return 'its descriptor has no register(container) function';
  if (d.apiVersion !== PLUGIN_API_VERSION) {
    return `its descriptor is built for plugin API v${d.apiVersion}, but this @om/core implements v${PLUGIN_API_VERSION}`;
  }
  if (d.id !== m.id) return `its descriptor id "${d.id}" differs from the package.json "om.id" "${m.id}"`;
  const missing = m.provides.filter((c) => !d.provides.includes(c));
  if (missing.length) return `its descriptor does not provide ${missing.join(', ')} declared in package.json`;
  return undefined;
}

function pickDescriptor(mod: Record<string, unknown>): PluginDescriptor | undefined {
  const candidates = [
    (mod.default as Record<string, unknown> | undefined)?.default,
    (mod.default as Record<string, unknown> | undefined)?.plugin,
    mod.default,
    mod.plugin,
  ];
  return candidates.find((c): c is PluginDescriptor => !!c && typeof c === 'object' && 'register' in c);
}

function mainOf(dir: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pkg = require(path.join(dir, 'package.json')) as { main?: string; exports?: unknown };
  const exp = pkg.exports as Record<string, unknown> | string | undefined;
  if (typeof exp === 'string') return exp;
  const dot = exp && typeof exp === 'object' ? (exp['.'] as Record<string, unknown> | string | undefined) : undefined;
  if (typeof dot === 'string') return dot;
  if (dot && typeof dot === 'object') {
    for (const key of ['require', 'node', 'default', 'import']) if (typeof dot[key] === 'string') return dot[key] as string;
  }
  return pkg.main ?? 'index.js';
}

/**
 * Loads CommonJS and ESM plugins alike: `require` for a CommonJS file (the plugin then shares this
 * process's module registry, so a plugin's `@om/core` is the one already loaded), `import()` for ESM.
 */
async function dynamicImport(file: string): Promise<unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!isEsm(file)) return require(file);
  return import(pathToFileURL(file).href);
}

/** `.mjs`, or a `.js` whose nearest package.json says `"type": "module"` (Node's own rule). */
function isEsm(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs') || !file.endsWith('.js')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: unknown }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(dir) === dir) return false;
  }
}
