/**
 * Plans what one parsed artifact set changes in OpenMetadata, as records for the sink (the dbt source
 * only reads the server: to find the tables and owners and to see what is already there):
 *
 * 1. each model/seed/snapshot/source is looked up by FQN (`tableNameMapping`); not found → a warning
 *    naming the FQN, the run goes on;
 * 2. dbt tags → a `classification` record and one `tag` record per tag (once per run);
 * 3. per table: a `dataModel` record, then one `tablePatch` with the descriptions (only empty ones
 *    unless `dbtUpdateDescriptions`), the tags and the owner (`meta.owner` matched to a user or team;
 *    only when the table has none unless `dbtUpdateOwners`);
 * 4. lineage: a `lineage` record for every upstream node whose table was found;
 * 5. tests: `testDefinition` records, then per table one `testCaseResults` record with its cases and
 *    the results from run_results (cases not run have none).
 * The metadata-rest sink writes each kind with its own writer (as OpenMetadata's `metadata_rest`
 * sink does); a `file` sink shows what dbt would change.
 */
import {
  buildFqn, CompiledFilter, failureFrom, OmError, quoteName, right, splitFqn, type Column, type CreateTestCaseRequest, type Either,
  type JsonPatchOperation, type Logger, type OmRecord, type SecretMasker, type TagLabel, type TestCaseResult,
} from '@om/core';
import { ServerDialect, type EntityBase, type OpenMetadataClient } from '@om/openmetadata';
import type { DbtPipelineConfig } from './config';
import type { ParsedCatalog, CatalogTable } from './artifacts/catalog';
import type { DbtNode, DbtTest, ParsedManifest } from './artifacts/manifest';
import type { ParsedRunResults } from './artifacts/run-results';
import { freshnessParameters, type ParsedSources } from './artifacts/sources';
import { ColumnLineageParser, type ColumnLineage } from './lineage/column-lineage';
import { columnTypeOf } from './artifacts/types';
import { describeFqn, mapNames, type MappedNames } from './naming';
import type { DbtStatus } from './status';

interface OmColumn {
  name: string;
  description?: string;
  tags?: TagLabel[];
  [key: string]: unknown;
}

interface OmTable extends EntityBase {
  description?: string;
  columns?: OmColumn[];
  tags?: TagLabel[];
  owners?: { id: string; type: string }[];
  owner?: { id: string; type: string };
}

interface Resolved {
  node: DbtNode;
  table: OmTable;
}

type OwnerRef = { id: string; type: 'user' | 'team'; name: string };

export interface ApplierOptions {
  client: OpenMetadataClient;
  serviceName: string;
  config: DbtPipelineConfig;
  status: DbtStatus;
  logger: Logger;
  masker: SecretMasker;
  signal?: AbortSignal;
}

/** Python-literal text of a kwarg value, as OpenMetadata writes parameter values (`['a', 'b']`). */
export function parameterValue(value: unknown, top = true): string {
  if (typeof value === 'string') return top ? value : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => parameterValue(v, false)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${parameterValue(k, false)}: ${parameterValue(v, false)}`).join(', ')}}`;
  }
  return String(value);
}

const IGNORED_KWARGS = new Set(['model', 'column_name']);
const SINGULAR_TEST_DEFINITION = 'dbt_singular_test';
/** The definition of `dbt source freshness` checks (parameters `warn_after`, `error_after`). */
const FRESHNESS_TEST_DEFINITION = 'dbt_source_freshness';

/** A record on its way to the sink. */
type Out = Either<OmRecord>;

/** State kept across the artifact sets of one run. */
export class DbtPlanner {
  private readonly client: OpenMetadataClient;
  private readonly config: DbtPipelineConfig;
  private readonly status: DbtStatus;
  private readonly filters: { database: CompiledFilter; schema: CompiledFilter; table: CompiledFilter };
  /** What the server's version accepts (routes, owner fields, test result shapes). */
  private readonly dialect: ServerDialect;
  private readonly ownersField: 'owners' | 'owner';
  private serviceIndex: Map<string, OmTable[]> | undefined;
  /** Tags already sent to the sink in this run. */
  private readonly plannedTags = new Set<string>();
  private readonly owners = new Map<string, OwnerRef | null>();
  private readonly definitions = new Map<string, 'TABLE' | 'COLUMN'>();

