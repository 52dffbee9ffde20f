import { parentPort, workerData } from 'node:worker_threads';
import { sumLevel, type Edges, type SumJob } from './futures.js';

// The second core's half of each level's futures (see futures.ts and level-graph.ts). The main thread
// blocks on `done` while both halves run, so the answer goes back through shared memory, not a message.

export interface HelperData {
  /** [0] is set to 1 once this thread can take jobs. */
  readonly ready: Int32Array;
  /** [0]: 0 while a job runs, 1 when it is done, 2 when it failed. */
  readonly done: Int32Array;
}

/** One level's part to sum, with that level's edges. */
export interface HelperMessage {
  readonly edges: Edges;
  readonly job: SumJob;
}

const { ready, done } = workerData as HelperData;

parentPort!.on('message', ({ edges, job }: HelperMessage) => {
  let result = 1;
  try {
    sumLevel(edges, job);
  } catch {
    result = 2;
  }
  Atomics.store(done, 0, result);
  Atomics.notify(done, 0);
});
Atomics.store(ready, 0, 1);
