/**
 * The Datalake source: service → database → one schema per bucket → one table per supported file
 * (or per Hive-partitioned folder, opt-in), as OpenMetadata's DatalakeSource yields them.
 */
import {
  CompiledFilter,
  ConfigError,
  ConnectionCheckFailure,
  assertConnectionChecks,
  runConnectionChecks,
  type ConnectionCheck,
  OmError,
  StepStatus,
  TABLE_CATALOG,
  buildFqn,
  capabilityToken,
  failureFrom,
  left,
  right,
  splitFqn,
  type Column,
  type Either,
  type OmRecord,
  type Source,
  type StepContext,
  type StepFactory,
  type CreateTableRequest,
  type TableCatalog,
} from '@om/core';
import {
  DEFAULT_READ_CONCURRENCY,
  checkPipelineFields,
  detectConfigSource,
  readOptionsFrom,
  storeKindOf,
  type DatabaseMetadataConfig,
  type DatalakeConnection,
  type ProfilerPipelineConfig,
  type ReadOptions,
  type TestSuitePipelineConfig,
} from './config';
import { checkedReads } from './checked-reads';
import { PartitionGroup, hivePartitionOf, tableNameFor } from './discovery';
import { formatOf, isHiddenOrMarker, type FormatInfo } from './formats';
import { ObjectStoreError, type ObjectInfo, type ObjectStore, type ObjectStoreFactory } from './object-store';
import { readFileSchema } from './readers';
import { EmptyFileError, FileReadError } from './readers/errors';
import { tableDataRequest } from './rows';
import { DEFAULT_SAMPLE_SEED } from './rows/sampling';

/** What the source yields: create requests (metadata), tables to profile, or one table to test. */
export type SourceMode = 'DatabaseMetadata' | 'Profiler' | 'TestSuite';

/** Reverses OpenMetadata's reserved-character markers in a table name to get the object key back. */
export function keyFromTableName(name: string): string {
  return name.replace(/__reserved__colon__/g, '::').replace(/__reserved__arrow__/g, '>').replace(/__reserved__quote__/g, '"');
}

/** OpenMetadata's filter reasons. */
export const FILTER_REASONS = {
  database: 'Database Filtered out',
  schema: 'Bucket Filtered Out',
  table: 'Object Filtered Out',
} as const;

export const DEFAULT_DATABASE = 'default';

type Task = () => Promise<Either<OmRecord>[]>;

interface SchemaParts {
  fqn: string;
  /** service, database, bucket: unquoted name parts. */
  names: string[];
}

/** S3-style prefix: a non-empty prefix gets a trailing `/` (so `data` lists `data/...`, not `database/`). */
export function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}

export class DatalakeSource implements Source {
  readonly status: StepStatus;
  readonly mode: SourceMode;
  private store: ObjectStore | undefined;
  private catalogInstance: TableCatalog | undefined | null = null;
  private readonly serviceName: string;
  private readonly connection: DatalakeConnection;
  private readonly sourceConfig: DatabaseMetadataConfig;
  private readonly options: ReadOptions;
  private readonly databaseFilter: CompiledFilter;
  private readonly schemaFilter: CompiledFilter;
  private readonly tableFilter: CompiledFilter;

