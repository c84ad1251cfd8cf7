/**
 * The Datalake listing, pure: object infos in (a bucket listing, in key order), table candidates
 * out. Folder markers, hidden/marker objects and unsupported files are skipped; with
 * `partitionedTables`, the files of one Hive-partitioned folder become one candidate (the newest
 * file stands for the folder). No I/O: a unit test feeds it an array.
 */
import { PartitionGroup, hivePartitionOf, tableNameFor } from './discovery';
import { formatOf, isHiddenOrMarker, type FormatInfo } from './formats/registry';
import type { ObjectInfo } from './object-store';
import type { ListingEvent, TableFormatRoot } from './table-formats';

export interface ListingOptions {
  partitionedTables?: boolean;
  includeHiddenFiles?: boolean;
  /** Told about each skipped object and why (a debug log); not counted as filtered. */
  onSkip?: (key: string, why: 'hidden or marker object' | 'not a supported file format') => void;
}

/** One table the listing found: a file, or a partitioned folder read through its newest file. */
export interface ListedTable {
  /** OpenMetadata's table name for the key (or folder) and, for hashed long keys, the displayName. */
  name: string;
  displayName?: string;
  /** The file whose schema is read. */
  object: ObjectInfo;
  format: FormatInfo;
  /** Set for a partitioned folder: its partition columns and files. */
  partitions?: PartitionGroup;
  /** Set for a Delta Lake / Iceberg / Hudi folder (`object` is what revealed it; its metadata is read instead). */
  lakehouse?: TableFormatRoot;
}

/**
 * Table candidates of one bucket's listing, in listing order. The listing may come through
 * `groupTableFormats` (table-formats/), whose lakehouse tables pass through as candidates.
 */
export async function* listTables(
  bucket: string,
  objects: Iterable<ObjectInfo | ListingEvent> | AsyncIterable<ObjectInfo | ListingEvent>,
  options: ListingOptions = {},
): AsyncGenerator<ListedTable> {
  let group: PartitionGroup | undefined;
  const closeGroup = (): ListedTable | undefined => {
    const g = group;
    group = undefined;
    if (!g?.newest) return undefined;
    return { ...tableNameFor(g.folder || bucket), object: g.newest.object, format: g.newest.format, partitions: g };
  };
  for await (const item of objects) {
    if ('kind' in item && item.kind === 'table') {
      const table = closeGroup();
      if (table) yield table;
      const folder = item.table.root || bucket;
      yield { ...tableNameFor(folder), object: item.marker, format: LAKEHOUSE_FORMAT, lakehouse: item.table };
      continue;
    }
    const object = 'kind' in item ? item.object : item;
    if (group && !group.contains(object.key)) {
      const table = closeGroup();
      if (table) yield table;
    }
    if (object.key.endsWith('/')) continue; // folder marker
    if (options.includeHiddenFiles !== true && isHiddenOrMarker(object.key)) {
      options.onSkip?.(object.key, 'hidden or marker object');
      continue;
    }
    const format = formatOf(object.key);
    if (!format) {
      options.onSkip?.(object.key, 'not a supported file format');
      continue;
    }
    if (options.partitionedTables === true) {
      const hive = hivePartitionOf(object.key);
      if (hive) {
        if (!group || group.folder !== hive.folder) {
          const table = closeGroup();
          if (table) yield table;
          group = new PartitionGroup(hive.folder);
        }
        group.add(object, format, hive.partitions);
        continue;
      }
    }
    yield { ...tableNameFor(object.key), object, format };
  }
  const table = closeGroup();
  if (table) yield table;
}

/** Lakehouse tables are read from their metadata, not as files: Parquet is what their data files hold. */
const LAKEHOUSE_FORMAT: FormatInfo = { fileFormat: 'parquet', reader: 'parquet', compression: 'none' };

/** The names the listing would give tables, without reading anything (progress totals). */
export function isTableObject(key: string, includeHiddenFiles: boolean): boolean {
  return !key.endsWith('/') && (includeHiddenFiles || !isHiddenOrMarker(key)) && formatOf(key) !== undefined;
}
