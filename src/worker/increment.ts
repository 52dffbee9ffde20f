import type { Mode } from '../modes.js';
import { Mutex } from '../sync/mutex.js';
import { Cell, Evidence, EvidenceKind } from './protocol.js';

// The loops the report compares. Each is its own function so V8 optimises it alone, with nothing in
// the loop body that the mode does not need.

export type IncrementLoop = (cells: Int32Array, iters: number, evidence: Int32Array) => void;

/**
 * The widened gap: Atomics.wait with a timeout on a cell nobody notifies, a sleep that gives the CPU to the
 * other threads. The first increment sleeps 5 ms, longer than threads released together start apart (up
 * to a few milliseconds on a busy machine), so the first reads overlap; after that about 100 µs.
 */
const FIRST_GAP_MS = 5;
const GAP_MS = 0.1;
const scratch = new Int32Array(new SharedArrayBuffer(4));

/**
 * The plain read-modify-write. Evidence costs no memory traffic: the thread compares each read with its
 * own last write, in locals, and stores the largest drop once at the end.
 */
export function incrementUnsafe(cells: Int32Array, iters: number, evidence: Int32Array): void {
  let last = -1;
  let count = 0;
  let wrote = 0;
  let sawNext = 0;
  for (let i = 0; i < iters; i++) {
    const value = cells[Cell.counter]!;
    if (value < last) {
      count++;
      if (last - value > wrote - sawNext) {
        wrote = last;
        sawNext = value;
      }
    }
    last = value + 1;
    cells[Cell.counter] = last;
  }
  recordEvidence(evidence, EvidenceKind.wentBack, count, wrote, sawNext);
}

/**
 * The same with a short sleep between the read and the write. The sleep dwarfs one more load, so this
 * loop looks at the counter just before writing and records the largest jump it is about to erase.
 */
export function incrementUnsafeWidened(cells: Int32Array, iters: number, evidence: Int32Array): void {
  let count = 0;
  let read = 0;
  let found = 0;
  for (let i = 0; i < iters; i++) {
    const value = cells[Cell.counter]!;
    Atomics.wait(scratch, 0, 0, i === 0 ? FIRST_GAP_MS : GAP_MS);
    const now = Atomics.load(cells, Cell.counter);
    if (now !== value) {
      count++;
      if (now - value > found - read) {
        read = value;
        found = now;
      }
    }
    cells[Cell.counter] = value + 1;
  }
  recordEvidence(evidence, EvidenceKind.lateWrite, count, read, found);
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

/** The same, sleeping inside the critical section: the lock still lets no write in between. */
export function incrementLockedWidened(cells: Int32Array, iters: number): void {
  const mutex = new Mutex(cells, Cell.lock);
  for (let i = 0; i < iters; i++) {
    mutex.lock();
    const value = cells[Cell.counter]!;
    Atomics.wait(scratch, 0, 0, GAP_MS);
    cells[Cell.counter] = value + 1;
    mutex.unlock();
  }
}

function recordEvidence(evidence: Int32Array, kind: number, count: number, a: number, b: number): void {
  evidence[Evidence.kind] = kind;
  evidence[Evidence.count] = count;
  evidence[Evidence.a] = a;
  evidence[Evidence.b] = b;
}

/** atomic has no gap to widen: its read, add and write are one step. */
export function loopFor(mode: Mode, widen: boolean): IncrementLoop {
  switch (mode) {
    case 'unsafe':
      return widen ? incrementUnsafeWidened : incrementUnsafe;
    case 'atomic':
      return incrementAtomic;
    case 'lock':
      return widen ? incrementLockedWidened : incrementLocked;
  }
}
