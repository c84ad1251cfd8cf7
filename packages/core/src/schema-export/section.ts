/**
 * Plugin config schemas as standalone JSON Schema documents: one per capability (the whole
 * `source` / `sink` / `processor` section, or a nested sub-config such as `objectStore:s3`), and
 * one workflow schema for editors that combines every installed plugin's sections by `type`.
 */
import { workflowSchema } from '../config/schema';
import type { JsonSchema, PluginDescriptor } from '../plugin/descriptor';
import { splitCapability } from '../plugin/registry';
import type { Capability } from '../tokens';

export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** The workflow sections a capability kind configures; other kinds (objectStore) are nested sub-configs. */
export const SECTION_OF_KIND: Record<string, 'source' | 'sink' | 'processor'> = { source: 'source', sink: 'sink', processor: 'processor' };

export interface CapabilitySchemas {
  capability: Capability;
  packageName: string;
  /** The descriptor's `configSchemas[capability]`: JSON pointer (relative to the section) → schema. */
  schemas: Record<string, JsonSchema>;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** Places `schema` at `pointer` inside `target`, creating `properties` objects on the way. */
function placeAt(target: JsonSchema, pointer: string, schema: JsonSchema): void {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = target;
  for (const [i, part] of parts.entries()) {
    const properties = (node.properties ??= {}) as Record<string, JsonSchema>;
    if (i === parts.length - 1) {
      properties[part] = clone(schema);
      return;
    }
    const next = (properties[part] ??= { type: 'object' });
    node = next;
  }
}

/** The base shape of a workflow section (from core's workflow schema), without a type constraint. */
function baseSection(section: 'source' | 'sink' | 'processor'): JsonSchema {
  return clone((workflowSchema.properties as Record<string, JsonSchema>)[section]);
}

/**
 * The JSON Schema of one capability's config: for `source:x`, `sink:x`, `processor:x` the whole
 * workflow section with `type: x`; for a nested capability (`objectStore:s3`) its sub-config.
 */
export function capabilitySchema({ capability, packageName, schemas }: CapabilitySchemas): JsonSchema {
  const [kind, type] = splitCapability(capability);
  const section = SECTION_OF_KIND[kind];
  const header = { $schema: JSON_SCHEMA_DRAFT, title: `${capability} (${packageName})` };
  if (!section) return { ...header, ...clone(schemas[''] ?? { type: 'object' }) };
  const schema = baseSection(section);
  (schema.properties as Record<string, JsonSchema>).type = { const: type };
  for (const [pointer, sub] of Object.entries(schemas)) placeAt(schema, pointer, sub);
  return { ...header, ...schema };
}

/** Every capability with config schemas that a descriptor provides. */
export function descriptorSchemas(descriptor: PluginDescriptor, packageName: string): CapabilitySchemas[] {
  return descriptor.provides.map((capability) => ({ capability, packageName, schemas: descriptor.configSchemas?.[capability] ?? {} }));
}

/** What an editor sees where the run will substitute an environment variable. */
const PLACEHOLDER: JsonSchema = { type: 'string', pattern: '\\$\\{[^}]+\\}' };

function isLeaf(schema: JsonSchema): boolean {
  return !schema.properties && !schema.items && !schema.allOf && !schema.anyOf && !schema.oneOf && !schema.if;
}

/** A value a placeholder string would fail: a non-string type, or a constrained string. */
function refusesPlaceholder(schema: JsonSchema): boolean {
  const types = ([] as unknown[]).concat(schema.type ?? []);
  return !types.includes('string') || schema.pattern !== undefined || schema.format !== undefined || schema.enum !== undefined || schema.const !== undefined;
}

/**
 * Configs carry `${VAR}` / `${VAR:-default}` placeholders that the run expands before validating;
 * the editor schema accepts one wherever a leaf value goes (section `type`s excepted).
 */
function acceptPlaceholders(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties as Record<string, JsonSchema>).map(([key, sub]) => {
        if (isLeaf(sub)) return [key, refusesPlaceholder(sub) && key !== 'type' ? { ...(sub.description ? { description: sub.description } : {}), anyOf: [sub, PLACEHOLDER] } : sub];
        return [key, acceptPlaceholders(sub)];
      }),
    );
  }
  if (schema.items && typeof schema.items === 'object' && !Array.isArray(schema.items)) out.items = acceptPlaceholders(schema.items as JsonSchema);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[key])) out[key] = (schema[key] as JsonSchema[]).map(acceptPlaceholders);
  }
  if (schema.then) out.then = acceptPlaceholders(schema.then as JsonSchema);
  return out;
}

/**
 * The workflow schema for editors (YAML language server): core's workflow shape, and for each
 * section one `if type is X then X's schema` branch per installed plugin. Nested capabilities
 * (object stores) are in `$defs`, since where they apply depends on the config. `${VAR}`
 * placeholders are accepted wherever a value goes.
 */
export function workflowEditorSchema(entries: CapabilitySchemas[], title = 'om-ingest workflow'): JsonSchema {
  const schema = clone(workflowSchema);
  const properties = schema.properties as Record<string, JsonSchema>;
  const defs: Record<string, JsonSchema> = {};
  for (const section of ['source', 'sink', 'processor'] as const) {
    const mine = entries.filter((e) => SECTION_OF_KIND[splitCapability(e.capability)[0]] === section);
    if (mine.length === 0) continue;
    const types = mine.map((e) => splitCapability(e.capability)[1]);
    const target = properties[section];
    (target.properties as Record<string, JsonSchema>).type = { type: 'string', enum: types, description: `${section} type (installed plugins)` };
    target.allOf = mine.map((e) => {
      const { $schema: _draft, title: _title, ...branch } = capabilitySchema(e);
      return { if: { properties: { type: { const: splitCapability(e.capability)[1] } }, required: ['type'] }, then: { description: `${e.capability} from ${e.packageName}`, ...branch } };
    });
  }
  for (const e of entries) {
    if (SECTION_OF_KIND[splitCapability(e.capability)[0]]) continue;
    const { $schema: _draft, ...def } = capabilitySchema(e);
    defs[e.capability.replace(':', '.')] = def;
  }
  return { $schema: JSON_SCHEMA_DRAFT, title, ...acceptPlaceholders(schema), ...(Object.keys(defs).length ? { $defs: defs } : {}) };
}
