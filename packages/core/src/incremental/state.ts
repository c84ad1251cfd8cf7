/**
 * Incremental runs (opt-in, `--state file`): what the last runs wrote, per table a fingerprint of the
 * objects behind it (key, etag, size, last-modified). A source skips reading a table whose fingerprint
 * is unchanged and says so with a `tableUnchanged` record, so the sink still knows the table exists
 * (mark-deleted stays exact) and sends nothing for it.
 *
 * A table's entry is replaced only once the sink has written it; a table that failed loses its entry
 * (it is read again next time). A schema listed to its end drops the entries of tables it no longer
 * has; schemas not reached keep theirs. A shard keeps its own file, holding only its ranges, and
 * `finalize` merges the shard files into the main one.
 */
import { splitFqn } from '../fqn';
import type { Logger } from '../logger';
import type { TableFingerprint } from '../model/records';
import type { RunFileStore } from '../run-files';
import { inShard, type ShardRange } from '../shard/plan';
import type { ShardContext } from '../steps';

/** What a source asks of the state. */
export interface IncrementalLookup {
  /** The fingerprint the table had when it was last written, if it was. */
  previous(tableFqn: string): string | undefined;
}

interface Entry {
  schema: string;
  key: string;
  fingerprint: string;
}

/** The file: per schema FQN, `[table FQN, first key, fingerprint]` rows. */
export interface IncrementalStateFile {
  version: 1;
  /** Hash of the source section (see shard/plan's configHash): another config's state is not used. */
  configHash: string;
  /** The om-ingest core version that wrote it: a table's records may differ between versions. */
  tool: string;
  writtenAt: string;
  /** Set in a shard's own file: the shard and its ranges (entries are only of these ranges). */
  shard?: { index: number; of: number; ranges: ShardRange[] };
  schemas: Record<string, [string, string, string][]>;
}

/** The file a shard keeps its state in, next to the main one. */
export function shardStateFile(file: string, shard: { index: number; of: number }): string {
  return `${file}.shard-${shard.index}-of-${shard.of}`;
}

export interface IncrementalCounts {
  /** Tables skipped: their objects had not changed since they were written. */
  unchanged: number;
  /** Tables read because they are new or changed. */
  read: number;
}

export class IncrementalState implements IncrementalLookup {
  readonly counts: IncrementalCounts = { unchanged: 0, read: 0 };
  /** Tables a record went by for in this run (written, unchanged or failed). */
  private readonly touched = new Set<string>();
  private readonly committed = new Map<string, Entry>();
  /** Schemas whose listing this run completed: their entries of tables not seen are gone. */
  private readonly completed = new Set<string>();
  /** The state as loaded; a shard loads only its ranges. */
  private previousEntries = new Map<string, Entry>();
  private files: RunFileStore | undefined;

  /** Knows nothing until `load`: a source asking before then reads every table. */
  constructor(
    /** The state file: a path, or a URL in the source's store. */
    readonly file: string,
    private readonly configHash: string,
    private readonly tool: string,
    private readonly logger: Logger,
    private readonly shard?: ShardContext,
  ) {}

  /**
   * Loads the state for a run: the main file, and for a shard its own file over it (newer for its
   * ranges). A missing, unreadable or foreign state means a full run; the reason is logged once.
   */
  async load(files: RunFileStore): Promise<void> {
    this.files = files;
    const entries = new Map<string, Entry>();
    const main = await readStateFile(files, this.file, this.configHash, this.tool);
    let reason = main.problem;
    const shard = this.shard;
    const own = shard ? await readStateFile(files, shardStateFile(this.file, shard), this.configHash, this.tool) : undefined;
    if (own?.state) {
      // The shard's own file is at least as new as the last finalize for its ranges.
      addEntries(entries, own.state);
      reason = undefined;
    } else if (main.state) {
      // A shard keeps only its ranges: its memory is its share of the bucket, not the whole state.
      addEntries(entries, main.state, shard && ((e) => inRanges(shard.ranges, e)));
    }
    this.previousEntries = entries;
    if (reason) this.logger.info(`Incremental state ${this.file}: ${reason}; a full run (every table is read), the state is written at the end`);
    else this.logger.info(`Incremental state ${this.file}: ${entries.size} table(s) known; only new or changed tables are read`);
  }

  previous(tableFqn: string): string | undefined {
    return this.previousEntries.get(tableFqn)?.fingerprint;
  }

  /** A table record (or `tableUnchanged`) went to the sink. */
  seen(tableFqn: string, unchanged: boolean): void {
    this.touched.add(tableFqn);
    if (unchanged) this.counts.unchanged++;
    else this.counts.read++;
  }

  /** The sink wrote the table (or it was unchanged): its fingerprint is what the catalog now reflects. */
  commit(tableFqn: string, schemaFqn: string, fingerprint: TableFingerprint): void {
    this.committed.set(tableFqn, { schema: schemaFqn, key: fingerprint.key, fingerprint: fingerprint.fingerprint });
  }

  schemaDone(schemaFqn: string, complete: boolean): void {
    if (complete) this.completed.add(schemaFqn);
  }

