/** Messages between a profile scan and its worker threads (all structured-cloneable). */
import type { Column } from '@om/core';
import type { AccumulatorLimits, AccumulatorOptions, AccumulatorState } from '../metrics/column';

/** One accumulator a worker builds (same order as the calling thread's). */
export interface AccumulatorSpec {
  column: Column;
  options: Omit<AccumulatorOptions, 'limits'>;
}

export interface WorkerInit {
  decoderModule: string;
  decoderOptions: unknown;
  accumulators: AccumulatorSpec[];
  limits: AccumulatorLimits;
}

/**
 * `sampleRows`: the part starts the pass; send back the values of its first rows (sample data).
 * `buffers`: the ArrayBuffers moved with the payload, which the worker moves back with its `ack`
 * once the part is done (the pass reads later parts into them).
 */
export type ToWorker = { type: 'part'; payload: unknown; sampleRows?: number; buffers?: ArrayBuffer[] } | { type: 'finish' };

/** Values of a part's first rows, per column (row i of the pass at index i). */
export type PartSample = { column: string; values: unknown[] }[];

export type FromWorker =
  | { type: 'ack'; sample?: PartSample; buffers?: ArrayBuffer[] }
  | { type: 'result'; rowCount: number; states: AccumulatorState[] }
  | { type: 'error'; name: string; message: string; userError: boolean; stack?: string };
