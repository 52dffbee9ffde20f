import { workerData } from 'node:worker_threads';
import { stepsPerThread, takeStep, type CounterMemory, type ThreadState } from '../scenario/counter.js';
import { Mutex } from '../sync/mutex.js';
import { ACTIONS, endTurn, recordStep, ReplayCell, waitForTurn, type ReplayJob } from './replay-protocol.js';

// A replay worker: sleeps on the turnstile until the coordinator names it, takes exactly one step of
// the counter scenario on the shared memory, writes the step to the trace, and hands the turn back.
const job = workerData as ReplayJob;
const cells = new Int32Array(job.buffer);
// The mutex keeps its holder in the cell after its lock: ReplayCell.owner.
const mutex = new Mutex(cells, ReplayCell.lock, { id: job.thread });

const memory: CounterMemory = {
  load: () => cells[ReplayCell.counter]!,
  store: (value) => {
    cells[ReplayCell.counter] = value;
  },
  fetchAdd: () => Atomics.add(cells, ReplayCell.counter, 1),
  compareExchange: (expected, value) => Atomics.compareExchange(cells, ReplayCell.counter, expected, value),
  tryLock: () => mutex.tryLock(),
  unlock: () => mutex.unlock(),
  holder: () => Atomics.load(cells, ReplayCell.owner),
};

const state: ThreadState = { pc: 0, register: 0 };
const total = stepsPerThread(job.mode, job.iters);
while (state.pc < total && waitForTurn(cells, job.thread)) {
  const outcome = takeStep(job.mode, job.thread, state, memory);
  recordStep(cells, job.thread, ACTIONS.indexOf(outcome.action), outcome.value, cells[ReplayCell.counter]!);
  endTurn(cells);
}
