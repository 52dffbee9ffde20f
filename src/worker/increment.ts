import type { Mode } from '../modes.js';
import { Mutex } from '../sync/mutex.js';
import { Cell } from './protocol.js';

// The three loops the report compares. Each is its own function so V8 optimises it alone.

export function incrementUnsafe(cells: Int32Array, iters: number): void {
  for (let i = 0; i < iters; i++) {
    const value = cells[Cell.counter]!;
    cells[Cell.counter] = value + 1;
  }
}

export function incrementAtomic(cells: Int32Array, iters: number): void {
  for (let i = 0; i < iters; i++) {
    Atomics.add(cells, Cell.counter, 1);
  }
}

export function incrementLocked(cells: Int32Array, iters: number): void {
  const mutex = new Mutex(cells, Cell.lock);
  for (let i = 0; i < iters; i++) {
    mutex.lock();
    const value = cells[Cell.counter]!;
    cells[Cell.counter] = value + 1;
    mutex.unlock();
  }
}

export const INCREMENT: Readonly<Record<Mode, (cells: Int32Array, iters: number) => void>> = {
  unsafe: incrementUnsafe,
  atomic: incrementAtomic,
  lock: incrementLocked,
};