  constructor(private readonly context: StepContext) {
    const section = context.stepConfig as { serviceName?: string; serviceConnection?: { config?: DatalakeConnection }; sourceConfig?: { config?: DatabaseMetadataConfig } };
    const connection = section.serviceConnection?.config;
    if (!connection) {
      throw ConfigError.single(
        'source.serviceConnection',
        'the datalake source needs serviceConnection.config (om-ingest does not fetch connections from the server)',
        'add serviceConnection: {config: {type: Datalake, configSource: {...}, bucketName: ...}}',
      );
    }
    this.serviceName = String(section.serviceName);
    this.connection = connection;
    this.sourceConfig = section.sourceConfig?.config ?? {};
    const type = this.sourceConfig.type as string | undefined;
    if (context.type !== 'testsuite') checkPipelineFields(this.sourceConfig);
    this.mode = context.type === 'testsuite' || type === 'TestSuite' ? 'TestSuite' : type === 'Profiler' ? 'Profiler' : 'DatabaseMetadata';
    this.status = new StepStatus(`Source ${context.type}`);
    this.options = readOptionsFrom(this.sourceConfig);
    const sc = this.sourceConfig;
    // Patterns may be in sourceConfig (OpenMetadata's place) or, in newer versions, the connection.
    this.databaseFilter = new CompiledFilter(sc.databaseFilterPattern ?? connection.databaseFilterPattern, 'source.sourceConfig.config.databaseFilterPattern');
    this.schemaFilter = new CompiledFilter(sc.schemaFilterPattern ?? connection.schemaFilterPattern, 'source.sourceConfig.config.schemaFilterPattern');
    this.tableFilter = new CompiledFilter(sc.tableFilterPattern ?? connection.tableFilterPattern, 'source.sourceConfig.config.tableFilterPattern');
  }

  /** The object store for the configured configSource (resolved once). */
  async getStore(): Promise<ObjectStore> {
    if (this.store) return this.store;
    const kind = storeKindOf(detectConfigSource(this.connection.configSource));
    const token = capabilityToken(`objectStore:${kind}`);
    if (!this.context.container.isRegistered(token, true)) {
      throw new OmError(`configSource ${kind}Config needs the @om/datalake-${kind} plugin: pnpm add @om/datalake-${kind}`);
    }
    const factory = this.context.container.resolve(token) as ObjectStoreFactory;
    this.store = await factory.create(this.connection.configSource ?? {}, { ...this.context, connection: this.connection });
    return this.store;
  }

  /**
   * OpenMetadata's Datalake test-connection steps, cheaply: reach the store, then list one page of
   * the bucket/prefix (or of the buckets) and read nothing else.
   */
  connectionChecks(): ConnectionCheck[] {
    const kind = storeKindOf(detectConfigSource(this.connection.configSource));
    const bucket = this.connection.bucketName;
    const prefix = normalizePrefix(this.connection.prefix);
    const where = bucket ? `${SCHEMES[kind] ?? ''}${bucket}/${prefix}` : '';
    return [
      {
        name: `set up the ${kind} storage client`,
        run: async () => {
          try {
            await this.getStore();
          } catch (err) {
            throw new ConnectionCheckFailure(`${CONNECTION_PATH}.configSource`, describe(err));
          }
        },
      },
      {
        name: bucket ? `list one page of ${where}` : `list the ${kind} buckets (one page)`,
        run: async () => {
          const store = await this.getStore();
          try {
            if (bucket) {
              for await (const _ of store.listObjects(bucket, prefix, this.context.signal)) return 'reachable';
              return prefix ? `reachable; nothing under prefix "${prefix}"` : 'reachable; the bucket is empty';
            }
            for await (const _ of store.listBuckets(store.databaseNames?.()[0])) return 'reachable';
            return 'reachable; no bucket visible to these credentials';
          } catch (err) {
            throw connectionFailure(store.kind, bucket, err);
          }
        },
      },
    ];
  }

  async testConnection(): Promise<void> {
    assertConnectionChecks(await runConnectionChecks(`source ${this.context.type}`, this.connectionChecks(), (t) => this.context.masker.redact(t)));
  }

  /**
   * The progress total: service, databases, schemas and tables this run will yield. Asked for only
   * when someone shows progress; the first call starts a counting listing (one extra LIST request per
   * page, counts only, so memory stays flat) and the total is known once it has finished.
   */
  expectedRecords(): number | undefined {
    this.counting ??= this.countExpectedRecords().then(
      (n) => (this.expected = n),
      () => undefined, // no total then; the run itself reports listing problems
    );
    return this.expected;
  }

  private expected: number | undefined;
  /** The count started by the first `expectedRecords()` call (resolves to the total, or undefined). */
  counting: Promise<number | undefined> | undefined;

