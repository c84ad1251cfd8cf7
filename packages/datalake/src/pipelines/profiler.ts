/**
 * The profiler pipeline with a catalog (an OpenMetadata sink): the tables the service has on the
 * server, mapped back to bucket + key, filtered like the metadata run, each a profile request.
 * Without a catalog the source lists the storage instead (the metadata pipeline in Profiler mode).
 */
import { inShard, left, right, runOrdered, splitFqn, type Column, type Either, type OmRecord, type TableCatalog } from '@om/core';
import { checkedReads } from '../checked-reads';
import { formatOf } from '../formats/registry';
import type { ObjectStore } from '../object-store';
import { readFileSchema } from '../formats/schema';
import { dataRequest, fileProblem } from './table-mapping';
import { describe, keyFromTableName, type DatalakeRun } from './run';

type Task = () => Promise<Either<OmRecord>[]>;

export class CatalogProfilerPipeline {
  constructor(
    private readonly run: DatalakeRun,
    private readonly catalog: TableCatalog,
  ) {}

  async *records(): AsyncIterable<Either<OmRecord>> {
    const run = this.run;
    const store = await run.getStore();
    const self = this;
    const tasks = (async function* (): AsyncIterable<Task> {
      for await (const t of self.catalog.listTables(run.serviceName, run.context.signal)) {
        if (run.context.signal.aborted) return;
        const task = self.tableTask(store, t.fullyQualifiedName, t.columns);
        if (task) yield task;
      }
    })();
    try {
      for await (const result of runOrdered(tasks, run.concurrency)) yield* result;
    } catch (err) {
      yield left(run.serviceName, `cannot list the tables of service ${run.serviceName} in OpenMetadata: ${describe(err)}`);
    }
  }

  private tableTask(store: ObjectStore, fqn: string, columns: Column[]): Task | undefined {
    const run = this.run;
    let parts: string[];
    try {
      parts = splitFqn(fqn);
    } catch (err) {
      run.status.warning(fqn, `not a table FQN this source can map to a file: ${describe(err)}`);
      return undefined;
    }
    if (parts.length !== 4) {
      run.status.warning(fqn, 'not a service.database.bucket.table FQN: skipped');
      return undefined;
    }
    const [, database, bucket, name] = parts;
    if (run.connection.bucketName && run.connection.bucketName !== bucket && !run.hierarchy.excludesDatabase(database)) {
      run.status.filter(fqn, run.hierarchy.reason('schema'));
      return undefined;
    }
    if (run.hierarchy.filterTable(database, bucket, name)) return undefined;
    const key = keyFromTableName(name);
    // A shard run profiles only the tables whose keys fall in its ranges (another shard has the rest).
    const shard = run.context.shard;
    if (shard && !inShard(shard.ranges, bucket, key, database)) return undefined;
    const format = formatOf(key);
    if (!format) {
      run.status.warning(fqn, 'the table is not one file (a partitioned folder, or a long key stored as a hash): not profiled');
      return undefined;
    }
    return async () => {
      try {
        const size = await store.objectSize(bucket, key);
        if (size === 0) {
          run.status.warning(fqn, 'the file is empty: not profiled');
          return [];
        }
        const file = checkedReads(store, bucket, key, size, { signal: run.context.signal });
        const cols = columns.length > 0 ? columns : (await readFileSchema(file, bucket, key, size, format, run.options)).columns;
        const table = await dataRequest(run, file, bucket, key, size, format, fqn, name, cols);
        return [right<OmRecord>({ kind: 'profileRequest', table })];
      } catch (err) {
        return [fileProblem(fqn, `${bucket}/${key}`, format, err)];
      }
    };
  }
}
