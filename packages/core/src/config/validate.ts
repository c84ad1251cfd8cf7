import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { ConfigError, PluginError, type ConfigViolation } from '../errors';
import { regexProblem } from '../filters';
import type { JsonSchema, PluginDescriptor } from '../plugin/descriptor';
import { didYouMean } from '../plugin/known-plugins';
import type { PluginRegistry } from '../plugin/registry';
import type { Capability } from '../tokens';
import { workflowSchema } from './schema';
import type { WorkflowConfig } from './types';

/** A capability the config needs, where its section is, and the plugin that provides it. */
export interface ResolvedCapability {
  capability: Capability;
  /** JSON pointer of the section, e.g. `/source` or `/source/serviceConnection/config/configSource/s3Config`. */
  at: string;
  reason: string;
  descriptor: PluginDescriptor;
}

export interface ValidatedConfig {
  config: WorkflowConfig;
  capabilities: ResolvedCapability[];
  /** JSON pointers of values that a schema marks secret. */
  secretPaths: Set<string>;
  /**
   * JSON pointers of om-ingest extension fields (schema `omExtension: true`, or a description
   * starting with `om-ingest:`): settings of this tool that OpenMetadata's own schemas do not have,
   * so they are left out of what is sent to the catalog (the service connection).
   */
  extensionPaths: Set<string>;
  /**
   * JSON pointers of file paths (schema `omPath: true`): a relative one resolves from the config
   * file's folder, like every path in a config.
   */
  filePaths: Set<string>;
}

let filePathCollector: { base: string; paths: Set<string> } | undefined;
let secretCollector: { base: string; paths: Set<string> } | undefined;
let extensionCollector: { base: string; paths: Set<string> } | undefined;

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: false, useDefaults: false });
  addFormats(ajv);
  ajv.addFormat('om-regex', { type: 'string', validate: (s: string) => regexProblem(s) === undefined });
  ajv.addFormat('password', { type: 'string', validate: () => true });
  ajv.addKeyword({
    keyword: 'secret',
    schemaType: 'boolean',
    errors: false,
    validate: (schema: boolean, _data: unknown, _parent: unknown, ctx?: { instancePath: string }) => {
      if (schema && secretCollector && ctx) secretCollector.paths.add(secretCollector.base + ctx.instancePath);
      return true;
    },
  });
  ajv.addKeyword({
    keyword: 'omExtension',
    schemaType: 'boolean',
    errors: false,
    validate: (schema: boolean, _data: unknown, _parent: unknown, ctx?: { instancePath: string }) => {
      if (schema && extensionCollector && ctx) extensionCollector.paths.add(extensionCollector.base + ctx.instancePath);
      return true;
    },
  });
  ajv.addKeyword({
    keyword: 'omPath',
    schemaType: 'boolean',
    errors: false,
    validate: (schema: boolean, _data: unknown, _parent: unknown, ctx?: { instancePath: string }) => {
      if (schema && filePathCollector && ctx) filePathCollector.paths.add(filePathCollector.base + ctx.instancePath);
      return true;
    },
  });
  return ajv;
}

/** Marks `om-ingest:`-described fields as extensions (a copy; the plugin's schema is untouched). */
function markExtensions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(markExtensions);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) out[k] = k === 'enum' || k === 'const' || k === 'default' ? v : markExtensions(v);
  if (typeof out.description === 'string' && out.description.startsWith('om-ingest:') && out.omExtension === undefined) out.omExtension = true;
  return out;
}

const ajv = createAjv();
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function compile(schema: JsonSchema): ValidateFunction {
  let fn = compiled.get(schema);
  if (!fn) {
    fn = ajv.compile(markExtensions(schema) as JsonSchema);
    compiled.set(schema, fn);
  }
  return fn;
}

