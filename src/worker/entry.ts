import { workerData } from 'node:worker_threads';
import { StartBarrier } from '../sync/barrier.js';
import { triggerFault } from './fault.js';
import { INCREMENT } from './increment.js';
import { Cell, finishSlot, startSlot, viewsOf, type WorkerJob } from './protocol.js';

// A worker's whole life: wait at the barrier, increment, stamp the clock, exit.
const job = workerData as WorkerJob;
const { cells, times } = viewsOf(job.buffer);
const increment = INCREMENT[job.mode];

if (job.barrier) new StartBarrier(cells, Cell.arrived, Cell.release).arrive();
times[startSlot(job.thread)] = process.hrtime.bigint();

if (job.fault?.thread === job.thread) {
  const half = Math.floor(job.iters / 2);
  increment(cells, half);
  triggerFault(job.fault);
}
increment(cells, job.iters);

times[finishSlot(job.thread)] = process.hrtime.bigint();
