/**
 * The in-memory catalog behind the test server: the database hierarchy, profiles, data-quality
 * entities and lineage, with OpenMetadata's upsert / version / soft-delete semantics.
 */
import { randomUUID } from 'node:crypto';
import { join, parentOf, split, FqnError } from './fqn';
import { GovernanceStore } from './governance';
import { applyPatch, TABLE_PATCHABLE, validateOperations } from './patch';
import type { BodyKind, Contract } from './contract';
import { DEFAULT_TAGS, DEFAULT_TEST_DEFINITIONS } from './spec';
import {
  badRequest, checkColumns, checkEntityName, checkTags, HttpError, isObject, notFound, validateCreateDatabase,
  validateCreateSchema, validateCreateService, validateCreateTable, type ValidationContext,
} from './validate';

export type EntityKind = 'databaseService' | 'database' | 'databaseSchema' | 'table';
export type ChangeType = 'entityCreated' | 'entityUpdated' | 'entityNoChange' | 'entityRestored';

/** Collection path under /api/v1 for each entity type. */
export const ROUTES: Record<EntityKind, string> = {
  databaseService: 'services/databaseServices',
  database: 'databases',
  databaseSchema: 'databaseSchemas',
  table: 'tables',
};

const PARENT: Record<EntityKind, { field: string; kind: EntityKind } | undefined> = {
  databaseService: undefined,
  database: { field: 'service', kind: 'databaseService' },
  databaseSchema: { field: 'database', kind: 'database' },
  table: { field: 'databaseSchema', kind: 'databaseSchema' },
};

const CHILD: Record<EntityKind, EntityKind | undefined> = {
  databaseService: 'database',
  database: 'databaseSchema',
  databaseSchema: 'table',
  table: undefined,
};

type Obj = Record<string, unknown>;

export interface StoredEntity {
  id: string;
  kind: EntityKind;
  name: string;
  fullyQualifiedName: string;
  /** FQN of the parent entity (service for databases...). */
  parent?: string;
  version: number;
  updatedAt: number;
  updatedBy: string;
  deleted: boolean;
  /** The create-request fields as last written. */
  body: Obj;
  profiles: { table: Obj; columns: Obj[] }[];
  sampleData?: Obj;
  profilerConfig?: Obj;
  /** `PUT /tables/{id}/dataModel` (dbt). */
  dataModel?: Obj;
}

export interface PutResult {
  entity: Obj;
  change: ChangeType;
}

export interface TestCaseEntity {
  id: string;
  name: string;
  fullyQualifiedName: string;
  entityLink: string;
  entityFQN: string;
  testDefinition: string;
  testSuite: string;
  parameterValues: unknown[];
  version: number;
  body: Obj;
  results: Obj[];
}

const bump = (v: number): number => Math.round((v + 0.1) * 10) / 10;

