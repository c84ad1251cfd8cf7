/**
 * Parquet split for worker threads: one part per row group (and lane of columns), its column
 * chunks' bytes read here and moved to the worker.
 */
import type { TablePart, TablePartsOptions, TablePartsPass } from '@om/core';
import { columnName } from '../../inference/tree';
import { FileReadError } from '../../io/errors';
import { PartBuffers, partDecoderModule } from '../../io/parts';
import { readAhead, readAheadFor } from '../../io/read-ahead';
import { abortError } from '../../io/text-stream';
import type { FileLocation } from '../handler';
import type { ParquetDecoderOptions, ParquetPartPayload, ParquetPartRange } from './part-decoder';
import { PARQUET_TAIL_FETCH } from './schema';
import { columnChunkRange, openParquetTable } from './table';

interface ChunkMeta {
  meta_data?: {
    path_in_schema: string[];
    type?: string;
    dictionary_page_offset?: bigint | number;
    data_page_offset: bigint | number;
    total_compressed_size: bigint | number;
    total_uncompressed_size?: bigint | number;
  };
}

/** Byte ranges closer than this are read as one (as hyparquet coalesces its reads). */
const RANGE_GAP = 8 * 1024;

/**
 * Rough decode-and-profile cost of a column chunk: per value (text values cost about 2.5 numbers:
 * UTF-8 decoding and string hashing) plus per byte. Measured on bench/profile-scan.mjs's 11-column
 * file, where splitting by bytes alone left one worker idle a fifth of the time.
 */
function decodeCost(m: NonNullable<ChunkMeta['meta_data']>, rows: number): number {
  const perValue = m.type === 'BYTE_ARRAY' || m.type === 'FIXED_LEN_BYTE_ARRAY' ? 2.5 : 1;
  return rows * perValue + Number(m.total_uncompressed_size ?? m.total_compressed_size) / 16;
}

/**
 * Columns (top-level names) into `lanes` sets of about equal cost (largest first,
 * each to the lightest lane), so workers that each own one lane get about equal work.
 */
export function columnLanes(sizes: Map<string, number>, lanes: number): string[][] {
  const out: string[][] = Array.from({ length: Math.max(1, lanes) }, () => []);
  const load = out.map(() => 0);
  for (const [name, size] of [...sizes].sort((a, b) => b[1] - a[1])) {
    let lightest = 0;
    for (let l = 1; l < out.length; l++) if (load[l] < load[lightest]) lightest = l;
    out[lightest].push(name);
    load[lightest] += size;
  }
  return out.filter((lane) => lane.length > 0);
}

/**
 * Parquet: one part per row group and lane. With `lanes` > 1 the (asked) columns are split into
 * lanes of about equal size, and each lane's column chunks of a row group make one part: a worker
 * keeps the accumulators of its own columns only, and reads only their bytes. The bytes are read
 * here (one range request per run of adjacent chunks) and moved to the worker.
 */
