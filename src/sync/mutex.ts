const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

/**
 * A futex-style mutex on one Int32 cell (Drepper, "Futexes Are Tricky", mutex 2).
 * Invariant: the cell is 0 when free, 1 when held with no sleeper, 2 when held and a thread may be
 * asleep on it; so `unlock` only pays for `Atomics.notify` when someone may be waiting.
 */
export class Mutex {
  readonly cells: Int32Array;
  readonly index: number;

  constructor(cells: Int32Array, index = 0) {
    if (!(cells.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError('Mutex needs an Int32Array over a SharedArrayBuffer');
    }
    if (!Number.isInteger(index) || index < 0 || index >= cells.length) {
      throw new RangeError(`Mutex index ${index} is outside the array (length ${cells.length})`);
    }
    this.cells = cells;
    this.index = index;
  }

  /** A mutex on a fresh shared cell; pass `mutex.cells` to other threads and rebuild it there. */
  static create(): Mutex {
    return new Mutex(new Int32Array(new SharedArrayBuffer(4)));
  }

  tryLock(): boolean {
    return Atomics.compareExchange(this.cells, this.index, UNLOCKED, LOCKED) === UNLOCKED;
  }

  lock(): void {
    let state = Atomics.compareExchange(this.cells, this.index, UNLOCKED, LOCKED);
    if (state === UNLOCKED) return;
    // Mark the lock contended before sleeping, so the holder's unlock knows to wake someone.
    if (state !== CONTENDED) state = Atomics.exchange(this.cells, this.index, CONTENDED);
    while (state !== UNLOCKED) {
      Atomics.wait(this.cells, this.index, CONTENDED);
      state = Atomics.exchange(this.cells, this.index, CONTENDED);
    }
  }

  unlock(): void {
    if (Atomics.exchange(this.cells, this.index, UNLOCKED) === CONTENDED) {
      Atomics.notify(this.cells, this.index, 1);
    }
  }
}