  /** Counts what `records()` will yield in a metadata run; undefined where a count would be a guess. */
  async countExpectedRecords(): Promise<number | undefined> {
    const sc = this.sourceConfig;
    // Partition groups and Profiler/TestSuite runs do not map one object to one record.
    if (this.mode !== 'DatabaseMetadata' || sc.partitionedTables === true) return undefined;
    const store = await this.getStore();
    const includeTables = sc.includeTables !== false;
    const includeHidden = sc.includeHiddenFiles === true;
    const prefix = normalizePrefix(this.connection.prefix);
    let total = 1; // the service
    for (const database of store.databaseNames?.() ?? [this.connection.databaseName || DEFAULT_DATABASE]) {
      if (this.databaseFilter.filtersOut(this.useFqn ? buildFqn(this.serviceName, database) : database)) continue;
      total++;
      const buckets = this.connection.bucketName ? [this.connection.bucketName] : store.listBuckets(database);
      for await (const bucket of buckets) {
        if (this.schemaFilter.filtersOut(this.useFqn ? buildFqn(this.serviceName, database, bucket) : bucket)) continue;
        total++;
        if (!includeTables) continue;
        for await (const object of store.listObjects(bucket, prefix, this.context.signal)) {
          if (this.context.signal.aborted) return undefined;
          if (object.key.endsWith('/') || (!includeHidden && isHiddenOrMarker(object.key)) || !formatOf(object.key)) continue;
          const name = tableNameFor(object.key).name;
          if (!this.tableFilter.filtersOut(this.useFqn ? buildFqn(this.serviceName, database, bucket, name) : name)) total++;
        }
      }
    }
    return total;
  }

  private get useFqn(): boolean {
    return this.sourceConfig.useFqnForFiltering === true;
  }

  async *records(): AsyncIterable<Either<OmRecord>> {
    if (this.mode === 'TestSuite') {
      yield* this.testSuiteRecords();
      return;
    }
    if (this.mode === 'Profiler') {
      const catalog = this.catalog();
      if (catalog) {
        yield* this.catalogProfileRecords(catalog);
        return;
      }
      // No catalog bound (file/console sink): the tables come from the storage listing.
      for await (const item of this.metadataRecords()) {
        if (!item.ok || item.value.kind === 'profileRequest') yield item;
      }
      return;
    }
    yield* this.metadataRecords();
  }

  /** The catalog bound by a sink plugin (OpenMetadata), if any; resolved once. */
  private catalog(): TableCatalog | undefined {
    if (this.catalogInstance !== null) return this.catalogInstance;
    this.catalogInstance = this.context.container.isRegistered(TABLE_CATALOG, true) ? this.context.container.resolve(TABLE_CATALOG) : undefined;
    return this.catalogInstance;
  }

  private get profilerConfig(): ProfilerPipelineConfig {
    return this.sourceConfig as unknown as ProfilerPipelineConfig;
  }

  /** Sampling for one table: the processor's `tableConfig` entry wins over the pipeline's. */
  private samplingFor(fqn: string): { profileSample?: number; profileSampleType?: 'PERCENTAGE' | 'ROWS'; seed: number } | undefined {
    const pc = this.sourceConfig as unknown as ProfilerPipelineConfig | TestSuitePipelineConfig;
    const tableConfigs = (this.context.workflowConfig.processor?.config as { tableConfig?: unknown } | undefined)?.tableConfig;
    const own = Array.isArray(tableConfigs)
      ? (tableConfigs as { fullyQualifiedName?: string; profileSample?: number; profileSampleType?: 'PERCENTAGE' | 'ROWS' }[]).find(
          (t) => t && t.fullyQualifiedName === fqn && t.profileSample !== undefined,
        )
      : undefined;
    const profileSample = own?.profileSample ?? pc.profileSample;
    if (profileSample === undefined) return undefined;
    return {
      profileSample,
      profileSampleType: (own ? own.profileSampleType : undefined) ?? pc.profileSampleType ?? 'PERCENTAGE',
      seed: pc.sampleSeed ?? DEFAULT_SAMPLE_SEED,
    };
  }

