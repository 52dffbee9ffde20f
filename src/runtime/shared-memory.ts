import type { Memory } from '../core/scenario.js';
import { Mutex, type LockStats } from '../sync/mutex.js';
import { SpinLock } from '../sync/spin-lock.js';

/** The lock a mode takes, as a thread of the scenario uses it. */
interface ThreadLock {
  tryLock(): boolean;
  lock(): void;
  unlock(): void;
  readonly stats: LockStats;
}

/**
 * A scenario's memory on a SharedArrayBuffer, as one real thread sees it: plain loads and stores (so
 * the races are real), Atomics for the indivisible operations, and the mode's lock: the futex mutex, or
 * the spin lock. `waitForLock`: a free-running thread waits until it gets the lock; a replayed one only
 * tries, because its turn must end.
 */
export class SharedMemory implements Memory {
  readonly lockStats: LockStats;
  private readonly threadLock: ThreadLock;

  constructor(
    private readonly cells: Int32Array,
    private readonly lockCell: number,
    thread: number,
    lock: 'mutex' | 'spin',
    private readonly waitForLock: boolean,
    options: { readonly counting?: boolean; readonly lockSpins?: number } = {},
  ) {
    this.threadLock =
      lock === 'mutex'
        ? new Mutex(cells, lockCell, { id: thread, counting: options.counting ?? false, spins: options.lockSpins ?? 0 })
        : new HeldSpinLock(cells, lockCell, thread, options.counting ?? false);
    this.lockStats = this.threadLock.stats;
  }

  load(cell: number): number {
    return this.cells[cell]!;
  }
  store(cell: number, value: number): void {
    this.cells[cell] = value;
  }
  fetchAdd(cell: number, value: number): number {
    return Atomics.add(this.cells, cell, value);
  }
  compareExchange(cell: number, expected: number, value: number): number {
    return Atomics.compareExchange(this.cells, cell, expected, value);
  }
  tryLock(): boolean {
    if (!this.waitForLock) return this.threadLock.tryLock();
    this.threadLock.lock();
    return true;
  }
  unlock(): void {
    this.threadLock.unlock();
  }
  holder(): number {
    return Atomics.load(this.cells, this.lockCell + 1);
  }
}

/** The spin lock, writing its holder in the cell after it (the counter's own loops leave that store out). */
class HeldSpinLock extends SpinLock {
  constructor(
    cells: Int32Array,
    index: number,
    private readonly id: number,
    counting: boolean,
  ) {
    super(cells, index, counting);
  }
  override tryLock(): boolean {
    if (!super.tryLock()) return false;
    Atomics.store(this.cells, this.index + 1, this.id);
    return true;
  }
  override lock(): void {
    super.lock();
    Atomics.store(this.cells, this.index + 1, this.id);
  }
  override unlock(): void {
    Atomics.store(this.cells, this.index + 1, 0);
    super.unlock();
  }
}
