/**
 * Fingerprints of listed tables for incremental runs: what the listing says of the objects behind a
 * table (key, etag, size, last-modified), so an unchanged table is known without reading it.
 */
import { createHash } from 'node:crypto';
import type { TableFingerprint } from '@om/core';
import { objectLine } from '../discovery';
import type { ListedTable } from '../listing';
import type { ObjectStore } from '../object-store';
import type { TableFormatKind } from '../table-formats';

/** Where each lakehouse format keeps what changes with every commit (its log, metadata or timeline). */
const LOG_FOLDERS: Record<TableFormatKind, string> = { delta: '_delta_log/', iceberg: 'metadata/', hudi: '.hoodie/' };

/**
 * A table's fingerprint: a file's listing facts; a partitioned folder's digest of every file in it
 * (collected while listing); a lakehouse table's digest of its log folder (one listing, no read).
 */
export async function tableFingerprint(listed: ListedTable, store: ObjectStore, bucket: string, signal?: AbortSignal): Promise<TableFingerprint> {
  if (listed.lakehouse) {
    const root = listed.lakehouse.root === '' ? '' : `${listed.lakehouse.root}/`;
    const digest = createHash('sha256');
    for await (const o of store.listObjects(bucket, `${root}${LOG_FOLDERS[listed.lakehouse.format]}`, signal)) digest.update(objectLine(o));
    return { key: root, fingerprint: `${listed.lakehouse.format}:${digest.digest('base64url')}` };
  }
  if (listed.partitions) {
    const folder = listed.partitions.folder;
    return { key: folder === '' ? '' : `${folder}/`, fingerprint: `partitions:${listed.partitions.fingerprint()}` };
  }
  // One file: its listing facts as they are (no digest needed; the key is stored beside them).
  const o = listed.object;
  return { key: o.key, fingerprint: `${o.etag ?? ''}|${o.size}|${o.lastModified?.getTime() ?? ''}` };
}
