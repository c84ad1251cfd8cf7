/**
 * The request contract of the impersonated server: OpenMetadata's own JSON Schemas (the 1.2 snapshot in
 * `shared/testdata/openmetadata-schema-1.2`, read at run time, never copied) with the newer releases'
 * changes from `versions.ts` applied. Every request body the server accepts is validated here first;
 * what the schemas cannot say (parents that exist, known tags, column names in constraints) stays in
 * `validate.ts` and `store.ts`.
 *
 * Schema quirks handled as the Java server behaves (see the snapshot's README): Java's `(?U)` regex
 * flag is dropped, and `oneOf` is read as `anyOf` (Jackson does not enforce exclusivity).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { HttpError } from './validate';
import { atLeast, VERSION_DELTAS, type SchemaChange } from './versions';

const BASE = 'https://open-metadata.org/schema/';

/** Request bodies the server validates, with the schema each must meet. */
export const BODY_SCHEMAS = {
  createDatabaseService: 'api/services/createDatabaseService.json',
  createDatabase: 'api/data/createDatabase.json',
  createDatabaseSchema: 'api/data/createDatabaseSchema.json',
  createTable: 'api/data/createTable.json',
  createTableProfile: 'api/data/createTableProfile.json',
  tableData: 'entity/data/table.json#/definitions/tableData',
  dataModel: 'entity/data/table.json#/definitions/dataModel',
  testCaseResult: 'tests/basic.json#/definitions/testCaseResult',
  createTestCase: 'api/tests/createTestCase.json',
  createTestSuite: 'api/tests/createTestSuite.json',
  createTestDefinition: 'api/tests/createTestDefinition.json',
  addLineage: 'api/lineage/addLineage.json',
  createClassification: 'api/classification/createClassification.json',
  createTag: 'api/classification/createTag.json',
} as const;
export type BodyKind = keyof typeof BODY_SCHEMAS;

/** Where the 1.2 snapshot lives: `OM_SCHEMA_DIR`, else `../shared/testdata/…` beside the repository. */
export function schemaDir(): string {
  if (process.env.OM_SCHEMA_DIR) return process.env.OM_SCHEMA_DIR;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('om-api-server: cannot find the repository root (pnpm-workspace.yaml) to locate the OpenMetadata schemas');
    dir = up;
  }
  const found = path.join(dir, '..', 'shared', 'testdata', 'openmetadata-schema-1.2');
  if (!fs.existsSync(found)) {
    throw new Error(`om-api-server: OpenMetadata's JSON Schemas are not at ${found}; set OM_SCHEMA_DIR to the openmetadata-schema-1.2 folder`);
  }
  return found;
}

type Json = Record<string, unknown>;
let snapshot: Map<string, Json> | undefined;

/** Every schema file of the snapshot by its path under the folder. */
function loadSnapshot(): Map<string, Json> {
  if (snapshot) return snapshot;
  const root = schemaDir();
  const out = new Map<string, Json>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) out.set(path.relative(root, full).split(path.sep).join('/'), JSON.parse(fs.readFileSync(full, 'utf8')));
    }
  };
  walk(root);
  snapshot = out;
  return out;
}

/** Java-only regex flags dropped, `oneOf` read as `anyOf`, recursively (a copy). */
function forJavaScript(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forJavaScript);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === 'pattern' && typeof v === 'string') out.pattern = v.replace(/\(\?U\)/g, '');
    else if (k === 'oneOf') out.anyOf = forJavaScript(v);
    else out[k] = forJavaScript(v);
  }
  return out;
}

