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
  CompiledFilter, failureFrom, OmError, quoteName, right, type Column, type Either,
  type JsonPatchOperation, type Logger, type OmRecord, type SecretMasker, type TagLabel,
} from '@om/core';
import { ServerDialect, type OpenMetadataClient } from '@om/openmetadata';
import type { DbtPipelineConfig } from './config';
import type { ParsedCatalog, CatalogTable } from './artifacts/catalog';
import type { DbtNode, ParsedManifest } from './artifacts/manifest';
import type { ParsedRunResults } from './artifacts/run-results';
import type { ParsedSources } from './artifacts/sources';
import { ColumnLineageParser, type ColumnLineage } from './lineage/column-lineage';
import { columnTypeOf } from './artifacts/types';
import { CatalogLookup, type OmTable, type Resolved } from './lookup';
import { TestPlanner } from './test-planner';
import { describeFqn, mapNames, type MappedNames } from './naming';
import type { DbtStatus } from './status';


export interface ApplierOptions {
  client: OpenMetadataClient;
  serviceName: string;
  config: DbtPipelineConfig;
  status: DbtStatus;
  logger: Logger;
  masker: SecretMasker;
  signal?: AbortSignal;
}

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
  /** Reads of the catalog: tables by name (or across databases), owners. */
  private readonly lookup: CatalogLookup;
  /** Tags already sent to the sink in this run. */
  private readonly plannedTags = new Set<string>();
  /** Test definitions, cases and results. */
  private readonly tests: TestPlanner;

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
    this.tests = new TestPlanner(this.status, (name, reason) => this.warn(name, reason));
    this.lookup = new CatalogLookup(this.client, options.serviceName, this.config.searchAcrossDatabases === true, this.ownersField);
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
        found = await this.lookup.findTable(names, tried);
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
    yield* this.tests.records(manifest, resolved, runResults, sources);
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
        const owner = await this.lookup.owner(candidate);
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
