/**
 * Which store a Datalake `configSource` is for. OpenMetadata tells the storages apart by the shape
 * of the object (`securityConfig` with AWS keys, `gcpConfig`, Azure account keys), not by a type
 * field; each store plugin declares the keys that identify its shape, so a third-party store is
 * chosen the same way as a first-party one. No identifying key means the local filesystem.
 */
import { ConfigError, type InstalledPlugins } from '@om/core';
import { storeKindOfCapability } from './capability';

/** What a store plugin declares (`om.declares["objectStore:<kind>"]` in package.json) about its configSource. */
export interface ConfigSourceShape {
  /** Keys that identify this store, at the top of configSource or inside its `securityConfig`. */
  keys: string[];
  /** URL scheme of object addresses in messages (`s3`, `gs`); default the kind. */
  scheme?: string;
  /** How to pick this store, for a "keep only one storage" hint, e.g. `AWS keys for S3`. */
  hint?: string;
  /** A sketch of the shape, for a "cannot tell" hint, e.g. `S3: securityConfig {awsRegion, ...}`. */
  example?: string;
}

/** The store kind with no identifying keys: configSource `{}` or `{root: DIR}`. */
export const LOCAL_STORE_KIND = 'local';

/**
 * Shapes of the first-party stores, known even when their plugin is not installed (so the error
 * can say which package to add). Their plugins declare the same shapes.
 */
export const FIRST_PARTY_SHAPES: Readonly<Record<string, ConfigSourceShape>> = {
  s3: {
    keys: ['awsAccessKeyId', 'awsSecretAccessKey', 'awsRegion', 'awsSessionToken', 'endPointURL', 'profileName', 'assumeRoleArn', 'assumeRoleSessionName', 'assumeRoleSourceIdentity'],
    scheme: 's3',
    hint: 'AWS keys for S3',
    example: 'S3: securityConfig {awsRegion, awsAccessKeyId, ...}',
  },
  gcs: {
    keys: ['gcpConfig', 'gcpImpersonateServiceAccount'],
    scheme: 'gs',
    hint: 'gcpConfig for GCS',
    example: 'GCS: securityConfig {gcpConfig: {...}}',
  },
  azure: {
    keys: ['accountName', 'clientId', 'clientSecret', 'tenantId', 'connectionString', 'accountKey', 'sasToken', 'vaultName', 'scopes'],
    scheme: 'azure',
    hint: 'accountName/clientId/tenantId for Azure',
    example: 'Azure: securityConfig {accountName, clientId, ...}',
  },
};

/** Store kind → shape: the first-party shapes plus what installed plugins declare (a first-party kind keeps its shape). */
export type StoreShapes = ReadonlyMap<string, ConfigSourceShape>;

/** The shapes to choose from: first-party ones and valid declarations of installed store plugins. */
export function storeShapes(declared: Iterable<{ kind: string; shape: unknown }> = []): StoreShapes {
  const shapes = new Map<string, ConfigSourceShape>(Object.entries(FIRST_PARTY_SHAPES));
  for (const { kind, shape } of declared) {
    if (shapes.has(kind) || kind === LOCAL_STORE_KIND || !isShape(shape)) continue;
    shapes.set(kind, shape);
  }
  return shapes;
}

/** The shapes known to the plugin registry (for a plugin's `requires()`). */
export function installedStoreShapes(installed: InstalledPlugins): StoreShapes {
  const declared = [];
  for (const d of installed.declarations('objectStore')) {
    const kind = storeKindOfCapability(d.capability);
    if (kind) declared.push({ kind, shape: d.value });
  }
  return storeShapes(declared);
}

export function isShape(value: unknown): value is ConfigSourceShape {
  const v = value as ConfigSourceShape | undefined;
  return !!v && typeof v === 'object' && Array.isArray(v.keys) && v.keys.length > 0 && v.keys.every((k) => typeof k === 'string' && k !== '');
}

/** `s3://` for messages; `''` for the local store. */
export function schemeOf(kind: string, shapes: StoreShapes = storeShapes()): string {
  if (kind === LOCAL_STORE_KIND) return '';
  return `${shapes.get(kind)?.scheme ?? kind}://`;
}

const hintOf = (kind: string, s: ConfigSourceShape) => s.hint ?? `${s.keys.slice(0, 3).join('/')} for ${kind}`;
const exampleOf = (kind: string, s: ConfigSourceShape) => s.example ?? `${kind}: {${s.keys.slice(0, 3).join(', ')}, ...}`;

/**
 * The store kind a structural `configSource` is for: the one whose keys it has (at the top or
 * inside `securityConfig`), `local` when it has none (or only `root`). Throws a ConfigError when
 * the keys mix stores, or `securityConfig` holds keys of no known store.
 */
export function selectStoreKind(configSource: unknown, shapes: StoreShapes = storeShapes(), path = 'source.serviceConnection.config.configSource'): string {
  if (configSource === undefined || configSource === null) return LOCAL_STORE_KIND;
  if (typeof configSource !== 'object' || Array.isArray(configSource)) {
    throw ConfigError.single(path, 'must be an object');
  }
  const top = configSource as Record<string, unknown>;
  const sec = top.securityConfig;
  const keys = new Set(Object.keys(top).filter((k) => k !== 'securityConfig'));
  if (sec !== undefined && sec !== null) {
    if (typeof sec !== 'object' || Array.isArray(sec)) throw ConfigError.single(`${path}.securityConfig`, 'must be an object');
    for (const k of Object.keys(sec)) keys.add(k);
  }
  const found = [...shapes].filter(([, shape]) => shape.keys.some((k) => keys.has(k)));
  if (found.length > 1) {
    const names = found.map(([kind, shape]) => `${kind}Config (${shape.keys.filter((k) => keys.has(k)).join(', ')})`);
    throw ConfigError.single(
      path,
      `cannot tell which storage this is: it has keys of ${names.join(' and ')}`,
      `keep only the keys of one storage: ${[...shapes].map(([kind, s]) => hintOf(kind, s)).join(', ')}`,
    );
  }
  if (found.length === 1) return found[0][0];
  // Unknown keys inside securityConfig mean a cloud storage was intended; unknown top-level keys
  // are left to the local store's schema, which names them (with a did-you-mean).
  const unknown = sec && typeof sec === 'object' ? Object.keys(sec) : [];
  if (unknown.length > 0) {
    throw ConfigError.single(
      path,
      `cannot tell which storage this is from key(s) ${unknown.join(', ')}`,
      `${[...shapes].map(([kind, s]) => exampleOf(kind, s)).join('; ')}; local files: {} or {root: DIR}`,
    );
  }
  if (sec !== undefined && sec !== null && Object.keys(sec).length === 0 && Object.keys(top).length === 1) {
    throw ConfigError.single(
      `${path}.securityConfig`,
      'is empty, so the storage cannot be told',
      'S3 needs at least awsRegion, GCS gcpConfig, Azure accountName; for local files use configSource: {}',
    );
  }
  return LOCAL_STORE_KIND;
}
