/**
 * Finds lakehouse tables in a bucket listing as it streams by, with bounded memory.
 *
 * A listing comes in key order, so the objects of a table folder `R/` are contiguous, but its marker
 * (`R/_delta_log/…`, `R/metadata/…`, `R/.hoodie/…`) may come after some of its data files (`R/data/…`
 * sorts before `R/metadata/…`; `R/0-part.parquet` before `R/_delta_log/`). An object is therefore held
 * back while a marker of one of its folders can still arrive: until the listing passes that folder's
 * last marker position (`<folder>/metadata/` sorts last of the three). When more than `maxHeld`
 * objects wait, the folders of the oldest one are probed instead (a one-page listing per marker
 * location), so a table with a million data files before its metadata costs a few requests, not memory.
 * Output keeps the listing order.
 */
import type { ObjectInfo } from '@om/object-store';
import { inTableFolder, tableFormatMarker } from './detect';
import type { TableFormatKind, TableFormatRoot } from './types';

export type ListingEvent =
  | { kind: 'object'; object: ObjectInfo }
  /** `marker`: the object that revealed the table (its marker, or its first data file when a probe found it). */
  | { kind: 'table'; table: TableFormatRoot; marker: ObjectInfo };

/** Looks for a table format's markers in one folder (a few one-page listings); undefined when none. */
export type FolderProbe = (folder: string) => Promise<TableFormatKind | undefined>;

export interface GroupingOptions {
  /** Objects held back at most before the oldest one's folders are probed (default 2000). */
  maxHeld?: number;
  probe: FolderProbe;
}

/** Ancestor folders of a key, shallowest first (`a/b/c.csv` → `a`, `a/b`). */
function foldersOf(key: string): string[] {
  const parts = key.split('/');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'));
  return out;
}

/** The last key at which a marker of `folder` can appear: just past `<folder>/metadata/`. */
const lastMarkerKey = (folder: string): string => `${folder}/metadata/\uffff`;

/** What decides when an event is final: an object's key; for a table, its folder (only its ancestors can still turn out to be tables). */
const keyOf = (e: ListingEvent): string => (e.kind === 'object' ? e.object.key : e.table.root);

export async function* groupTableFormats(objects: AsyncIterable<ObjectInfo> | Iterable<ObjectInfo>, options: GroupingOptions): AsyncGenerator<ListingEvent> {
  const maxHeld = options.maxHeld ?? 2000;
  /** Events not yet known to be final, in listing order. */
  const held: ListingEvent[] = [];
  /** The table folder being listed: its objects are dropped. */
  let active: string | undefined;
  /** Folders probed without a marker, so none of theirs can still come (pruned as the listing moves on). */
  const cleared = new Set<string>();

  /** True when no marker of any folder of `key` can still come at or after `current`. */
  const settled = (key: string, current: string | undefined): boolean =>
    foldersOf(key).every((f) => cleared.has(f) || (current !== undefined && current > lastMarkerKey(f)));

  function* release(current: string | undefined): Generator<ListingEvent> {
    while (held.length > 0 && (current === undefined || settled(keyOf(held[0]), current))) yield held.shift()!;
    for (const f of cleared) if (current !== undefined && current > `${f}/\uffff`) cleared.delete(f);
  }

  /** Replaces the held objects of a table folder by the table, at the place of the first of them. */
  function becomeTable(table: TableFormatRoot, marker: ObjectInfo): void {
    const first = held.findIndex((e) => e.kind === 'object' && inTableFolder(e.object.key, table.root));
    for (let i = held.length - 1; i >= 0; i--) {
      const e = held[i];
      if (e.kind === 'object' && inTableFolder(e.object.key, table.root)) held.splice(i, 1);
    }
    held.splice(first < 0 ? held.length : first, 0, { kind: 'table', table, marker });
    active = table.root;
  }

  async function probeOldest(): Promise<void> {
    for (const folder of foldersOf(keyOf(held[0]))) {
      if (cleared.has(folder)) continue;
      const format = await options.probe(folder);
      if (format) {
        const first = held.find((e): e is Extract<ListingEvent, { kind: 'object' }> => e.kind === 'object' && inTableFolder(e.object.key, folder))!;
        becomeTable({ format, root: folder }, first.object);
        return;
      }
      cleared.add(folder);
    }
  }

  for await (const object of objects) {
    if (active !== undefined && inTableFolder(object.key, active)) continue;
    active = undefined;
    const marker = tableFormatMarker(object.key);
    if (marker) becomeTable(marker, object);
    else held.push({ kind: 'object', object });
    yield* release(object.key);
    while (held.length > maxHeld) {
      await probeOldest();
      yield* release(object.key);
    }
  }
  yield* release(undefined);
}
