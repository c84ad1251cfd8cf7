/**
 * A Delta Lake table read from its transaction log only (Delta protocol, "Delta Log Entries" and
 * "Checkpoints"): the newest `metaData` action wins. Commits after the newest checkpoint are read
 * newest first and the checkpoint only when none of them changed the metadata, so a table with a long
 * history costs a few small reads. Data files are never opened.
 */
import type { TablePartition } from '@om/core';
import { hyparquet } from '../io/hyparquet';
import { sparkSchemaColumns } from './spark-types';
import { objectsUnder, readBytes, readText, TableFormatError, type LakehouseTable, type TableFormatIO } from './types';

const COMMIT = /^(\d{20})\.json$/;
const CHECKPOINT = /^(\d{20})\.checkpoint(?:\.\d{10}\.\d{10}|\.[0-9a-f-]{36})?\.parquet$/;

/** The `metaData` action (Delta protocol "Change Metadata"). */
interface DeltaMetadata {
  id?: string;
  name?: string | null;
  description?: string | null;
  schemaString?: string;
  partitionColumns?: string[];
  configuration?: Record<string, string> | null;
}

interface LogFiles {
  commits: { version: number; key: string; size: number }[];
  checkpoints: Map<number, { key: string; size: number }[]>;
}

async function logFiles(io: TableFormatIO, root: string): Promise<LogFiles> {
  const log = root === '' ? '_delta_log' : `${root}/_delta_log`;
  const commits: LogFiles['commits'] = [];
  const checkpoints: LogFiles['checkpoints'] = new Map();
  for await (const o of objectsUnder(io, log)) {
    const name = o.key.slice(log.length + 1);
    if (name.includes('/')) continue; // _delta_log/_sidecars/, _delta_log/_staged_commits/
    const commit = COMMIT.exec(name);
    if (commit) commits.push({ version: Number(commit[1]), key: o.key, size: o.size });
    const checkpoint = CHECKPOINT.exec(name);
    if (checkpoint) {
      const v = Number(checkpoint[1]);
      checkpoints.set(v, [...(checkpoints.get(v) ?? []), { key: o.key, size: o.size }]);
    }
  }
  commits.sort((a, b) => b.version - a.version);
  return { commits, checkpoints };
}

/** The `metaData` action of one newline-delimited JSON commit, if it has one. */
function metadataOfCommit(text: string): DeltaMetadata | undefined {
  let found: DeltaMetadata | undefined;
  for (const line of text.split('\n')) {
    if (!line.includes('"metaData"')) continue;
    const action = JSON.parse(line) as { metaData?: DeltaMetadata };
    if (action.metaData) found = action.metaData;
  }
  return found;
}

/** The `metaData` row of a (possibly multi-part) Parquet checkpoint. */
async function metadataOfCheckpoint(io: TableFormatIO, parts: { key: string; size: number }[]): Promise<DeltaMetadata | undefined> {
  const { parquetReadObjects } = await hyparquet();
  for (const part of parts) {
    const bytes = await readBytes(io, part.key, part.size);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file, columns: ['metaData'] })) as { metaData?: DeltaMetadata | null }[];
    const row = rows.find((r) => r.metaData && r.metaData.schemaString);
    if (row?.metaData) return normalizeCheckpointMetadata(row.metaData);
  }
  return undefined;
}

/** Checkpoint maps arrive as `{key, value}` lists or Maps depending on the writer; commits hold plain objects. */
function normalizeCheckpointMetadata(m: DeltaMetadata): DeltaMetadata {
  const conf = m.configuration as unknown;
  let configuration: Record<string, string> | undefined;
  if (conf instanceof Map) configuration = Object.fromEntries(conf);
  else if (Array.isArray(conf)) configuration = Object.fromEntries(conf.map((e: { key: string; value: string }) => [e.key, e.value]));
  else if (conf && typeof conf === 'object') configuration = conf as Record<string, string>;
  return { ...m, configuration };
}

export async function readDeltaTable(io: TableFormatIO, root: string): Promise<LakehouseTable> {
  const { commits, checkpoints } = await logFiles(io, root);
  const latestCheckpoint = Math.max(-1, ...[...checkpoints.keys()].filter((v) => commits.length === 0 || v <= commits[0].version));
  let metadata: DeltaMetadata | undefined;
  const version = commits[0]?.version ?? latestCheckpoint;
  for (const commit of commits) {
    if (commit.version <= latestCheckpoint) break;
    metadata = metadataOfCommit(await readText(io, commit.key, commit.size));
    if (metadata) break;
  }
  // Without a checkpoint the loop above read every commit back to the first.
  if (!metadata && latestCheckpoint >= 0) metadata = await metadataOfCheckpoint(io, checkpoints.get(latestCheckpoint)!);
  if (version < 0) throw new TableFormatError('delta', root, '_delta_log holds no commit and no checkpoint');
  if (!metadata?.schemaString) throw new TableFormatError('delta', root, `no metaData action with a schemaString up to version ${version}`);

  let schema: unknown;
  try {
    schema = JSON.parse(metadata.schemaString);
  } catch {
    throw new TableFormatError('delta', root, 'the metaData schemaString is not JSON');
  }
  const columns = sparkSchemaColumns(schema, `delta table ${root}`);
  const partitionColumns = metadata.partitionColumns ?? [];
  const known = new Set(columns.map((c) => c.name));
  for (const p of partitionColumns) {
    if (!known.has(p)) throw new TableFormatError('delta', root, `partition column ${p} is not in the schema`);
  }
  const partition: TablePartition | undefined =
    partitionColumns.length > 0 ? { columns: partitionColumns.map((columnName) => ({ columnName, intervalType: 'COLUMN-VALUE' })) } : undefined;
  const properties: Record<string, string> = { 'delta.version': String(version), ...(metadata.configuration ?? {}) };
  if (metadata.id) properties['delta.tableId'] = metadata.id;
  return {
    format: 'delta',
    columns,
    ...(partition ? { partition } : {}),
    tableType: 'External',
    ...(metadata.description ? { description: metadata.description } : {}),
    properties,
  };
}
