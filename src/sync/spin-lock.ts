import type { LockStats } from './mutex.js';

/**
 * A test-and-test-and-set spin lock on one Int32 cell: 0 free, 1 held. A thread that finds it taken
 * reads the cell (a plain shared read, which keeps the cache line shared) until it looks free, and only
 * then tries the compare-exchange again. It never sleeps: with more threads than cores, a spinner can
 * burn its whole time slice while the holder waits for a core, which is what `run --mode spin` shows.
 */
export class SpinLock {
  readonly stats: LockStats = { acquisitions: 0, contended: 0, spins: 0, sleeps: 0, wakeups: 0 };

  constructor(
    readonly cells: Int32Array,
    readonly index: number,
    private readonly counting = false,
  ) {}

  /** Takes the lock if it is free, at once; false if it is taken. */
  tryLock(): boolean {
    if (Atomics.compareExchange(this.cells, this.index, 0, 1) !== 0) return false;
    if (this.counting) this.stats.acquisitions++;
    return true;
  }

  lock(): void {
    const { cells, index } = this;
    if (Atomics.compareExchange(cells, index, 0, 1) === 0) {
      if (this.counting) this.stats.acquisitions++;
      return;
    }
    let spins = 0;
    do {
      while (Atomics.load(cells, index) !== 0) spins++;
    } while (Atomics.compareExchange(cells, index, 0, 1) !== 0);
    if (!this.counting) return;
    this.stats.acquisitions++;
    this.stats.contended++;
    this.stats.spins += spins;
  }

  unlock(): void {
    Atomics.store(this.cells, this.index, 0);
  }
}
