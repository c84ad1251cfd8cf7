/**
 * From a listed file to the records of its table: the schema read from the file, then a
 * CreateTableRequest (metadata) or a profile/test request carrying a way to read the rows.
 */
import { buildFqn, failureFrom, left, right, type Column, type CreateTableRequest, type Either, type OmRecord } from '@om/core';
import type { ProfilerPipelineConfig, TestSuitePipelineConfig } from '../config';
import { checkedReads } from '../checked-reads';
import type { FormatInfo } from '../formats/registry';
import type { ListedTable } from '../listing';
import { ObjectStoreError, type ObjectStore } from '../object-store';
import { readFileSchema } from '../formats/schema';
import { EmptyFileError, FileReadError } from '../io/errors';
import { tableDataRequest } from '../formats/table-data';
import { DEFAULT_SAMPLE_SEED } from '../formats/sampling';
import { FORMAT_NAMES, readLakehouseTable, TableFormatError, type TableFormatRoot } from '../table-formats';
import type { DatalakeRun } from './run';

/** Sampling for one table: the processor's `tableConfig` entry wins over the pipeline's. */
function samplingFor(run: DatalakeRun, fqn: string): { profileSample?: number; profileSampleType?: 'PERCENTAGE' | 'ROWS'; seed: number } | undefined {
  const pc = run.sourceConfig as unknown as ProfilerPipelineConfig | TestSuitePipelineConfig;
  const tableConfigs = (run.context.workflowConfig.processor?.config as { tableConfig?: unknown } | undefined)?.tableConfig;
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

/** The rows of one file as a profiler/test-runner request. */
export function dataRequest(run: DatalakeRun, file: ObjectStore, bucket: string, key: string, size: number, format: FormatInfo, fqn: string, name: string, columns: Column[]) {
  const profiler = run.sourceConfig as unknown as ProfilerPipelineConfig;
  return tableDataRequest(
    { store: file, bucket, key, size, format },
    {
      fqn,
      name,
      columns,
      fileFormat: format.fileFormat,
      sampling: samplingFor(run, fqn),
      useFooterStatistics: profiler.useFooterStatistics !== false,
      timeoutSeconds: run.mode === 'Profiler' ? profiler.timeoutSeconds : undefined,
    },
  );
}

/** A file behind a known table that cannot be read, as one failure naming the file and why. */
export function fileProblem(label: string, where: string, format: FormatInfo, err: unknown): Either<OmRecord> {
  if (err instanceof FileReadError) return left(label, `cannot read ${where} as ${format.fileFormat}: ${err.message}`);
  if (err instanceof EmptyFileError) return left(label, `${where}: ${err.message}`);
  if (err instanceof ObjectStoreError) return left(label, err.code === 'NotFound' ? `${err.message}: the file behind the table is gone` : err.message);
  const failure = failureFrom(label, err, `unexpected error reading ${where}`);
  return left(failure.name, failure.error, failure.stackTrace);
}

/** The records of one listed table: a table create request, or a profile request in Profiler mode. */
export async function mapListedTable(run: DatalakeRun, store: ObjectStore, schemaFqn: string, bucket: string, listed: ListedTable): Promise<Either<OmRecord>[]> {
  if (listed.lakehouse) return lakehouseTable(run, store, schemaFqn, bucket, listed, listed.lakehouse);
  const out = await fileTable(run, store, schemaFqn, bucket, listed);
  const group = listed.partitions;
  if (!group) return out;
  return out.map((item) => {
    if (!item.ok || item.value.kind !== 'table') return item;
    const entity = item.value.entity;
    entity.columns = [...entity.columns, ...group.partitionColumns(entity.columns)];
    entity.tableType = 'Partitioned';
    entity.tablePartition = group.tablePartition();
    return item;
  });
}

async function fileTable(run: DatalakeRun, store: ObjectStore, schemaFqn: string, bucket: string, listed: ListedTable): Promise<Either<OmRecord>[]> {
  const { object, format } = listed;
  const label = `${bucket}/${object.key}`;
  // Reads resume after a broken body and must deliver the listed size (see checked-reads.ts).
  const file = checkedReads(store, bucket, object.key, object.size, { signal: run.context.signal });
  try {
    const schema = await readFileSchema(file, bucket, object.key, object.size, format, run.options);
    for (const w of schema.warnings) run.status.warning(label, w);
    if (run.mode === 'Profiler') {
      const fqn = `${schemaFqn}.${buildFqn(listed.name)}`;
      const table = await dataRequest(run, file, bucket, object.key, object.size, format, fqn, listed.name, schema.columns);
      return [right<OmRecord>({ kind: 'profileRequest', table })];
    }
    const entity: CreateTableRequest = {
      name: listed.name,
      ...(listed.displayName ? { displayName: listed.displayName } : {}),
      tableType: 'Regular',
      columns: schema.columns,
      databaseSchema: schemaFqn,
      fileFormat: format.fileFormat,
    };
    return [right<OmRecord>({ kind: 'table', entity })];
  } catch (err) {
    if (err instanceof EmptyFileError) {
      run.status.warning(label, `${err.message}: no table created`);
      return [];
    }
    if (err instanceof FileReadError) return [left(label, `cannot read it as ${format.fileFormat}: ${err.message}`)];
    if (err instanceof ObjectStoreError) return [left(label, err.code === 'NotFound' ? `${err.message} (deleted since it was listed?)` : err.message)];
    const failure = failureFrom(label, err, `unexpected error reading ${format.fileFormat}`);
    return [left(failure.name, failure.error, failure.stackTrace)];
  }
}

/** URL schemes of a table's location, per store kind (OpenMetadata's `locationPath`). */
const LOCATION_SCHEMES: Record<string, string> = { s3: 's3', gcs: 'gs', azure: 'abfss', local: 'file' };

/** A Delta Lake / Iceberg / Hudi folder: one table from the format's metadata; its data files are not read. */
async function lakehouseTable(run: DatalakeRun, store: ObjectStore, schemaFqn: string, bucket: string, listed: ListedTable, found: TableFormatRoot): Promise<Either<OmRecord>[]> {
  const label = `${bucket}/${found.root}`;
  if (run.mode !== 'DatabaseMetadata') {
    run.status.warning(label, `${FORMAT_NAMES[found.format]} tables are not profiled or tested yet: their data files are not read`);
    return [];
  }
  try {
    const table = await readLakehouseTable({ store, bucket, signal: run.context.signal }, found);
    const scheme = LOCATION_SCHEMES[store.kind] ?? store.kind;
    const entity: CreateTableRequest = {
      name: listed.name,
      ...(listed.displayName ? { displayName: listed.displayName } : {}),
      tableType: table.tableType,
      columns: table.columns,
      databaseSchema: schemaFqn,
      ...(table.partition ? { tablePartition: table.partition } : {}),
      ...(table.description ? { description: table.description } : {}),
      locationPath: `${scheme}://${bucket}${found.root ? `/${found.root}` : ''}`,
      // Format facts (version, snapshot, properties): kept by the file and console sinks.
      extension: { tableFormat: found.format, ...table.properties },
    };
    return [right<OmRecord>({ kind: 'table', entity })];
  } catch (err) {
    if (err instanceof TableFormatError) return [left(label, err.message)];
    if (err instanceof ObjectStoreError) return [left(label, err.message)];
    const failure = failureFrom(label, err, `unexpected error reading the ${FORMAT_NAMES[found.format]} metadata`);
    return [left(failure.name, failure.error, failure.stackTrace)];
  }
}
