import { RaceDemoError } from '../errors.js';
import type { Mode } from '../modes.js';
import { createModelMemory, STEPS_PER_INCREMENT, stepsPerThread, takeStep, type ThreadState } from '../scenario/counter.js';
import { IntList, KeySet } from './key-set.js';
import { normalise, Pool, toBigInt } from './limbs.js';

/**
 * The exact model: every interleaving of the threads' steps, counted and grouped by final total. Steps
 * are the counter scenario's own (src/scenario/counter.ts): the transition table is built by running the
 * same takeStep that replay's real threads run.
 *
 * Three facts keep it small. A state's future does not depend on how it was reached, so each state's
 * futures are computed once. Threads are identical, so a state is the multiset of thread states
 * (sorted), and a step of one of k identical threads counts k times. And every step only copies values
 * or adds one, so shifting the counter and every read value by d shifts the final total by d: states
 * are kept relative to the counter, which makes most of them the same.
 *
 * And one keeps it fast: the states are found level by level (a level: all states after the same number
 * of steps), then their futures are computed from the last level back to the first, each level's
 * counts in one contiguous block, so that a level only ever reads the one below it.
 */

export interface Outcome {
  readonly final: number;
  readonly count: bigint;
}

export interface Witness {
  readonly final: number;
  /** A schedule in replay's --schedule syntax that reaches `final`. */
  readonly schedule: readonly number[];
}

export interface Exploration {
  readonly mode: Mode;
  readonly threads: number;
  readonly iters: number;
  readonly interleavings: bigint;
  readonly outcomes: readonly Outcome[];
  readonly statesVisited: number;
  readonly min: Witness;
  readonly max: Witness;
}

/** Limb sums stay exact for at most 64 scaled limbs: explore takes at most 8 threads. */
export const MAX_EXPLORE_THREADS = 8;

/** Thrown when the model would visit more states than allowed. */
export class StateLimitError extends RaceDemoError {
  constructor(
    readonly maxStates: number,
    message = `more than ${maxStates.toLocaleString('en-US')} states`,
  ) {
    super('ERR_STATE_LIMIT', message);
  }
}

export function explore(mode: Mode, threads: number, iters: number, maxStates: number): Exploration {
  const model = new Model(mode, threads, iters, maxStates);
  model.findStates();
  const outcomes = model.computeFutures();
  const min = outcomes[0]!.final;
  const max = outcomes[outcomes.length - 1]!.final;
  return {
    mode,
    threads,
    iters,
    interleavings: outcomes.reduce((sum, outcome) => sum + outcome.count, 0n),
    outcomes,
    statesVisited: model.statesVisited,
    min: { final: min, schedule: model.witness(min, 'min') },
    max: { final: max, schedule: model.witness(max, 'max') },
  };
}

/** The states of one level and their steps to the next: state s's steps are edges from[s] to from[s + 1]. */
interface Level {
  readonly keys: KeySet;
  from: Int32Array;
  child: Int32Array;
  shift: Int32Array;
  times: Int32Array;
  /** Per state, the smallest and largest final total it can still reach, relative to its counter. */
  minReach: Int32Array;
  maxReach: Int32Array;
}

/** One level's futures: per state the totals lo … lo + len − 1 (relative), each `limbs` limbs in the pool. */
interface Futures {
  readonly lo: Int32Array;
  readonly len: Int32Array;
  readonly limbs: Int32Array;
  readonly offset: Int32Array;
  readonly pool: Pool;
}

class Model {
  private readonly steps: number;
  private readonly total: number;
  private readonly relBase: number;
  private readonly base: number;
  private readonly threads: number;
  /** Per pc: does the thread hold a read (its value matters), does it hold the lock. */
  private readonly holdsRead: Uint8Array;
  private readonly holdsLock: Uint8Array;
  /** Per (pc, read relative to the counter): next pc, next read, counter move, blocked by a held lock. */
  private readonly nextPc: Int32Array;
  private readonly nextRel: Int32Array;
  private readonly shiftOf: Int32Array;
  private readonly blockable: Uint8Array;
  private readonly levels: Level[] = [];
  private states = 0;
  private readonly pcs: Int32Array;
  private readonly rels: Int32Array;
  private readonly nextPcs: Int32Array;
  private readonly nextRels: Int32Array;
  private readonly codes: Float64Array;