  private async dataRequest(store: ObjectStore, bucket: string, key: string, size: number, format: FormatInfo, fqn: string, name: string, columns: Column[]) {
    return tableDataRequest(
      { store, bucket, key, size, format },
      {
        fqn,
        name,
        columns,
        fileFormat: format.fileFormat,
        sampling: this.samplingFor(fqn),
        useFooterStatistics: this.profilerConfig.useFooterStatistics !== false,
        timeoutSeconds: this.mode === 'Profiler' ? this.profilerConfig.timeoutSeconds : undefined,
      },
    );
  }

  /** Profiler mode with a catalog: the tables this service has on the server, mapped back to bucket + key. */
  private async *catalogProfileRecords(catalog: TableCatalog): AsyncIterable<Either<OmRecord>> {
    const store = await this.getStore();
    const self = this;
    const tasks = (async function* (): AsyncIterable<() => Promise<Either<OmRecord>[]>> {
      for await (const t of catalog.listTables(self.serviceName, self.context.signal)) {
        if (self.context.signal.aborted) return;
        const task = self.catalogTableTask(store, t.fullyQualifiedName, t.columns);
        if (task) yield task;
      }
    })();
    try {
      for await (const result of runOrdered(tasks, this.concurrency)) yield* result;
    } catch (err) {
      yield left(this.serviceName, `cannot list the tables of service ${this.serviceName} in OpenMetadata: ${describe(err)}`);
    }
  }

  private catalogTableTask(store: ObjectStore, fqn: string, columns: Column[]): (() => Promise<Either<OmRecord>[]>) | undefined {
    let parts: string[];
    try {
      parts = splitFqn(fqn);
    } catch (err) {
      this.status.warning(fqn, `not a table FQN this source can map to a file: ${describe(err)}`);
      return undefined;
    }
    if (parts.length !== 4) {
      this.status.warning(fqn, 'not a service.database.bucket.table FQN: skipped');
      return undefined;
    }
    const [, database, bucket, name] = parts;
    const dbFqn = buildFqn(this.serviceName, database);
    const schemaFqn = buildFqn(this.serviceName, database, bucket);
    if (this.databaseFilter.filtersOut(this.useFqn ? dbFqn : database)) {
      this.status.filter(fqn, FILTER_REASONS.database);
      return undefined;
    }
    if (this.schemaFilter.filtersOut(this.useFqn ? schemaFqn : bucket) || (this.connection.bucketName && this.connection.bucketName !== bucket)) {
      this.status.filter(fqn, FILTER_REASONS.schema);
      return undefined;
    }
    if (this.tableFilter.filtersOut(this.useFqn ? fqn : name)) {
      this.status.filter(fqn, FILTER_REASONS.table);
      return undefined;
    }
    const key = keyFromTableName(name);
    const format = formatOf(key);
    if (!format) {
      this.status.warning(fqn, 'the table is not one file (a partitioned folder, or a long key stored as a hash): not profiled');
      return undefined;
    }
    return async () => {
      const label = fqn;
      try {
        const size = await store.objectSize(bucket, key);
        if (size === 0) {
          this.status.warning(label, 'the file is empty: not profiled');
          return [];
        }
        const file = checkedReads(store, bucket, key, size, { signal: this.context.signal });
        const cols = columns.length > 0 ? columns : (await readFileSchema(file, bucket, key, size, format, this.options)).columns;
        const table = await this.dataRequest(file, bucket, key, size, format, fqn, name, cols);
        return [right<OmRecord>({ kind: 'profileRequest', table })];
      } catch (err) {
        return [this.fileProblem(label, `${bucket}/${key}`, format, err)];
      }
    };
  }

