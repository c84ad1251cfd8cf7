/**
 * A worker thread of a parallel profile scan: decodes the parts it is sent (`PartScanner`) into its
 * own accumulators, one part at a time, and sends their states back at the end.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPartDecoder, PartScanner } from './part-scanner';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { releaseBuffers } from './release';

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
        send(sample ? { type: 'ack', sample } : { type: 'ack' });
        // The part's bytes are not needed past this point (the sample was copied by the send).
        if (message.buffers) releaseBuffers(message.buffers);
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
