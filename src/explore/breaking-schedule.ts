import { exploreInterleavings } from './explore.js';

/** A schedule on which the exact model breaks the invariant: what `replay` shows step by step. */
export interface BreakingSchedule {
  readonly scenario: string;
  readonly mode: string;
  readonly threads: number;
  readonly iters: number;
  readonly schedule: readonly number[];
}

/** The smallest sizes tried, in order: the first that breaks gives the shortest story. */
const SIZES = [
  { threads: 2, iters: 1 },
  { threads: 2, iters: 2 },
  { threads: 3, iters: 1 },
];

/**
 * Finds, with the exact model at a small size, a schedule that ends with the invariant broken in this
 * mode: the deterministic way to show the failure a run found. Null for a mode that cannot break it.
 */
export async function findBreakingSchedule(scenario: string, mode: string, signal?: AbortSignal): Promise<BreakingSchedule | null> {
  for (const size of SIZES) {
    const report = await exploreInterleavings({ scenario, mode, ...size, ...(signal ? { signal } : {}) });
    const witness = [report.min, report.max].find((w) => report.outcomes.find((o) => o.final === w.final)?.broken);
    if (witness) return { scenario, mode, ...size, schedule: witness.schedule };
  }
  return null;
}
