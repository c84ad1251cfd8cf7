/**
 * The `metadata-rest` sink: writes the database hierarchy to OpenMetadata.
 *
 * - Service: GET by name, created (PUT) only when absent; an existing service is never overwritten
 *   unless `forceEntityOverwriting`. `storeServiceConnection: false` leaves the connection out.
 * - Databases and schemas: PUT, one by one (their children need them).
 * - Tables: PUT with bounded concurrency (`tableConcurrency`); their outcome is recorded in the status
 *   when the answer arrives, and `finish`/`close` wait for every table in flight.
 * - `delete` records: GET by name, then DELETE by id.
 * - mark-deleted at `finish` for the schemas that asked for it (see mark-deleted.ts).
 * - Records about entities that already exist or stand alone (dbt's data models, table patches,
 *   lineage, tags, test definitions): one writer per record kind in writers/, looked up by kind.
 */
import {
  failureFrom, left, quoteName, recordName, right, tableFqnOf, type CreateTableRequest, type Either, type EntityType,
  type MergedReports, type OmRecord, type ShardSchemaReport, type Sink, type SinkResult, type StepContext,
} from '@om/core';
import { OpenMetadataClient, type ChangeKind, type EntityBase, type PutResult } from './client';
import { ServerDialect } from './compat/dialect';
import {
  DEFAULT_MARK_DELETED_MAX_PERCENT, DEFAULT_TABLE_CONCURRENCY, type MetadataRestSinkConfig,
} from './config';
import { OpenMetadataApiError } from './errors';
import { MarkDeletedTracker, planDeletion } from './mark-deleted';
import { QualityWriter } from './quality-writer';
import { asColumnTags, asSampleData, SampleTagsWriter } from './sample-tags-writer';
import { MetadataRestStatus } from './status';
import { RECORD_WRITERS, type RecordWriter } from './writers';

/** Collection path per entity type. */
export const ENTITY_ROUTES: Record<EntityType, string> = {
  databaseService: 'services/databaseServices',
  database: 'databases',
  databaseSchema: 'databaseSchemas',
  table: 'tables',
};

const COUNT_OF: Record<ChangeKind, 'created' | 'updated' | 'unchanged'> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged',
};

export class MetadataRestSink implements Sink {
  readonly status: MetadataRestStatus;
  private readonly pending = new Set<Promise<void>>();
  /** Writes waiting for a free table slot, woken one per finished PUT. */
  private readonly slotWaiters: (() => void)[] = [];
  private readonly tracker = new MarkDeletedTracker();
  private readonly concurrency: number;
  private readonly maxPercent: number;
  private finished = false;
  private closed = false;
  /** In a shard run: per schema, what this shard saw (finalize deletes, never a shard). */
  private readonly shardReport: Record<string, ShardSchemaReport> = {};
  /** Set by `prepare()`: the connected client and what writes through it. */
  private connection: { client: OpenMetadataClient; dialect: ServerDialect; quality: QualityWriter; sampleTags: SampleTagsWriter } | undefined;

  /** Creating the sink contacts nothing; `prepare()` connects (see `connect`). */
  constructor(
    config: MetadataRestSinkConfig,
    private readonly context: StepContext,
    private readonly connect: () => Promise<OpenMetadataClient>,
  ) {
    const sc = context.workflowConfig.workflowConfig.openMetadataServerConfig!;
    this.status = new MetadataRestStatus(sc.hostPort);
    this.status.redact = (t) => context.masker.redact(t);
    this.concurrency = config.tableConcurrency ?? DEFAULT_TABLE_CONCURRENCY;
    this.maxPercent = config.markDeletedMaxPercent ?? DEFAULT_MARK_DELETED_MAX_PERCENT;
  }

  /** Connects: checks the server's version and that the credentials are accepted (the workflow calls it once). */
  async prepare(): Promise<void> {
    if (this.connection) return;
    const client = await this.connect();
    this.status.details.serverVersion = client.knownServerVersion;
    const dialect = new ServerDialect(client.knownServerVersion, this.context.logger);
    this.connection = { client, dialect, quality: new QualityWriter(client, this.status, dialect), sampleTags: new SampleTagsWriter(client, this.status) };
  }

  private get ready() {
    if (!this.connection) throw new Error('the metadata-rest sink was used before prepare() connected it');
    return this.connection;
  }

  get client(): OpenMetadataClient {
    return this.ready.client;
  }

  /** What the server's version accepts; every body is adapted by it. */
  get dialect(): ServerDialect {
    return this.ready.dialect;
  }

