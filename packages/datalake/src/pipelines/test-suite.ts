/** The test-suite pipeline: the one table named by `entityFullyQualifiedName`, as a test-suite request. */
import { ConfigError, left, OmError, right, splitFqn, type Column, type Either, type OmRecord, type TableDataRequest } from '@om/core';
import { checkedReads } from '../checked-reads';
import type { TestSuitePipelineConfig } from '../config';
import { formatOf } from '../formats/registry';
import { ObjectStoreError } from '../object-store';
import { readFileSchema } from '../formats/schema';
import { dataRequest, fileProblem } from './table-mapping';
import { describe, keyFromTableName, type DatalakeRun } from './run';

export class TestSuitePipeline {
  constructor(private readonly run: DatalakeRun) {}

  async *records(): AsyncIterable<Either<OmRecord>> {
    const run = this.run;
    const fqn = (run.sourceConfig as unknown as TestSuitePipelineConfig).entityFullyQualifiedName;
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
    const [service] = parts;
    if (service !== run.serviceName) {
      run.status.warning(fqn, `the table belongs to service ${service}, not ${run.serviceName}; reading it through this source's connection`);
    }
    const opened = await this.open(fqn, parts);
    if ('failure' in opened) {
      yield opened.failure;
      return;
    }
    // tableDiff reads a second table of the source by its FQN.
    opened.table.related = async (other: string) => {
      let otherParts: string[];
      try {
        otherParts = splitFqn(other);
      } catch {
        return undefined;
      }
      if (otherParts.length !== 4) return undefined;
      const r = await this.open(other, otherParts);
      if ('failure' in r) {
        if (r.notFound) return undefined;
        throw new OmError(r.failure.ok ? other : r.failure.error.error);
      }
      return r.table;
    };
    yield right<OmRecord>({ kind: 'testSuiteRequest', table: opened.table });
  }

  /** The table named by a 4-part FQN, as a data request, or the failure to report. */
  private async open(fqn: string, parts: string[]): Promise<{ table: TableDataRequest } | { failure: Either<OmRecord>; notFound?: boolean }> {
    const run = this.run;
    const [service, , bucket, name] = parts;
    const catalog = run.catalog();
    let columns: Column[] | undefined;
    if (catalog) {
      const found = await catalog.getTable(fqn);
      if (!found) {
        return { failure: left(fqn, `table ${fqn} does not exist in OpenMetadata; run the metadata ingestion for service ${service} first`), notFound: true };
      }
      columns = found.columns;
    }
    const key = keyFromTableName(name);
    const format = formatOf(key);
    if (!format) {
      return { failure: left(fqn, `table ${fqn} is not a file this source reads (key ${key} has no supported extension)`) };
    }
    const store = await run.getStore();
    try {
      const size = await store.objectSize(bucket, key);
      if (size === 0) {
        return { failure: left(fqn, `table ${fqn}: the file ${bucket}/${key} is empty`) };
      }
      const file = checkedReads(store, bucket, key, size, { signal: run.context.signal });
      if (!columns || columns.length === 0) columns = (await readFileSchema(file, bucket, key, size, format, run.options)).columns;
      return { table: await dataRequest(run, file, bucket, key, size, format, fqn, name, columns) };
    } catch (err) {
      if (err instanceof ObjectStoreError && err.code === 'NotFound') {
        return { failure: left(fqn, `table ${fqn} does not exist: no object ${key} in bucket ${bucket} (${store.kind} storage)`), notFound: true };
      }
      return { failure: fileProblem(fqn, `${bucket}/${key}`, format, err) };
    }
  }
}
