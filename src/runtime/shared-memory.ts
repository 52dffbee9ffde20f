import { CELLS_PER_LOCK, holderCell, type WaitLink } from '../core/locks.js';
import type { Memory } from '../core/scenario.js';
import { Mutex, type LockStats } from '../sync/mutex.js';
import { SpinLock } from '../sync/spin-lock.js';
import type { WaitBoard } from './wait-board.js';

/** One of the mode's locks, as a thread of the scenario uses it. */
interface ThreadLock {
  tryLock(): boolean;
  lock(): void;
  unlock(): void;
  readonly stats: LockStats;
}

export interface SharedMemoryOptions {
  readonly lockCell: number;
  /** How many locks the scenario has at this size. */
  readonly locks: number;
  /** 1-based: written into a lock's holder cell while this thread holds it. */
  readonly thread: number;
  readonly lockKind: 'mutex' | 'spin';
  /** A free-running thread waits until it gets a lock; a replayed one only tries, because its turn must end. */
  readonly waitForLock: boolean;
  readonly counting?: boolean;
  readonly lockSpins?: number;
  /** Where the thread writes the lock it waits for, so that a cycle of waits can be found. */
  readonly board?: WaitBoard | null;
  /** Told when this thread, about to sleep, finds a cycle of waits that is really there. */
  readonly onDeadlock?: ((cycle: WaitLink[]) => void) | null;
}

/**
 * A scenario's memory on a SharedArrayBuffer, as one real thread sees it: plain loads and stores (so
 * the races are real), Atomics for the indivisible operations, and the mode's locks: the futex mutex, or
 * the spin lock. Each lock is built when the thread first takes it.
 */
export class SharedMemory implements Memory {
  private readonly threadLocks: (ThreadLock | undefined)[];
  /** Whether the lock() under way had to wait (and so wrote a wait to clear). */
  private waited = false;

  constructor(
    private readonly cells: Int32Array,
    private readonly options: SharedMemoryOptions,
  ) {
    this.threadLocks = new Array<ThreadLock | undefined>(options.locks);
  }

  /** What this thread's locks saw, summed over them. */
  get lockStats(): LockStats {
    const sum: LockStats = { acquisitions: 0, contended: 0, spins: 0, sleeps: 0, wakeups: 0 };
    for (const lock of this.threadLocks) {
      if (!lock) continue;
      for (const key of Object.keys(sum) as (keyof LockStats)[]) sum[key] += lock.stats[key];
    }
    return sum;
  }

  load(cell: number): number {
    return this.cells[cell]!;
  }
  store(cell: number, value: number): void {
    this.cells[cell] = value;
  }
  keep(cell: number, value: number): void {
    this.cells[cell] = value;
  }
  atomicLoad(cell: number): number {
    return Atomics.load(this.cells, cell);
  }
  atomicStore(cell: number, value: number): void {
    Atomics.store(this.cells, cell, value);
  }
  fetchAdd(cell: number, value: number): number {
    return Atomics.add(this.cells, cell, value);
  }
  exchange(cell: number, value: number): number {
    return Atomics.exchange(this.cells, cell, value);
  }
  compareExchange(cell: number, expected: number, value: number): number {
    return Atomics.compareExchange(this.cells, cell, expected, value);
  }
  fence(): void {
    // JavaScript has no fence of its own; a locked instruction is one on x86 (LOCK CMPXCHG drains the store
    // buffer whether or not it writes), and one that never writes leaves the lock's holder as it was.
    Atomics.compareExchange(this.cells, holderCell(this.options.lockCell, 0), -1, -1);
  }
  tryLock(_thread: number, lock = 0): boolean {
    const { board, thread, waitForLock } = this.options;
    const threadLock = this.threadLock(lock);
    if (!waitForLock) {
      // A replayed thread's failed try is a wait as the coordinator sees it, until it gets the lock.
      const got = threadLock.tryLock();
      if (got) board?.stopWaiting(thread);
      else board?.startWaiting(thread, lock);
      return got;
    }
    this.waited = false;
    threadLock.lock();
    if (this.waited) board?.stopWaiting(thread);
    return true;
  }
  unlock(lock = 0): void {
    this.threadLock(lock).unlock();
  }
  holder(lock = 0): number {
    return Atomics.load(this.cells, holderCell(this.options.lockCell, lock));
  }

  private threadLock(lock: number): ThreadLock {
    const existing = this.threadLocks[lock];
    if (existing) return existing;
    if (!(lock >= 0 && lock < this.options.locks)) throw new RangeError(`lock ${lock} is not one of the scenario's ${this.options.locks} locks`);
    const { cells, options } = this;
    const index = options.lockCell + CELLS_PER_LOCK * lock;
    const counting = options.counting ?? false;
    const onWait = options.board && options.waitForLock ? () => this.waiting(lock) : undefined;
    const made =
      options.lockKind === 'mutex'
        ? new Mutex(cells, index, { id: options.thread, counting, spins: options.lockSpins ?? 0, ...(onWait ? { onWait } : {}) })
        : new HeldSpinLock(cells, index, options.thread, counting, onWait);
    this.threadLocks[lock] = made;
    return made;
  }

  /** About to sleep on `lock`: say so, then look for a cycle that this wait may have closed. */
  private waiting(lock: number): void {
    const { board, thread, onDeadlock } = this.options;
    if (!board) return;
    this.waited = true;
    board.startWaiting(thread, lock);
    const cycle = board.deadlockFrom(thread);
    if (cycle) onDeadlock?.(cycle);
  }
}

/** The spin lock, writing its holder in the cell after it (the counter's own loops leave that store out). */
class HeldSpinLock extends SpinLock {
  constructor(
    cells: Int32Array,
    index: number,
    private readonly id: number,
    counting: boolean,
    private readonly onWait: (() => void) | undefined,
  ) {
    super(cells, index, counting);
  }
  override tryLock(): boolean {
    if (!super.tryLock()) return false;
    Atomics.store(this.cells, this.index + 1, this.id);
    return true;
  }
  override lock(): void {
    if (this.onWait && Atomics.load(this.cells, this.index) !== 0) this.onWait();
    super.lock();
    Atomics.store(this.cells, this.index + 1, this.id);
  }
  override unlock(): void {
    Atomics.store(this.cells, this.index + 1, 0);
    super.unlock();
  }
}