/** Canonical JSON (sorted keys) to decide whether a PUT changed anything. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export class CatalogStore {
  readonly entities: Record<EntityKind, Map<string, StoredEntity>> = {
    databaseService: new Map(),
    database: new Map(),
    databaseSchema: new Map(),
    table: new Map(),
  };
  private readonly byId = new Map<string, StoredEntity>();
  readonly knownTags = new Set(DEFAULT_TAGS);
  /** Custom property names per entity type (`extension` keys the server accepts). */
  readonly customProperties: Record<string, Set<string>> = {};
  readonly testDefinitions = new Map<string, Obj>();
  readonly testSuites = new Map<string, Obj>();
  readonly testCases = new Map<string, TestCaseEntity>();
  readonly lineage: Obj[] = [];
  /** Classifications, tags, users and teams. */
  readonly governance: GovernanceStore;

  /**
   * @param contract the schemas of the version the server impersonates (the version can change at run time)
   */
  constructor(
    private readonly baseUrl: () => string,
    private readonly contract: () => Contract,
  ) {
    this.governance = new GovernanceStore(this.knownTags);
    for (const [name, entityType] of Object.entries(DEFAULT_TEST_DEFINITIONS)) {
      this.testDefinitions.set(name, {
        id: randomUUID(), name, fullyQualifiedName: name, entityType, testPlatforms: ['OpenMetadata'], version: 0.1,
      });
    }
  }

  /** The body meets OpenMetadata's schema for this request (400 otherwise). */
  check(kind: BodyKind, body: unknown): void {
    if (!isObject(body)) throw badRequest('Unable to process JSON: the body must be an object');
    this.contract().check(kind, body);
  }

  private ctx(kind: string): ValidationContext {
    return { knownTags: this.knownTags, customProperties: this.customProperties[kind] ?? new Set() };
  }

  // ----- hierarchy -----

  put(kind: EntityKind, body: Obj, user = 'ingestion-bot'): PutResult {
    this.check(CREATE_BODY[kind], body);
    const ctx = this.ctx(kind);
    switch (kind) {
      case 'databaseService':
        validateCreateService(body, ctx);
        break;
      case 'database':
        validateCreateDatabase(body, ctx);
        break;
      case 'databaseSchema':
        validateCreateSchema(body, ctx);
        break;
      case 'table':
        validateCreateTable(body, ctx);
        break;
    }
    const name = body.name as string;
    const parentInfo = PARENT[kind];
    let parentFqn: string | undefined;
    if (parentInfo) {
      const ref = body[parentInfo.field] as string;
      const parent = this.entities[parentInfo.kind].get(ref);
      if (!parent || parent.deleted) throw notFound(parentInfo.kind, ref);
      parentFqn = parent.fullyQualifiedName;
    }
    let fqn: string;
    try {
      fqn = parentFqn ? `${parentFqn}.${join(name)}` : join(name);
    } catch (err) {
      if (err instanceof FqnError) throw badRequest(err.message);
      throw err;
    }
    const existing = this.entities[kind].get(fqn);
    const now = Date.now();
    if (!existing) {
      const entity: StoredEntity = {
        id: randomUUID(), kind, name, fullyQualifiedName: fqn, parent: parentFqn, version: 0.1, updatedAt: now,
        updatedBy: user, deleted: false, body: structuredClone(body), profiles: [],
      };
      this.entities[kind].set(fqn, entity);
      this.byId.set(entity.id, entity);
      return { entity: this.render(entity), change: 'entityCreated' };
    }
    const merged = { ...existing.body, ...structuredClone(body) };
    const changed = canonical(merged) !== canonical(existing.body);
    const restored = existing.deleted;
    if (!changed && !restored) return { entity: this.render(existing), change: 'entityNoChange' };
    existing.body = merged;
    existing.deleted = false;
    existing.version = bump(existing.version);
    existing.updatedAt = now;
    existing.updatedBy = user;
    return { entity: this.render(existing), change: restored ? 'entityRestored' : 'entityUpdated' };
  }

  getByName(kind: EntityKind, fqn: string, include = 'non-deleted'): StoredEntity {
    const e = this.entities[kind].get(fqn);
    if (!e || !visible(e, include)) throw notFound(kind, fqn);
    return e;
  }

  getById(kind: EntityKind, id: string, include = 'non-deleted'): StoredEntity {
    const e = this.byId.get(id);
    if (!e || e.kind !== kind || !visible(e, include)) throw notFound(kind, id);
    return e;
  }

  list(kind: EntityKind, query: URLSearchParams): Obj {
    const include = query.get('include') ?? 'non-deleted';
    if (!['non-deleted', 'deleted', 'all'].includes(include)) {
      throw badRequest(`query param include must be one of [non-deleted, deleted, all]`);
    }
    const limit = query.has('limit') ? Number(query.get('limit')) : 10;
    if (!Number.isInteger(limit) || limit < 0 || limit > 1000000) {
      throw badRequest('[query param limit must be greater than or equal to 0, query param limit must be less than or equal to 1000000]');
    }
    const filters: ((e: StoredEntity) => boolean)[] = [(e) => visible(e, include)];
    const service = query.get('service');
    if (service) filters.push((e) => split(e.fullyQualifiedName)[0] === split(service)[0] && kind !== 'databaseService');
    const database = query.get('database');
    // Filters by FQN prefix, so both a database FQN and a schema FQN work (as the Python client uses it).
    if (database) filters.push((e) => e.fullyQualifiedName.startsWith(`${database}.`));
    const schema = query.get('databaseSchema');
    if (schema) filters.push((e) => kind === 'table' && e.parent === schema);
    const all = [...this.entities[kind].values()]
      .filter((e) => filters.every((f) => f(e)))
      .sort((a, b) => (a.fullyQualifiedName < b.fullyQualifiedName ? -1 : a.fullyQualifiedName > b.fullyQualifiedName ? 1 : 0));
    const after = query.get('after');
    let start = 0;
    if (after) {
      let cursor: string;
      try {
        cursor = Buffer.from(after, 'base64').toString('utf8');
      } catch {
        throw badRequest('Invalid cursor');
      }
      start = all.findIndex((e) => e.fullyQualifiedName > cursor);
      if (start < 0) start = all.length;
    }
    const page = all.slice(start, start + limit);
    const more = start + limit < all.length && page.length > 0;
    const paging: Obj = { total: all.length };
    if (more) paging.after = Buffer.from(page[page.length - 1].fullyQualifiedName, 'utf8').toString('base64');
    if (start > 0 && page.length > 0) paging.before = Buffer.from(page[0].fullyQualifiedName, 'utf8').toString('base64');
    const fields = new Set((query.get('fields') ?? '').split(',').filter(Boolean));
    return { data: page.map((e) => this.render(e, fields)), paging };
  }

  delete(kind: EntityKind, id: string, query: URLSearchParams): Obj {
    const hard = query.get('hardDelete') === 'true';
    const recursive = query.get('recursive') === 'true';
    const e = this.byId.get(id);
    if (!e || e.kind !== kind || (e.deleted && !hard)) throw notFound(kind, id);
    const children = this.childrenOf(e);
    if (children.some((c) => !c.deleted) && !recursive) {
      throw badRequest(`Entity ${kind} ${e.fullyQualifiedName} is not empty; use recursive=true to delete it and its children`);
    }
    for (const target of [...children, e]) {
      if (hard) {
        this.entities[target.kind].delete(target.fullyQualifiedName);
        this.byId.delete(target.id);
      } else if (!target.deleted) {
        target.deleted = true;
        target.version = bump(target.version);
        target.updatedAt = Date.now();
      }
    }
    return this.render(e);
  }

  /** Every descendant, deepest first. */
  private childrenOf(e: StoredEntity): StoredEntity[] {
    const childKind = CHILD[e.kind];
    if (!childKind) return [];
    const out: StoredEntity[] = [];
    for (const c of this.entities[childKind].values()) {
      if (c.parent === e.fullyQualifiedName) out.push(...this.childrenOf(c), c);
    }
    return out;
  }

  ref(e: StoredEntity): Obj {
    return {
      id: e.id, type: e.kind, name: e.name, fullyQualifiedName: e.fullyQualifiedName, deleted: e.deleted,
      href: `${this.baseUrl()}/api/v1/${ROUTES[e.kind]}/${e.id}`,
    };
  }

  render(e: StoredEntity, fields: Set<string> = new Set()): Obj {
    const out: Obj = { ...structuredClone(e.body) };
    delete out[PARENT[e.kind]?.field ?? ''];
    Object.assign(out, {
      id: e.id, name: e.name, fullyQualifiedName: e.fullyQualifiedName, version: e.version, updatedAt: e.updatedAt,
      updatedBy: e.updatedBy, href: `${this.baseUrl()}/api/v1/${ROUTES[e.kind]}/${e.id}`, deleted: e.deleted,
    });
    const ancestors: StoredEntity[] = [];
    let p = e.parent;
    for (let kind = PARENT[e.kind]?.kind; kind && p; kind = PARENT[kind]?.kind) {
      const a = this.entities[kind].get(p);
      if (!a) break;
      ancestors.push(a);
      p = a.parent;
    }
    for (const a of ancestors) out[a.kind === 'databaseService' ? 'service' : a.kind] = this.ref(a);
    const service = ancestors.find((a) => a.kind === 'databaseService') ?? (e.kind === 'databaseService' ? e : undefined);
    if (service) out.serviceType = service.body.serviceType;
    if (e.kind === 'databaseService') delete out.connection;
    if (e.kind === 'table') {
      const latest = e.profiles[e.profiles.length - 1];
      const withFqn = (cols: Obj[], parent: string): Obj[] =>
        cols.map((c) => {
          const fqn = `${parent}.${join(c.name as string)}`;
          const col: Obj = { ...c, fullyQualifiedName: fqn };
          if (Array.isArray(c.children)) col.children = withFqn(c.children as Obj[], fqn);
          if (fields.has('profile') && latest && parent === e.fullyQualifiedName) {
            const prof = latest.columns.find((p) => p.name === c.name);
            if (prof) col.profile = prof;
          }
          return col;
        });
      out.columns = withFqn((e.body.columns as Obj[]) ?? [], e.fullyQualifiedName);
      if (fields.has('profile') && latest) out.profile = latest.table;
      if (fields.has('tableProfilerConfig') && e.profilerConfig) out.tableProfilerConfig = e.profilerConfig;
      if (fields.has('sampleData') && e.sampleData) out.sampleData = e.sampleData;
      if (fields.has('dataModel') && e.dataModel) out.dataModel = structuredClone(e.dataModel);
      if (fields.has('testSuite')) {
        const suite = this.testSuites.get(`${e.fullyQualifiedName}.testSuite`);
        if (suite) out.testSuite = suite;
      }
    }
    return out;
  }

  // ----- profiles -----

  tableByIdOrFqn(key: string): StoredEntity {
    const byId = this.byId.get(key);
    if (byId && byId.kind === 'table' && !byId.deleted) return byId;
    return this.getByName('table', key);
  }

  putProfile(tableId: string, body: Obj): Obj {
    const table = this.getById('table', tableId);
    this.check('createTableProfile', body);
    const tp = body.tableProfile as Obj;
    const columnNames = new Set(((table.body.columns as Obj[]) ?? []).map((c) => c.name as string));
    const cols = body.columnProfile ?? [];
    for (const c of cols as Obj[]) {
      if (!columnNames.has(c.name as string)) throw badRequest(`Invalid column name ${String(c.name)}`);
    }
    table.profiles.push({ table: structuredClone(tp), columns: structuredClone(cols as Obj[]) });
    return this.render(table, new Set(['profile']));
  }

  tableProfiles(fqn: string, query: URLSearchParams): Obj {
    const table = this.getByName('table', fqn);
    const [start, end] = range(query);
    const data = table.profiles.map((p) => p.table).filter((p) => inRange(p.timestamp, start, end));
    return { data, paging: { total: data.length } };
  }

  columnProfiles(columnFqn: string, query: URLSearchParams): Obj {
    const tableFqn = parentOf(columnFqn);
    const column = split(columnFqn).pop()!;
    const table = tableFqn ? this.entities.table.get(tableFqn) : undefined;
    if (!table || table.deleted) throw notFound('table', tableFqn ?? columnFqn);
    const [start, end] = range(query);
    const data = table.profiles
      .flatMap((p) => p.columns)
      .filter((c) => c.name === column && inRange(c.timestamp, start, end));
    return { data, paging: { total: data.length } };
  }

  putSampleData(tableId: string, body: Obj): Obj {
    const table = this.getById('table', tableId);
    this.check('tableData', body);
    if (!Array.isArray(body.columns) || !Array.isArray(body.rows)) throw badRequest('[columns must not be null, rows must not be null]');
    const names = new Set(((table.body.columns as Obj[]) ?? []).map((c) => c.name as string));
    for (const c of body.columns) if (!names.has(c as string)) throw badRequest(`Invalid column name ${String(c)}`);
    for (const row of body.rows) {
      if (!Array.isArray(row) || row.length !== body.columns.length) {
        throw badRequest('Number of values in a row must match the number of columns');
      }
    }
    table.sampleData = structuredClone(body);
    return this.render(table, new Set(['sampleData']));
  }

  putProfilerConfig(tableId: string, body: Obj): Obj {
    const table = this.getById('table', tableId);
    if (!isObject(body)) throw badRequest('Unable to process JSON');
    table.profilerConfig = structuredClone(body);
    return this.render(table, new Set(['tableProfilerConfig']));
  }

  // ----- JSON Patch and dbt data models -----

  /**
   * `PATCH /tables/{id}` (application/json-patch+json): descriptions, tags and owners of the table and
   * of its columns. The patched table is validated like a PUT (tags must exist, owners must be known
   * users/teams); the version grows by 0.1 when something changed.
   */
  patchTable(id: string, ops: unknown, user = 'ingestion-bot'): PutResult {
    const table = this.getById('table', id);
    const operations = validateOperations(ops, TABLE_PATCHABLE);
    const patched = applyPatch(table.body, operations);
    if (patched.description !== undefined && patched.description !== null && typeof patched.description !== 'string') {
      throw badRequest('[description must be a string]');
    }
    checkTags(patched.tags, this.knownTags);
    checkColumns(patched.columns, 'columns', this.ctx('table'));
    if (patched.owners !== undefined && patched.owners !== null) {
      if (!Array.isArray(patched.owners)) throw badRequest('[owners must be an array]');
      patched.owners = patched.owners.map((o, i) => this.governance.resolveOwner(o, `owners[${i}]`));
    }
    if (patched.owner !== undefined && patched.owner !== null) patched.owner = this.governance.resolveOwner(patched.owner, 'owner');
    if (canonical(patched) === canonical(table.body)) return { entity: this.render(table), change: 'entityNoChange' };
    table.body = patched;
    table.version = bump(table.version);
    table.updatedAt = Date.now();
    table.updatedBy = user;
    return { entity: this.render(table), change: 'entityUpdated' };
  }

  /** `PUT /tables/{id}/dataModel` with a `DataModel` body; answers the table with `dataModel`. */
  putDataModel(id: string, body: Obj): Obj {
    const table = this.getById('table', id);
    this.check('dataModel', body);
    checkTags(body.tags, this.knownTags);
    if (body.columns !== undefined) checkColumns(body.columns, 'columns', this.ctx('table'));
    if (body.owners !== undefined && body.owners !== null) {
      if (!Array.isArray(body.owners)) throw badRequest('[owners must be an array]');
      body.owners.forEach((o, i) => this.governance.resolveOwner(o, `owners[${i}]`));
    }
    table.dataModel = structuredClone(body);
    return this.render(table, new Set(['dataModel']));
  }

  // ----- data quality -----

  putTestDefinition(body: Obj): PutResult {
    this.check('createTestDefinition', body);
    checkEntityName(body.name as string);
    const existing = this.testDefinitions.get(body.name as string);
    const entity = { ...(existing ?? { id: randomUUID(), version: 0.1 }), ...structuredClone(body), fullyQualifiedName: body.name };
    this.testDefinitions.set(body.name as string, entity);
    return { entity, change: existing ? 'entityUpdated' : 'entityCreated' };
  }

  putTestSuite(body: Obj, basic: boolean): PutResult {
    if (!isObject(body)) throw badRequest('Unable to process JSON');
    const tableFqn = (body.executableEntityReference ?? body.basicEntityReference) as string | undefined;
    if (basic && typeof tableFqn !== 'string') throw badRequest('[basicEntityReference must not be null]');
    if (basic) this.getByName('table', tableFqn!);
    const name = basic ? `${tableFqn}.testSuite` : (body.name as string);
    if (typeof name !== 'string') throw badRequest('[name must not be null]');
    const existing = this.testSuites.get(name);
    const entity: Obj = {
      ...(existing ?? { id: randomUUID(), version: 0.1 }), ...structuredClone(body), name, fullyQualifiedName: name,
      basic, executable: basic,
    };
    this.testSuites.set(name, entity);
    return { entity, change: existing ? 'entityNoChange' : 'entityCreated' };
  }

  putTestCase(body: Obj): PutResult {
    this.check('createTestCase', body);
    checkEntityName(body.name as string);
    const m = /^<#E::table::(.+?)(?:::columns::(.+))?>$/.exec(body.entityLink as string);
    if (!m) throw badRequest(`Invalid entityLink ${String(body.entityLink)}`);
    const table = this.getByName('table', m[1]);
    const column = m[2];
    const definition = this.testDefinitions.get(body.testDefinition as string);
    if (!definition) throw notFound('testDefinition', body.testDefinition as string);
    if (column) {
      const names = ((table.body.columns as Obj[]) ?? []).map((c) => c.name);
      if (!names.includes(column)) throw badRequest(`Invalid column name ${column} in entityLink`);
      if (definition.entityType !== 'COLUMN') throw badRequest(`Test definition ${String(body.testDefinition)} is not a COLUMN test`);
    } else if (definition.entityType !== 'TABLE') {
      throw badRequest(`Test definition ${String(body.testDefinition)} needs a column in entityLink`);
    }
    const params = body.parameterValues ?? [];
    if (!Array.isArray(params) || params.some((p) => !isObject(p) || typeof p.name !== 'string')) {
      throw badRequest('[parameterValues must be a list of {name, value}]');
    }
    const fqn = column ? `${table.fullyQualifiedName}.${join(column)}.${join(body.name as string)}` : `${table.fullyQualifiedName}.${join(body.name as string)}`;
    const suite = `${table.fullyQualifiedName}.testSuite`;
    if (!this.testSuites.has(suite)) this.putTestSuite({ executableEntityReference: table.fullyQualifiedName }, true);
    const existing = this.testCases.get(fqn);
    const changed = !existing || canonical(existing.body) !== canonical(body);
    const entity: TestCaseEntity = existing ?? {
      id: randomUUID(), name: body.name as string, fullyQualifiedName: fqn, entityLink: body.entityLink as string,
      entityFQN: table.fullyQualifiedName, testDefinition: body.testDefinition as string, testSuite: suite,
      parameterValues: [], version: 0.1, body: {}, results: [],
    };
    if (existing && changed) entity.version = bump(entity.version);
    entity.body = structuredClone(body);
    entity.parameterValues = params;
    this.testCases.set(fqn, entity);
    return { entity: this.renderTestCase(entity), change: !existing ? 'entityCreated' : changed ? 'entityUpdated' : 'entityNoChange' };
  }

  renderTestCase(t: TestCaseEntity): Obj {
    const suite = this.testSuites.get(t.testSuite);
    return {
      ...structuredClone(t.body), id: t.id, name: t.name, fullyQualifiedName: t.fullyQualifiedName, version: t.version,
      entityFQN: t.entityFQN, testDefinition: { ...this.testDefinitions.get(t.testDefinition), type: 'testDefinition' },
      testSuite: suite ? { id: suite.id, type: 'testSuite', fullyQualifiedName: suite.fullyQualifiedName } : undefined,
      testCaseResult: t.results[t.results.length - 1],
    };
  }

  addTestCaseResult(fqn: string, body: Obj): Obj {
    const tc = this.testCases.get(fqn);
    if (!tc) throw notFound('testCase', fqn);
    this.check('testCaseResult', body);
    tc.results.push(structuredClone(body));
    return { ...structuredClone(body), testCaseFQN: fqn };
  }

  testCaseResults(fqn: string, query: URLSearchParams): Obj {
    const tc = this.testCases.get(fqn);
    if (!tc) throw notFound('testCase', fqn);
    const [start, end] = range(query);
    const data = tc.results.filter((r) => inRange(r.timestamp, start, end));
    return { data, paging: { total: data.length } };
  }

  // ----- lineage -----

  addLineage(body: Obj): void {
    this.check('addLineage', body);
    const edge = body.edge as Obj;
    for (const side of ['fromEntity', 'toEntity']) {
      const ref = edge[side] as Obj;
      const target = this.byId.get(ref.id as string);
      if (!target || target.kind !== ref.type || target.deleted) throw notFound(ref.type as string, ref.id as string);
    }
    const key = `${(edge.fromEntity as Obj).id}->${(edge.toEntity as Obj).id}`;
    const i = this.lineage.findIndex((l) => l.key === key);
    const entry = { key, ...structuredClone(edge) };
    if (i >= 0) this.lineage[i] = entry;
    else this.lineage.push(entry);
  }

  lineageOf(kind: EntityKind, fqn: string): Obj {
    const e = this.getByName(kind, fqn);
    const refOf = (id: string): Obj | undefined => {
      const x = this.byId.get(id);
      return x ? this.ref(x) : undefined;
    };
    const up = this.lineage.filter((l) => (l.toEntity as Obj).id === e.id);
    const down = this.lineage.filter((l) => (l.fromEntity as Obj).id === e.id);
    return {
      entity: this.ref(e),
      nodes: [...up.map((l) => refOf((l.fromEntity as Obj).id as string)), ...down.map((l) => refOf((l.toEntity as Obj).id as string))].filter(Boolean),
      upstreamEdges: up.map((l) => ({ fromEntity: (l.fromEntity as Obj).id, toEntity: e.id, lineageDetails: l.lineageDetails })),
      downstreamEdges: down.map((l) => ({ fromEntity: e.id, toEntity: (l.toEntity as Obj).id, lineageDetails: l.lineageDetails })),
    };
  }

  /** Every stored entity of a kind, including soft-deleted ones (for tests). */
  all(kind: EntityKind): StoredEntity[] {
    return [...this.entities[kind].values()];
  }

  reset(): void {
    for (const m of Object.values(this.entities)) m.clear();
    this.byId.clear();
    this.testSuites.clear();
    this.testCases.clear();
    this.lineage.length = 0;
    this.governance.reset();
    for (const name of [...this.testDefinitions.keys()]) if (!(name in DEFAULT_TEST_DEFINITIONS)) this.testDefinitions.delete(name);
  }
}

/** The create-request schema of each entity kind. */
const CREATE_BODY: Record<EntityKind, BodyKind> = {
  databaseService: 'createDatabaseService',
  database: 'createDatabase',
  databaseSchema: 'createDatabaseSchema',
  table: 'createTable',
};

function visible(e: StoredEntity, include: string): boolean {
  if (include === 'all') return true;
  if (include === 'deleted') return e.deleted;
  return !e.deleted;
}

function range(query: URLSearchParams): [number, number] {
  const start = query.has('startTs') ? Number(query.get('startTs')) : 0;
  const end = query.has('endTs') ? Number(query.get('endTs')) : Number.MAX_SAFE_INTEGER;
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw badRequest('startTs and endTs must be epoch milliseconds');
  return [start, end];
}

function inRange(ts: unknown, start: number, end: number): boolean {
  return typeof ts === 'number' && ts >= start && ts <= end;
}

export { HttpError };
