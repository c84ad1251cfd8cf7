export { readDeltaTable } from './delta';
export { readHudiTable } from './hudi';
export { readIcebergTable } from './iceberg';
export { inTableFolder, tableFormatMarker } from './detect';
export { groupTableFormats, type FolderProbe, type GroupingOptions, type ListingEvent } from './grouping';
export { sparkSchemaColumns } from './spark-types';
export { FORMAT_NAMES, TableFormatError, type LakehouseTable, type TableFormatIO, type TableFormatKind, type TableFormatRoot } from './types';

import { readDeltaTable } from './delta';
import { readHudiTable } from './hudi';
import { readIcebergTable } from './iceberg';
import type { LakehouseTable, TableFormatIO, TableFormatRoot } from './types';

/** The table at `root` read by its format's reader. */
export function readLakehouseTable(io: TableFormatIO, found: TableFormatRoot): Promise<LakehouseTable> {
  const read = { delta: readDeltaTable, iceberg: readIcebergTable, hudi: readHudiTable }[found.format];
  return read(io, found.root);
}
