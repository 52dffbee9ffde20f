import { findCycle, holderCell, type WaitLink, type WaitsView } from '../core/locks.js';

/** Per thread, two cells: the lock it waits for plus one (0: none), and how many waits it has started. */
export const WAIT_CELLS = 2;
const LOCK = 0;
const EPISODE = 1;

/**
 * Who waits for which lock, in shared memory: a thread about to sleep on a taken lock writes it here
 * first, and clears it once it has the lock. A cycle of waits is a deadlock: the last thread to join the
 * cycle finds it, because it writes its own wait before it looks, and every other wait of the cycle was
 * written before that (the cycle can only close with a wait). A timeout would say "too slow"; this says
 * who holds what.
 */
export class WaitBoard implements WaitsView {
  constructor(
    private readonly waits: Int32Array,
    private readonly cells: Int32Array,
    private readonly lockCell: number,
    readonly threads: number,
  ) {}

  /** `thread` is about to sleep on `lock`. The episode count goes first: see `confirmed`. */
  startWaiting(thread: number, lock: number): void {
    const at = (thread - 1) * WAIT_CELLS;
    Atomics.add(this.waits, at + EPISODE, 1);
    Atomics.store(this.waits, at + LOCK, lock + 1);
  }

  stopWaiting(thread: number): void {
    Atomics.store(this.waits, (thread - 1) * WAIT_CELLS + LOCK, 0);
  }

  waitingFor(thread: number): number {
    return Atomics.load(this.waits, (thread - 1) * WAIT_CELLS + LOCK) - 1;
  }

  holder(lock: number): number {
    return Atomics.load(this.cells, holderCell(this.lockCell, lock));
  }

  /** A cycle of waits reachable from `thread` that is really there (see `confirmed`), or null. */
  deadlockFrom(thread: number): WaitLink[] | null {
    const cycle = findCycle(this, thread);
    return cycle && this.confirmed(cycle) ? cycle : null;
  }

  /**
   * Whether a cycle read from cells that were changing is a deadlock. Each thread's wait is read twice,
   * episode then lock before the holders and lock then episode after: the same values both times mean
   * that the thread waited the whole while (a new wait bumps the episode first; an end clears the lock).
   * A waiting thread lets no lock go, so a holder read in between held its lock the whole while; at the
   * end of that read every thread of the cycle waited for a lock the next one held, and none can move.
   */
  private confirmed(cycle: readonly WaitLink[]): boolean {
    const at = (thread: number) => (thread - 1) * WAIT_CELLS;
    const episodes = cycle.map((link) => Atomics.load(this.waits, at(link.thread) + EPISODE));
    if (cycle.some((link) => this.waitingFor(link.thread) !== link.waitsFor)) return false;
    for (let i = 0; i < cycle.length; i++) {
      if (this.holder(cycle[i]!.waitsFor) !== cycle[(i + 1) % cycle.length]!.thread) return false;
    }
    return cycle.every((link, i) => this.waitingFor(link.thread) === link.waitsFor && Atomics.load(this.waits, at(link.thread) + EPISODE) === episodes[i]);
  }
}
