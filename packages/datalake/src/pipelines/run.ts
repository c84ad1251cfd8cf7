/**
 * What the Datalake pipelines (metadata, profiler, test suite) share: the parsed config, the store,
 * the catalog and the hierarchy helper. The source step builds one and hands it to the pipeline of
 * its mode.
 */
import type { DatabaseHierarchy, StepContext, StepStatus, TableCatalog } from '@om/core';
import type { DatabaseMetadataConfig, DatalakeConnection, ReadOptions } from '../config';
import type { ObjectStore } from '../object-store';

/** What the source yields: create requests (metadata), tables to profile, or one table to test. */
export type SourceMode = 'DatabaseMetadata' | 'Profiler' | 'TestSuite';

export interface DatalakeRun {
  readonly context: StepContext;
  readonly mode: SourceMode;
  readonly serviceName: string;
  readonly connection: DatalakeConnection;
  readonly sourceConfig: DatabaseMetadataConfig;
  readonly options: ReadOptions;
  readonly status: StepStatus;
  readonly hierarchy: DatabaseHierarchy;
  /** Tables read at once. */
  readonly concurrency: number;
  getStore(): Promise<ObjectStore>;
  /** The catalog a sink plugin bound (OpenMetadata), if any. */
  catalog(): TableCatalog | undefined;
}

export const DEFAULT_DATABASE = 'default';

/** The databases of the store (Azure: one per account), else the configured or default name. */
export function databaseNames(run: DatalakeRun, store: ObjectStore): string[] {
  return store.databaseNames?.() ?? [run.connection.databaseName || DEFAULT_DATABASE];
}

/** S3-style prefix: a non-empty prefix gets a trailing `/` (so `data` lists `data/...`, not `database/`). */
export function normalizePrefix(prefix: string | undefined): string {
  const p = (prefix ?? '').replace(/^\/+/, '');
  return p === '' || p.endsWith('/') ? p : `${p}/`;
}

/** Reverses OpenMetadata's reserved-character markers in a table name to get the object key back. */
export function keyFromTableName(name: string): string {
  return name.replace(/__reserved__colon__/g, '::').replace(/__reserved__arrow__/g, '>').replace(/__reserved__quote__/g, '"');
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
