import type { ModeSpec } from '../core/scenario.js';
import { Stat } from '../core/thread-cells.js';

/** What one thread did in a run. Lock counts are null unless counted (`stats`), for modes without a lock, and for a thread that never finished. */
export interface ThreadStats {
  readonly thread: number;
  readonly operations: number;
  /** From the release (or the first start) to this thread's finish; null when it never finished (a deadlock). */
  readonly finishMs: number | null;
  readonly acquisitions: number | null;
  readonly contended: number | null;
  readonly spins: number | null;
  /** Atomics.wait calls and the wake-ups that ended them: the mutex's, so null for a spin lock. */
  readonly sleeps: number | null;
  readonly wakeups: number | null;
  /** Steps that found the memory moved and went back (a failed compare-exchange); null for modes that never retry. */
  readonly retries: number | null;
}

/** How evenly the threads fared: Jain's index over their finish times, and the slowest against the fastest. */
export interface Fairness {
  /** (Σx)² / (n·Σx²): 1 when every thread took as long, 1/n when one took all the time. */
  readonly jain: number;
  /** The slowest thread's finish time over the fastest's (1 = even); null when the fastest finished at once (no ratio, and JSON has no Infinity). */
  readonly slowestOverFastest: number | null;
}

export function readThreadStats(mode: ModeSpec, cells: Int32Array, thread: number, finishMs: number | null, counted: boolean): ThreadStats {
  // A thread keeps its lock counts and retries in locals and writes them when it finishes: one that never
  // did (a deadlock) has none to show, which is not zero.
  const finished = finishMs !== null;
  const locked = counted && mode.lock !== undefined && finished;
  const lockCount = (stat: number) => (locked ? cells[stat]! : null);
  const mutex = locked && mode.lock === 'mutex';
  return {
    thread,
    operations: cells[Stat.operations]!,
    finishMs,
    acquisitions: lockCount(Stat.acquisitions),
    contended: lockCount(Stat.contended),
    spins: lockCount(Stat.spins),
    sleeps: mutex ? cells[Stat.sleeps]! : null,
    wakeups: mutex ? cells[Stat.wakeups]! : null,
    retries: mode.retries && finished ? cells[Stat.retries]! : null,
  };
}

/** Jain's fairness index of non-negative values, and the largest over the smallest (null when the smallest is 0). */
export function fairnessOf(values: readonly number[]): Fairness {
  if (values.length === 0) throw new RangeError('fairness of no values');
  let sum = 0;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    sum += value;
    squares += value * value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }
  return {
    jain: squares === 0 ? 1 : round((sum * sum) / (values.length * squares), 4),
    slowestOverFastest: max === 0 ? 1 : min === 0 ? null : round(max / min, 3),
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