  private get quality(): QualityWriter {
    return this.ready.quality;
  }

  private get sampleTags(): SampleTagsWriter {
    return this.ready.sampleTags;
  }

  private get serverConfig() {
    return this.context.workflowConfig.workflowConfig.openMetadataServerConfig!;
  }

  async write(record: OmRecord): Promise<Either<SinkResult>> {
    switch (record.kind) {
      case 'databaseService':
        return this.guard(record.entity.name, () => this.writeService(record.entity as unknown as Record<string, unknown>));
      case 'database':
        return this.guard(record.entity.name, () => this.putEntity('database', record.entity));
      case 'databaseSchema':
        return this.guard(`${record.entity.database}.${record.entity.name}`, () =>
          this.putEntity('databaseSchema', record.entity),
        );
      case 'table':
        return this.writeTable(record.entity);
      case 'tableUnchanged':
        // Incremental run: nothing to send, but the table exists (mark-deleted keeps it).
        this.tracker.tableSeen(record.databaseSchema, record.fqn);
        this.status.count('table', 'unchanged');
        return right({});
      case 'delete':
        await this.drain();
        return this.guard(record.fqn, () => this.deleteByName(record.entityType, record.fqn, record.recursive ?? true, record.hardDelete ?? false));
      case 'schemaDone': {
        if (this.context.shard) {
          const earlier = this.shardReport[record.databaseSchema];
          const tables = [...(earlier?.tables ?? []), ...this.tracker.seenOf(record.databaseSchema)];
          this.shardReport[record.databaseSchema] = { complete: (earlier?.complete ?? true) && record.complete, markDeletedTables: record.markDeletedTables, tables };
        }
        const what = this.tracker.schemaDone(record.databaseSchema, record.complete, record.markDeletedTables);
        if (what === 'incomplete') {
          this.status.details.markDeletedRefused++;
          this.status.warning(record.databaseSchema, 'mark-deleted skipped for this schema: listing its tables failed, so unseen tables are not known to be gone');
        }
        return right({});
      }
      case 'tableProfile':
        await this.drain();
        return this.guard(record.tableFqn, async () => {
          await this.quality.writeProfile(record.tableFqn, record.profile);
          return {};
        });
      case 'testCaseResults':
        await this.drain();
        return this.guard(record.tableFqn, async () => {
          await this.quality.writeResults(record.tableFqn, record.results);
          return {};
        });
      case 'x-sampleData':
        await this.drain();
        return this.guard(String(record.tableFqn), async () => (await this.sampleTags.writeSampleData(asSampleData(record)), {}));
      case 'x-columnTags':
        await this.drain();
        return this.guard(String(record.tableFqn), async () => (await this.sampleTags.writeColumnTags(asColumnTags(record)), {}));
      case 'profileRequest':
      case 'testSuiteRequest':
        return left(
          record.table.fqn,
          `a ${record.kind} record reached the sink: add processor ${record.kind === 'profileRequest' ? 'orm-profiler' : 'orm-test-runner'} (package @om/profiler) to compute it`,
        );
      default: {
        const writer = RECORD_WRITERS[record.kind] as RecordWriter<typeof record.kind> | undefined;
        if (writer) {
          await this.drain();
          const { client, dialect } = this.ready;
          return this.guard(recordName(record), () => writer(record as never, { client, status: this.status, dialect }));
        }
        return left(
          record.kind,
          `metadata-rest cannot write records of kind "${record.kind}"; the package producing them must also provide a sink for them`,
        );
      }
    }
  }

  /** Runs one synchronous write and turns an error into a per-record failure with the server's message. */
  private async guard(name: string, fn: () => Promise<SinkResult>): Promise<Either<SinkResult>> {
    try {
      return right(await fn());
    } catch (err) {
      const f = failureFrom(name, err, `Failed to ingest ${name}`);
      return left(f.name, this.context.masker.redact(f.error), f.stackTrace && this.context.masker.redact(f.stackTrace));
    }
  }

  private async writeService(entity: Record<string, unknown>): Promise<SinkResult> {
    const name = String(entity.name);
    const fqn = quoteName(name);
    const route = ENTITY_ROUTES.databaseService;
    if (!this.serverConfig.forceEntityOverwriting) {
      const existing = await this.client.getByName<EntityBase>(route, fqn);
      if (existing) {
        this.status.count('databaseService', 'unchanged');
        this.context.logger.debug(`Service ${name} exists (version ${existing.version}); not overwritten (forceEntityOverwriting is off)`);
        return {};
      }
    }
    const body = clean(entity);
    if (this.serverConfig.storeServiceConnection === false) delete body.connection;
    const { change } = await this.putService(route, body);
    this.status.count('databaseService', COUNT_OF[change]);
    return { updated: change === 'updated' };
  }

