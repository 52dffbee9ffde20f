import { EVIDENCE_CELLS, STAT_CELLS } from '../core/thread-cells.js';
import type { Fault } from './fault.js';
import { WAIT_CELLS } from './wait-board.js';

// The one shared-memory layout of a run of workers, which both sides of a worker agree on. In order:
// the control cells, per thread its evidence and statistics cells, the clock stamps, the waits for locks,
// a replay's trace, and last the scenario's own cells, each part on cache lines of its own.

/** Control cells: the start barrier and the trial under way in a free run, a replay's turnstile. */
export const Control = {
  arrived: 0,
  release: 1,
  /** The trial the threads are to run (1, 2, …), or STOP: a free run's crew is kept across its trials. */
  trial: 2,
  /** How many threads have finished the trial under way. */
  finished: 3,
  /** The thread that found the trial's threads deadlocked (0: none); it notifies `finished`. */
  deadlock: 4,
  /** Whose step it is in a replay: a thread number, IDLE while the coordinator decides, or STOP. */
  turn: 8,
  /** Which entry of the trace (0-based: the schedule's step) the thread on turn writes. */
  entry: 9,
} as const;
const CONTROL_INTS = 16;

export const IDLE = 0;
export const STOP = -1;

export { Evidence, Stat } from '../core/thread-cells.js';
const EVIDENCE_INTS = EVIDENCE_CELLS;
const STAT_INTS = STAT_CELLS;

/** Per replayed step: thread, action code, whether there is a value, the value, the watched cell after. */
export const TraceField = { thread: 0, action: 1, hasValue: 2, value: 3, watch: 4 } as const;
const TRACE_INTS = 5;

/** The shape a buffer was made for; a worker builds the same views from it. */
export interface Shape {
  readonly threads: number;
  readonly cells: number;
  /** Replayed steps the trace holds (0 for a free run). */
  readonly traceSteps: number;
}

export interface Views {
  readonly control: Int32Array;
  /** The clock (monotonic ns): [0] when the barrier opened, per thread its start and finish, then when a deadlock was found. */
  readonly times: BigInt64Array;
  readonly trace: Int32Array;
  /** Per thread, the lock it waits for (runtime/wait-board.ts). */
  readonly waits: Int32Array;
  /** The scenario's cells. */
  readonly cells: Int32Array;
  /** Every thread's evidence and statistics cells, side by side. */
  readonly perThread: Int32Array;
  evidenceOf(thread: number): Int32Array;
  statsOf(thread: number): Int32Array;
}

const LINE = 64;
const align = (bytes: number) => Math.ceil(bytes / LINE) * LINE;

function offsets(shape: Shape) {
  const perThread = align(CONTROL_INTS * 4);
  const times = align(perThread + shape.threads * (EVIDENCE_INTS + STAT_INTS) * 4);
  const waits = align(times + timeSlots(shape.threads) * 8);
  const trace = align(waits + shape.threads * WAIT_CELLS * 4);
  const cells = align(trace + shape.traceSteps * TRACE_INTS * 4);
  return { perThread, times, waits, trace, cells, end: align(cells + shape.cells * 4) };
}

export function createBuffer(shape: Shape): SharedArrayBuffer {
  return new SharedArrayBuffer(offsets(shape).end);
}

export function viewsOf(buffer: SharedArrayBuffer, shape: Shape): Views {
  const at = offsets(shape);
  const perThread = new Int32Array(buffer, at.perThread, shape.threads * (EVIDENCE_INTS + STAT_INTS));
  const base = (thread: number) => (thread - 1) * (EVIDENCE_INTS + STAT_INTS);
  return {
    control: new Int32Array(buffer, 0, CONTROL_INTS),
    times: new BigInt64Array(buffer, at.times, timeSlots(shape.threads)),
    waits: new Int32Array(buffer, at.waits, shape.threads * WAIT_CELLS),
    trace: new Int32Array(buffer, at.trace, shape.traceSteps * TRACE_INTS),
    cells: new Int32Array(buffer, at.cells, shape.cells),
    perThread,
    evidenceOf: (thread) => perThread.subarray(base(thread), base(thread) + EVIDENCE_INTS),
    statsOf: (thread) => perThread.subarray(base(thread) + EVIDENCE_INTS, base(thread) + EVIDENCE_INTS + STAT_INTS),
  };
}

/** Before a crew's next trial: the barrier, the finish count, the clock, the threads' cells and the scenario's back to 0. */
export function clearForTrial(views: Views): void {
  for (const cell of [Control.arrived, Control.release, Control.finished, Control.deadlock]) Atomics.store(views.control, cell, 0);
  views.times.fill(0n);
  views.perThread.fill(0);
  views.waits.fill(0);
  views.cells.fill(0);
}

export const RELEASED_AT = 0;

/** The release, each thread's start and finish, and when a deadlock was found. */
function timeSlots(threads: number): number {
  return 2 + 2 * threads;
}

export function deadlockSlot(threads: number): number {
  return 1 + 2 * threads;
}

export function startSlot(thread: number): number {
  return 2 * thread - 1;
}

export function finishSlot(thread: number): number {
  return 2 * thread;
}

/** The cells of one replayed step. */
export function traceEntry(trace: Int32Array, step: number): Int32Array {
  return trace.subarray(step * TRACE_INTS, (step + 1) * TRACE_INTS);
}

/** A step's action in one trace cell: a 31-bit hash of its name, which the coordinator checks against the model's step. */
export function actionCode(action: string): number {
  let hash = 0;
  for (let i = 0; i < action.length; i++) hash = (Math.imul(hash, 31) + action.charCodeAt(i)) | 0;
  return hash;
}

/** What every worker of a run is told. Only this and the buffer cross the boundary. */
export interface WorkerJob {
  /** The scenario, by name or module path: the worker loads it itself. */
  readonly scenario: string;
  readonly mode: string;
  /** 1-based, as people count threads. */
  readonly thread: number;
  readonly threads: number;
  readonly iters: number;
  readonly buffer: SharedArrayBuffer;
  readonly shape: Shape;
  /** Free-running: released by the barrier (or not), as fast as it can. Replay: one step per turn. */
  readonly kind: 'free' | 'turns';
  readonly barrier: boolean;
  /** Sleep between a read and the write computed from it (the mode's gapAfter steps). */
  readonly widen: boolean;
  /** Record sightings of the race (a cost in the unsafe loops). */
  readonly evidence: boolean;
  /** Count lock acquisitions, sleeps and wake-ups (a cost in the lock loops). */
  readonly counting: boolean;
  /** Run the scenario's own loop for the mode, where it has one. */
  readonly ownLoops: boolean;
  readonly lockSpins: number;
  readonly fault: Fault | null;
  /** Replay: the turn (0-based, of this thread's turns) at which the faulty thread fails. */
  readonly faultTurn: number;
}
