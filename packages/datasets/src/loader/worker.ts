/**
 * Worker-thread entry of the data loader: builds batches on request and transfers the pixel
 * buffer back without copying.
 */
import { parentPort } from 'node:worker_threads';
import { buildBatch, type BatchOptions } from './batch.js';
import type { SampleSpec } from './sample.js';

/** A request to a loader worker. */
export interface WorkerRequest {
  /** Request id. */
  id: number;
  /** Samples of the batch. */
  specs: SampleSpec[];
  /** Their dataset indices. */
  indices: number[];
  /** Epoch. */
  epoch: number;
  /** Options. */
  opts: BatchOptions;
}

parentPort?.on('message', (req: WorkerRequest) => {
  buildBatch(req.specs, req.indices, req.epoch, req.opts).then(
    (batch) => parentPort!.postMessage({ id: req.id, batch }, [batch.images.buffer as ArrayBuffer]),
    (e: Error) => parentPort!.postMessage({ id: req.id, error: `${e.name}: ${e.message}` }),
  );
});
