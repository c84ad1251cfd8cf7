import type { Column } from '@om/core';
import type { ReadOptions } from '../config';
import { CutReport } from '../inference/tree';
import { EmptyFileError } from '../io/errors';
import type { ObjectStore } from '../object-store';
import { handlerOf, type FormatInfo } from './registry';

export interface FileSchema {
  columns: Column[];
  /** Things worth a warning (cut columns, header-only file...). */
  warnings: string[];
}

/**
 * Reads the schema of one object through its format's handler. Throws EmptyFileError for empty
 * files, FileReadError for corrupt ones, ObjectStoreError for storage problems.
 */
export async function readFileSchema(
  store: ObjectStore,
  bucket: string,
  key: string,
  size: number,
  format: FormatInfo,
  options: ReadOptions,
): Promise<FileSchema> {
  if (size === 0) throw new EmptyFileError();
  const limits = { maxDepth: options.maxDepth, maxChildren: options.maxChildren };
  const cuts = new CutReport();
  const { columns, warnings } = await handlerOf(format).schema({ store, bucket, key, size, format }, options, limits, cuts);
  const cut = cuts.message();
  return { columns, warnings: cut ? [...warnings, cut] : warnings };
}
