/**
 * Sharded runs: one ingestion split into N independent runs (Airflow mapped tasks, a Kubernetes Indexed
 * Job), each listing and reading only its part, and a `finalize` step that merges what they saw.
 *
 * A source cuts its work into ordered units from cheap facts (buckets, then folders; tables by name);
 * the plan gives each shard a contiguous run of units, merged into key ranges, so a shard lists only its
 * ranges and a table never straddles two shards (units end on folder boundaries).
 */
import { createHash } from 'node:crypto';

/** One slice of a schema's listing: keys (or table names, for DynamoDB) in `[from, to)`, open ends when absent. */
export interface ShardRange {
  database?: string;
  schema: string;
  /** First key of the range (inclusive); absent: the start of the schema. */
  from?: string;
  /** Key the range stops before (exclusive); absent: the end of the schema. */
  to?: string;
}

export interface ShardPlan {
  version: 1;
  /** Hash of the source section the plan was made for: a shard run of another config is refused. */
  configHash: string;
  /** `shards[i]`: the ranges of shard i (possibly none when there are fewer units than shards). */
  shards: ShardRange[][];
}

/** Which shard a run is: `plan.json#3` (a plan file and an index) or `3/16` (the plan computed again). */
export type ShardSpec = { index: number; of: number; planFile?: string };

export function parseShardSpec(spec: string): ShardSpec {
  const file = /^(.+)#(\d+)$/.exec(spec);
  if (file) return { planFile: file[1], index: Number(file[2]), of: -1 };
  const fraction = /^(\d+)\/(\d+)$/.exec(spec);
  if (fraction && Number(fraction[2]) > 0 && Number(fraction[1]) < Number(fraction[2])) return { index: Number(fraction[1]), of: Number(fraction[2]) };
  throw new Error(`--shard ${JSON.stringify(spec)}: give a shard as plan.json#INDEX or INDEX/COUNT (0-based, e.g. 3/16)`);
}

/** A stable hash of the part of a config that decides what a source lists. */
export function configHash(source: unknown): string {
  return createHash('sha256').update(canonical(source)).digest('hex').slice(0, 16);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Gives each of `count` shards a contiguous run of the ordered units, as even in number as the units
 * allow, and merges adjacent units of one schema into one range.
 */
export function planShards(units: ShardRange[], count: number, hash: string): ShardPlan {
  if (!Number.isInteger(count) || count < 1) throw new Error(`--shards ${count}: give a whole number of shards, at least 1`);
  const shards: ShardRange[][] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor((i * units.length) / count);
    const end = Math.floor(((i + 1) * units.length) / count);
    shards.push(mergeRanges(units.slice(start, end)));
  }
  return { version: 1, configHash: hash, shards };
}

/** Adjacent units of one schema (the `to` of one is the `from` of the next) become one range. */
function mergeRanges(units: ShardRange[]): ShardRange[] {
  const out: ShardRange[] = [];
  for (const u of units) {
    const last = out[out.length - 1];
    if (last && last.schema === u.schema && last.database === u.database && last.to === u.from) {
      if (u.to === undefined) delete last.to;
      else last.to = u.to;
      continue;
    }
    out.push({ ...u });
  }
  return out;
}

/** Whether a key (or table name) of a schema belongs to one of the ranges. */
export function inShard(ranges: ShardRange[], schema: string, key: string, database?: string): boolean {
  return ranges.some(
    (r) => r.schema === schema && (r.database === undefined || database === undefined || r.database === database) && (r.from === undefined || key >= r.from) && (r.to === undefined || key < r.to),
  );
}

/**
 * Units of a sorted listing's folder names under a prefix: one range per folder boundary, so that
 * every key (folders' and loose files') falls in exactly one unit and no folder is cut.
 */
export function folderUnits(schema: string, prefix: string, folders: string[], database?: string): ShardRange[] {
  const bounds = [...new Set(folders.map((f) => `${prefix}${f.replace(/\/?$/, '/')}`))].sort();
  if (bounds.length === 0) return [{ ...(database ? { database } : {}), schema }];
  const units: ShardRange[] = [];
  // Keys before the second folder (loose files and the first folder) form the first unit.
  for (let i = 0; i < bounds.length; i++) {
    units.push({
      ...(database ? { database } : {}),
      schema,
      ...(i > 0 ? { from: bounds[i] } : {}),
      ...(i + 1 < bounds.length ? { to: bounds[i + 1] } : {}),
    });
  }
  return units;
}
