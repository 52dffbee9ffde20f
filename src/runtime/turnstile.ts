import type { PartialProgress } from '../errors.js';
import { Crew, type CrewJob, type ThreadLook } from './crew.js';
import { watchForInterruption } from './interruption.js';
import { Control, IDLE, STOP, TraceField, traceEntry } from './protocol.js';
import { startWatchdog } from './watchdog.js';

// The replay's turnstile on two control cells: the coordinator names the thread whose turn it is and
// wakes it; that thread takes exactly one step, writes it into the trace, and hands the turn back.

export interface TurnstileOptions {
  readonly signal?: AbortSignal | undefined;
  /** The most the whole replay may take, in ms. */
  readonly timeoutMs: number;
  readonly onSpawned?: (() => void) | undefined;
  /** How far it had got, for an interruption's message. */
  readonly progress: () => PartialProgress;
  /** What the shared memory says of a failed thread. */
  readonly note?: (thread: number) => string;
  /** How many threads the schedule finishes (default all); where it ends in a deadlock, the rest are stopped. */
  readonly finishing?: number;
}

/** Coordinator side: starts one worker per job and lets them take the schedule's steps, one at a time. */
export async function runTurnstile(entry: URL, jobs: readonly CrewJob[], control: Int32Array, trace: Int32Array, schedule: readonly number[], options: TurnstileOptions): Promise<void> {
  const lastTurn = new Map(schedule.map((thread, i) => [thread, i]));
  const look: ThreadLook = {
    isDone: (thread) => traceEntry(trace, lastTurn.get(thread) ?? 0)[TraceField.thread] === thread,
    ...(options.note ? { note: options.note } : {}),
  };
  const crew = Crew.start(entry, jobs, look, options.onSpawned);
  const watchdog = startWatchdog(options.timeoutMs, () => {
    const step = Atomics.load(control, Control.step);
    return `at step ${step + 1}, thread ${schedule[step]}'s turn`;
  });
  const interruption = watchForInterruption(options.signal, options.progress);
  try {
    for (const [i, thread] of schedule.entries()) {
      Atomics.store(control, Control.step, i);
      Atomics.store(control, Control.turn, thread);
      Atomics.notify(control, Control.turn);
      await Promise.race([turnReturned(control), crew.failed, interruption.promise, watchdog.promise]);
    }
    if ((options.finishing ?? jobs.length) === jobs.length) await Promise.race([crew.finished, interruption.promise, watchdog.promise]);
  } finally {
    watchdog.dispose();
    interruption.dispose();
    Atomics.store(control, Control.turn, STOP);
    Atomics.notify(control, Control.turn);
    await crew.terminate();
  }
}

/** Resolves when the thread on turn hands the turn back. */
async function turnReturned(control: Int32Array): Promise<void> {
  for (;;) {
    const turn = Atomics.load(control, Control.turn);
    if (turn === IDLE || turn === STOP) return;
    const outcome = Atomics.waitAsync(control, Control.turn, turn);
    if (outcome.async) await outcome.value;
  }
}

/** Worker side: sleeps until it is `thread`'s turn (true) or the replay is stopped (false). */
export function waitForTurn(control: Int32Array, thread: number): boolean {
  for (;;) {
    const turn = Atomics.load(control, Control.turn);
    if (turn === thread) return true;
    if (turn === STOP) return false;
    Atomics.wait(control, Control.turn, turn);
  }
}

/** Worker side: writes the step just taken into the trace, at the entry the coordinator named. */
export function recordStep(control: Int32Array, trace: Int32Array, thread: number, action: number, value: number | null, watched: number): void {
  const entry = traceEntry(trace, Atomics.load(control, Control.step));
  entry[TraceField.thread] = thread;
  entry[TraceField.action] = action;
  entry[TraceField.hasValue] = value === null ? 0 : 1;
  entry[TraceField.value] = value ?? 0;
  entry[TraceField.watch] = watched;
}

/** Worker side: hands the turn back once the step is in the trace; the seq-cst store orders the trace's writes before the coordinator's next look. */
export function endTurn(control: Int32Array): void {
  Atomics.store(control, Control.turn, IDLE);
  Atomics.notify(control, Control.turn);
}
