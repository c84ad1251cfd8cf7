/**
 * A profile scan spread over threads: the calling thread reads the table's parts
 * (`TableDataRequest.parts`: record-aligned CSV byte ranges; Parquet row groups split by column
 * lanes) and hands them out; each thread decodes its parts into its own accumulators, whose states
 * the caller merges in thread order. The calling thread is one of the threads: it decodes the last
 * thread's share itself, so `threads` cores need `threads - 1` workers (a worker is a V8 heap, a
 * malloc arena and its modules, tens of MB, while the reading thread mostly waits). Parts go
 * round-robin, or by lane (a Parquet column stays on one thread, so its state is not kept twice),
 * never to whichever thread is free, so the same file gives the same sketches on every run; at
 * most `IN_FLIGHT` parts wait per worker, so memory stays a few parts per thread whatever the
 * file size.
 */
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { OmError, type TablePartsPass } from '@om/core';
import type { AccumulatorLimits, AccumulatorState } from '../metrics/column';
import { openPartDecoder, PartScanner } from './part-scanner';
import type { AccumulatorSpec, FromWorker, ToWorker, WorkerInit } from './protocol';

/** Files smaller than this are scanned in the calling thread (starting workers costs ~50 ms each). */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
/** Parts sent to a worker and not yet done: two (one decoding, one waiting), or one when parts are large. */
const IN_FLIGHT = 2;
const IN_FLIGHT_BYTES = 6 * 1024 * 1024;

/**
 * Which thread takes each part of a pass without lanes, cycling: each worker 8 parts for every 7 the
 * calling thread takes, interleaved (the calling thread also reads and splits every part; measured on
 * the bench's 1 GB CSV, where 1:1 left the worker idle and 5:4 the calling thread).
 */
export function roundRobinTurns(workers: number): number[] {
  const turns: number[] = [];
  for (let round = 0; round < 8; round++) {
    for (let w = 0; w < workers; w++) turns.push(w);
    if (round < 7) turns.push(workers);
  }
  return turns;
}

/** One thread per core (the calling thread one of them), at most 4 (past that the single reading thread is the limit). */
export function defaultScanThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores));
}

/**
 * V8 heap sizes of a worker. Left alone, each worker's heap grows like a main thread's (≈ 120 MB
 * each on the 1 GB CSV of bench/profile-scan.mjs); a small young generation and an old-generation
 * cap scaled by the accumulators it keeps (each holds at most exactDistinctLimit keys and
 * exactQuantileLimit numbers, ≈ 2–3 MB) make V8 collect sooner. Measured on that CSV: peak RSS
 * 390 → 161 MB for 3 % more time (16 MB young: 180 MB). Since the decoders allocate little per value
 * (typed arrays, byte ranges), a 2 MB young generation takes a few MB off a profile's peak for
 * about 2 % more CPU time than 4 MB (collections are more frequent, each as cheap). A worker that
 * still runs out of heap makes the scan fall back to the calling thread.
 */
export function workerHeapLimits(accumulators: number): { maxYoungGenerationSizeMb: number; maxOldGenerationSizeMb: number } {
  return { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: Math.max(64, 32 + 4 * accumulators) };
}

