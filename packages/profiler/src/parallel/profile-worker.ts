/**
 * A worker thread of a parallel profile scan: decodes the parts it is sent (`PartScanner`) into its
 * own accumulators, one part at a time, and sends their states back at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPartDecoder, PartScanner } from './part-scanner';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (message: FromWorker): void => port.postMessage(message);

const scanner = new PartScanner(openPartDecoder(init.decoderModule, init.decoderOptions), init.accumulators, init.limits);
let failed = false;

// Parts are handled strictly in arrival order, one at a time.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(async () => {
    if (failed) return;
    try {
      if (message.type === 'part') {
        const sample = await scanner.decode(message.payload, message.sampleRows);
        // The part's bytes go back to the pass (moved: this thread keeps nothing of them).
        const buffers = message.buffers ?? [];
        port.postMessage({ type: 'ack', ...(sample ? { sample } : {}), ...(buffers.length > 0 ? { buffers } : {}) } satisfies FromWorker, buffers);
      } else {
        send({ type: 'result', ...scanner.result() });
      }
    } catch (err) {
      failed = true;
      const e = err instanceof Error ? err : new Error(String(err));
      send({ type: 'error', name: e.name, message: e.message, userError: (e as { userError?: boolean }).userError === true, stack: e.stack });
    }
  });
});