  constructor(private readonly options: ApplierOptions) {
    this.client = options.client;
    this.config = options.config;
    this.status = options.status;
    const path = 'source.sourceConfig.config';
    this.filters = {
      database: new CompiledFilter(this.config.databaseFilterPattern, `${path}.databaseFilterPattern`),
      schema: new CompiledFilter(this.config.schemaFilterPattern, `${path}.schemaFilterPattern`),
      table: new CompiledFilter(this.config.tableFilterPattern, `${path}.tableFilterPattern`),
    };
    // Without a known version (validation disabled) the current API is assumed.
    this.dialect = new ServerDialect(this.client.knownServerVersion, options.logger);
    this.ownersField = this.dialect.supports('owners') ? 'owners' : 'owner';
  }

  private get log(): Logger {
    return this.options.logger;
  }

  private fail(name: string, err: unknown, context: string): void {
    const f = failureFrom(name, err, context);
    this.status.failed(f);
    // A failure counts against the success threshold: ERROR, not WARN.
    this.log.error(this.options.masker.redact(`${f.name}: ${f.error}`));
  }

  private warn(name: string, reason: string): void {
    this.status.warning(name, reason);
    this.log.warn(this.options.masker.redact(`${name}: ${reason}`));
  }

  /** Checks that the service exists: without it nothing can match. */
  async checkService(): Promise<void> {
    const svc = await this.client.getByName('services/databaseServices', this.options.serviceName);
    if (!svc) {
      throw new OmError(
        `database service "${this.options.serviceName}" does not exist in OpenMetadata: source.serviceName must name the service that already holds the tables (ingest it first, e.g. with the datalake source)`,
      );
    }
  }

  async *records(manifest: ParsedManifest, catalog: ParsedCatalog | undefined, runResults: ParsedRunResults | undefined, sources?: ParsedSources): AsyncGenerator<Out> {
    const resolved = new Map<string, Resolved>();
    // 1. Find the tables.
    for (const node of manifest.nodes.values()) {
      if (this.options.signal?.aborted) return;
      let names: MappedNames;
      let tried: string;
      try {
        names = mapNames(node, this.config.tableNameMapping);
        tried = describeFqn(this.options.serviceName, names);
      } catch (err) {
        this.warn(node.uniqueId, `cannot name its table: ${(err as Error).message}; check tableNameMapping`);
        this.status.model({ uniqueId: node.uniqueId, fqn: '', outcome: 'notFound', reason: (err as Error).message });
        continue;
      }
      const filteredBy =
        (names.database !== undefined && this.filters.database.filtersOut(names.database) && 'databaseFilterPattern') ||
        (this.filters.schema.filtersOut(names.schema) && 'schemaFilterPattern') ||
        (this.filters.table.filtersOut(names.table) && 'tableFilterPattern');
      if (filteredBy) {
        this.status.filter(tried, `${filteredBy}`);
        this.status.model({ uniqueId: node.uniqueId, fqn: tried, outcome: 'filtered', reason: filteredBy });
        continue;
      }
      let found: { table?: OmTable; tried: string; reason?: string };
      try {
        found = await this.findTable(names, tried);
      } catch (err) {
        this.fail(node.uniqueId, err, `looking up ${tried}`);
        this.status.model({ uniqueId: node.uniqueId, fqn: tried, outcome: 'failed', reason: (err as Error).message });
        continue;
      }
      if (!found.table) {
        const reason = found.reason ?? `table ${found.tried} not found in OpenMetadata; check source.serviceName and sourceConfig.config.tableNameMapping`;
        this.warn(node.uniqueId, reason);
        this.status.model({ uniqueId: node.uniqueId, fqn: found.tried, outcome: 'notFound', reason });
        continue;
      }
      resolved.set(node.uniqueId, { node, table: found.table });
    }

    // 2. Tags.
    if (this.config.includeTags) {
      const tags = new Set<string>();
      for (const { node } of resolved.values()) {
        node.tags.forEach((t) => tags.add(t));
        node.columns.forEach((c) => c.tags.forEach((t) => tags.add(t)));
      }
      yield* this.tagRecords([...tags]);
    }

    // 3. Per table.
    for (const r of resolved.values()) {
      if (this.options.signal?.aborted) return;
      yield* this.tableRecords(r, resolved, catalog?.tables.get(r.node.uniqueId), manifest.generatedAt);
    }

    // 4. Lineage: table edges, with the column edges the compiled SQL shows.
    const parser = this.columnLineageParser(manifest, catalog);
    for (const r of resolved.values()) {
      const columns = this.modelColumnLineage(r.node, parser, manifest.adapterType);
      for (const up of r.node.upstream) {
        const from = resolved.get(up);
        if (!from) {
          this.status.details.lineage.skipped++;
          continue;
        }
        const columnsLineage = columns ? columnEdges(columns, from, r) : [];
        yield right<OmRecord>({
          kind: 'lineage',
          fromFqn: from.table.fullyQualifiedName,
          toFqn: r.table.fullyQualifiedName,
          edge: {
            fromEntity: { id: from.table.id, type: 'table' },
            toEntity: { id: r.table.id, type: 'table' },
            lineageDetails: {
              ...(r.node.compiledSql ? { sqlQuery: r.node.compiledSql } : {}),
              ...(columnsLineage.length > 0 ? { columnsLineage } : {}),
              source: 'DbtLineage',
            },
          },
        });
        this.status.details.lineage.edges++;
      }
    }

    // 5. Tests, and the freshness of sources.
    yield* this.testRecords(manifest, resolved, runResults, sources);
  }