  /** TestSuite mode: the one table named by `entityFullyQualifiedName`. */
  private async *testSuiteRecords(): AsyncIterable<Either<OmRecord>> {
    const config = this.sourceConfig as unknown as TestSuitePipelineConfig;
    const fqn = config.entityFullyQualifiedName;
    if (typeof fqn !== 'string' || fqn === '') {
      throw ConfigError.single('source.sourceConfig.config.entityFullyQualifiedName', 'is required for a TestSuite pipeline', 'the table FQN, e.g. svc.default.bucket."data/orders.csv"');
    }
    let parts: string[];
    try {
      parts = splitFqn(fqn);
    } catch (err) {
      yield left(fqn, `entityFullyQualifiedName ${fqn} is not a valid FQN: ${describe(err)}`);
      return;
    }
    if (parts.length !== 4) {
      yield left(fqn, `entityFullyQualifiedName ${fqn} must name a table: service.database.bucket."key" (it has ${parts.length} part(s))`);
      return;
    }
    const [service, , bucket, name] = parts;
    if (service !== this.serviceName) {
      this.status.warning(fqn, `the table belongs to service ${service}, not ${this.serviceName}; reading it through this source's connection`);
    }
    const catalog = this.catalog();
    let columns: Column[] | undefined;
    if (catalog) {
      const found = await catalog.getTable(fqn);
      if (!found) {
        yield left(fqn, `table ${fqn} does not exist in OpenMetadata; run the metadata ingestion for service ${service} first`);
        return;
      }
      columns = found.columns;
    }
    const key = keyFromTableName(name);
    const format = formatOf(key);
    if (!format) {
      yield left(fqn, `table ${fqn} is not a file this source reads (key ${key} has no supported extension)`);
      return;
    }
    const store = await this.getStore();
    try {
      const size = await store.objectSize(bucket, key);
      if (size === 0) {
        yield left(fqn, `table ${fqn}: the file ${bucket}/${key} is empty`);
        return;
      }
      const file = checkedReads(store, bucket, key, size, { signal: this.context.signal });
      if (!columns || columns.length === 0) columns = (await readFileSchema(file, bucket, key, size, format, this.options)).columns;
      const table = await this.dataRequest(file, bucket, key, size, format, fqn, name, columns);
      yield right<OmRecord>({ kind: 'testSuiteRequest', table });
    } catch (err) {
      if (err instanceof ObjectStoreError && err.code === 'NotFound') {
        yield left(fqn, `table ${fqn} does not exist: no object ${key} in bucket ${bucket} (${store.kind} storage)`);
        return;
      }
      yield this.fileProblem(fqn, `${bucket}/${key}`, format, err);
    }
  }

  private fileProblem(label: string, where: string, format: FormatInfo, err: unknown): Either<OmRecord> {
    if (err instanceof FileReadError) return left(label, `cannot read ${where} as ${format.fileFormat}: ${err.message}`);
    if (err instanceof EmptyFileError) return left(label, `${where}: ${err.message}`);
    if (err instanceof ObjectStoreError) return left(label, err.code === 'NotFound' ? `${err.message}: the file behind the table is gone` : err.message);
    const failure = failureFrom(label, err, `unexpected error reading ${where}`);
    return left(failure.name, failure.error, failure.stackTrace);
  }

  private async *metadataRecords(): AsyncIterable<Either<OmRecord>> {
    yield right<OmRecord>({
      kind: 'databaseService',
      entity: { name: this.serviceName, serviceType: 'Datalake', connection: { config: (this.context.catalogConnection ?? this.connection) as Record<string, unknown> } },
    });
    const store = await this.getStore();
    const databases = store.databaseNames?.() ?? [this.connection.databaseName || DEFAULT_DATABASE];
    for (const database of databases) {
      if (this.context.signal.aborted) return;
      const dbFqn = buildFqn(this.serviceName, database);
      if (this.databaseFilter.filtersOut(this.useFqn ? dbFqn : database)) {
        this.status.filter(dbFqn, FILTER_REASONS.database);
        continue;
      }
      yield right<OmRecord>({ kind: 'database', entity: { name: database, service: this.serviceName } });
      yield* this.buckets(store, database);
    }
  }