  constructor(
    private readonly mode: Mode,
    threads: number,
    iters: number,
    private readonly maxStates: number,
  ) {
    this.threads = threads;
    this.steps = stepsPerThread(mode, iters);
    this.total = threads * iters;
    this.relBase = 2 * this.total + 1;
    this.base = (this.steps + 1) * this.relBase;
    if (this.base ** threads >= Number.MAX_SAFE_INTEGER) {
      throw new StateLimitError(maxStates, 'too many threads and increments for the model to name every state');
    }
    const kinds = STEPS_PER_INCREMENT[mode];
    this.holdsRead = new Uint8Array(this.steps + 1).map((_, pc) => (pc < this.steps && kinds[pc % kinds.length] === 'write' ? 1 : 0));
    this.holdsLock = new Uint8Array(this.steps + 1).map((_, pc) => (mode === 'lock' && pc < this.steps && pc % 4 !== 0 ? 1 : 0));
    const cells = this.base;
    this.nextPc = new Int32Array(cells);
    this.nextRel = new Int32Array(cells);
    this.shiftOf = new Int32Array(cells);
    this.blockable = new Uint8Array(cells);
    this.buildTransitions();
    this.pcs = new Int32Array(threads);
    this.rels = new Int32Array(threads);
    this.nextPcs = new Int32Array(threads);
    this.nextRels = new Int32Array(threads);
    this.codes = new Float64Array(threads);
  }

  get statesVisited(): number {
    return this.states;
  }

  /**
   * Every step's effect, found by running the scenario's own takeStep on the model memory: with the
   * counter at 0 and the thread's read relative to it, once with the lock free and once held by another.
   */
  private buildTransitions(): void {
    const memory = createModelMemory();
    const state: ThreadState = { pc: 0, register: 0 };
    for (let pc = 0; pc < this.steps; pc++) {
      for (let rel = -this.total; rel <= this.total; rel++) {
        if (!this.holdsRead[pc] && rel !== 0) continue;
        const cell = pc * this.relBase + rel + this.total;
        memory.counter = 0;
        memory.owner = 0;
        state.pc = pc;
        state.register = rel;
        takeStep(this.mode, 1, state, memory);
        this.nextPc[cell] = state.pc;
        this.nextRel[cell] = state.register;
        this.shiftOf[cell] = memory.counter;
        memory.owner = 2;
        state.pc = pc;
        this.blockable[cell] = takeStep(this.mode, 1, state, memory).action === 'blocked' ? 1 : 0;
      }
    }
  }

  /** The threads' (pc, read relative to the counter), sorted: one key for every symmetric arrangement. */
  keyOf(pcs: ArrayLike<number>, rels: ArrayLike<number>): number {
    const codes = this.codes;
    for (let i = 0; i < this.threads; i++) {
      const pc = pcs[i]!;
      const code: number = pc * this.relBase + (this.holdsRead[pc] ? rels[i]! + this.total : 0);
      let j = i;
      while (j > 0 && codes[j - 1]! > code) {
        codes[j] = codes[j - 1]!;
        j--;
      }
      codes[j] = code;
    }
    let key = 0;
    for (let i = 0; i < this.threads; i++) key = key * this.base + codes[i]!;
    return key;
  }

  /** Fills this.pcs and this.rels from the sorted codes of a state (kept beside its key: cheaper than dividing the key). */
  private decode(codes: Int32Array, at: number): void {
    for (let i = 0; i < this.threads; i++) {
      const code = codes[at + i]!;
      const pc = (code / this.relBase) | 0;
      this.pcs[i] = pc;
      this.rels[i] = this.holdsRead[pc] ? (code % this.relBase) - this.total : 0;
    }
  }