function at(doc: Json, pointer: string, file: string): Json {
  let node: unknown = doc;
  for (const part of pointer.split('/').slice(1)) {
    node = (node as Json | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  if (!node || typeof node !== 'object') throw new Error(`versions.ts: ${file}#${pointer} does not exist in the schemas`);
  return node as Json;
}

function apply(files: Map<string, Json>, change: SchemaChange): void {
  const doc = files.get(change.file);
  if (!doc) throw new Error(`versions.ts: no schema file ${change.file}`);
  const target = at(doc, change.pointer, change.file);
  switch (change.op) {
    case 'addEnum': {
      const values = target.enum as string[];
      for (const v of change.values) if (!values.includes(v)) values.push(v);
      break;
    }
    case 'addProperty':
      (target.properties as Json)[change.name] = structuredClone(change.schema);
      break;
    case 'removeProperty':
      delete (target.properties as Json)[change.name];
      if (Array.isArray(target.required)) target.required = target.required.filter((r) => r !== change.name);
      break;
    case 'unrequire':
      if (Array.isArray(target.required)) target.required = target.required.filter((r) => r !== change.name);
      break;
    case 'replace':
      for (const k of Object.keys(target)) delete target[k];
      Object.assign(target, structuredClone(change.schema));
      break;
  }
}

/** The schemas of one server version, compiled on demand. */
export class Contract {
  private readonly ajv: Ajv;
  private readonly compiled = new Map<BodyKind, ValidateFunction>();

  constructor(readonly version: string) {
    const files = new Map([...loadSnapshot()].map(([file, doc]) => [file, forJavaScript(doc) as Json]));
    for (const delta of VERSION_DELTAS) {
      if (atLeast(version, delta.since)) for (const change of delta.changes) apply(files, change);
    }
    this.ajv = new Ajv({ strict: false, allErrors: true, verbose: true, validateFormats: true });
    addFormats(this.ajv);
    // Formats the Java server does not check (annotations for UI forms and code generation).
    for (const annotation of ['password', 'string', 'timezone', 'url', 'utc-millisec']) this.ajv.addFormat(annotation, true);
    for (const [file, doc] of files) {
      // A few files' `$id` differ from their path; register them where the others' `$ref`s point.
      const id = `${BASE}${file}`;
      this.ajv.addSchema({ ...doc, $id: id }, id);
    }
  }

  /** Throws a 400 in the Java server's wording when `body` breaks the schema. */
  check(kind: BodyKind, body: unknown): void {
    let validate = this.compiled.get(kind);
    if (!validate) {
      const ref = `${BASE}${BODY_SCHEMAS[kind]}`;
      validate = this.ajv.getSchema(ref);
      if (!validate) throw new Error(`om-api-server: schema ${ref} not found`);
      this.compiled.set(kind, validate);
    }
    if (validate(body)) return;
    throw new HttpError(400, describe(this.explain(validate.errors ?? []), body, kind));
  }

  /**
   * Errors of an `anyOf` (a `oneOf` in OpenMetadata's schemas) mix every branch's complaints. When the
   * value names its branch (a connection's `type`) or one branch comes closest, only that branch's
   * errors are kept, so the message speaks of the schema the sender meant.
   */
  private explain(errors: ErrorObject[]): ErrorObject[] {
    const anyOf = errors.filter((e) => e.keyword === 'anyOf').sort((a, b) => a.instancePath.length - b.instancePath.length)[0];
    if (!anyOf || !Array.isArray(anyOf.schema)) return errors;
    const data = anyOf.data as Json;
    let best: ErrorObject[] | undefined;
    for (const branch of anyOf.schema as Json[]) {
      const validate = this.branch(branch);
      if (!validate || validate(data)) continue;
      const branchErrors = (validate.errors ?? []).map((e) => ({ ...e, instancePath: anyOf.instancePath + e.instancePath }));
      const named = typeof data === 'object' && data !== null && typeValues(validate.schema as Json).includes((data as Json).type);
      if (named) return this.explain(branchErrors);
      if (!best || branchErrors.length < best.length) best = branchErrors;
    }
    return best ? this.explain(best) : errors;
  }

  /** The compiled schema of an `anyOf` branch given as a relative `$ref` (found by its path suffix). */
  private branch(schema: Json): ValidateFunction | undefined {
    const ref = schema.$ref;
    if (typeof ref !== 'string' || ref.startsWith('#')) return undefined;
    const [file, fragment] = ref.split('#');
    const suffix = file.replace(/^(\.\.?\/)+/, '');
    const id = Object.keys(this.ajv.schemas).find((k) => k.endsWith(`/${suffix}`));
    return id ? this.ajv.getSchema(fragment ? `${id}#${fragment}` : id) : undefined;
  }
}

/** The values a schema's `type` property allows (inline or through a local `#/definitions/…` ref). */
function typeValues(schema: Json): unknown[] {
  let prop = (schema.properties as Json | undefined)?.type as Json | undefined;
  if (typeof prop?.$ref === 'string' && prop.$ref.startsWith('#/')) prop = at(schema, prop.$ref.slice(1), 'schema');
  return Array.isArray(prop?.enum) ? prop.enum : [];
}

const contracts = new Map<string, Contract>();

/** One compiled contract per version string, shared by every server in the process. */
export function contractFor(version: string): Contract {
  let c = contracts.get(version);
  if (!c) {
    c = new Contract(version);
    contracts.set(version, c);
  }
  return c;
}

/**
 * The most telling error, worded as OpenMetadata's server words it: Jackson for unknown fields and enum
 * values (the sink's fallback reads `from String "…"`), bean validation (`[path must …]`) otherwise.
 */
function describe(errors: ErrorObject[], body: unknown, kind: BodyKind): string {
  const rank = (e: ErrorObject): number =>
    (e.keyword === 'additionalProperties' ? 3 : e.keyword === 'enum' ? 2 : e.keyword === 'anyOf' ? 0 : 1) * 1000 + e.instancePath.length;
  const best = [...errors].sort((a, b) => rank(b) - rank(a))[0];
  if (!best) return `Invalid ${kind}`;
  const where = best.instancePath.replace(/^\//, '').replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.') || kind;
  if (best.keyword === 'additionalProperties') {
    const field = (best.params as { additionalProperty: string }).additionalProperty;
    return `Unrecognized field "${field}" (class ${className(best.parentSchema, kind)}), not marked as ignorable [at ${where}]`;
  }
  if (best.keyword === 'enum') {
    const allowed = (best.params as { allowedValues: unknown[] }).allowedValues;
    return (
      `Cannot deserialize value of type \`${className(best.parentSchema, where)}\` from String ${JSON.stringify(valueAt(body, best.instancePath))}: ` +
      `not one of the values accepted for Enum class: [${allowed.join(', ')}] [at ${where}]`
    );
  }
  if (best.keyword === 'required') return `[${where === kind ? '' : `${where}.`}${(best.params as { missingProperty: string }).missingProperty} must not be null]`;
  return `[${where} ${best.message ?? 'is invalid'}]`;
}

function className(schema: unknown, fallback: string): string {
  const s = schema as Json | undefined;
  const javaType = typeof s?.javaType === 'string' ? s.javaType : undefined;
  return javaType ?? (typeof s?.title === 'string' ? s.title : fallback);
}

function valueAt(body: unknown, pointer: string): unknown {
  let node = body;
  for (const part of pointer.split('/').slice(1)) node = (node as Json | undefined)?.[part];
  return node;
}