  private async *buckets(store: ObjectStore, database: string): AsyncIterable<Either<OmRecord>> {
    if (this.connection.bucketName) {
      yield* this.bucket(store, database, this.connection.bucketName);
      return;
    }
    let buckets = 0;
    let tables = 0;
    try {
      for await (const bucket of store.listBuckets(database)) {
        if (this.context.signal.aborted) return;
        buckets++;
        for await (const item of this.bucket(store, database, bucket)) {
          if (item.ok && item.value.kind === 'table') tables++;
          yield item;
        }
      }
    } catch (err) {
      if (buckets === 0) {
        yield left('Bucket', `cannot list the buckets of ${store.kind} storage: ${describe(err)}`);
        return;
      }
      // As for a bucket listing that dies part-way: the unseen buckets weigh as much as what was read.
      const weight = Math.max(1, tables);
      yield {
        ok: false,
        error: {
          name: 'Bucket',
          error:
            `the bucket listing of ${store.kind} storage failed after ${buckets} bucket(s): the other buckets were not seen, so it counts as ` +
            `${weight} failed table(s) (as many as were read): ${describe(err)}`,
          weight,
        },
      };
    }
  }

  private async *bucket(store: ObjectStore, database: string, bucket: string): AsyncIterable<Either<OmRecord>> {
    const dbFqn = buildFqn(this.serviceName, database);
    const schemaFqn = buildFqn(this.serviceName, database, bucket);
    const parts: SchemaParts = { fqn: schemaFqn, names: [this.serviceName, database, bucket] };
    if (this.schemaFilter.filtersOut(this.useFqn ? schemaFqn : bucket)) {
      this.status.filter(schemaFqn, FILTER_REASONS.schema);
      return;
    }
    const includeTables = this.sourceConfig.includeTables !== false;
    const markDeletedTables = this.sourceConfig.markDeletedTables !== false;
    const prefix = normalizePrefix(this.connection.prefix);
    // Pull the first listing page before announcing the schema, so a missing bucket is one clear
    // failure instead of an empty schema.
    const listing = store.listObjects(bucket, prefix, this.context.signal)[Symbol.asyncIterator]();
    let first: IteratorResult<ObjectInfo> | undefined;
    if (includeTables) {
      try {
        first = await listing.next();
      } catch (err) {
        yield left(bucket, bucketProblem(store, bucket, err));
        return;
      }
    }
    yield right<OmRecord>({ kind: 'databaseSchema', entity: { name: bucket, database: dbFqn } });
    let complete = true;
    if (includeTables) {
      let listed = 0;
      const objects = (async function* () {
        if (!first || first.done) return;
        listed++;
        yield first.value;
        for (;;) {
          const next = await listing.next();
          if (next.done) return;
          listed++;
          yield next.value;
        }
      })();
      let tables = 0;
      try {
        for await (const result of runOrdered(this.tasks(store, parts, bucket, objects), this.concurrency)) {
          for (const item of result) {
            if (item.ok) tables++;
            yield item;
          }
        }
      } catch (err) {
        complete = false;
        // How much is left unseen is unknown; counting it as much as was seen keeps the run from
        // passing as a (partial) success on the part it could read.
        const weight = Math.max(1, tables);
        yield {
          ok: false,
          error: {
            name: bucket,
            error:
              `the listing of bucket "${bucket}" failed after ${listed} object(s): the rest of the bucket was not seen, so it counts as ${weight} failed ` +
              `table(s) (as many as were read) and no table of this bucket is marked deleted: ${bucketProblem(store, bucket, err)}`,
            weight,
          },
        };
      }
      if (this.context.signal.aborted) complete = false;
    }
    yield right<OmRecord>({ kind: 'schemaDone', databaseSchema: schemaFqn, complete, markDeletedTables: markDeletedTables && includeTables });
  }

  private get concurrency(): number {
    if (this.mode === 'Profiler' && this.profilerConfig.threadCount) return Math.max(1, Math.floor(this.profilerConfig.threadCount));
    return this.sourceConfig.readConcurrency ?? DEFAULT_READ_CONCURRENCY;
  }

