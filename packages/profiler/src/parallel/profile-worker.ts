/**
 * A worker thread of a parallel profile scan: decodes the parts it is sent (with the table's part
 * decoder) into its own accumulators, one part at a time, and sends their states back at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ColumnChunk, PartDecoder, TextCellChunk } from '@om/core/worker-protocol';
import { accumulatorsByColumn, ColumnAccumulator } from '../metrics/column';
import type { FromWorker, PartSample, ToWorker, WorkerInit } from './protocol';
import { releaseBuffers } from './release';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (message: FromWorker): void => port.postMessage(message);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const decoder = (require(init.decoderModule) as { openPartDecoder(options: unknown): PartDecoder }).openPartDecoder(init.decoderOptions);
const accumulators = init.accumulators.map((spec) => new ColumnAccumulator(spec.column, { ...spec.options, limits: init.limits }));
const byColumn = accumulatorsByColumn(accumulators);
const columns = [...byColumn.keys()];
let rowCount = 0;
let failed = false;

async function decode(payload: unknown, sampleRows = 0): Promise<PartSample | undefined> {
  let partRows = 0;
  const sample = sampleRows > 0 ? new Map<string, unknown[]>() : undefined;
  // Text cells as byte ranges when the decoder offers them (no string per cell).
  const chunks: AsyncIterable<ColumnChunk | TextCellChunk> | Iterable<ColumnChunk | TextCellChunk> = decoder.textCellChunks
    ? decoder.textCellChunks(payload, columns)
    : decoder.columnChunks(payload, columns);
  for await (const chunk of chunks) {
    const targets = byColumn.get(chunk.column);
    const cells = 'cells' in chunk ? chunk.cells : undefined;
    if (targets) {
      for (const a of targets) {
        if (cells) a.addTextCells(cells.bytes, cells.starts, cells.ends, chunk.length);
        else a.addColumn((chunk as ColumnChunk).values, chunk.length);
      }
    }
    if (chunk.rowStart + chunk.length > partRows) partRows = chunk.rowStart + chunk.length;
    if (sample && chunk.rowStart < sampleRows) {
      // The first rows of the pass for the caller's sample data, copied out of the chunk.
      let out = sample.get(chunk.column);
      if (!out) sample.set(chunk.column, (out = []));
      const end = Math.min(chunk.length, sampleRows - chunk.rowStart);
      const values = cells ? cellStrings(cells, end) : (chunk as ColumnChunk).values;
      for (let i = 0; i < end; i++) out[chunk.rowStart + i] = values ? values[i] : null;
    }
  }
  rowCount += partRows;
  return sample ? [...sample].map(([column, values]) => ({ column, values })) : undefined;
}

/** The first `n` cells as the strings a row reader would give (null for a missing cell). */
function cellStrings(cells: TextCellChunk['cells'], n: number): (string | null)[] {
  const text = Buffer.from(cells.bytes.buffer, cells.bytes.byteOffset, cells.bytes.byteLength);
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = cells.starts[i] < 0 ? null : text.toString('utf8', cells.starts[i], cells.ends[i]);
  return out;
}

// Parts are handled strictly in arrival order, one at a time.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    if (failed) return;
    try {
      if (message.type === 'part') {
        const sample = await decode(message.payload, message.sampleRows);
        send(sample ? { type: 'ack', sample } : { type: 'ack' });
        // The part's bytes are not needed past this point (the sample was copied by the send).
        if (message.buffers) releaseBuffers(message.buffers);
      } else {
        send({ type: 'result', rowCount, states: accumulators.map((a) => a.state()) });
      }
    } catch (err) {
      failed = true;
      const e = err instanceof Error ? err : new Error(String(err));
      send({ type: 'error', name: e.name, message: e.message, userError: (e as { userError?: boolean }).userError === true, stack: e.stack });
    }
  });
});
