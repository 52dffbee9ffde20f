import { workerData } from 'node:worker_threads';
import { stepsPerThread, takeStep, type CounterMemory, type ThreadState } from '../scenario/counter.js';
import { Mutex } from '../sync/mutex.js';
import { ACTIONS, ReplayCell, STOP, TraceField, traceEntry, type ReplayJob } from './replay-protocol.js';

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
while (state.pc < total && waitForTurn()) {
  const entry = traceEntry(cells, Atomics.load(cells, ReplayCell.step));
  const outcome = takeStep(job.mode, job.thread, state, memory);
  entry[TraceField.thread] = job.thread;
  entry[TraceField.action] = ACTIONS.indexOf(outcome.action);
  entry[TraceField.hasValue] = outcome.value === null ? 0 : 1;
  entry[TraceField.value] = outcome.value ?? 0;
  entry[TraceField.counter] = cells[ReplayCell.counter]!;
  // The seq-cst store orders the plain writes above before the coordinator's next look.
  Atomics.store(cells, ReplayCell.turn, 0);
  Atomics.notify(cells, ReplayCell.turn);
}

/** Sleeps until it is this thread's turn (true) or the replay is stopped (false). */
function waitForTurn(): boolean {
  for (;;) {
    const turn = Atomics.load(cells, ReplayCell.turn);
    if (turn === job.thread) return true;
    if (turn === STOP) return false;
    Atomics.wait(cells, ReplayCell.turn, turn);
  }
}