  /** Forward, level by level: every reachable state and its steps (grouped by identical threads). */
  findStates(): void {
    let keys = new KeySet();
    keys.add(this.keyOf(this.pcs, this.rels));
    let codes: Int32Array = Int32Array.from(this.codes);
    this.states = 1;
    const depth = this.threads * this.steps;
    for (let d = 0; d <= depth; d++) {
      // Room for 1.5 times this level up front; the set grows if the next level is larger.
      const next = new KeySet(keys.size * 1.5);
      const nextCodes = new IntList();
      const from = new Int32Array(keys.size + 1);
      const child = new IntList();
      const shift = new IntList();
      const times = new IntList();
      for (let s = 0; s < keys.size; s++) {
        from[s] = child.length;
        if (d === depth) continue;
        this.decode(codes, s * this.threads);
        const { pcs, rels, nextPcs, nextRels } = this;
        let lockHeld = false;
        if (this.mode === 'lock') for (let j = 0; j < this.threads; j++) if (this.holdsLock[pcs[j]!]) lockHeld = true;
        for (let i = 0; i < this.threads; i++) {
          const pc = pcs[i]!;
          if (pc >= this.steps) continue;
          // Threads in the same state lead to the same state: take the first, count it for each.
          if (i > 0 && pc === pcs[i - 1] && rels[i] === rels[i - 1]) continue;
          let group = 1;
          for (let j = i + 1; j < this.threads && pcs[j] === pc && rels[j] === rels[i]; j++) group++;
          const cell = pc * this.relBase + rels[i]! + this.total;
          if (lockHeld && this.blockable[cell]) continue;
          const moved = this.shiftOf[cell]!;
          for (let j = 0; j < this.threads; j++) {
            nextPcs[j] = pcs[j]!;
            nextRels[j] = rels[j]! - moved;
          }
          nextPcs[i] = this.nextPc[cell]!;
          nextRels[i] = this.nextRel[cell]! - moved;
          const known = next.size;
          const index = next.add(this.keyOf(nextPcs, nextRels));
          if (index === known) for (let j = 0; j < this.threads; j++) nextCodes.push(this.codes[j]!);
          child.push(index);
          shift.push(moved);
          times.push(group);
        }
      }
      from[keys.size] = child.length;
      this.levels.push({
        keys,
        from,
        child: child.toArray(),
        shift: shift.toArray(),
        times: times.toArray(),
        minReach: new Int32Array(0),
        maxReach: new Int32Array(0),
      });
      this.states += next.size;
      if (this.states > this.maxStates) throw new StateLimitError(this.maxStates);
      keys = next;
      codes = nextCodes.toArray();
    }
  }

  /** Backward, from the last level to the first: each state's futures from the level below. */
  computeFutures(): Outcome[] {
    let below: Futures | null = null;
    for (let d = this.levels.length - 1; d >= 0; d--) {
      below = this.computeLevel(this.levels[d]!, below);
    }
    const root = below!;
    const limbs = root.limbs[0]!;
    const outcomes: Outcome[] = [];
    for (let k = 0; k < root.len[0]!; k++) {
      const count = toBigInt(root.pool.data, root.offset[0]! + k * limbs, limbs);
      if (count > 0n) outcomes.push({ final: root.lo[0]! + k, count });
    }
    return outcomes;
  }