  /**
   * PUTs the service; a connection field that this server's schema does not know (a newer server's
   * option, named in the 400) is left out and the PUT tried again.
   */
  private async putService(route: string, body: Record<string, unknown>): Promise<PutResult<EntityBase>> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.put(route, body);
      } catch (err) {
        const config = (body.connection as { config?: Record<string, unknown> } | undefined)?.config;
        const field = err instanceof OpenMetadataApiError && err.status === 400 ? /Unrecognized field "([^"]+)"/.exec(err.message)?.[1] : undefined;
        if (attempt >= 10 || !config || !field || !(field in config)) throw err;
        this.context.logger.debug(`OpenMetadata ${this.dialect.version ?? ''} does not know the connection field "${field}"; sending the service without it`);
        delete config[field];
      }
    }
  }

  /**
   * PUT of a body built for this server. A 400 that names a value or field the server refuses is
   * retried with the fallback, once per refusal learnt (a body can hold several).
   */
  private async putAdapted(route: string, build: () => Record<string, unknown>): Promise<PutResult<EntityBase>> {
    for (;;) {
      try {
        return await this.client.put(route, build());
      } catch (err) {
        if (!(err instanceof OpenMetadataApiError && err.status === 400 && this.dialect.learn(err.message))) throw err;
      }
    }
  }

  private async putEntity(type: EntityType, entity: object): Promise<SinkResult> {
    const { change } = await this.putAdapted(ENTITY_ROUTES[type], () => this.dialect.entity(clean(entity)));
    this.status.count(type, COUNT_OF[change]);
    return { updated: change === 'updated' };
  }

  private async writeTable(entity: CreateTableRequest): Promise<Either<SinkResult>> {
    let fqn: string;
    try {
      fqn = tableFqnOf(entity);
    } catch (err) {
      const f = failureFrom(entity.name, err);
      return left(f.name, f.error);
    }
    this.tracker.tableSeen(entity.databaseSchema, fqn);
    // A continuous pool: each finished PUT frees its slot for the next table at once.
    while (this.pending.size >= this.concurrency) await new Promise<void>((wake) => this.slotWaiters.push(wake));
    // The PUT finishes later; the workflow counts the record when `pending` settles.
    const outcome: Promise<Either<SinkResult>> = this.putAdapted(ENTITY_ROUTES.table, () => this.dialect.table(clean(entity), fqn)).then(
      ({ change }): Either<SinkResult> => {
        this.status.count('table', COUNT_OF[change]);
        return right({ updated: change === 'updated' });
      },
      (err): Either<SinkResult> => {
        const f = failureFrom(fqn, err, `Failed to ingest ${fqn}`);
        return left(f.name, this.context.masker.redact(f.error), f.stackTrace && this.context.masker.redact(f.stackTrace));
      },
    );
    const release = (): void => {
      this.pending.delete(p);
      this.slotWaiters.shift()?.();
    };
    const p: Promise<void> = outcome.then(release, release);
    this.pending.add(p);
    return right({ pending: outcome });
  }

  private async deleteByName(type: EntityType, fqn: string, recursive: boolean, hardDelete: boolean): Promise<SinkResult> {
    const route = ENTITY_ROUTES[type];
    const entity = await this.client.getByName<EntityBase>(route, fqn);
    if (!entity) {
      this.status.warning(fqn, `${type} ${fqn} is not on the server (or already deleted); nothing to delete`);
      return {};
    }
    await this.client.delete(`${route}/${entity.id}`, { recursive, hardDelete });
    this.status.count(type, 'deleted');
    return {};
  }

  /** Waits for every table PUT in flight. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  async finish({ runFailed }: { runFailed: boolean }): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.drain();
    const schemas = this.tracker.take();
    if (this.context.shard) {
      // A shard saw only part of each schema: `finalize` decides, from every shard's report.
      this.context.logger.info(`Shard ${this.context.shard.index} of ${this.context.shard.of}: mark-deleted is left to metadata finalize`);
    } else if (schemas.length > 0) {
      if (runFailed || this.status.errors > 0) {
        this.status.details.markDeletedRefused += schemas.length;
        this.status.warning(
          'mark-deleted',
          `skipped for ${schemas.length} schema(s): the run had failures, so tables missing from it are not known to be gone`,
        );
      } else {
        for (const { schema, seen } of schemas) await this.markDeleted(schema, seen);
      }
    }
    const t = this.status.totals();
    this.context.logger.info(
      `OpenMetadata ${this.status.details.server}: ${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged, ${t.deleted} deleted`,
    );
  }

  shardSchemas(): Record<string, ShardSchemaReport> {
    return this.shardReport;
  }

  /** `metadata finalize`: mark-deleted for each schema that every shard of the plan listed completely. */
  async finalizeShards(merged: MergedReports): Promise<void> {
    if (merged.missing.length > 0) {
      this.status.warning('finalize', `no report from shard(s) ${merged.missing.join(', ')}: their schemas keep every table`);
    }
    for (const schema of merged.schemas) {
      if (!schema.markDeletedTables) continue;
      if (schema.blockedBy.length > 0) {
        this.status.details.markDeletedRefused++;
        this.status.warning(schema.fqn, `mark-deleted skipped: ${schema.blockedBy.join('; ')}; run those shards again, then finalize`);
        continue;
      }
      await this.markDeleted(schema.fqn, schema.seen);
    }
    const t = this.status.totals();
    this.context.logger.info(`OpenMetadata ${this.status.details.server}: finalize deleted ${t.deleted} table(s)`);
  }

  private async markDeleted(schema: string, seen: Set<string>): Promise<void> {
    const serverTables: { id: string; fullyQualifiedName: string }[] = [];
    try {
      const prefix = `${schema}.`.toLowerCase();
      for await (const t of this.client.listAll<EntityBase>(ENTITY_ROUTES.table, { databaseSchema: schema, include: 'non-deleted' })) {
        // Defensive: keep only direct children of this schema, whatever the server's filter did.
        const fqn = t.fullyQualifiedName;
        if (typeof fqn === 'string' && fqn.toLowerCase().startsWith(prefix) && isDirectChild(schema, fqn) && !t.deleted) {
          serverTables.push({ id: t.id, fullyQualifiedName: fqn });
        }
      }
    } catch (err) {
      const f = failureFrom(schema, err, `mark-deleted: cannot list the tables of ${schema}`);
      this.status.failed({ name: f.name, error: this.context.masker.redact(f.error) });
      return;
    }
    const plan = planDeletion(schema, seen, serverTables, this.maxPercent);
    if (plan.stale.length === 0) return;
    if (plan.refused) {
      this.status.details.markDeletedRefused++;
      const message =
        `mark-deleted refused for schema ${schema}: ${plan.stale.length} of its ${plan.serverTables} tables ` +
        `(${plan.percent.toFixed(1)} %) were not seen in this run, more than markDeletedMaxPercent (${this.maxPercent} %). ` +
        'Nothing was deleted. If they are really gone, raise sink.config.markDeletedMaxPercent for one run.';
      this.status.warning(schema, message);
      this.context.logger.warn(message);
      return;
    }
    this.context.logger.info(`mark-deleted: soft-deleting ${plan.stale.length} of ${plan.serverTables} tables of ${schema}`);
    const queue = [...plan.stale];
    const worker = async (): Promise<void> => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        try {
          await this.client.delete(`${ENTITY_ROUTES.table}/${t.id}`, { recursive: true, hardDelete: false });
          this.status.scanned(t.fullyQualifiedName);
          this.status.count('table', 'deleted');
        } catch (err) {
          const f = failureFrom(t.fullyQualifiedName, err, `mark-deleted: cannot delete ${t.fullyQualifiedName}`);
          this.status.failed({ name: f.name, error: this.context.masker.redact(f.error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    this.connection?.client.close();
  }
}

function isDirectChild(schema: string, fqn: string): boolean {
  const rest = fqn.slice(schema.length + 1);
  // One more name part: unquoted without dots, or a single quoted part.
  return rest.length > 0 && (/^"[^"]+"$/.test(rest) || !/[."]/.test(rest));
}

/** A request body without undefined values and without `extension` (which OpenMetadata only accepts for defined custom properties). */
function clean(entity: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = entity as Record<string, unknown>;
  for (const k of Object.keys(source)) {
    const v = source[k];
    if (v === undefined || k === 'extension') continue;
    if (k === 'tableConstraints' && (v === null || (Array.isArray(v) && v.length === 0))) continue;
    out[k] = v;
  }
  return out;
}