  // ----- column lineage -----

  /** Parses compiled SQL; `*` over a relation expands to the columns the catalog (else the manifest) lists. */
  private columnLineageParser(manifest: ParsedManifest, catalog: ParsedCatalog | undefined): ColumnLineageParser {
    const columns = new Map<string, string[]>();
    for (const node of manifest.nodes.values()) {
      const fromCatalog = catalog?.tables.get(node.uniqueId)?.columns.map((c) => c.name);
      columns.set(relationName(node), fromCatalog?.length ? fromCatalog : node.columns.map((c) => c.name));
    }
    return new ColumnLineageParser((relation) => columns.get(relation));
  }

  /** Output column → upstream columns of a model, or undefined (no SQL, or SQL that does not parse: a warning). */
  private modelColumnLineage(node: DbtNode, parser: ColumnLineageParser, adapter: string | undefined): ColumnLineage | undefined {
    if (!node.compiledSql || node.resourceType !== 'model' || node.upstream.length === 0) return undefined;
    try {
      return parser.lineage(node.compiledSql, adapter);
    } catch (err) {
      this.warn(node.uniqueId, `its compiled SQL does not parse as ${adapter ?? 'postgres'} SQL (${(err as Error).message.split('\n')[0]}); table-level lineage only`);
      return undefined;
    }
  }

  // ----- tables -----

  private tableFields(): string[] {
    return ['columns', 'tags', this.ownersField];
  }

  private async findTable(names: MappedNames, tried: string): Promise<{ table?: OmTable; tried: string; reason?: string }> {
    if (names.database) {
      const table = await this.client.getByName<OmTable>('tables', tried, { fields: this.tableFields() });
      if (table) return { table, tried };
      if (!this.config.searchAcrossDatabases) return { tried };
    }
    // No database (or searchAcrossDatabases): any database of the service with that schema and table.
    const index = await this.indexService();
    const matches = index.get(`${names.schema}\u0000${names.table}`.toLowerCase()) ?? [];
    const searched = `${buildFqn(this.options.serviceName)}.*.${buildFqn(names.schema, names.table)}`;
    if (matches.length === 1) {
      const table = await this.client.getByName<OmTable>('tables', matches[0].fullyQualifiedName, { fields: this.tableFields() });
      return table ? { table, tried: matches[0].fullyQualifiedName } : { tried: searched };
    }
    if (matches.length > 1) {
      return {
        tried: searched,
        reason: `table ${searched} is ambiguous: ${matches.map((m) => m.fullyQualifiedName).join(', ')}; set tableNameMapping.database`,
      };
    }
    return { tried: names.database ? `${tried} (also searched ${searched})` : searched };
  }

