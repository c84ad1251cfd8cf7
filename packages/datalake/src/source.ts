/**
 * The Datalake source step: service → database → one schema per bucket → one table per supported
 * file (or per Hive-partitioned folder, opt-in), as OpenMetadata's DatalakeSource yields them. The
 * step parses the config and owns the store; the pipeline of its mode yields the records
 * (pipelines/metadata.ts, pipelines/profiler.ts, pipelines/test-suite.ts).
 */
import {
  CompiledFilter,
  ConfigError,
  DatabaseHierarchy,
  StepStatus,
  TABLE_CATALOG,
  assertConnectionChecks,
  runConnectionChecks,
  type ConnectionCheck,
  type Either,
  type OmRecord,
  type RunFileStore,
  type ShardRange,
  type Source,
  type StepContext,
  type StepFactory,
  type TableCatalog,
} from '@om/core';
import {
  DEFAULT_READ_CONCURRENCY,
  checkPipelineFields,
  readOptionsFrom,
  type DatabaseMetadataConfig,
  type DatalakeConnection,
  type ProfilerPipelineConfig,
  type ReadOptions,
} from './config';
import { datalakeConnectionChecks } from './connection-checks';
import type { ObjectStore } from './object-store';
import { CatalogProfilerPipeline } from './pipelines/profiler';
import { MetadataPipeline } from './pipelines/metadata';
import { TestSuitePipeline } from './pipelines/test-suite';
import type { DatalakeRun, SourceMode } from './pipelines/run';
import { storeRunFiles } from './run-files';
import { openObjectStore, storeKindIn, storeScheme } from './store-choice';

export { DEFAULT_DATABASE, keyFromTableName, normalizePrefix, type SourceMode } from './pipelines/run';

/** OpenMetadata's filter reasons of the Datalake source. */
export const FILTER_REASONS = {
  database: 'Database Filtered Out',
  schema: 'Bucket Filtered Out',
  table: 'Object Filtered Out',
} as const;

export class DatalakeSource implements Source, DatalakeRun {
  readonly status: StepStatus;
  readonly mode: SourceMode;
  readonly serviceName: string;
  readonly connection: DatalakeConnection;
  readonly sourceConfig: DatabaseMetadataConfig;
  readonly options: ReadOptions;
  readonly hierarchy: DatabaseHierarchy;
  private store: ObjectStore | undefined;
  private catalogInstance: TableCatalog | undefined | null = null;
  private readonly metadata: MetadataPipeline;

  constructor(readonly context: StepContext) {
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
    this.mode = context.type === 'testsuite' || type === 'TestSuite' ? 'TestSuite' : type === 'Profiler' || type === 'AutoClassification' ? 'Profiler' : 'DatabaseMetadata';
    this.status = new StepStatus(`Source ${context.type}`);
    this.options = readOptionsFrom(this.sourceConfig);
    const sc = this.sourceConfig;
    // Patterns may be in sourceConfig (OpenMetadata's place) or, in newer versions, the connection.
    this.hierarchy = new DatabaseHierarchy({
      serviceName: this.serviceName,
      status: this.status,
      signal: context.signal,
      filters: {
        database: new CompiledFilter(sc.databaseFilterPattern ?? connection.databaseFilterPattern, 'source.sourceConfig.config.databaseFilterPattern'),
        schema: new CompiledFilter(sc.schemaFilterPattern ?? connection.schemaFilterPattern, 'source.sourceConfig.config.schemaFilterPattern'),
        table: new CompiledFilter(sc.tableFilterPattern ?? connection.tableFilterPattern, 'source.sourceConfig.config.tableFilterPattern'),
      },
      useFqnForFiltering: sc.useFqnForFiltering === true,
      includeTables: sc.includeTables !== false,
      markDeletedTables: sc.markDeletedTables !== false,
      concurrency: this.concurrency,
      nouns: { schema: 'Bucket', table: 'Object' },
    });
    this.metadata = new MetadataPipeline(this);
  }

  /** The object store for the configured configSource (resolved once). */
  async getStore(): Promise<ObjectStore> {
    if (this.store) return this.store;
    this.store = await openObjectStore(this.context, this.connection);
    return this.store;
  }

  connectionChecks(): ConnectionCheck[] {
    const kind = storeKindIn(this.context, this.connection);
    return datalakeConnectionChecks(kind, storeScheme(this.context, kind), this.connection, () => this.getStore(), this.context.signal);
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

  /** Run files at URLs of this source's store (`s3://...` for an S3 connection). */
  runFiles(scheme: string): RunFileStore | undefined {
    const kind = storeKindIn(this.context, this.connection);
    return storeScheme(this.context, kind) === `${scheme}://` ? storeRunFiles(() => this.getStore(), scheme) : undefined;
  }

  /** Metadata runs read only new or changed tables when given a state (`--state`). */
  get incremental(): boolean {
    return this.mode === 'DatabaseMetadata';
  }

  /** Buckets cut at their top-level folders, for `metadata plan`. */
  shardUnits(): Promise<ShardRange[]> {
    return this.metadata.shardUnits();
  }

  /** Counts what `records()` will yield in a metadata run; undefined where a count would be a guess. */
  async countExpectedRecords(): Promise<number | undefined> {
    // Partition groups and Profiler/TestSuite runs do not map one object to one record; a shard's share is not counted.
    if (this.mode !== 'DatabaseMetadata' || this.sourceConfig.partitionedTables === true || this.context.shard) return undefined;
    return this.metadata.countExpectedRecords();
  }

  async *records(): AsyncIterable<Either<OmRecord>> {
    if (this.mode === 'TestSuite') {
      yield* new TestSuitePipeline(this).records();
      return;
    }
    if (this.mode === 'Profiler') {
      const catalog = this.catalog();
      if (catalog) {
        yield* new CatalogProfilerPipeline(this, catalog).records();
        return;
      }
      // No catalog bound (file/console sink): the tables come from the storage listing.
      for await (const item of this.metadata.records()) {
        if (!item.ok || item.value.kind === 'profileRequest') yield item;
      }
      return;
    }
    yield* this.metadata.records();
  }

  /** The catalog bound by a sink plugin (OpenMetadata), if any; resolved once. */
  catalog(): TableCatalog | undefined {
    if (this.catalogInstance !== null) return this.catalogInstance;
    this.catalogInstance = this.context.container.isRegistered(TABLE_CATALOG, true) ? this.context.container.resolve(TABLE_CATALOG) : undefined;
    return this.catalogInstance;
  }

  get concurrency(): number {
    const profiler = this.sourceConfig as unknown as ProfilerPipelineConfig;
    if (this.mode === 'Profiler' && profiler.threadCount) return Math.max(1, Math.floor(profiler.threadCount));
    return this.sourceConfig.readConcurrency ?? DEFAULT_READ_CONCURRENCY;
  }

  async close(): Promise<void> {
    await this.store?.close?.();
    this.store = undefined;
    await this.catalogInstance?.close?.();
  }
}

export const datalakeSourceFactory: StepFactory<DatalakeSource> = {
  create: (context) => new DatalakeSource(context),
};
