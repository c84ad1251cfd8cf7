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

export type ToWorker = { type: 'part'; payload: unknown } | { type: 'finish' };

export type FromWorker =
  | { type: 'ack' }
  | { type: 'result'; rowCount: number; states: AccumulatorState[] }
  | { type: 'error'; name: string; message: string; userError: boolean; stack?: string };
