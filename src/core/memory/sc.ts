import { CELLS_PER_LOCK, type WaitsView } from '../locks.js';
import type { MemoryModel, ModelMemory } from './model.js';

/**
 * Sequential consistency: one memory, which every load reads and every store writes at once, so the
 * executions are exactly the interleavings of the threads' steps. It has no moves of its own.
 *
 * A lock is its holder cell: 0 when free, else the thread that holds it. It remembers which lock each
 * thread last failed to take (and has not taken since), so a state where no thread can move names its
 * cycle of waits.
 */
export class PlainMemory implements ModelMemory {
  current = 1;
  readonly stateWords: number = 0;
  readonly ownMoves: number = 0;
  private readonly waits: Int32Array;

  constructor(
    public values: Int32Array,
    private readonly lockCell: number,
    threads = 0,
  ) {
    this.waits = new Int32Array(threads + 1).fill(-1);
  }

  load(cell: number): number {
    return this.values[cell]!;
  }
  store(cell: number, value: number): void {
    this.values[cell] = value;
  }
  keep(cell: number, value: number): void {
    this.values[cell] = value;
  }
  atomicLoad(cell: number): number {
    return this.values[cell]!;
  }
  atomicStore(cell: number, value: number): void {
    this.values[cell] = value;
  }
  fetchAdd(cell: number, value: number): number {
    const before = this.values[cell]!;
    this.values[cell] = before + value;
    return before;
  }
  exchange(cell: number, value: number): number {
    const before = this.values[cell]!;
    this.values[cell] = value;
    return before;
  }
  compareExchange(cell: number, expected: number, value: number): number {
    const found = this.values[cell]!;
    if (found === expected) this.values[cell] = value;
    return found;
  }
  fence(): void {
    // Every access is already in memory, in order.
  }
  tryLock(thread: number, lock = 0): boolean {
    const at = this.lockCell + CELLS_PER_LOCK * lock;
    if (this.values[at + 1] !== 0) {
      if (thread < this.waits.length) this.waits[thread] = lock;
      return false;
    }
    this.values[at] = 1;
    this.values[at + 1] = thread;
    if (thread < this.waits.length) this.waits[thread] = -1;
    return true;
  }
  unlock(lock = 0): void {
    const at = this.lockCell + CELLS_PER_LOCK * lock;
    this.values[at] = 0;
    this.values[at + 1] = 0;
  }
  holder(lock = 0): number {
    return this.values[this.lockCell + CELLS_PER_LOCK * lock + 1]!;
  }

  takeOwn(_k: number): boolean {
    return false;
  }
  ownMoveLabel(k: number): number {
    throw new RangeError(`sequential consistency has no move ${k} of its own`);
  }
  saveState(_vector: Int32Array, _offset: number): void {
    // No state of its own.
  }
  loadState(_vector: Int32Array, _offset: number): void {
    // No state of its own.
  }
  reset(): void {
    this.waits.fill(-1);
  }

  /** The waits as the cycle walk sees them (for a memory made with its number of threads). */
  waitsView(): WaitsView {
    return { threads: this.waits.length - 1, waitingFor: (thread) => this.waits[thread] ?? -1, holder: (lock) => this.holder(lock) };
  }
}

export const sc: MemoryModel = {
  name: 'sc',
  title: 'every interleaving of the threads\' steps (sequential consistency)',
  memory: (values, lockCell, threads) => new PlainMemory(values, lockCell, threads),
  stateWords: () => 0,
  ownMoves: () => 0,
};
