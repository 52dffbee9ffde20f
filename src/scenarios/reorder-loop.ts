import type { Loop } from '../core/scenario.js';
import { Stat } from '../core/thread-cells.js';

// The reorder scenario's rounds as one tight loop: the same cells and the same order of accesses as its
// steps (test/scenarios/reorder.test.ts holds the two to the same results), with nothing between the
// rendezvous and the write but a branch that always goes the same way, so the two writes race as
// closely as they can.

const ARRIVED = 0;
const FIRST = 3;

/** The loop for `mode`: plain accesses for the race, Atomics.store / Atomics.load for the fix. */
export function reorderLoop(mode: string): Loop {
  const atomic = mode === 'atomic';
  return (cells, iters, { thread, stats }) => {
    const rounds = (cells.length - FIRST) / 3;
    const mine = thread === 1 ? FIRST : FIRST + rounds;
    const theirs = thread === 1 ? FIRST + rounds : FIRST;
    const results = FIRST + 2 * rounds;
    // It may be called more than once in a trial (a fault stops it half-way): go on from where it stopped.
    let k = stats[Stat.operations]!;
    const to = Math.min(rounds, k + iters);
    for (; k < to; k++) {
      Atomics.add(cells, ARRIVED, 1);
      const met = 2 * (k + 1);
      while (Atomics.load(cells, ARRIVED) < met);
      let seen: number;
      if (atomic) {
        Atomics.store(cells, mine + k, 1);
        seen = Atomics.load(cells, theirs + k);
      } else {
        cells[mine + k] = 1;
        seen = cells[theirs + k]!;
      }
      if (seen === 1) Atomics.add(cells, results + k, thread);
    }
    stats[Stat.operations] = k;
  };
}