export async function parquetParts(file: FileLocation, signal?: AbortSignal, options: TablePartsOptions = {}): Promise<TablePartsPass | undefined> {
  const table = await openParquetTable(file.store, file.bucket, file.key, file.size);
  const metadata = table.footer.metadata as { metadata_length?: number; row_groups: { num_rows: bigint | number; columns: ChunkMeta[] }[] };
  if (metadata.metadata_length === undefined) return undefined;
  const topNames = table.footer.root.children.map((c) => c.element.name);
  // Asked columns are keys (`columnName`); chunks name their top-level field.
  const keyOf = new Map(topNames.map((n) => [n, columnName(n).name]));
  const asked = options.columns ? new Set(options.columns) : undefined;
  const sizes = new Map<string, number>();
  for (const rg of metadata.row_groups) {
    for (const c of rg.columns) {
      const m = c.meta_data;
      if (!m) continue;
      const top = m.path_in_schema[0];
      if (asked && !asked.has(keyOf.get(top) ?? top)) continue;
      sizes.set(top, (sizes.get(top) ?? 0) + decodeCost(m, Number(rg.num_rows)));
    }
  }
  const lanes = columnLanes(sizes, options.lanes ?? 1);
  if (lanes.length === 0 || metadata.row_groups.length * lanes.length < 2) return undefined;
  // Asked columns the file lacks ride with lane 0 (the decoder gives them as all missing).
  const missing = asked ? [...asked].filter((k) => !topNames.some((n) => (keyOf.get(n) ?? n) === k)) : [];
  const laneOf = new Map<string, number>();
  lanes.forEach((names, l) => names.forEach((n) => laneOf.set(n, l)));
  const tailStart = Math.max(0, file.size - Math.max(PARQUET_TAIL_FETCH, metadata.metadata_length + 8));
  const tail = await file.store.readRange(file.bucket, file.key, tailStart, file.size);
  let stopped = false;
  interface Job {
    g: number;
    lane: number;
    rows: number;
    runs: { start: number; end: number }[];
    bytes: number;
  }
  // Every part's byte runs are known from the footer: parts ahead are read while earlier ones decode.
  function* jobs(): Generator<Job> {
    for (let g = 0; g < metadata.row_groups.length && !stopped; g++) {
      const rg = metadata.row_groups[g];
      const rows = Number(rg.num_rows);
      if (rows === 0) continue;
      const byLane: { start: number; end: number }[][] = lanes.map(() => []);
      for (const c of rg.columns) {
        const m = c.meta_data;
        const lane = m ? laneOf.get(m.path_in_schema[0]) : undefined;
        if (!m || lane === undefined) continue;
        byLane[lane].push(columnChunkRange(m));
      }
      for (let l = 0; l < lanes.length; l++) {
        const runs: { start: number; end: number }[] = [];
        for (const r of byLane[l].sort((a, b) => a.start - b.start)) {
          const last = runs[runs.length - 1];
          if (last && r.start - last.end <= RANGE_GAP) last.end = Math.max(last.end, r.end);
          else runs.push({ ...r });
        }
        yield { g, lane: l, rows, runs, bytes: runs.reduce((n, r) => n + r.end - r.start, 0) };
      }
    }
  }
  const buffers = new PartBuffers(file.store, file.bucket, file.key);
  // A part's runs are read at once (one request each), into one buffer.
  const readPart = async (job: Job): Promise<{ job: Job; ranges: ParquetPartRange[]; transfer: ArrayBuffer[] }> => {
    const { runs, transfer } = await buffers.readRuns(job.runs);
    const ranges = runs.map((bytes, i): ParquetPartRange => {
      const run = job.runs[i];
      if (bytes.length !== run.end - run.start) throw new FileReadError(`short read of row group ${job.g} (${bytes.length} of ${run.end - run.start} bytes)`);
      return { offset: run.start, bytes };
    });
    return { job, ranges, transfer };
  };
  async function* parts(): AsyncGenerator<TablePart> {
    const read = readAhead(jobs(), (job) => job.bytes, readPart, readAheadFor(file.store));
    try {
      let counted = -1;
      for await (const { job, ranges, transfer } of read) {
        if (stopped) return;
        if (signal?.aborted) throw abortError(signal);
        const payload: ParquetPartPayload = { rowGroup: job.g, columns: [...lanes[job.lane].map((n) => keyOf.get(n) ?? n), ...(job.lane === 0 ? missing : [])], ranges };
        // One part per row group counts its rows (the others cover the same rows).
        yield { payload, transfer, bytes: job.bytes, lane: job.lane, rows: counted === job.g ? 0 : job.rows };
        counted = job.g;
      }
    } finally {
      await read.return(undefined);
      buffers.finish();
    }
  }
  const decoderOptions: ParquetDecoderOptions = { format: 'parquet', key: file.key, size: file.size, tailStart, tail: tail.slice() };
  return {
    decoderModule: partDecoderModule(),
    decoderOptions,
    parts: parts(),
    close: async () => {
      stopped = true;
    },
    recycle: (done) => buffers.recycle(done),
  };
}