  private async indexService(): Promise<Map<string, OmTable[]>> {
    if (this.serviceIndex) return this.serviceIndex;
    const index = new Map<string, OmTable[]>();
    // GET /databases?service= then GET /tables?database= (the list filters every 1.x server has).
    const databases: string[] = [];
    for await (const db of this.client.listAll('databases', { service: this.options.serviceName })) databases.push(db.fullyQualifiedName);
    for (const database of databases) {
      for await (const t of this.client.listAll<OmTable>('tables', { database })) {
        const parts = splitFqn(t.fullyQualifiedName);
        if (parts.length !== 4 || parts[0] !== this.options.serviceName) continue;
        const key = `${parts[2]}\u0000${parts[3]}`.toLowerCase();
        index.set(key, [...(index.get(key) ?? []), t]);
      }
    }
    this.serviceIndex = index;
    return index;
  }

  private tagLabel(tag: string): TagLabel {
    return { tagFQN: `${quoteName(this.config.dbtClassificationName)}.${quoteName(tag)}`, source: 'Classification', labelType: 'Automated', state: 'Confirmed' };
  }

  /** Labels for the tags sent to the sink (the table patch needs them to exist). */
  private labels(tags: string[]): TagLabel[] {
    return this.config.includeTags ? tags.filter((t) => this.plannedTags.has(t)).map((t) => this.tagLabel(t)) : [];
  }

  /** The classification (first time) and each tag not sent yet in this run. */
  private *tagRecords(tags: string[]): Generator<Out> {
    const missing = tags.filter((t) => !this.plannedTags.has(t));
    if (missing.length === 0) return;
    const classification = this.config.dbtClassificationName;
    if (this.status.details.tags.classification === undefined) {
      yield right<OmRecord>({ kind: 'classification', entity: { name: classification, description: 'Tags from dbt models and columns, applied by the om-ingest dbt source' } });
      this.status.details.tags.classification = classification;
    }
    for (const tag of missing) {
      yield right<OmRecord>({ kind: 'tag', entity: { name: tag, classification, description: `dbt tag ${tag}` } });
      this.plannedTags.add(tag);
      this.status.details.tags.created++;
    }
  }

  private async resolveOwner(name: string): Promise<OwnerRef | undefined> {
    if (this.owners.has(name)) return this.owners.get(name) ?? undefined;
    let found: OwnerRef | undefined;
    const user = await this.client.getByName<EntityBase & { email?: string }>('users', name);
    if (user) found = { id: user.id, type: 'user', name: user.name };
    if (!found) {
      const team = await this.client.getByName('teams', name);
      if (team) found = { id: team.id, type: 'team', name: team.name };
    }
    if (!found && name.includes('@')) {
      // An e-mail: OpenMetadata user names are usually the local part.
      const local = name.slice(0, name.indexOf('@'));
      const byLocal = await this.client.getByName<EntityBase & { email?: string }>('users', local);
      if (byLocal && (!byLocal.email || byLocal.email.toLowerCase() === name.toLowerCase())) found = { id: byLocal.id, type: 'user', name: byLocal.name };
    }
    this.owners.set(name, found ?? null);
    return found;
  }

  private dataModelColumns(node: DbtNode, catalog: CatalogTable | undefined): Column[] {
    const manifestCols = new Map(node.columns.map((c) => [c.name.toLowerCase(), c]));
    const out: Column[] = [];
    const seen = new Set<string>();
    const push = (name: string, type: string | undefined, description: string | undefined, tags: string[], position: number): void => {
      const key = name.toLowerCase();
      if (seen.has(key) || !name || name.includes('::') || name.length > 256) return;
      seen.add(key);
      const labels = this.labels(tags);
      out.push({
        name,
        ...columnTypeOf(type),
        ...(description ? { description } : {}),
        ordinalPosition: position,
        ...(labels.length ? { tags: labels } : {}),
      });
    };
    for (const c of catalog?.columns ?? []) {
      const m = manifestCols.get(c.name.toLowerCase());
      push(c.name, c.type ?? m?.dataType, m?.description ?? c.comment, m?.tags ?? [], c.index ?? out.length + 1);
    }
    for (const m of node.columns) push(m.name, m.dataType, m.description, m.tags, out.length + 1);
    return out;
  }

