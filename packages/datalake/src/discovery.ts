/**
 * Table naming and opt-in partition-aware discovery.
 */
import { createHash } from 'node:crypto';
import type { Column, TablePartition } from '@om/core';
import { formatOf, type FormatInfo } from './formats/registry';
import { TypeNode, columnName, MAX_NAME_LENGTH } from './inference/tree';
import { isNullToken, textCellType } from './inference/scalars';
import type { ObjectInfo } from './object-store';

/**
 * OpenMetadata's table name for a key: the full key; reserved sequences (`::`, `>`, `"`) replaced;
 * over 256 characters an MD5 of the key, with the key as displayName.
 */
export function tableNameFor(key: string): { name: string; displayName?: string } {
  if (key.length > MAX_NAME_LENGTH) return { name: createHash('md5').update(key).digest('hex'), displayName: key };
  return columnName(key);
}

/** `events/year=2024/month=01/part-0.parquet` → folder `events`, partitions year=2024, month=01. */
export function hivePartitionOf(key: string): { folder: string; partitions: [string, string][] } | undefined {
  const dirs = key.split('/').slice(0, -1);
  const first = dirs.findIndex((s) => /^[^=]+=/.test(s));
  if (first < 0) return undefined;
  const partitions: [string, string][] = [];
  for (const seg of dirs.slice(first)) {
    const eq = seg.indexOf('=');
    if (eq <= 0) return undefined; // a plain folder below a partition folder: not a Hive layout
    partitions.push([seg.slice(0, eq), decodePartitionValue(seg.slice(eq + 1))]);
  }
  return { folder: dirs.slice(0, first).join('/'), partitions };
}

function decodePartitionValue(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** One object's listing facts (key, etag, size, last-modified) as one line of a digest. */
export function objectLine(o: ObjectInfo): string {
  return `${o.key}\u0000${o.etag ?? ''}\u0000${o.size}\u0000${o.lastModified?.getTime() ?? ''}\n`;
}

/** Hive's marker for a null partition value. */
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

/** One partitioned folder being collected from a sorted listing. */
export class PartitionGroup {
  newest: { object: ObjectInfo; format: FormatInfo } | undefined;
  files = 0;
  readonly keys = new Map<string, TypeNode>();
  /** Every file's listing facts, for incremental runs (a folder changes when any file does). */
  private readonly digest = createHash('sha256');
  private digested: string | undefined;

  constructor(readonly folder: string) {}

  /** True when `key` lies under this group's folder. */
  contains(key: string): boolean {
    return this.folder === '' || key.startsWith(`${this.folder}/`);
  }

  add(object: ObjectInfo, format: FormatInfo, partitions: [string, string][]): void {
    this.files++;
    this.digest.update(objectLine(object));
    for (const [k, v] of partitions) {
      let node = this.keys.get(k);
      if (!node) {
        node = new TypeNode();
        this.keys.set(k, node);
      }
      if (v !== HIVE_NULL && !isNullToken(v)) node.addScalar(textCellType(v));
    }
    const t = object.lastModified?.getTime() ?? 0;
    const best = this.newest?.object.lastModified?.getTime() ?? 0;
    if (!this.newest || t > best || (t === best && object.key > this.newest.object.key)) this.newest = { object, format };
  }

  /** The digest of the files added (call once they all are). */
  fingerprint(): string {
    this.digested ??= this.digest.digest('base64url');
    return this.digested;
  }

  /** Partition columns to add to the file's columns (keys the file already has are skipped). */
  partitionColumns(existing: Column[]): Column[] {
    const have = new Set(existing.map((c) => c.name.toLowerCase()));
    const out: Column[] = [];
    for (const [k, node] of this.keys) {
      if (have.has(k.toLowerCase())) continue;
      const dataType = node.scalar ?? 'STRING';
      out.push({ ...columnName(k), dataType, dataTypeDisplay: dataType, description: 'Hive partition column (from the folder names)' });
    }
    return out;
  }

  tablePartition(): TablePartition {
    return { columns: [...this.keys.keys()].map((columnName) => ({ columnName, intervalType: 'COLUMN-VALUE' })) };
  }
}

export { formatOf };
