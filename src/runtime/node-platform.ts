import { availableParallelism, totalmem } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Platform, PlatformWorker, WorkerKind } from './platform.js';

// Node's side of the platform: worker_threads, next to the compiled entries (dist/runtime/worker.js and
// dist/explore/model-worker.js as tsc builds them, or side by side in the bundle, which keeps each
// entry's file name). Loaded only when a run, a replay or explore starts its first worker.

const ENTRIES: Readonly<Record<WorkerKind, URL>> = {
  thread: new URL(import.meta.url.includes('/bundle/') ? './worker.js' : '../runtime/worker.js', import.meta.url),
  model: new URL(import.meta.url.includes('/bundle/') ? './model-worker.js' : '../explore/model-worker.js', import.meta.url),
};

export const nodePlatform: Platform = {
  kind: 'node',
  version: process.version,
  cpus: () => availableParallelism(),
  // A quarter of this machine's memory, at most 1.5 GiB: the sizes explore is meant for never come near.
  modelMemory: () => Math.min(1.5 * 2 ** 30, Math.floor(totalmem() / 4)),
  spawn(kind, data, heapMb): PlatformWorker {
    // The workers run compiled JavaScript: they need none of the parent's loader flags (under tsx,
    // inheriting them costs each worker about 180 ms to start its own loader). A heap limit makes a
    // runaway worker fail alone instead of taking the process down.
    const worker = new Worker(ENTRIES[kind], { workerData: data, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    return {
      onError: (listener) => worker.once('error', listener),
      onExit: (listener) => worker.once('exit', listener),
      onMessage: (listener) => worker.once('message', listener),
      terminate: () => worker.terminate(),
    };
  },
};