  private async *tableRecords(r: Resolved, resolved: Map<string, Resolved>, catalog: CatalogTable | undefined, generatedAt: string | undefined): AsyncGenerator<Out> {
    const { node, table } = r;
    const fqn = table.fullyQualifiedName;
    const applied: string[] = [];
    const description = node.description ?? catalog?.comment;
    const tableLabels = this.labels(node.tags);
    try {
      const upstream = node.upstream.map((u) => resolved.get(u)?.table.fullyQualifiedName).filter((u): u is string => !!u);
      const dataModel = {
        modelType: 'DBT',
        resourceType: node.resourceType,
        ...(description ? { description } : {}),
        ...(node.path ? { path: node.path } : {}),
        ...(node.rawSql ? { rawSql: node.rawSql } : {}),
        // The schema requires sql; OpenMetadata sends "" for a node without compiled SQL (a seed, a source).
        sql: node.compiledSql ?? '',
        upstream,
        ...(tableLabels.length ? { tags: tableLabels } : {}),
        columns: this.dataModelColumns(node, catalog),
        ...(generatedAt && !Number.isNaN(Date.parse(generatedAt)) ? { generatedAt } : {}),
      };
      this.status.details.tables.dataModels++;
      applied.push('dataModel');

      const ops: JsonPatchOperation[] = [];
      const wants = (current: string | undefined, next: string | undefined): next is string =>
        !!next && next.trim() !== '' && (!current || !current.trim() || this.config.dbtUpdateDescriptions) && current !== next;
      if (wants(table.description, description)) {
        ops.push({ op: 'add', path: '/description', value: description });
        this.status.details.tables.descriptions++;
        applied.push('description');
      }
      const addLabels = (path: string, existing: TagLabel[] | undefined, labels: TagLabel[]): number => {
        const have = new Set((existing ?? []).map((t) => t.tagFQN));
        const missing = labels.filter((l) => !have.has(l.tagFQN));
        if (missing.length === 0) return 0;
        if (!Array.isArray(existing)) ops.push({ op: 'add', path, value: missing });
        else for (const l of missing) ops.push({ op: 'add', path: `${path}/-`, value: l });
        return missing.length;
      };
      let tagCount = addLabels('/tags', table.tags, tableLabels);
      const dbtCols = new Map(node.columns.map((c) => [c.name.toLowerCase(), c]));
      const catalogCols = new Map((catalog?.columns ?? []).map((c) => [c.name.toLowerCase(), c]));
      let colDescriptions = 0;
      (table.columns ?? []).forEach((col, i) => {
        const dbtCol = dbtCols.get(col.name.toLowerCase());
        const colDescription = dbtCol?.description ?? catalogCols.get(col.name.toLowerCase())?.comment;
        if (wants(col.description, colDescription)) {
          ops.push({ op: 'add', path: `/columns/${i}/description`, value: colDescription });
          colDescriptions++;
        }
        if (dbtCol) tagCount += addLabels(`/columns/${i}/tags`, col.tags, this.labels(dbtCol.tags));
      });
      if (colDescriptions) {
        this.status.details.tables.columnDescriptions += colDescriptions;
        applied.push(`columnDescriptions:${colDescriptions}`);
      }
      if (tagCount) {
        this.status.details.tables.tags += tagCount;
        applied.push(`tags:${tagCount}`);
      }

      const ownerName = typeof node.meta.owner === 'string' ? node.meta.owner : undefined;
      const candidate = ownerName ?? catalog?.owner;
      if (candidate) {
        const owner = await this.resolveOwner(candidate);
        const current = this.ownersField === 'owners' ? (table.owners ?? []) : table.owner ? [table.owner] : [];
        if (!owner) {
          // A catalog owner is a warehouse account, often without an OpenMetadata user: not worth a warning.
          if (ownerName) this.warn(node.uniqueId, `owner "${ownerName}" (meta.owner) is not an OpenMetadata user or team; the owner of ${fqn} is left as it is`);
          else this.log.debug(`${node.uniqueId}: catalog owner "${candidate}" is not an OpenMetadata user or team`);
        } else if ((current.length === 0 || this.config.dbtUpdateOwners) && !(current.length === 1 && current[0].id === owner.id)) {
          const ref = { id: owner.id, type: owner.type };
          ops.push(this.ownersField === 'owners' ? { op: 'add', path: '/owners', value: [ref] } : { op: 'add', path: '/owner', value: ref });
          this.status.details.tables.owners++;
          applied.push('owner');
        }
      }
      // Planned in full before anything is yielded: a failed owner lookup leaves this table out whole.
      const out: Out[] = [right<OmRecord>({ kind: 'dataModel', tableFqn: fqn, tableId: table.id, dataModel })];
      if (ops.length) out.push(right<OmRecord>({ kind: 'tablePatch', tableFqn: fqn, tableId: table.id, operations: ops }));
      if (ops.length) this.status.updatedRecord(node.uniqueId);
      this.status.model({ uniqueId: node.uniqueId, fqn, outcome: 'applied', applied });
      yield* out;
    } catch (err) {
      this.fail(node.uniqueId, err, `applying dbt to ${fqn}`);
      this.status.model({ uniqueId: node.uniqueId, fqn, outcome: 'failed', ...(applied.length ? { applied } : {}), reason: (err as Error).message });
    }
  }