  private computeLevel(level: Level, below: Futures | null): Futures {
    const size = level.keys.size;
    const futures: Futures = {
      lo: new Int32Array(size),
      len: new Int32Array(size),
      limbs: new Int32Array(size),
      offset: new Int32Array(size),
      pool: new Pool(Math.max(1 << 16, size * 16)),
    };
    level.minReach = new Int32Array(size);
    level.maxReach = new Int32Array(size);
    for (let s = 0; s < size; s++) {
      const first = level.from[s]!;
      const last = level.from[s + 1]!;
      if (first === last || !below) {
        const offset = futures.pool.alloc(1);
        futures.pool.data[offset] = 1;
        futures.len[s] = 1;
        futures.limbs[s] = 1;
        futures.offset[s] = offset;
        continue;
      }
      let lo = Infinity;
      let hi = -Infinity;
      let limbs = 1;
      for (let e = first; e < last; e++) {
        const c = level.child[e]!;
        lo = Math.min(lo, below.lo[c]! + level.shift[e]!);
        hi = Math.max(hi, below.lo[c]! + level.shift[e]! + below.len[c]! - 1);
        limbs = Math.max(limbs, below.limbs[c]!);
      }
      const len = hi - lo + 1;
      // Sum with as many limbs as the widest child; if a count carries out of the top, sum again wider.
      let offset = this.sumChildren(level, first, last, below, futures.pool, lo, len, limbs);
      while (!normalise(futures.pool.data, offset, len, limbs)) {
        futures.pool.used = offset;
        limbs++;
        offset = this.sumChildren(level, first, last, below, futures.pool, lo, len, limbs);
      }
      futures.lo[s] = lo;
      futures.len[s] = len;
      futures.limbs[s] = limbs;
      futures.offset[s] = offset;
    }
    // The ends of every range are reachable: a range's ends are some child's ends (moved), and a sum of
    // counts that are not zero is not zero; the last level's single total starts this.
    for (let s = 0; s < size; s++) {
      level.minReach[s] = futures.lo[s]!;
      level.maxReach[s] = futures.lo[s]! + futures.len[s]! - 1;
    }
    return futures;
  }

  /** Adds the futures of state edges first … last, each moved by its shift and counted `times`, into a new block. */
  private sumChildren(level: Level, first: number, last: number, below: Futures, pool: Pool, lo: number, len: number, limbs: number): number {
    const offset = pool.alloc(len * limbs);
    const data = pool.data;
    const source = below.pool.data;
    for (let e = first; e < last; e++) {
      const c = level.child[e]!;
      const childLimbs = below.limbs[c]!;
      const from = below.offset[c]!;
      const times = level.times[e]!;
      const start = offset + (below.lo[c]! + level.shift[e]! - lo) * limbs;
      const count = below.len[c]!;
      if (limbs === 1) {
        // Most states, all but those near the start, fit one limb: the plain loop is the hot one.
        for (let k = 0; k < count; k++) data[start + k]! += source[from + k]! * times;
        continue;
      }
      for (let k = 0; k < count; k++) {
        for (let l = 0; l < childLimbs; l++) data[start + k * limbs + l]! += source[from + k * childLimbs + l]! * times;
      }
    }
    return offset;
  }

  /** A schedule of concrete threads that ends at `final`, the smallest or largest reachable total. */
  witness(final: number, which: 'min' | 'max'): number[] {
    const pcs = new Int32Array(this.threads);
    const regs = new Int32Array(this.threads);
    const rels = new Int32Array(this.threads);
    const memory = createModelMemory();
    const state: ThreadState = { pc: 0, register: 0 };
    const schedule: number[] = [];
    for (let d = 1; d < this.levels.length; d++) {
      const level = this.levels[d]!;
      let chosen = -1;
      for (let i = 0; i < this.threads && chosen < 0; i++) {
        if (pcs[i]! >= this.steps) continue;
        const saved = { counter: memory.counter, owner: memory.owner, pc: pcs[i]!, reg: regs[i]! };
        state.pc = pcs[i]!;
        state.register = regs[i]!;
        if (takeStep(this.mode, i + 1, state, memory).action === 'blocked') continue;
        pcs[i] = state.pc;
        regs[i] = state.register;
        for (let j = 0; j < this.threads; j++) rels[j] = regs[j]! - memory.counter;
        const s = level.keys.find(this.keyOf(pcs, rels));
        const reach = which === 'min' ? level.minReach[s] : level.maxReach[s];
        if (s >= 0 && reach! + memory.counter === final) {
          chosen = i;
        } else {
          memory.counter = saved.counter;
          memory.owner = saved.owner;
          pcs[i] = saved.pc;
          regs[i] = saved.reg;
        }
      }
      if (chosen < 0) throw new Error(`no step leads to the total ${final}: the model is inconsistent`);
      schedule.push(chosen + 1);
    }
    return schedule;
  }
}