  /** The state after this run: committed entries, and earlier ones this run did not contradict. */
  entries(): Map<string, Entry> {
    const out = new Map<string, Entry>();
    for (const [fqn, e] of this.previousEntries) {
      if (this.touched.has(fqn)) continue; // replaced below when written, dropped when it failed
      if (this.completed.has(e.schema)) continue; // listed to its end without it: gone
      out.set(fqn, e);
    }
    for (const [fqn, e] of this.committed) out.set(fqn, e);
    return out;
  }

  /** Writes the state (a shard: its own file); returns the location written. */
  async save(): Promise<string> {
    if (!this.files) throw new Error('the incremental state was saved before it was loaded');
    const target = this.shard ? shardStateFile(this.file, this.shard) : this.file;
    await writeStateFile(this.files, target, {
      version: 1,
      configHash: this.configHash,
      tool: this.tool,
      writtenAt: new Date().toISOString(),
      ...(this.shard ? { shard: { index: this.shard.index, of: this.shard.of, ranges: this.shard.ranges } } : {}),
      schemas: bySchema(this.entries()),
    });
    return target;
  }
}

/**
 * `finalize --state`: the shard files of a plan merged into the main file (a shard's entries replace
 * the main file's in its ranges), then removed. Returns the tables the merged state holds and the
 * shard files merged; a shard without a file keeps the main file's entries for its ranges.
 */
export async function mergeShardStates(files: RunFileStore, file: string, shardCount: number, configHash: string, tool: string): Promise<{ tables: number; merged: number[] }> {
  const shards: { file: string; state: IncrementalStateFile & { shard: NonNullable<IncrementalStateFile['shard']> } }[] = [];
  for (let index = 0; index < shardCount; index++) {
    const shardFile = shardStateFile(file, { index, of: shardCount });
    const own = await readStateFile(files, shardFile, configHash, tool);
    if (own.state?.shard) shards.push({ file: shardFile, state: own.state as (typeof shards)[number]['state'] });
  }
  const entries = new Map<string, Entry>();
  const main = await readStateFile(files, file, configHash, tool);
  // A shard's file replaces the main file's entries in its ranges; the rest of the main file stays.
  if (main.state) addEntries(entries, main.state, (e) => !shards.some((s) => inRanges(s.state.shard.ranges, e)));
  for (const s of shards) addEntries(entries, s.state);
  const merged = shards.map((s) => s.state.shard.index);
  const shardFiles = shards.map((s) => s.file);
  await writeStateFile(files, file, { version: 1, configHash, tool, writtenAt: new Date().toISOString(), schemas: bySchema(entries) });
  for (const f of shardFiles) await files.remove(f);
  return { tables: entries.size, merged };
}

/** Schema FQN → its schema and database names (every entry of a schema asks). */
const schemaNames = new Map<string, { schema: string; database?: string }>();

function inRanges(ranges: ShardRange[], e: Entry): boolean {
  let names = schemaNames.get(e.schema);
  if (!names) {
    const parts = splitFqn(e.schema);
    names = { schema: parts[parts.length - 1], ...(parts.length >= 3 ? { database: parts[parts.length - 2] } : {}) };
    if (schemaNames.size > 10_000) schemaNames.clear();
    schemaNames.set(e.schema, names);
  }
  return inShard(ranges, names.schema, e.key, names.database);
}

function addEntries(into: Map<string, Entry>, state: IncrementalStateFile, keep?: (e: Entry) => boolean): void {
  for (const [schema, rows] of Object.entries(state.schemas)) {
    for (const [fqn, key, fingerprint] of rows) {
      const e = { schema, key, fingerprint };
      if (!keep || keep(e)) into.set(fqn, e);
    }
  }
}

function bySchema(entries: Map<string, Entry>): IncrementalStateFile['schemas'] {
  const out: IncrementalStateFile['schemas'] = {};
  for (const [fqn, e] of entries) (out[e.schema] ??= []).push([fqn, e.key, e.fingerprint]);
  return out;
}

/** A state file, or why it cannot be used (missing, unreadable, another config or version). */
async function readStateFile(files: RunFileStore, file: string, configHash: string, tool: string): Promise<{ state?: IncrementalStateFile; problem?: string }> {
  let text: string | undefined;
  try {
    text = await files.read(file);
  } catch (err) {
    return { problem: `cannot be read (${(err as Error).message})` };
  }
  if (text === undefined) return { problem: 'no state yet' };
  let state: IncrementalStateFile;
  try {
    state = JSON.parse(text) as IncrementalStateFile;
  } catch (err) {
    return { problem: `is not valid JSON (${(err as Error).message})` };
  }
  if (!state || state.version !== 1 || typeof state.schemas !== 'object' || state.schemas === null || !Object.values(state.schemas).every(Array.isArray)) {
    return { problem: 'is not an om-ingest state file (version 1)' };
  }
  if (state.configHash !== configHash) return { problem: `was written for another config (hash ${state.configHash}, this config ${configHash})` };
  if (state.tool !== tool) return { problem: `was written by om-ingest ${state.tool} (this is ${tool})` };
  return { state };
}

function writeStateFile(files: RunFileStore, file: string, state: IncrementalStateFile): Promise<void> {
  return files.write(file, JSON.stringify(state));
}