  // ----- tests -----

  private definitionOf(test: DbtTest, entityType: 'TABLE' | 'COLUMN'): string {
    const base = test.testName ?? SINGULAR_TEST_DEFINITION;
    // One definition per name and entity type: a generic test used on tables and columns gets two.
    const first = this.definitions.get(base);
    return !first || first === entityType ? base : `${base}_${entityType.toLowerCase()}`;
  }

  private *testRecords(manifest: ParsedManifest, resolved: Map<string, Resolved>, runResults: ParsedRunResults | undefined, sources?: ParsedSources): Generator<Out> {
    interface Planned {
      test: DbtTest;
      table: OmTable;
      column?: string;
      definition: string;
      entityType: 'TABLE' | 'COLUMN';
    }
    const planned: Planned[] = [];
    const params = new Map<string, Set<string>>();
    for (const test of manifest.tests) {
      const target = test.attachedNode ? resolved.get(test.attachedNode) : undefined;
      if (!target) {
        this.status.details.tests.skipped++;
        if (!test.attachedNode) this.warn(test.uniqueId, 'the model this dbt test is about could not be found in the manifest; test left out');
        continue;
      }
      let column: string | undefined;
      if (test.columnName) {
        const wanted = test.columnName.replace(/^["`[]|["`\]]$/g, '').toLowerCase();
        column = target.table.columns?.find((c) => c.name.toLowerCase() === wanted)?.name;
        if (!column) {
          this.status.details.tests.skipped++;
          this.warn(test.uniqueId, `column ${test.columnName} is not a column of ${target.table.fullyQualifiedName}; test left out`);
          continue;
        }
      }
      const entityType = column ? 'COLUMN' : 'TABLE';
      const definition = this.definitionOf(test, entityType);
      if (!this.definitions.has(definition)) this.definitions.set(definition, entityType);
      const set = params.get(definition) ?? new Set<string>();
      for (const k of Object.keys(test.kwargs)) if (!IGNORED_KWARGS.has(k)) set.add(k);
      params.set(definition, set);
      planned.push({ test, table: target.table, ...(column ? { column } : {}), definition, entityType });
    }

    // Source freshness (sources.json): one case per source table, named by the source (as OpenMetadata's
    // dbt source does: dbt/metadata.py create_dbt_test_case, dbt_utils create_test_case_parameter_*).
    const freshness: { table: OmTable; name: string; result: NonNullable<ReturnType<ParsedSources['results']['get']>> }[] = [];
    for (const result of sources?.results.values() ?? []) {
      const target = resolved.get(result.uniqueId);
      if (!target) {
        this.status.details.tests.skipped++;
        continue;
      }
      freshness.push({ table: target.table, name: target.node.name, result });
    }
    if (freshness.length > 0) params.set(FRESHNESS_TEST_DEFINITION, new Set(['warn_after', 'error_after']));

    for (const [definition, keys] of params) {
      const entityType = planned.find((p) => p.definition === definition)?.entityType ?? 'TABLE';
      yield right<OmRecord>({
        kind: 'testDefinition',
        entity: {
          name: definition,
          displayName: definition,
          description:
            definition === SINGULAR_TEST_DEFINITION ? 'dbt singular (data) test' : definition === FRESHNESS_TEST_DEFINITION ? 'dbt source freshness' : `dbt generic test ${definition}`,
          entityType,
          testPlatforms: ['DBT'],
          parameterDefinition: [...keys].sort().map((name) => ({ name })),
        },
      });
      this.status.details.tests.definitions++;
    }

    // One record per table: its cases, each with its result when run_results has one.
    const byTable = new Map<string, { testCase: CreateTestCaseRequest; result?: TestCaseResult }[]>();
    for (const p of planned) {
      const tableFqn = p.table.fullyQualifiedName;
      const testCase: CreateTestCaseRequest = {
        name: p.test.name,
        ...(p.test.description ? { description: p.test.description } : {}),
        entityLink: p.column ? `<#E::table::${tableFqn}::columns::${p.column}>` : `<#E::table::${tableFqn}>`,
        testDefinition: p.definition,
        parameterValues: Object.entries(p.test.kwargs)
          .filter(([k]) => !IGNORED_KWARGS.has(k))
          .map(([name, value]) => ({ name, value: parameterValue(value) })),
      };
      this.status.details.tests.cases++;
      const run = runResults?.results.get(p.test.uniqueId);
      const result: TestCaseResult | undefined = run && {
        timestamp: run.timestamp,
        testCaseStatus: run.testCaseStatus,
        result: run.message ?? `dbt test ${run.status}`,
        ...(run.failures !== undefined ? { testResultValue: [{ name: 'failures', value: String(run.failures) }] } : {}),
      };
      if (run) this.status.details.tests.results[run.testCaseStatus]++;
      const cases = byTable.get(tableFqn) ?? [];
      cases.push({ testCase, ...(result ? { result } : {}) });
      byTable.set(tableFqn, cases);
    }
    for (const f of freshness) {
      const tableFqn = f.table.fullyQualifiedName;
      const cases = byTable.get(tableFqn) ?? [];
      cases.push({
        testCase: { name: f.name, entityLink: `<#E::table::${tableFqn}>`, testDefinition: FRESHNESS_TEST_DEFINITION, parameterValues: freshnessParameters(f.result) },
        result: f.result.result,
      });
      byTable.set(tableFqn, cases);
      this.status.details.tests.cases++;
      this.status.details.tests.results[f.result.result.testCaseStatus]++;
    }
    for (const [tableFqn, results] of byTable) yield right<OmRecord>({ kind: 'testCaseResults', tableFqn, results });
  }
}

/** `database.schema.alias` of a node, as relation names appear in compiled SQL (lower case, unquoted). */
function relationName(node: DbtNode): string {
  return [node.database, node.schema, node.alias].filter((p): p is string => !!p).join('.').toLowerCase();
}

/** The column edges from one upstream table into a model, for columns both OpenMetadata tables have. */
function columnEdges(lineage: ColumnLineage, from: Resolved, to: Resolved): { fromColumns: string[]; toColumn: string }[] {
  const relation = relationName(from.node);
  const columnOf = (table: OmTable, name: string) => table.columns?.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name;
  const out: { fromColumns: string[]; toColumn: string }[] = [];
  for (const [output, sources] of lineage) {
    const toColumn = columnOf(to.table, output);
    const fromColumns = sources.filter((s) => s.relation === relation).map((s) => columnOf(from.table, s.column)).filter((c): c is string => !!c);
    if (!toColumn || fromColumns.length === 0) continue;
    out.push({
      fromColumns: fromColumns.map((c) => `${from.table.fullyQualifiedName}.${quoteName(c)}`),
      toColumn: `${to.table.fullyQualifiedName}.${quoteName(toColumn)}`,
    });
  }
  return out;
}
