import { programOf } from '../core/machine/program.js';
import { modeOf, type LoopContext, type ModeSpec, type Scenario, type Size } from '../core/scenario.js';
import { Stat } from '../core/thread-cells.js';
import { loadScenario } from '../scenarios/registry.js';
import { StartBarrier } from '../sync/barrier.js';
import { FAULT_AFTER, triggerFault } from './fault.js';
import { lockCount } from '../core/locks.js';
import { actionCode, Control, deadlockSlot, finishSlot, RELEASED_AT, startSlot, STOP, viewsOf, type Views, type WorkerJob } from './protocol.js';
import { nowNs } from './clock.js';
import { SharedMemory } from './shared-memory.js';
import { WaitBoard } from './wait-board.js';
import { stepLoop } from './step-loop.js';
import { endTurn, recordStep, waitForTurn } from './turnstile.js';

// What every thread of every scenario runs, in Node's worker_threads (runtime/worker.ts) or a browser's
// Web Worker: a thread of a free run (each trial, wait at the barrier, then run the operations as fast
// as it can) or of a replay (one step each time the turnstile names it).

let job: WorkerJob;

/** Runs the thread `given` describes, until its work is done or the coordinator stops it. */
export async function runThread(given: WorkerJob): Promise<void> {
  job = given;
  const scenario = await loadScenario(job.scenario);
  const mode = modeOf(scenario, job.mode)!;
  const size: Size = { threads: job.threads, iters: job.iters };
  const views = viewsOf(job.buffer, job.shape);
  if (job.kind === 'free') runFree(scenario, mode, size, views);
  else takeTurns(scenario, mode, size, views);
}

function runFree(scenario: Scenario, mode: ModeSpec, size: Size, views: Views): void {
  const { thread, fault } = job;
  const own = job.ownLoops ? scenario.hooks?.loop?.(mode.name, { widen: job.widen, evidence: job.evidence, size }) : null;
  // The first clock call in a thread is slow; make it before the barrier, not after.
  nowNs();
  // The crew is kept across a mode's trials: each trial, wait for the coordinator to name it (it resets
  // the memory first), run it, and say so.
  const waits = { board: new WaitBoard(views.waits, views.cells, scenario.lockCell, job.threads), onDeadlock: () => reportDeadlock(views) };
  for (let trial = 1; awaitTrial(views.control, trial); trial++) {
    // The thread's shared memory with the mode's locks, which wait and tell the board: fresh each trial.
    const memory = new SharedMemory(views.cells, {
      lockCell: scenario.lockCell,
      locks: lockCount(scenario, size),
      thread,
      lockKind: mode.lock ?? 'mutex',
      waitForLock: true,
      counting: job.counting,
      lockSpins: job.lockSpins,
      board: waits.board,
      onDeadlock: waits.onDeadlock,
    });
    const context: LoopContext = { evidence: views.evidenceOf(thread), stats: views.statsOf(thread), thread, counting: job.counting, lockSpins: job.lockSpins, memory };
    // The scenario's own loop for this mode, if it has one; else the generic step loop, fresh each trial.
    const loop = own ?? stepLoop(scenario, mode, size, thread, memory, job);
    if (job.barrier) {
      new StartBarrier(views.control, Control.arrived, Control.release).arrive(job.threads, () => {
        views.times[RELEASED_AT] = nowNs();
      });
    }
    views.times[startSlot(thread)] = nowNs();
    if (fault?.thread === thread && trial === 1) {
      // Fail mid-run, but soon enough that a test with a huge --iters does not wait for it; in a mode with
      // a lock, fail holding the lock, the worst moment for the others.
      loop(views.cells, Math.min(Math.floor(job.iters / 2), FAULT_AFTER), context);
      if (mode.lock) sharedMemory(scenario, mode, size, views, true).tryLock(thread);
      triggerFault(fault);
    }
    loop(views.cells, job.iters, context);
    context.stats[Stat.operations] = job.iters;
    views.times[finishSlot(thread)] = nowNs();
    Atomics.add(views.control, Control.finished, 1);
    Atomics.notify(views.control, Control.finished);
  }
}

/**
 * This thread found the others and itself in a cycle of waits: the first to find it says when and
 * wakes the coordinator, which ends the trial (the threads of the cycle never will).
 */
function reportDeadlock(views: Views): void {
  const at = nowNs();
  if (Atomics.compareExchange(views.control, Control.deadlock, 0, job.thread) !== 0) return;
  Atomics.store(views.times, deadlockSlot(job.threads), at);
  Atomics.notify(views.control, Control.finished);
}

function sharedMemory(scenario: Scenario, mode: ModeSpec, size: Size, views: Views, waitForLock: boolean): SharedMemory {
  return new SharedMemory(views.cells, {
    lockCell: scenario.lockCell,
    locks: lockCount(scenario, size),
    thread: job.thread,
    lockKind: mode.lock ?? 'mutex',
    waitForLock,
    board: new WaitBoard(views.waits, views.cells, scenario.lockCell, job.threads),
  });
}

/** Sleeps until the coordinator names `trial` (true), or stops the crew (false). */
function awaitTrial(control: Int32Array, trial: number): boolean {
  for (;;) {
    const named = Atomics.load(control, Control.trial);
    if (named === STOP) return false;
    if (named >= trial) return true;
    Atomics.wait(control, Control.trial, named);
  }
}

function takeTurns(scenario: Scenario, mode: ModeSpec, size: Size, views: Views): void {
  const { thread, fault } = job;
  // A replayed thread only tries the lock: its turn must end whether or not it got it.
  const memory = sharedMemory(scenario, mode, size, views, false);
  const program = programOf(scenario, mode.name, size);
  const words = new Int32Array(program.width);
  program.start(thread, words);
  for (let turn = 0; !program.isDone(thread, words) && waitForTurn(views.control, thread); turn++) {
    if (fault?.thread === thread && turn === job.faultTurn) triggerFault(fault);
    const step = program.step(thread, words, memory);
    recordStep(views.control, views.trace, thread, actionCode(step.action), step.value, views.cells[scenario.watch.cell]!);
    endTurn(views.control);
  }
}
