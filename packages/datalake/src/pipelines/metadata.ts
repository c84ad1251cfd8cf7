/**
 * The metadata pipeline: service → databases → one schema per bucket → one table per file (or
 * partitioned folder), through core's DatabaseHierarchy. Also the progress total it will reach.
 */
import {
  folderUnits, left, right, type Either, type IncrementalLookup, type ListingFailure, type OmRecord, type ShardRange, type TableCandidate, type TableFingerprint,
} from '@om/core';
import { tableNameFor } from '../discovery';
import { isTableObject, listTables, type ListedTable } from '../listing';
import { ObjectStoreError, type ObjectInfo, type ObjectStore } from '../object-store';
import { groupTableFormats, tableFormatMarker, type FolderProbe, type ListingEvent } from '../table-formats';
import { tableFingerprint } from './fingerprint';
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
      schemas: (database) => this.shardBuckets(database.name, run.connection.bucketName ? [run.connection.bucketName] : store!.listBuckets(database.name)),
      tables: (schema) => this.tables(store!, schema.name, schema.fqn, schema.database.name),
      listingFailed: (failure) => this.listingFailed(store!, failure),
    });
  }

  /** In a shard run, only the buckets the shard has ranges of. */
  private async *shardBuckets(database: string, buckets: Iterable<string> | AsyncIterable<string>): AsyncGenerator<string> {
    const shard = this.run.context.shard;
    for await (const bucket of buckets) {
      if (!shard || shard.ranges.some((r) => r.schema === bucket && (r.database === undefined || r.database === database))) yield bucket;
    }
  }

  /**
   * The listing of a bucket, or in a shard run of its ranges only (each from its first key; a store
   * that ignores `startAfter` is skipped through), in key order.
   */
  private async *objectsOf(store: ObjectStore, bucket: string, database: string): AsyncGenerator<ObjectInfo> {
    const prefix = normalizePrefix(this.run.connection.prefix);
    const signal = this.run.context.signal;
    const shard = this.run.context.shard;
    if (!shard) {
      yield* store.listObjects(bucket, prefix, signal);
      return;
    }
    for (const range of shard.ranges.filter((r) => r.schema === bucket && (r.database === undefined || r.database === database))) {
      // A range starts at a folder boundary (`raw/b/`), which is no object key: StartAfter it is exact.
      for await (const o of store.listObjects(bucket, prefix, signal, range.from !== undefined ? { startAfter: range.from } : undefined)) {
        if (range.from !== undefined && o.key < range.from) continue;
        if (range.to !== undefined && o.key >= range.to) break;
        yield o;
      }
    }
  }

  /** Pulls the first listing page before the schema is announced (a missing bucket is one failure). */
  private async tables(store: ObjectStore, bucket: string, schemaFqn: string, database: string): Promise<AsyncIterable<TableCandidate>> {
    const run = this.run;
    const listed = this.listed;
    const listing = this.objectsOf(store, bucket, database)[Symbol.asyncIterator]();
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
    const incremental = run.mode === 'DatabaseMetadata' ? run.context.incremental : undefined;
    return (async function* () {
      for await (const table of tables) {
        yield {
          name: table.name,
          produce: ({ fqn, schema }) => (incremental ? incrementalTable(run, store, bucket, table, fqn, schema.fqn, incremental) : mapListedTable(run, store, schema.fqn, bucket, table)),
        };
      }
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
   * The work cut into units for a shard plan, from cheap facts: every bucket (after the filters), cut
   * at its top-level folders under the prefix (a delimiter listing where the store has one, else
   * derived from a listing), so no folder — and no table — is split.
   */
  async shardUnits(): Promise<ShardRange[]> {
    const run = this.run;
    const h = run.hierarchy;
    const store = await run.getStore();
    const prefix = normalizePrefix(run.connection.prefix);
    const units: ShardRange[] = [];
    for (const database of databaseNames(run, store)) {
      if (h.excludesDatabase(database)) continue;
      const buckets = run.connection.bucketName ? [run.connection.bucketName] : store.listBuckets(database);
      for await (const bucket of buckets) {
        if (h.excludesSchema(database, bucket)) continue;
        const folders: string[] = [];
        if (store.listFolders) {
          for await (const f of store.listFolders(bucket, prefix, run.context.signal)) folders.push(f);
        } else {
          let last: string | undefined;
          for await (const o of store.listObjects(bucket, prefix, run.context.signal)) {
            const rest = o.key.slice(prefix.length);
            const slash = rest.indexOf('/');
            if (slash > 0 && rest.slice(0, slash) !== last) folders.push((last = rest.slice(0, slash)));
          }
        }
        units.push(...folderUnits(bucket, prefix, folders, database));
      }
    }
    return units;
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

/**
 * A table in an incremental run: not read when its objects are what they were when it was last
 * written (a `tableUnchanged` record keeps it known); else read, its record carrying the fingerprint.
 */
async function incrementalTable(run: DatalakeRun, store: ObjectStore, bucket: string, table: ListedTable, fqn: string, schemaFqn: string, state: IncrementalLookup): Promise<Either<OmRecord>[]> {
  let fingerprint: TableFingerprint;
  try {
    fingerprint = await tableFingerprint(table, store, bucket, run.context.signal);
  } catch (err) {
    return [left(`${bucket}/${table.object.key}`, `cannot list the table's log to see whether it changed: ${describe(err)}`)];
  }
  if (state.previous(fqn) === fingerprint.fingerprint) return [right<OmRecord>({ kind: 'tableUnchanged', databaseSchema: schemaFqn, fqn, fingerprint })];
  const out = await mapListedTable(run, store, schemaFqn, bucket, table);
  return out.map((item) => (item.ok && item.value.kind === 'table' ? right<OmRecord>({ ...item.value, fingerprint }) : item));
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