  /** Turns the listing into table tasks: skips, filters and (opt-in) partition grouping. */
  private async *tasks(store: ObjectStore, schema: SchemaParts, bucket: string, objects: AsyncIterable<ObjectInfo>): AsyncIterable<Task> {
    const partitioned = this.sourceConfig.partitionedTables === true;
    const includeHidden = this.sourceConfig.includeHiddenFiles === true;
    let group: PartitionGroup | undefined;
    for await (const object of objects) {
      if (this.context.signal.aborted) break;
      if (group && !group.contains(object.key)) {
        const task = this.groupTask(store, schema, bucket, group);
        group = undefined;
        if (task) yield task;
      }
      if (object.key.endsWith('/')) continue; // folder marker
      if (!includeHidden && isHiddenOrMarker(object.key)) {
        this.context.logger.debug(`Skipping hidden or marker object ${bucket}/${object.key}`);
        continue;
      }
      const format = formatOf(object.key);
      if (!format) {
        this.context.logger.debug(`Skipping ${bucket}/${object.key}: not a supported file format`);
        continue;
      }
      if (partitioned) {
        const hive = hivePartitionOf(object.key);
        if (hive) {
          if (!group || group.folder !== hive.folder) {
            if (group) {
              const task = this.groupTask(store, schema, bucket, group);
              if (task) yield task;
            }
            group = new PartitionGroup(hive.folder);
          }
          group.add(object, format, hive.partitions);
          continue;
        }
      }
      const naming = tableNameFor(object.key);
      if (this.tableFiltered(schema, naming.name)) continue;
      yield () => this.fileTable(store, schema.fqn, bucket, object, format, naming);
    }
    if (group) {
      const task = this.groupTask(store, schema, bucket, group);
      if (task) yield task;
    }
  }

  private tableFiltered(schema: SchemaParts, name: string): boolean {
    const tableFqn = buildFqn(...schema.names, name);
    if (this.tableFilter.filtersOut(this.useFqn ? tableFqn : name)) {
      this.status.filter(tableFqn, FILTER_REASONS.table);
      return true;
    }
    return false;
  }

  private groupTask(store: ObjectStore, schema: SchemaParts, bucket: string, group: PartitionGroup): Task | undefined {
    if (!group.newest) return undefined;
    const naming = tableNameFor(group.folder || bucket);
    if (this.tableFiltered(schema, naming.name)) return undefined;
    const { object, format } = group.newest;
    return async () => {
      const out = await this.fileTable(store, schema.fqn, bucket, object, format, naming);
      return out.map((item) => {
        if (!item.ok || item.value.kind !== 'table') return item;
        const entity = item.value.entity;
        entity.columns = [...entity.columns, ...group.partitionColumns(entity.columns)];
        entity.tableType = 'Partitioned';
        entity.tablePartition = group.tablePartition();
        return item;
      });
    };
  }

  private async fileTable(
    store: ObjectStore,
    schemaFqn: string,
    bucket: string,
    object: ObjectInfo,
    format: FormatInfo,
    naming: { name: string; displayName?: string },
  ): Promise<Either<OmRecord>[]> {
    const label = `${bucket}/${object.key}`;
    // Reads resume after a broken body and must deliver the listed size (see checked-reads.ts).
    const file = checkedReads(store, bucket, object.key, object.size, { signal: this.context.signal });
    try {
      const schema = await readFileSchema(file, bucket, object.key, object.size, format, this.options);
      for (const w of schema.warnings) this.status.warning(label, w);
      if (this.mode === 'Profiler') {
        const fqn = `${schemaFqn}.${buildFqn(naming.name)}`;
        const table = await this.dataRequest(file, bucket, object.key, object.size, format, fqn, naming.name, schema.columns);
        return [right<OmRecord>({ kind: 'profileRequest', table })];
      }
      const entity: CreateTableRequest = {
        name: naming.name,
        ...(naming.displayName ? { displayName: naming.displayName } : {}),
        tableType: 'Regular',
        columns: schema.columns,
        databaseSchema: schemaFqn,
        fileFormat: format.fileFormat,
      };
      return [right<OmRecord>({ kind: 'table', entity })];
    } catch (err) {
      if (err instanceof EmptyFileError) {
        this.status.warning(label, `${err.message}: no table created`);
        return [];
      }
      if (err instanceof FileReadError) return [left(label, `cannot read it as ${format.fileFormat}: ${err.message}`)];
      if (err instanceof ObjectStoreError) return [left(label, err.code === 'NotFound' ? `${err.message} (deleted since it was listed?)` : err.message)];
      const failure = failureFrom(label, err, `unexpected error reading ${format.fileFormat}`);
      return [left(failure.name, failure.error, failure.stackTrace)];
    }
  }