/** A worker ran out of its heap (`workerHeapLimits`): the caller scans in its own thread instead. */
export function isWorkerOutOfMemory(err: unknown): boolean {
  return (err as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * The compiled worker, through the package's own `./profile-worker` export: a worker thread runs
 * plain Node, so it is always the built file of the installed package, whoever loads this module.
 */
function workerFile(): string {
  return require.resolve('@om/profiler/profile-worker');
}

/** An error raised in a worker, with its name and whether it is the user's to fix (a bad file). */
export class WorkerScanError extends OmError {
  constructor(name: string, message: string, userError: boolean) {
    super(message, { kind: userError ? 'user' : 'internal' });
    this.name = name;
  }
}

interface Slot {
  worker: Worker;
  /** Bytes of the parts in flight (sent, not yet acknowledged), oldest first. */
  sizes: number[];
  wake?: () => void;
  result?: { rowCount: number; states: AccumulatorState[] };
  exited: boolean;
}

export interface PartsScanResult {
  rowCount: number;
  /** Per thread, in thread order (the calling thread last): the states of `specs`' accumulators. */
  states: AccumulatorState[][];
}

/** Sample data from the scan: the values of the pass's first `rows` rows, per column, as they arrive. */
export interface ScanSample {
  rows: number;
  add(column: string, values: unknown[]): void;
}

export async function scanParts(
  pass: TablePartsPass,
  specs: AccumulatorSpec[],
  limits: AccumulatorLimits,
  threads: number,
  signal?: AbortSignal,
  sample?: ScanSample,
): Promise<PartsScanResult> {
  const init: WorkerInit = { decoderModule: pass.decoderModule, decoderOptions: pass.decoderOptions, accumulators: specs, limits };
  let failure: Error | undefined;
  const slots: Slot[] = [];
  const fail = (err: Error): void => {
    failure ??= err;
    for (const s of slots) s.wake?.();
  };
  const onAbort = (): void => fail(signal?.reason instanceof Error ? signal.reason : new Error('the scan was aborted'));
  signal?.addEventListener('abort', onAbort, { once: true });
  const workers = Math.max(1, threads) - 1;
  // The calling thread's share: the last thread (so each round's parts reach the workers first).
  const own = new PartScanner(openPartDecoder(pass.decoderModule, pass.decoderOptions), specs, { ...limits, seed: limits.seed + workers });
  for (let i = 0; i < workers; i++) {
    // Each worker's sketches get their own coin flips (still the same on every run).
    const workerData: WorkerInit = { ...init, limits: { ...limits, seed: limits.seed + i } };
    const slot: Slot = { worker: new Worker(workerFile(), { workerData, resourceLimits: workerHeapLimits(specs.length) }), sizes: [], exited: false };
    slot.worker.on('message', (m: FromWorker) => {
      if (m.type === 'ack') {
        if (m.sample && sample) for (const c of m.sample) sample.add(c.column, c.values);
        if (m.buffers) pass.recycle?.(m.buffers);
        slot.sizes.shift();
        slot.wake?.();
      } else if (m.type === 'result') {
        slot.result = m;
        slot.wake?.();
      } else {
        const err = new WorkerScanError(m.name, m.message, m.userError);
        if (m.stack) err.stack = m.stack;
        fail(err);
      }
    });
    slot.worker.on('error', (err) => fail(err));
    slot.worker.on('exit', (code) => {
      slot.exited = true;
      if (!slot.result) fail(new Error(`a profile worker thread stopped (exit code ${code}) before it finished`));
    });
    slots.push(slot);
  }
  const waitUntil = async (slot: Slot, ready: () => boolean): Promise<void> => {
    while (!ready() && !failure) await new Promise<void>((resolve) => (slot.wake = resolve));
    slot.wake = undefined;
  };
  try {
    if (signal?.aborted) onAbort();
    let next = 0;
    const turns = roundRobinTurns(workers);
    // Parts that say how many rows they add (column-split passes) are counted here.
    let partRows: number | undefined;
    // The first part of each lane (of the pass, without lanes) starts at row 0: it carries the sample.
    const started = new Set<number>();
    for await (const part of pass.parts) {
      if (failure) break;
      const index = part.lane !== undefined ? part.lane % (workers + 1) : turns[next++ % turns.length];
      if (part.rows !== undefined) partRows = (partRows ?? 0) + part.rows;
      const lane = part.lane ?? -1;
      const first = sample !== undefined && !started.has(lane);
      started.add(lane);
      if (index === workers) {
        const partSample = await own.decode(part.payload, first ? sample.rows : 0);
        if (partSample && sample) for (const c of partSample) sample.add(c.column, c.values);
        if (part.transfer) pass.recycle?.(part.transfer);
        continue;
      }
      const slot = slots[index];
      const ready = (): boolean => slot.sizes.length === 0 || (slot.sizes.length < IN_FLIGHT && slot.sizes.reduce((a, b) => a + b, part.bytes) <= IN_FLIGHT_BYTES);
      await waitUntil(slot, ready);
      if (failure) break;
      slot.sizes.push(part.bytes);
      const buffers = part.transfer ?? [];
      const message: ToWorker = { type: 'part', payload: part.payload, ...(first ? { sampleRows: sample.rows } : {}), ...(buffers.length > 0 ? { buffers } : {}) };
      slot.worker.postMessage(message, buffers);
    }
    if (!failure) for (const slot of slots) slot.worker.postMessage({ type: 'finish' } satisfies ToWorker);
    for (const slot of slots) await waitUntil(slot, () => slot.result !== undefined);
    if (failure) throw failure;
    const mine = own.result();
    return { rowCount: partRows ?? slots.reduce((n, s) => n + s.result!.rowCount, mine.rowCount), states: [...slots.map((s) => s.result!.states), mine.states] };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await pass.close().catch(() => undefined);
    await Promise.all(slots.map((s) => (s.exited ? undefined : s.worker.terminate())));
  }
}