/** Validates one value against a schema; returns violations with paths relative to `base`. */
export function validateAgainst(
  schema: JsonSchema,
  value: unknown,
  base = '',
  secretPaths?: Set<string>,
  extensionPaths?: Set<string>,
  filePaths?: Set<string>,
): ConfigViolation[] {
  const fn = compile(schema);
  secretCollector = secretPaths ? { base, paths: secretPaths } : undefined;
  extensionCollector = extensionPaths ? { base, paths: extensionPaths } : undefined;
  filePathCollector = filePaths ? { base, paths: filePaths } : undefined;
  try {
    if (fn(value)) return [];
  } finally {
    secretCollector = undefined;
    extensionCollector = undefined;
    filePathCollector = undefined;
  }
  return toViolations(fn.errors ?? [], base);
}

/**
 * Validates the whole config: the workflow schema, then the schema of every plugin the config
 * needs (found and loaded through the registry). Every violation is reported at once.
 */
export async function validateWorkflowConfig(
  raw: Record<string, unknown>,
  registry: PluginRegistry,
  file?: string,
): Promise<ValidatedConfig> {
  const secretPaths = new Set<string>();
  const extensionPaths = new Set<string>();
  const filePaths = new Set<string>();
  const violations = validateAgainst(workflowSchema, raw, '', secretPaths, extensionPaths, filePaths);
  const capabilities: ResolvedCapability[] = [];

  const wanted: { capability: Capability; at: string; typePath: string }[] = [];
  const typeOf = (section: string): string | undefined => {
    const s = raw[section] as Record<string, unknown> | undefined;
    return s && typeof s === 'object' && typeof s.type === 'string' && s.type ? s.type : undefined;
  };
  for (const section of ['source', 'processor', 'sink'] as const) {
    const type = typeOf(section);
    if (type) wanted.push({ capability: `${section}:${type}` as Capability, at: `/${section}`, typePath: `${section}.type` });
  }
  for (const section of ['stage', 'bulkSink'] as const) {
    if (raw[section]) {
      violations.push({ path: section, message: `${section} steps are not supported by om-ingest`, hint: 'remove this section' });
    }
  }

  const queue = wanted.map((w) => ({ ...w, reason: `${w.typePath} "${w.capability.split(':')[1]}"`, nested: false, validate: true }));
  while (queue.length > 0) {
    const item = queue.shift()!;
    let descriptor: PluginDescriptor;
    try {
      descriptor = await registry.descriptorFor(item.capability, item.reason);
    } catch (err) {
      if (!(err instanceof PluginError)) throw err;
      violations.push({ path: item.typePath, message: err.message });
      continue;
    }
    capabilities.push({ capability: item.capability, at: item.at, reason: item.reason, descriptor });
    const section = getPointer(raw, item.at);
    for (const [pointer, schema] of item.validate ? Object.entries(descriptor.configSchemas?.[item.capability] ?? {}) : []) {
      let value = getPointer(raw, item.at + pointer);
      // A step's `config` may be left out; validate it as empty so required keys are reported.
      if (value === undefined && pointer === '/config' && section && typeof section === 'object') value = {};
      if (value === undefined) continue;
      violations.push(...validateAgainst(schema, value, item.at + pointer, secretPaths, extensionPaths, filePaths));
    }
    if (descriptor.requires && section && typeof section === 'object') {
      let requirements;
      try {
        requirements = descriptor.requires(item.capability, section as Record<string, unknown>, raw, registry);
      } catch (err) {
        violations.push({ path: pointerToPath(item.at), message: (err as Error).message });
        continue;
      }
      for (const r of requirements) {
        const at = r.at === undefined ? item.at : r.at.startsWith('#') ? r.at.slice(1) : item.at + r.at;
        queue.push({ capability: r.capability, at, typePath: pointerToPath(at), reason: r.reason, nested: true, validate: r.validate !== false });
      }
    }
  }

  if (violations.length > 0) throw new ConfigError(dedupe(violations), file);
  return { config: raw as unknown as WorkflowConfig, capabilities, secretPaths, extensionPaths, filePaths };
}

