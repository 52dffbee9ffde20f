import { PlainMemory } from './sc.js';
import type { MemoryModel } from './model.js';

/**
 * The x86-TSO model of memory (Sewell, Sarkar, Owens et al., "x86-TSO", CACM 2010): each thread's plain
 * stores go into a store buffer of its own, first in first out, and reach memory only when flushed,
 * which is a move of its own that the model schedules beside the threads' steps. A thread's load reads
 * its own newest buffered store to that cell if it has one, else memory; so a store followed by a load
 * of another cell can be seen out of order by another thread, and nothing else can. A locked
 * instruction (`fetchAdd`, `exchange`, `compareExchange`, taking or letting go of a lock), a sequentially
 * consistent store (`atomicStore`, an XCHG on x86) and a fence (MFENCE) first drain the thread's buffer.
 *
 * A buffer holds at most `capacity` stores; a store to a full one flushes its oldest first, as a real
 * store waits for room. The buffers are part of the model's state (`saveState`, `loadState`).
 */
export class StoreBufferMemory extends PlainMemory {
  override readonly stateWords: number;
  override readonly ownMoves: number;
  private readonly buffers: Int32Array;

  constructor(
    values: Int32Array,
    lockCell: number,
    private readonly threads: number,
    readonly capacity: number,
  ) {
    super(values, lockCell, threads);
    this.buffers = new Int32Array(threads * StoreBufferMemory.slots(capacity));
    this.stateWords = this.buffers.length;
    this.ownMoves = threads;
  }

  /** Cells one thread's buffer takes in a state: its length, then (cell, value) per store. */
  static slots(capacity: number): number {
    return 1 + 2 * capacity;
  }

  override load(cell: number): number {
    const at = this.at(this.current);
    for (let i = this.buffers[at]! - 1; i >= 0; i--) {
      if (this.buffers[at + 1 + 2 * i] === cell) return this.buffers[at + 2 + 2 * i]!;
    }
    return super.load(cell);
  }
  override store(cell: number, value: number): void {
    const at = this.at(this.current);
    if (this.buffers[at] === this.capacity) this.flush(this.current);
    const length = this.buffers[at]!;
    this.buffers[at + 1 + 2 * length] = cell;
    this.buffers[at + 2 + 2 * length] = value;
    this.buffers[at] = length + 1;
  }
  override atomicLoad(cell: number): number {
    return this.load(cell);
  }
  override atomicStore(cell: number, value: number): void {
    this.drain(this.current);
    super.atomicStore(cell, value);
  }
  override fetchAdd(cell: number, value: number): number {
    this.drain(this.current);
    return super.fetchAdd(cell, value);
  }
  override exchange(cell: number, value: number): number {
    this.drain(this.current);
    return super.exchange(cell, value);
  }
  override compareExchange(cell: number, expected: number, value: number): number {
    this.drain(this.current);
    return super.compareExchange(cell, expected, value);
  }
  override fence(): void {
    this.drain(this.current);
  }
  override tryLock(thread: number, lock?: number): boolean {
    this.drain(thread);
    return super.tryLock(thread, lock);
  }
  override unlock(lock?: number): void {
    this.drain(this.current);
    super.unlock(lock);
  }

  /** Own move k flushes thread k + 1's oldest buffered store; nothing to do where its buffer is empty. */
  override takeOwn(k: number): boolean {
    if (!this.hasBuffered(k + 1)) return false;
    this.flush(k + 1);
    return true;
  }
  override ownMoveLabel(k: number): number {
    return -(k + 1);
  }

  /** Whether `thread` has stores waiting in its buffer. */
  hasBuffered(thread: number): boolean {
    return this.buffers[this.at(thread)]! > 0;
  }

  /** Moves `thread`'s oldest buffered store to memory. */
  flush(thread: number): void {
    const at = this.at(thread);
    const length = this.buffers[at]!;
    if (length === 0) return;
    this.values[this.buffers[at + 1]!] = this.buffers[at + 2]!;
    this.buffers.copyWithin(at + 1, at + 3, at + 1 + 2 * length);
    this.buffers[at] = length - 1;
  }

  /** Flushes all of `thread`'s buffer, oldest first. */
  drain(thread: number): void {
    while (this.hasBuffered(thread)) this.flush(thread);
  }

  override saveState(vector: Int32Array, offset: number): void {
    const slots = StoreBufferMemory.slots(this.capacity);
    for (let t = 0; t < this.threads; t++) {
      const at = t * slots;
      const used = 1 + 2 * this.buffers[at]!;
      vector.set(this.buffers.subarray(at, at + used), offset + at);
      vector.fill(0, offset + at + used, offset + at + slots);
    }
  }

  override loadState(vector: Int32Array, offset: number): void {
    this.buffers.set(vector.subarray(offset, offset + this.buffers.length));
  }

  override reset(): void {
    super.reset();
    this.buffers.fill(0);
  }

  private at(thread: number): number {
    return (thread - 1) * StoreBufferMemory.slots(this.capacity);
  }
}

/** Stores a thread's buffer holds in the model; a store to a full one flushes the oldest first. */
export const STORE_BUFFER_CAPACITY = 4;

export const tso: MemoryModel = {
  name: 'tso',
  title: "x86-TSO: each thread's plain stores wait in a store buffer of its own, and a flush of the oldest to memory is a move of its own",
  memory: (values, lockCell, threads) => new StoreBufferMemory(values, lockCell, threads, STORE_BUFFER_CAPACITY),
  stateWords: (threads) => threads * StoreBufferMemory.slots(STORE_BUFFER_CAPACITY),
  ownMoves: (threads) => threads,
};
