import { workerData } from 'node:worker_threads';
import type { WorkerJob } from './protocol.js';
import { runThread } from './thread.js';

// The one thread entry in Node: a worker_threads Worker, its job in workerData.
await runThread(workerData as WorkerJob);