  async close(): Promise<void> {
    await this.store?.close?.();
    this.store = undefined;
    await this.catalogInstance?.close?.();
  }
}

const CONNECTION_PATH = 'source.serviceConnection.config';

/** How each provider's own tools write a location (a local bucket is a folder under the root). */
const SCHEMES: Record<string, string> = { s3: 's3://', gcs: 'gs://', azure: 'azure://' };

/** A failed first listing, as the config field to fix and why. */
function connectionFailure(kind: string, bucket: string | undefined, err: unknown): ConnectionCheckFailure {
  const message = describe(err);
  const code = err instanceof ObjectStoreError ? err.code : 'Other';
  if (kind === 'local') {
    if (code === 'NotFound' && bucket) return new ConnectionCheckFailure(`${CONNECTION_PATH}.bucketName`, `${message}: no folder "${bucket}" under the local root (configSource.root)`);
    return new ConnectionCheckFailure(`${CONNECTION_PATH}.configSource.root`, message);
  }
  if (code === 'NotFound') {
    return new ConnectionCheckFailure(`${CONNECTION_PATH}.bucketName`, `${message}: fix the bucket name (${kind} storage)`);
  }
  if (code === 'AccessDenied') {
    return new ConnectionCheckFailure(
      `${CONNECTION_PATH}.configSource.securityConfig`,
      `${message}: check the credentials${bucket ? ` and that they may list bucket "${bucket}"` : ''}`,
    );
  }
  return new ConnectionCheckFailure(`${CONNECTION_PATH}.configSource`, `${message} (check the endpoint, region and network)`);
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function bucketProblem(store: ObjectStore, bucket: string, err: unknown): string {
  if (err instanceof ObjectStoreError && err.code === 'NotFound') {
    return `${err.message}: check serviceConnection.config.bucketName (${store.kind} storage)`;
  }
  if (err instanceof ObjectStoreError && err.code === 'AccessDenied') {
    return `${err.message}: the credentials may not list bucket "${bucket}"`;
  }
  return describe(err);
}

/**
 * Runs tasks with at most `limit` in flight and yields their results in listing order. When the
 * task source throws, the tasks already started are still yielded, then the error is rethrown.
 */
export async function* runOrdered<T>(source: AsyncIterable<() => Promise<T>>, limit: number): AsyncGenerator<T> {
  const queue: Promise<T>[] = [];
  const it = source[Symbol.asyncIterator]();
  let done = false;
  let error: { err: unknown } | undefined;
  try {
    for (;;) {
      while (!done && queue.length < limit) {
        try {
          const r = await it.next();
          if (r.done) {
            done = true;
            break;
          }
          const p = r.value();
          p.catch(() => undefined);
          queue.push(p);
        } catch (err) {
          error = { err };
          done = true;
        }
      }
      const head = queue.shift();
      if (!head) break;
      yield await head;
    }
  } finally {
    if (!done) await it.return?.();
  }
  if (error) throw error.err;
}

export const datalakeSourceFactory: StepFactory<DatalakeSource> = {
  create: (context) => new DatalakeSource(context),
};
