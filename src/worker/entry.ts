import { workerData } from 'node:worker_threads';
import { StartBarrier } from '../sync/barrier.js';
import { Mutex } from '../sync/mutex.js';
import { SpinLock } from '../sync/spin-lock.js';
import { FAULT_AFTER, triggerFault } from './fault.js';
import { loopFor } from './increment.js';
import { isLockMode } from '../modes.js';
import { Cell, evidenceOf, finishSlot, RELEASED_AT, Stat, startSlot, statsOf, viewsOf, type WorkerJob } from './protocol.js';

// A worker's whole life: wait at the barrier (the last to arrive opens it), increment, stamp the clock, exit.
const job = workerData as WorkerJob;
const { cells, evidence, stats, times } = viewsOf(job.buffer, job.threads);
const context = {
  evidence: evidenceOf(evidence, job.thread),
  stats: statsOf(stats, job.thread),
  thread: job.thread,
  counting: job.counting,
  lockSpins: job.lockSpins,
};
const increment = loopFor(job.mode, job.widen, job.evidence);

// The first hrtime call in a thread is slow; make it before the barrier, not after.
process.hrtime.bigint();
if (job.barrier) {
  new StartBarrier(cells, Cell.arrived, Cell.release).arrive(job.threads, () => {
    times[RELEASED_AT] = process.hrtime.bigint();
  });
}
times[startSlot(job.thread)] = process.hrtime.bigint();

if (job.fault?.thread === job.thread) {
  // Fail mid-run, but soon enough that a test with a huge --iters does not wait for it; in lock mode,
  // fail holding the lock, the worst moment for the others.
  increment(cells, Math.min(Math.floor(job.iters / 2), FAULT_AFTER), context);
  if (isLockMode(job.mode)) {
    if (job.mode === 'lock') new Mutex(cells, Cell.lock, { id: job.thread }).lock();
    else new SpinLock(cells, Cell.lock).lock();
  }
  triggerFault(job.fault);
}
increment(cells, job.iters, context);
context.stats[Stat.increments] = job.iters;

times[finishSlot(job.thread)] = process.hrtime.bigint();
