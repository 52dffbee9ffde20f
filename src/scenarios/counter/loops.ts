import type { Loop, LoopContext } from '../../core/scenario.js';
import { Evidence, Stat } from '../../core/thread-cells.js';
import { FIRST_GAP_MS, GAP_MS, sleepInGap } from '../../sync/gap.js';
import { Mutex, type LockStats } from '../../sync/mutex.js';
import { SpinLock } from '../../sync/spin-lock.js';
import { COUNTER as COUNTER_CELL, LATE_WRITE, LOCK as LOCK_CELL, WENT_BACK } from './cells.js';

// The loops the report compares. Each is its own function so V8 optimises it alone, with nothing in
// the loop body that the mode does not need.

// Module-local copies: reading an imported object's property inside the loop measured twice as slow.
const COUNTER = COUNTER_CELL;
const LOCK = LOCK_CELL;


/** The plain read-modify-write, and nothing else. */
export function incrementUnsafe(cells: Int32Array, iters: number): void {
  for (let i = 0; i < iters; i++) {
    const value = cells[COUNTER]!;
    cells[COUNTER] = value + 1;
  }
}

/**
 * The same, recording evidence: the thread compares each read with its own last write, in locals, and
 * stores the largest drop once at the end. No extra memory traffic, yet measured about 1.7 times the
 * bare loop's time per increment (bench/evidence-cost.ts), hence --no-evidence.
 */
export function incrementUnsafeWithEvidence(cells: Int32Array, iters: number, { evidence }: LoopContext): void {
  let last = -1;
  let count = 0;
  let wrote = 0;
  let sawNext = 0;
  for (let i = 0; i < iters; i++) {
    const value = cells[COUNTER]!;
    if (value < last) {
      count++;
      if (last - value > wrote - sawNext) {
        wrote = last;
        sawNext = value;
      }
    }
    last = value + 1;
    cells[COUNTER] = last;
  }
  recordEvidence(evidence, WENT_BACK, count, wrote, sawNext);
}

/**
 * The same with a short sleep between the read and the write. The sleep dwarfs one more load, so this
 * loop looks at the counter just before writing and records the largest jump it is about to erase.
 */
export function incrementUnsafeWidened(cells: Int32Array, iters: number, { evidence }: LoopContext): void {
  let count = 0;
  let read = 0;
  let found = 0;
  for (let i = 0; i < iters; i++) {
    const value = cells[COUNTER]!;
    sleepInGap(i === 0 ? FIRST_GAP_MS : GAP_MS);
    const now = Atomics.load(cells, COUNTER);
    if (now !== value) {
      count++;
      if (now - value > found - read) {
        read = value;
        found = now;
      }
    }
    cells[COUNTER] = value + 1;
  }
  recordEvidence(evidence, LATE_WRITE, count, read, found);
}

export function incrementAtomic(cells: Int32Array, iters: number): void {
  for (let i = 0; i < iters; i++) {
    Atomics.add(cells, COUNTER, 1);
  }
}

/**
 * Lock-free: a read, then a compare-exchange that writes read + 1 only if nothing landed in between;
 * otherwise read again. Counting the retries is one local add on the retry path, so it is always on.
 */
export function incrementCas(cells: Int32Array, iters: number, { stats }: LoopContext): void {
  let retries = 0;
  for (let i = 0; i < iters; i++) {
    let value = Atomics.load(cells, COUNTER);
    for (;;) {
      const found = Atomics.compareExchange(cells, COUNTER, value, value + 1);
      if (found === value) break;
      retries++;
      value = found;
    }
  }
  stats[Stat.retries] = retries;
}

/** The mutex keeps the holder's number in the owner cell (the one after its lock), so a timeout can name it. */
export function incrementLocked(cells: Int32Array, iters: number, context: LoopContext): void {
  const mutex = new Mutex(cells, LOCK, { id: context.thread, spins: context.lockSpins, counting: context.counting });
  for (let i = 0; i < iters; i++) {
    mutex.lock();
    const value = cells[COUNTER]!;
    cells[COUNTER] = value + 1;
    mutex.unlock();
  }
  recordLockStats(context.stats, mutex.stats);
}

/** The same, sleeping inside the critical section: the lock still lets no write in between. */
export function incrementLockedWidened(cells: Int32Array, iters: number, context: LoopContext): void {
  const mutex = new Mutex(cells, LOCK, { id: context.thread, spins: context.lockSpins, counting: context.counting });
  for (let i = 0; i < iters; i++) {
    mutex.lock();
    const value = cells[COUNTER]!;
    sleepInGap(GAP_MS);
    cells[COUNTER] = value + 1;
    mutex.unlock();
  }
  recordLockStats(context.stats, mutex.stats);
}

/** The spin lock writes no owner: that would be one more store inside the section it times. */
export function incrementSpinLocked(cells: Int32Array, iters: number, context: LoopContext): void {
  const lock = new SpinLock(cells, LOCK, context.counting);
  for (let i = 0; i < iters; i++) {
    lock.lock();
    const value = cells[COUNTER]!;
    cells[COUNTER] = value + 1;
    lock.unlock();
  }
  recordLockStats(context.stats, lock.stats);
}

export function incrementSpinLockedWidened(cells: Int32Array, iters: number, context: LoopContext): void {
  const lock = new SpinLock(cells, LOCK, context.counting);
  for (let i = 0; i < iters; i++) {
    lock.lock();
    const value = cells[COUNTER]!;
    sleepInGap(GAP_MS);
    cells[COUNTER] = value + 1;
    lock.unlock();
  }
  recordLockStats(context.stats, lock.stats);
}

function recordLockStats(cells: Int32Array, stats: LockStats): void {
  cells[Stat.acquisitions] = stats.acquisitions;
  cells[Stat.contended] = stats.contended;
  cells[Stat.spins] = Math.min(stats.spins, 0x7fffffff);
  cells[Stat.sleeps] = stats.sleeps;
  cells[Stat.wakeups] = stats.wakeups;
}

function recordEvidence(evidence: Int32Array, kind: number, count: number, a: number, b: number): void {
  evidence[Evidence.kind] = kind;
  evidence[Evidence.count] = count;
  evidence[Evidence.a] = a;
  evidence[Evidence.b] = b;
}

/**
 * The counter's hand-written loop for a mode; null where the generic step loop runs instead (a widened
 * cas, whose sleep between read and compare-exchange is rare enough not to need a loop of its own).
 * atomic has no gap to widen. The widened unsafe loop always records what it sees.
 */
export function loopFor(mode: string, widen: boolean, evidence: boolean): Loop | null {
  switch (mode) {
    case 'unsafe':
      if (widen) return incrementUnsafeWidened;
      return evidence ? incrementUnsafeWithEvidence : incrementUnsafe;
    case 'atomic':
      return incrementAtomic;
    case 'lock':
      return widen ? incrementLockedWidened : incrementLocked;
    case 'spin':
      return widen ? incrementSpinLockedWidened : incrementSpinLocked;
    case 'cas':
      return widen ? null : incrementCas;
    default:
      return null;
  }
}
