import type { Mode } from '../modes.js';
import type { Action } from '../scenario/counter.js';

// What the replay's coordinator and its workers agree on. Int32 cells; the trace follows the control block.

export const ReplayCell = {
  counter: 0,
  lock: 1,
  /** The thread holding the lock, so a blocked step can say whom it waits for. */
  owner: 2,
  /** Whose step it is: a thread number, IDLE while the coordinator decides, or STOP. */
  turn: 16,
  /** Which schedule entry (0-based) the thread on turn is taking. */
  step: 17,
} as const;

export const IDLE = 0;
export const STOP = -1;

const CONTROL_INTS = 32;
/** Per step: thread, action, whether there is a value, the value, the counter after. */
const TRACE_INTS = 5;
export const TraceField = { thread: 0, action: 1, hasValue: 2, value: 3, counter: 4 } as const;

export const ACTIONS: readonly Action[] = ['read', 'write', 'add', 'acquire', 'blocked', 'release', 'cas', 'retry'];

export interface ReplayJob {
  readonly buffer: SharedArrayBuffer;
  readonly thread: number;
  readonly mode: Mode;
  readonly iters: number;
}

export function createReplayBuffer(steps: number): SharedArrayBuffer {
  return new SharedArrayBuffer((CONTROL_INTS + steps * TRACE_INTS) * 4);
}

/** The cells of one step in the trace. */
export function traceEntry(cells: Int32Array, step: number): Int32Array {
  const start = CONTROL_INTS + step * TRACE_INTS;
  return cells.subarray(start, start + TRACE_INTS);
}

/** A replay worker's side of the turnstile: sleeps until it is `thread`'s turn (true) or the replay is stopped (false). */
export function waitForTurn(control: Int32Array, thread: number): boolean {
  for (;;) {
    const turn = Atomics.load(control, ReplayCell.turn);
    if (turn === thread) return true;
    if (turn === STOP) return false;
    Atomics.wait(control, ReplayCell.turn, turn);
  }
}

/** Hands the turn back once the step is in the trace; the seq-cst store orders the trace's plain writes before the coordinator's next look. */
export function endTurn(control: Int32Array): void {
  Atomics.store(control, ReplayCell.turn, 0);
  Atomics.notify(control, ReplayCell.turn);
}

/** Writes the step the thread on turn just took into the trace, at the step the coordinator named. */
export function recordStep(control: Int32Array, thread: number, action: number, value: number | null, watched: number): void {
  const entry = traceEntry(control, Atomics.load(control, ReplayCell.step));
  entry[TraceField.thread] = thread;
  entry[TraceField.action] = action;
  entry[TraceField.hasValue] = value === null ? 0 : 1;
  entry[TraceField.value] = value ?? 0;
  entry[TraceField.counter] = watched;
}
