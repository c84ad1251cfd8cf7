/**
 * A worker thread of a parallel profile scan: decodes the parts it is sent (with the table's part
 * decoder) into its own accumulators, one part at a time, and sends their states back at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PartDecoder } from '@om/core/worker-protocol';
import { accumulatorsByColumn, ColumnAccumulator } from '../metrics/column';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

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

async function decode(payload: unknown): Promise<void> {
  let partRows = 0;
  for await (const chunk of decoder.columnChunks(payload, columns)) {
    const targets = byColumn.get(chunk.column);
    if (targets) for (const a of targets) a.addColumn(chunk.values, chunk.length);
    if (chunk.rowStart + chunk.length > partRows) partRows = chunk.rowStart + chunk.length;
  }
  rowCount += partRows;
}

// Parts are handled strictly in arrival order, one at a time.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    if (failed) return;
    try {
      if (message.type === 'part') {
        await decode(message.payload);
        send({ type: 'ack' });
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
