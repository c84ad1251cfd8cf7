/**
 * Lakehouse table formats found while listing a bucket: a folder that holds a Delta log, Iceberg
 * metadata or a Hudi timeline is one table, whatever number of data files it has. Each format's
 * reader takes its schema from the format's own metadata, never from the data files.
 */
import { OmError, type Column, type TablePartition, type TableType } from '@om/core';
import type { ObjectInfo, ObjectStore } from '@om/object-store';

export type TableFormatKind = 'delta' | 'iceberg' | 'hudi';

/** A table found in a bucket: its folder and the format its marker objects say. */
export interface TableFormatRoot {
  format: TableFormatKind;
  /** Folder of the table inside the bucket, without a trailing `/` (`''` for the bucket root). */
  root: string;
}

/** What a format's metadata says about its table. */
export interface LakehouseTable {
  format: TableFormatKind;
  columns: Column[];
  partition?: TablePartition;
  tableType: TableType;
  description?: string;
  /** Format facts worth keeping (table properties, current snapshot/version). */
  properties: Record<string, string>;
}

/** Where a format reader reads from: one bucket of a store. */
export interface TableFormatIO {
  store: ObjectStore;
  bucket: string;
  signal?: AbortSignal;
}

/** Every object under a folder (`root` without a trailing `/`), streamed. */
export async function* objectsUnder(io: TableFormatIO, folder: string): AsyncIterable<ObjectInfo> {
  yield* io.store.listObjects(io.bucket, folder === '' ? '' : `${folder}/`, io.signal);
}

/** A whole (small) metadata object as text. */
export async function readText(io: TableFormatIO, key: string, size?: number): Promise<string> {
  const length = size ?? (await io.store.objectSize(io.bucket, key));
  return Buffer.from(await io.store.readRange(io.bucket, key, 0, length)).toString('utf8');
}

/** A whole (small) metadata object as bytes. */
export async function readBytes(io: TableFormatIO, key: string, size?: number): Promise<Uint8Array> {
  const length = size ?? (await io.store.objectSize(io.bucket, key));
  return io.store.readRange(io.bucket, key, 0, length);
}

/** The table's metadata does not hold what the format's specification says it must (a per-table failure). */
export class TableFormatError extends OmError {
  constructor(
    readonly format: TableFormatKind,
    readonly root: string,
    message: string,
  ) {
    super(`${FORMAT_NAMES[format]} table ${root || '(bucket root)'}: ${message}`);
  }
}

export const FORMAT_NAMES: Record<TableFormatKind, string> = { delta: 'Delta Lake', iceberg: 'Iceberg', hudi: 'Hudi' };
