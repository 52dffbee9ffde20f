import type { Mode } from '../modes.js';
import { Mutex } from '../sync/mutex.js';
import { Cell, Evidence, EvidenceKind } from './protocol.js';

// The loops the report compares. Each is its own function so V8 optimises it alone, with nothing in
// the loop body that the mode does not need.

export type IncrementLoop = (cells: Int32Array, iters: number, evidence: Int32Array, thread: number) => void;

// Module-local copies: reading an imported object's property inside the loop measured twice as slow.
const COUNTER = Cell.counter;
const LOCK = Cell.lock;
const OWNER = Cell.owner;

/**
 * The widened gap: Atomics.wait with a timeout on a cell nobody notifies, a sleep that gives the CPU to the
 * other threads. The first increment sleeps 5 ms, longer than threads released together start apart (up
 * to a few milliseconds on a busy machine), so the first reads overlap; after that about 100 µs.
 */
const FIRST_GAP_MS = 5;
const GAP_MS = 0.1;
const scratch = new Int32Array(new SharedArrayBuffer(4));

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
export function incrementUnsafeWithEvidence(cells: Int32Array, iters: number, evidence: Int32Array): void {
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
    const value = cells[COUNTER]!;
    Atomics.wait(scratch, 0, 0, i === 0 ? FIRST_GAP_MS : GAP_MS);
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
  recordEvidence(evidence, EvidenceKind.lateWrite, count, read, found);
}

export function incrementAtomic(cells: Int32Array, iters: number): void {
  for (let i = 0; i < iters; i++) {
    Atomics.add(cells, COUNTER, 1);
  }
}

/** The holder writes its number into the owner cell, inside the critical section, so a timeout can name it. */
export function incrementLocked(cells: Int32Array, iters: number, _evidence: Int32Array, thread: number): void {
  const mutex = new Mutex(cells, LOCK);
  for (let i = 0; i < iters; i++) {
    mutex.lock();
    cells[OWNER] = thread;
    const value = cells[COUNTER]!;
    cells[COUNTER] = value + 1;
    cells[OWNER] = 0;
    mutex.unlock();
  }
}

/** The same, sleeping inside the critical section: the lock still lets no write in between. */
export function incrementLockedWidened(cells: Int32Array, iters: number, _evidence: Int32Array, thread: number): void {
  const mutex = new Mutex(cells, LOCK);
  for (let i = 0; i < iters; i++) {
    mutex.lock();
    cells[OWNER] = thread;
    const value = cells[COUNTER]!;
    Atomics.wait(scratch, 0, 0, GAP_MS);
    cells[COUNTER] = value + 1;
    cells[OWNER] = 0;
    mutex.unlock();
  }
}

function recordEvidence(evidence: Int32Array, kind: number, count: number, a: number, b: number): void {
  evidence[Evidence.kind] = kind;
  evidence[Evidence.count] = count;
  evidence[Evidence.a] = a;
  evidence[Evidence.b] = b;
}

/** atomic has no gap to widen: its read, add and write are one step. The widened loop always records. */
export function loopFor(mode: Mode, widen: boolean, evidence: boolean): IncrementLoop {
  switch (mode) {
    case 'unsafe':
      if (widen) return incrementUnsafeWidened;
      return evidence ? incrementUnsafeWithEvidence : incrementUnsafe;
    case 'atomic':
      return incrementAtomic;
    case 'lock':
      return widen ? incrementLockedWidened : incrementLocked;
  }
}