function dedupe(violations: ConfigViolation[]): ConfigViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = `${v.path}|${v.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A copy of `value` (found at `base` in the config) without the extension fields under it: what
 * may be sent to OpenMetadata, whose schemas reject keys they do not know.
 */
export function withoutExtensions<T>(value: T, base: string, extensionPaths: Set<string>): T {
  const copy = structuredClone(value);
  const prefix = `${base}/`;
  const inside = [...extensionPaths].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/'));
  // Deepest first, so removing a parent never hides a child path.
  inside.sort((a, b) => b.length - a.length);
  for (const parts of inside) {
    let node: unknown = copy;
    for (const raw of parts.slice(0, -1)) {
      if (!node || typeof node !== 'object') break;
      node = (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    const last = parts[parts.length - 1].replace(/~1/g, '/').replace(/~0/g, '~');
    if (node && typeof node === 'object' && !Array.isArray(node)) delete (node as Record<string, unknown>)[last];
  }
  return copy;
}

export function getPointer(root: unknown, pointer: string): unknown {
  if (!pointer) return root;
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** `/source/sourceConfig/config/tableFilterPattern/includes/0` → `source.sourceConfig.config.tableFilterPattern.includes[0]`. */
export function pointerToPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(key)) out += `[${key}]`;
    else out += out ? `.${key}` : key;
  }
  return out;
}

function toViolations(errors: ErrorObject[], base: string): ConfigViolation[] {
  // A failed oneOf/anyOf also reports every branch's errors; keep the summary when branches disagree.
  const out: ConfigViolation[] = [];
  for (const e of errors) {
    // `if/then` reports the failing `then` branch's own errors plus a generic line; keep the former.
    if (e.keyword === 'if') continue;
    const at = base + e.instancePath;
    const path = pointerToPath(at);
    const parent = (e.parentSchema ?? {}) as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const allowed = Object.keys((parent.properties as Record<string, unknown>) ?? {});
        const guess = didYouMean(key, allowed);
        out.push({
          path: path ? `${path}.${key}` : key,
          message: `unknown key "${key}"`,
          hint: guess ? `did you mean "${guess}"?` : allowed.length ? `allowed keys: ${allowed.join(', ')}` : undefined,
        });
        break;
      }
      case 'required': {
        const key = String((e.params as { missingProperty: string }).missingProperty);
        out.push({ path: path ? `${path}.${key}` : key, message: `required key "${key}" is missing` });
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
        const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
        out.push({
          path,
          message: `${JSON.stringify(e.data)} is not one of: ${allowed.join(', ')}`,
          hint: guess ? `did you mean "${guess}"?` : undefined,
        });
        break;
      }
      case 'type':
        out.push({ path, message: `must be ${(e.params as { type: string | string[] }).type} (got ${describeType(e.data)})` });
        break;
      case 'format':
        if ((e.params as { format: string }).format === 'om-regex') {
          out.push({
            path,
            message: `invalid regular expression ${JSON.stringify(e.data)}: ${regexProblem(String(e.data))}`,
            hint: 'filter patterns are regular expressions matched from the start of the name, e.g. "sales.*" or ".*\\.csv$"',
          });
        } else out.push({ path, message: `must be a valid ${(e.params as { format: string }).format} (got ${JSON.stringify(e.data)})` });
        break;
      case 'pattern':
        // Never the value (it may be a secret): the schema's own words, else ajv's.
        out.push({ path, message: typeof parent.errorMessage === 'string' ? parent.errorMessage : (e.message ?? 'does not match the expected pattern') });
        break;
      case 'oneOf':
      case 'anyOf':
        out.push({ path, message: String(parent.errorMessage ?? `does not match any allowed form`), hint: parent.description as string | undefined });
        break;
      default:
        out.push({ path, message: e.message ?? `fails ${e.keyword}` });
    }
  }
  return out.map((v) => (v.hint === undefined ? { path: v.path, message: v.message } : v));
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
