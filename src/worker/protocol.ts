import type { Mode } from '../modes.js';
import type { Fault } from './fault.js';

// Everything both sides of a worker agree on: where each cell lives and what a worker is told.

/** Int32 cells. The barrier sits a cache line away from the counter so that arriving does not disturb it. */
export const Cell = {
  counter: 0,
  lock: 1,
  /** The thread holding the lock in lock mode, 0 when free: what a timeout names. */
  owner: 2,
  arrived: 16,
  release: 17,
} as const;

const CONTROL_BYTES = 128;

/**
 * Per thread, four Int32 cells after the control block, written once when the loop ends: what kind of
 * sighting, how many the thread made, and the largest one as two values. The plain loop sees the counter
 * go back (it wrote `a`, its next read found `b`); the widened loop, which can afford one more load,
 * sees its write land late (it read `a`, and just before writing `a + 1` found the counter at `b`).
 */
export const Evidence = { kind: 0, count: 1, a: 2, b: 3 } as const;
export const EvidenceKind = { none: 0, wentBack: 1, lateWrite: 2 } as const;
const EVIDENCE_INTS = 4;

/** Per thread, eight Int32 cells after the evidence: what it did, written once when it is done. */
export const Stat = { increments: 0, acquisitions: 1, contended: 2, spins: 3, sleeps: 4, wakeups: 5, retries: 6 } as const;
const STAT_INTS = 8;

/**
 * BigInt64 cells after the evidence, on the monotonic clock (ns): first when the barrier opened, then per
 * thread its start and finish.
 */
const TIMES_PER_THREAD = 2;
export const RELEASED_AT = 0;

export interface WorkerJob {
  readonly buffer: SharedArrayBuffer;
  /** 1-based, as people count threads. */
  readonly thread: number;
  readonly threads: number;
  readonly iters: number;
  readonly mode: Mode;
  readonly barrier: boolean;
  /** Sleep briefly between each read and its write, so the race shows at any size and under load. */
  readonly widen: boolean;
  /** Record what the unsafe threads see of lost updates (costs the plain unsafe loop time). */
  readonly evidence: boolean;
  /** Count lock acquisitions, sleeps and wake-ups (costs the lock loops a little). */
  readonly counting: boolean;
  /** The mutex's looks at a taken lock before it sleeps. */
  readonly lockSpins: number;
  readonly fault: Fault | null;
}

export interface SharedViews {
  readonly cells: Int32Array;
  readonly evidence: Int32Array;
  readonly stats: Int32Array;
  readonly times: BigInt64Array;
}

export function createSharedBuffer(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES + threads * (EVIDENCE_INTS + STAT_INTS) * 4 + (1 + threads * TIMES_PER_THREAD) * 8);
}

export function viewsOf(buffer: SharedArrayBuffer, threads: number): SharedViews {
  const statsOffset = CONTROL_BYTES + threads * EVIDENCE_INTS * 4;
  const timesOffset = statsOffset + threads * STAT_INTS * 4;
  return {
    cells: new Int32Array(buffer, 0, CONTROL_BYTES / 4),
    evidence: new Int32Array(buffer, CONTROL_BYTES, threads * EVIDENCE_INTS),
    stats: new Int32Array(buffer, statsOffset, threads * STAT_INTS),
    times: new BigInt64Array(buffer, timesOffset, 1 + threads * TIMES_PER_THREAD),
  };
}

/** The four evidence cells of one thread. */
export function evidenceOf(evidence: Int32Array, thread: number): Int32Array {
  return evidence.subarray((thread - 1) * EVIDENCE_INTS, thread * EVIDENCE_INTS);
}

/** The statistics cells of one thread. */
export function statsOf(stats: Int32Array, thread: number): Int32Array {
  return stats.subarray((thread - 1) * STAT_INTS, thread * STAT_INTS);
}

export function startSlot(thread: number): number {
  return 1 + (thread - 1) * TIMES_PER_THREAD;
}

export function finishSlot(thread: number): number {
  return 2 + (thread - 1) * TIMES_PER_THREAD;
}
