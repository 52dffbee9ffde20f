import type { Mode } from '../modes.js';
import type { Fault } from './fault.js';

// Everything both sides of a worker agree on: where each cell lives and what a worker is told.

/** Int32 cells. The barrier sits a cache line away from the counter so that arriving does not disturb it. */
export const Cell = {
  counter: 0,
  lock: 1,
  arrived: 16,
  release: 17,
} as const;

const CONTROL_BYTES = 128;

/** Per thread, two BigInt64 cells after the control block: start and finish on the monotonic clock (ns). */
const TIMES_PER_THREAD = 2;

export interface WorkerJob {
  readonly buffer: SharedArrayBuffer;
  /** 1-based, as people count threads. */
  readonly thread: number;
  readonly iters: number;
  readonly mode: Mode;
  readonly barrier: boolean;
  readonly fault: Fault | null;
}

export interface SharedViews {
  readonly cells: Int32Array;
  readonly times: BigInt64Array;
}

export function createSharedBuffer(threads: number): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES + threads * TIMES_PER_THREAD * 8);
}

export function viewsOf(buffer: SharedArrayBuffer): SharedViews {
  return {
    cells: new Int32Array(buffer, 0, CONTROL_BYTES / 4),
    times: new BigInt64Array(buffer, CONTROL_BYTES),
  };
}

export function startSlot(thread: number): number {
  return (thread - 1) * TIMES_PER_THREAD;
}

export function finishSlot(thread: number): number {
  return (thread - 1) * TIMES_PER_THREAD + 1;
}
