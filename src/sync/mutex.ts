/** This thread's default id: a random positive Int32, drawn when the module is loaded in the thread. */
const THIS_THREAD = 1 + Math.floor(Math.random() * 0x7ffffffe);

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;

export interface MutexOptions {
  /**
   * Who this thread is, written into the holder cell while it holds the lock. Default: a number drawn once
   * per thread (this module is loaded once per thread), so that threads that do not name themselves
   * still tell apart; nothing here needs Node's worker_threads, so it runs in a browser's workers too.
   */
  readonly id?: number;
  /**
   * How many times to look at a taken lock before sleeping on it (default 0). A holder that is about to
   * let go saves the sleeper a wait and a wake-up; measured here it did not pay (bench/RESULTS.md).
   */
  readonly spins?: number;
  /** Count acquisitions, contended acquisitions, spins, sleeps and wake-ups (see `stats`). */
  readonly counting?: boolean;
  /**
   * Called once per `lock()` that is about to sleep because the lock is taken: where a caller writes
   * down what it waits for (race-demo's deadlock detection does). It must not take this lock.
   */
  readonly onWait?: () => void;
}

/** What one thread's Mutex saw, when counting. */
export interface LockStats {
  acquisitions: number;
  /** Acquisitions that found the lock taken. */
  contended: number;
  /** Looks at a taken lock before sleeping. */
  spins: number;
  /** Atomics.wait calls. */
  sleeps: number;
  /** Sleeps ended by the holder's Atomics.notify, not by a timeout or a changed cell. */
  wakeups: number;
}

/**
 * A futex-style mutex on two Int32 cells of a SharedArrayBuffer (Drepper, "Futexes Are Tricky", mutex 2):
 * `cells[index]` is the lock, `cells[index + 1]` who holds it.
 * Invariant: the lock cell is 0 when free, 1 when held with no sleeper, 2 when held and a thread may be
 * asleep on it; so `unlock` only pays for `Atomics.notify` when someone may be waiting.
 * Each thread builds its own Mutex over the same cells (pass `mutex.cells` and `mutex.index` to it).
 */
export class Mutex {
  /** How many Int32 cells a mutex takes. */
  static readonly CELLS = 2;
  readonly cells: Int32Array;
  readonly index: number;
  readonly id: number;
  readonly stats: LockStats = { acquisitions: 0, contended: 0, spins: 0, sleeps: 0, wakeups: 0 };
  private readonly spins: number;
  private readonly counting: boolean;
  private readonly onWait: (() => void) | undefined;

  constructor(cells: Int32Array, index = 0, options: MutexOptions = {}) {
    if (!(cells.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError('Mutex needs an Int32Array over a SharedArrayBuffer');
    }
    if (!Number.isInteger(index) || index < 0 || index + 1 >= cells.length) {
      throw new RangeError(`Mutex index ${index} leaves no room for its two cells (the array has ${cells.length})`);
    }
    const id = options.id ?? THIS_THREAD;
    if (!Number.isInteger(id) || id < 1) throw new RangeError(`Mutex id ${id} is invalid: expected an integer from 1`);
    this.cells = cells;
    this.index = index;
    this.id = id;
    this.spins = options.spins ?? 0;
    this.counting = options.counting ?? false;
    this.onWait = options.onWait;
  }

  /** A mutex on two fresh shared cells; pass `mutex.cells` to other threads and build one there. */
  static create(options: MutexOptions = {}): Mutex {
    return new Mutex(new Int32Array(new SharedArrayBuffer(Mutex.CELLS * 4)), 0, options);
  }

  /** Takes the lock if it is free, at once; false if it is taken. */
  tryLock(): boolean {
    if (Atomics.compareExchange(this.cells, this.index, UNLOCKED, LOCKED) !== UNLOCKED) return false;
    this.acquired(false);
    return true;
  }

  /**
   * Takes the lock, sleeping while another thread holds it. With `timeoutMs`, gives up after that long
   * and returns false; without, it waits as long as it takes and returns true.
   */
  lock(timeoutMs?: number): boolean {
    if (timeoutMs !== undefined && !(timeoutMs >= 0)) {
      throw new RangeError(`Mutex lock timeout ${timeoutMs} is invalid: expected a number of ms from 0`);
    }
    const { cells, index } = this;
    let state = Atomics.compareExchange(cells, index, UNLOCKED, LOCKED);
    if (state === UNLOCKED) {
      this.acquired(false);
      return true;
    }
    for (let i = 0; i < this.spins; i++) {
      if (this.counting) this.stats.spins++;
      if (Atomics.load(cells, index) === UNLOCKED) {
        state = Atomics.compareExchange(cells, index, UNLOCKED, LOCKED);
        if (state === UNLOCKED) {
          this.acquired(true);
          return true;
        }
      }
    }
    const deadline = timeoutMs === undefined ? Infinity : performance.now() + timeoutMs;
    this.onWait?.();
    // Mark the lock contended before sleeping, so the holder's unlock knows to wake someone.
    if (state !== CONTENDED) state = Atomics.exchange(cells, index, CONTENDED);
    while (state !== UNLOCKED) {
      const left = deadline - performance.now();
      if (left <= 0) return false;
      if (this.counting) this.stats.sleeps++;
      const woke = Atomics.wait(cells, index, CONTENDED, left);
      if (this.counting && woke === 'ok') this.stats.wakeups++;
      state = Atomics.exchange(cells, index, CONTENDED);
    }
    this.acquired(true);
    return true;
  }

  /** Lets the lock go; throws if this thread does not hold it. */
  unlock(): void {
    const holder = this.cells[this.index + 1];
    if (holder !== this.id || Atomics.load(this.cells, this.index) === UNLOCKED) {
      throw new Error(
        holder === 0 || Atomics.load(this.cells, this.index) === UNLOCKED
          ? `Mutex unlock by ${this.id}: the lock is not held`
          : `Mutex unlock by ${this.id}: the lock is held by ${holder}, not by the caller`,
      );
    }
    this.cells[this.index + 1] = 0;
    if (Atomics.exchange(this.cells, this.index, UNLOCKED) === CONTENDED) {
      Atomics.notify(this.cells, this.index, 1);
    }
  }

  /** The id of the thread holding the lock, 0 when free. */
  holder(): number {
    return Atomics.load(this.cells, this.index + 1);
  }

  private acquired(contended: boolean): void {
    this.cells[this.index + 1] = this.id;
    if (!this.counting) return;
    this.stats.acquisitions++;
    if (contended) this.stats.contended++;
  }
}
