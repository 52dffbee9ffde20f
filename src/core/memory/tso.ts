import { PlainMemory } from './plain-memory.js';

/**
 * The x86-TSO model of memory (Sewell, Sarkar, Owens et al., "x86-TSO", CACM 2010): each thread's plain
 * stores go into a store buffer of its own, first in first out, and reach memory only when flushed,
 * which is a step of its own that the model schedules like any other. A thread's load reads its own
 * newest buffered store to that cell if it has one, else memory; so a store followed by a load of
 * another cell can be seen out of order by another thread, and nothing else can. A locked instruction
 * (`fetchAdd`, `compareExchange`, taking or letting go of a lock) and a sequentially consistent
 * store (`atomicStore`, an XCHG on x86) first drain the thread's buffer.
 *
 * A buffer holds at most `capacity` stores; a store to a full one flushes its oldest first, as a real
 * store waits for room. The buffers are part of the model's state: `writeBuffers` and `readBuffers`.
 */
export class StoreBufferMemory extends PlainMemory {
  /** The thread (1-based) whose step is being taken: whose buffer loads and stores use. */
  current = 1;
  private readonly buffers: Int32Array;

  constructor(
    values: Int32Array,
    lockCell: number,
    private readonly threads: number,
    readonly capacity: number,
  ) {
    super(values, lockCell, threads);
    this.buffers = new Int32Array(threads * StoreBufferMemory.slots(capacity));
  }

  /** Cells one thread's buffer takes in a state: its length, then (cell, value) per store. */
  static slots(capacity: number): number {
    return 1 + 2 * capacity;
  }

  /** Cells all the buffers take in a state. */
  get width(): number {
    return this.buffers.length;
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
  override compareExchange(cell: number, expected: number, value: number): number {
    this.drain(this.current);
    return super.compareExchange(cell, expected, value);
  }
  override tryLock(thread: number, lock?: number): boolean {
    this.drain(thread);
    return super.tryLock(thread, lock);
  }
  override unlock(lock?: number): void {
    this.drain(this.current);
    super.unlock(lock);
  }

  /** Whether `thread` has stores waiting in its buffer. */
  hasBuffered(thread: number): boolean {
    return this.buffers[this.at(thread)]! > 0;
  }

  /** Moves `thread`'s oldest buffered store to memory: the model's flush step. */
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

  /** The buffers into a state vector from `offset`, with unused slots zeroed so equal states compare equal. */
  writeBuffers(vector: Int32Array, offset: number): void {
    const slots = StoreBufferMemory.slots(this.capacity);
    for (let t = 0; t < this.threads; t++) {
      const at = t * slots;
      const used = 1 + 2 * this.buffers[at]!;
      vector.set(this.buffers.subarray(at, at + used), offset + at);
      vector.fill(0, offset + at + used, offset + at + slots);
    }
  }

  readBuffers(vector: Int32Array, offset: number): void {
    this.buffers.set(vector.subarray(offset, offset + this.buffers.length));
  }

  clearBuffers(): void {
    this.buffers.fill(0);
  }

  private at(thread: number): number {
    return (thread - 1) * StoreBufferMemory.slots(this.capacity);
  }
}
