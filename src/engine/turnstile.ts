import type { PartialProgress } from '../errors.js';
import { IDLE, ReplayCell, STOP, TraceField, traceEntry } from '../worker/replay-protocol.js';
import { Crew, type CrewJob } from './crew.js';
import { watchForInterruption } from './interruption.js';
import { startWatchdog } from './watchdog.js';

export interface TurnstileOptions {
  readonly signal?: AbortSignal | undefined;
  /** The most the whole replay may take, in ms; default 10 s plus 10 ms per step. */
  readonly timeoutMs?: number | undefined;
  readonly onSpawned?: ((threads: number) => void) | undefined;
  /** How far it had got, for an interruption's message. */
  readonly progress: () => PartialProgress;
}

/**
 * Starts one replay worker per job at `entry` and lets them take the schedule's steps one at a time:
 * names the thread on turn in the control cells, wakes it, and waits until it hands the turn back
 * (each worker writes its step into the trace in `control`). Every worker is terminated at the end.
 */
export async function runTurnstile(entry: URL, jobs: readonly CrewJob[], control: Int32Array, schedule: readonly number[], options: TurnstileOptions): Promise<void> {
  const lastTurn = new Map(schedule.map((thread, i) => [thread, i]));
  const crew = Crew.start(entry, jobs, {
    isDone: (thread) => traceEntry(control, lastTurn.get(thread) ?? 0)[TraceField.thread] === thread,
  });
  const watchdog = startWatchdog(options.timeoutMs ?? 10_000 + 10 * schedule.length, () => {
    const step = Atomics.load(control, ReplayCell.step);
    return `at step ${step + 1}, thread ${schedule[step]}'s turn`;
  });
  options.onSpawned?.(jobs.length);
  const interruption = watchForInterruption(options.signal, options.progress);
  try {
    for (const [i, thread] of schedule.entries()) {
      Atomics.store(control, ReplayCell.step, i);
      Atomics.store(control, ReplayCell.turn, thread);
      Atomics.notify(control, ReplayCell.turn);
      await Promise.race([turnReturned(control), crew.failed, interruption.promise, watchdog.promise]);
    }
    await Promise.race([crew.finished, interruption.promise, watchdog.promise]);
  } finally {
    watchdog.dispose();
    interruption.dispose();
    Atomics.store(control, ReplayCell.turn, STOP);
    Atomics.notify(control, ReplayCell.turn);
    await crew.terminate();
  }
}

/** Resolves when the thread on turn hands the turn back. */
async function turnReturned(control: Int32Array): Promise<void> {
  for (;;) {
    const turn = Atomics.load(control, ReplayCell.turn);
    if (turn === IDLE || turn === STOP) return;
    const outcome = Atomics.waitAsync(control, ReplayCell.turn, turn);
    if (outcome.async) await outcome.value;
  }
}
