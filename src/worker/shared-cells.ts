import { Mutex } from '../sync/mutex.js';
import type { Cells } from '../scenario/scenario.js';

/**
 * A scenario's cells on a SharedArrayBuffer, as real threads see them: plain loads and stores (so the
 * races are real), Atomics for the indivisible operations, and the futex mutex for the lock. `waitForLock`:
 * a free-running thread sleeps until it gets the lock; a replayed one only tries (its turn must end).
 */
export function sharedCells(cells: Int32Array, lockCell: number, thread: number, waitForLock: boolean): Cells {
  const mutex = new Mutex(cells, lockCell, { id: thread });
  return {
    load: (index) => cells[index]!,
    store: (index, value) => {
      cells[index] = value;
    },
    fetchAdd: (index, value) => Atomics.add(cells, index, value),
    compareExchange: (index, expected, value) => Atomics.compareExchange(cells, index, expected, value),
    tryLock: () => (waitForLock ? mutex.lock() : mutex.tryLock()),
    unlock: () => mutex.unlock(),
    holder: () => mutex.holder(),
  };
}
