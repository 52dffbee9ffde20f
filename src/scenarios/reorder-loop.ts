import type { Loop } from '../core/scenario.js';
import { Stat } from '../core/thread-cells.js';

// The reorder scenario's rounds as one tight loop: the same cells and the same order of accesses as its
// steps (test/scenarios/reorder.test.ts holds the two to the same results), with nothing between the
// rendezvous and the write but a branch that always goes the same way, so the two writes race as
// closely as they can. It meets the other thread before every round, the first too: its threads start
// a moment apart, where the model's start together.

/** The rendezvous count: each thread adds 1 per round. */
export const ARRIVED = 0;
/** Per thread (3 for thread 1, 4 for thread 2): 1 while it sleeps at the rendezvous. */
export const ASLEEP = 3;
/** The first round's x; see reorderCells. */
export const FIRST = 5;

/**
 * Loads of the count a thread waiting at the rendezvous makes before it sleeps. On an idle machine the
 * other thread arrives within a few hundred: the wait spins, and the writes race as closely as they can.
 * On a busy one the other thread may not be running at all; spinning would burn a whole time slice
 * each round (a run then takes minutes), so the waiter sleeps, and the one that arrives wakes it.
 */
const SPINS = 2_000;

/** The loop for `mode`: plain accesses for the race, Atomics.store / Atomics.load for the fix. */
export function reorderLoop(mode: string): Loop {
  const atomic = mode === 'atomic';
  return (cells, iters, { thread, stats }) => {
    const rounds = (cells.length - FIRST) / 4;
    const mine = thread === 1 ? FIRST : FIRST + rounds;
    const theirs = thread === 1 ? FIRST + rounds : FIRST;
    const kept = FIRST + (1 + thread) * rounds;
    // It may be called more than once in a trial (a fault stops it half-way): go on from where it stopped.
    let k = stats[Stat.operations]!;
    const to = Math.min(rounds, k + iters);
    const mySleep = ASLEEP + thread - 1;
    const theirSleep = ASLEEP + 2 - thread;
    for (; k < to; k++) {
      Atomics.add(cells, ARRIVED, 1);
      if (Atomics.load(cells, theirSleep) === 1) Atomics.notify(cells, ARRIVED);
      const met = 2 * (k + 1);
      for (let spins = 0, now = Atomics.load(cells, ARRIVED); now < met; now = Atomics.load(cells, ARRIVED)) {
        if (++spins < SPINS) continue;
        // Sequentially consistent: the other thread either adds before this wait reads the count (no
        // sleep), or reads this flag after setting it, and wakes this thread.
        Atomics.store(cells, mySleep, 1);
        Atomics.wait(cells, ARRIVED, now);
        Atomics.store(cells, mySleep, 0);
        spins = 0;
      }
      let seen: number;
      if (atomic) {
        Atomics.store(cells, mine + k, 1);
        seen = Atomics.load(cells, theirs + k);
      } else {
        cells[mine + k] = 1;
        seen = cells[theirs + k]!;
      }
      cells[kept + k] = seen;
    }
    stats[Stat.operations] = k;
  };
}
