import type { DependencyContainer } from 'tsyringe';
import type { Capability } from '../tokens';

/** The plugin API this @om/core implements. A plugin built for another major is disabled. */
export const PLUGIN_API_VERSION = 1;

/** A JSON Schema object (draft-07 / 2019-09 subset that ajv understands). */
export type JsonSchema = Record<string, unknown>;

/** Another capability that a step needs, found by reading its config. */
export interface Requirement {
  capability: Capability;
  /**
   * JSON pointer of the sub-config the required plugin validates, if any: relative to the step's
   * section, or to the whole workflow config when it starts with `#` (e.g.
   * `#/workflowConfig/openMetadataServerConfig/securityConfig`).
   */
  at?: string;
  /** Why, in the user's words, e.g. `configSource s3Config`. */
  reason: string;
  /**
   * False: load and register the plugin but do not validate any config with its schema (the
   * requiring plugin validates a differently shaped config itself, as dbt's `dbtSecurityConfig`).
   */
  validate?: boolean;
}

/** A fact one installed plugin declares about a capability it provides (`om.declares` in package.json). */
export interface PluginDeclaration {
  capability: Capability;
  packageName: string;
  /** Whatever the capability's consumer expects (e.g. the configSource keys an object store handles). */
  value: unknown;
}

/** What `requires()` may ask about the installed plugins, without importing any of them. */
export interface InstalledPlugins {
  /** The declarations of every enabled plugin for capabilities of one kind (`objectStore`...). */
  declarations(kind: string): PluginDeclaration[];
  /** Every capability some enabled plugin provides. */
  capabilities(): Capability[];
}

/**
 * What a plugin package exports (default export or `plugin`). Pure data plus `register`:
 * importing a plugin must have no side effects.
 */
export interface PluginDescriptor {
  id: string;
  apiVersion: number;
  provides: Capability[];
  /**
   * Config schemas per capability, keyed by a JSON pointer relative to the section the
   * capability is used in: for `source:x` pointers like `/serviceConnection/config`, for
   * `sink:x` `/config`, for a nested capability (`objectStore:s3`) `''` (the sub-config itself).
   */
  configSchemas?: Partial<Record<Capability, Record<string, JsonSchema>>>;
  /**
   * Facts per provided capability that other plugins read before importing this one; the same
   * data as `om.declares` in package.json (which is what an installed package is known by).
   */
  declares?: Partial<Record<Capability, unknown>>;
  /** Further capabilities a configured step needs (e.g. datalake → objectStore:s3). */
  requires?(capability: Capability, stepConfig: Record<string, unknown>, workflowConfig: Record<string, unknown>, installed: InstalledPlugins): Requirement[];
  /** Binds the plugin's factories to core's tokens in the given (per-run) container. */
  register(container: DependencyContainer): void;
}

/** The `"om"` field of a plugin's package.json: read without importing the package. */
export interface PluginManifest {
  id: string;
  apiVersion: number;
  provides: Capability[];
  /** Module to import, relative to the package root; defaults to the package's main entry. */
  entry?: string;
  /** Facts per provided capability, read without importing (see `PluginDescriptor.declares`). */
  declares?: Partial<Record<Capability, unknown>>;
}

export function definePlugin(descriptor: PluginDescriptor): PluginDescriptor {
  return descriptor;
}
