/**
 * The metadata pipeline: service → databases → one schema per bucket → one table per file (or
 * partitioned folder), through core's DatabaseHierarchy. Also the progress total it will reach.
 */
import type { Either, ListingFailure, OmRecord, TableCandidate } from '@om/core';
import { tableNameFor } from '../discovery';
import { isTableObject, listTables } from '../listing';
import { ObjectStoreError, type ObjectInfo, type ObjectStore } from '../object-store';
import { groupTableFormats, tableFormatMarker, type FolderProbe, type ListingEvent } from '../table-formats';
import { mapListedTable } from './table-mapping';
import { databaseNames, describe, normalizePrefix, type DatalakeRun } from './run';

export class MetadataPipeline {
  /** Objects each bucket's listing delivered (for the message when it dies part-way). */
  private readonly listed = new Map<string, number>();

  constructor(private readonly run: DatalakeRun) {}

  records(): AsyncIterable<Either<OmRecord>> {
    const run = this.run;
    let store: ObjectStore | undefined;
    return run.hierarchy.records({
      service: () => ({
        name: run.serviceName,
        serviceType: 'Datalake',
        connection: { config: (run.context.catalogConnection ?? run.connection) as Record<string, unknown> },
      }),
      databases: async function* () {
        store = await run.getStore();
        yield* databaseNames(run, store);
      },
      schemas: (database) => (run.connection.bucketName ? [run.connection.bucketName] : store!.listBuckets(database.name)),
      tables: (schema) => this.tables(store!, schema.name, schema.fqn),
      listingFailed: (failure) => this.listingFailed(store!, failure),
    });
  }

  /** Pulls the first listing page before the schema is announced (a missing bucket is one failure). */
  private async tables(store: ObjectStore, bucket: string, schemaFqn: string): Promise<AsyncIterable<TableCandidate>> {
    const run = this.run;
    const listed = this.listed;
    const listing = store.listObjects(bucket, normalizePrefix(run.connection.prefix), run.context.signal)[Symbol.asyncIterator]();
    const first = await listing.next();
    listed.set(schemaFqn, 0);
    const objects = (async function* (): AsyncGenerator<ObjectInfo> {
      for (let next = first; !next.done; next = await listing.next()) {
        listed.set(schemaFqn, (listed.get(schemaFqn) ?? 0) + 1);
        yield next.value;
      }
    })();
    const onSkip = (key: string, why: string) => run.context.logger.debug(`Skipping ${bucket}/${key}: ${why}`);
    const candidates = run.sourceConfig.tableFormats === false ? objects : groupTableFormats(objects, { probe: folderProbe(store, bucket, run.context.signal) });
    const tables = listTables(bucket, candidates, { partitionedTables: run.sourceConfig.partitionedTables, includeHiddenFiles: run.sourceConfig.includeHiddenFiles, onSkip });
    return (async function* () {
      for await (const table of tables) yield { name: table.name, produce: ({ schema }) => mapListedTable(run, store, schema.fqn, bucket, table) };
    })();
  }

  private listingFailed(store: ObjectStore, f: ListingFailure): Either<OmRecord> {
    const weight = Math.max(1, f.produced);
    if (f.level === 'schema') {
      if (f.first) return { ok: false, error: { name: 'Bucket', error: `cannot list the buckets of ${store.kind} storage: ${describe(f.error)}` } };
      // As for a bucket listing that dies part-way: the unseen buckets weigh as much as what was read.
      return {
        ok: false,
        error: {
          name: 'Bucket',
          error:
            `the bucket listing of ${store.kind} storage failed after ${f.listed} bucket(s): the other buckets were not seen, so it counts as ` +
            `${weight} failed table(s) (as many as were read): ${describe(f.error)}`,
          weight,
        },
      };
    }
    const bucket = f.scope.name;
    // A bucket that cannot be listed at all is one failure, announced as no schema.
    if (f.first && !this.listed.has(f.scope.fqn)) return { ok: false, error: { name: bucket, error: bucketProblem(store, bucket, f.error) } };
    // How much is left unseen is unknown; counting it as much as was seen keeps the run from
    // passing as a (partial) success on the part it could read.
    return {
      ok: false,
      error: {
        name: bucket,
        error:
          `the listing of bucket "${bucket}" failed after ${this.listed.get(f.scope.fqn) ?? 0} object(s): the rest of the bucket was not seen, so it counts as ${weight} failed ` +
          `table(s) (as many as were read) and no table of this bucket is marked deleted: ${bucketProblem(store, bucket, f.error)}`,
        weight,
      },
    };
  }

  /**
   * Counts what `records()` will yield in a metadata run (service, databases, schemas, tables); one
   * extra listing, counts only, so memory stays flat.
   */
  async countExpectedRecords(): Promise<number | undefined> {
    const run = this.run;
    const h = run.hierarchy;
    const store = await run.getStore();
    const includeTables = run.sourceConfig.includeTables !== false;
    const includeHidden = run.sourceConfig.includeHiddenFiles === true;
    const prefix = normalizePrefix(run.connection.prefix);
    let total = 1; // the service
    for (const database of databaseNames(run, store)) {
      if (h.excludesDatabase(database)) continue;
      total++;
      const buckets = run.connection.bucketName ? [run.connection.bucketName] : store.listBuckets(database);
      for await (const bucket of buckets) {
        if (h.excludesSchema(database, bucket)) continue;
        total++;
        if (!includeTables) continue;
        const objects = store.listObjects(bucket, prefix, run.context.signal);
        const listing: AsyncIterable<ObjectInfo | ListingEvent> =
          run.sourceConfig.tableFormats === false ? objects : groupTableFormats(objects, { probe: folderProbe(store, bucket, run.context.signal) });
        for await (const item of listing) {
          if (run.context.signal.aborted) return undefined;
          const key = 'kind' in item ? (item.kind === 'table' ? item.table.root || bucket : item.object.key) : item.key;
          if (!('kind' in item && item.kind === 'table') && !isTableObject(key, includeHidden)) continue;
          if (!h.excludesTable(database, bucket, tableNameFor(key).name)) total++;
        }
      }
    }
    return total;
  }
}

/** A bucket listing failure, with the config field to check. */
export function bucketProblem(store: ObjectStore, bucket: string, err: unknown): string {
  if (err instanceof ObjectStoreError && err.code === 'NotFound') {
    return `${err.message}: check serviceConnection.config.bucketName (${store.kind} storage)`;
  }
  if (err instanceof ObjectStoreError && err.code === 'AccessDenied') {
    return `${err.message}: the credentials may not list bucket "${bucket}"`;
  }
  return describe(err);
}

/**
 * Looks for a table format's markers in one folder of a bucket: one single-page listing per marker
 * location (Delta log, Iceberg metadata, Hudi timeline), used only when many files wait on a folder.
 */
export function folderProbe(store: ObjectStore, bucket: string, signal?: AbortSignal): FolderProbe {
  /** The first object under `prefix` that `accept` takes, looking at one page at most. */
  const find = async (prefix: string, accept: (key: string) => boolean = () => true): Promise<boolean> => {
    let seen = 0;
    for await (const o of store.listObjects(bucket, prefix, signal)) {
      if (accept(o.key)) return true;
      if (++seen >= 1000) break;
    }
    return false;
  };
  return async (folder) => {
    if (await find(`${folder}/_delta_log/`)) return 'delta';
    if (await find(`${folder}/metadata/`, (key) => tableFormatMarker(key)?.format === 'iceberg')) return 'iceberg';
    if (await find(`${folder}/.hoodie/hoodie.properties`)) return 'hudi';
    return undefined;
  };
}
