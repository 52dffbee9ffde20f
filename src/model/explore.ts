import { RaceDemoError } from '../errors.js';
import type { Mode } from '../modes.js';
import { createModelMemory, STEPS_PER_INCREMENT, stepsPerThread, takeStep, type ThreadState } from '../scenario/counter.js';
import { isZero, normalise, Pool, toBigInt } from './limbs.js';

/**
 * The exact model: every interleaving of the threads' steps, counted and grouped by final total. Steps
 * are the counter scenario's own (src/scenario/counter.ts), run through the same takeStep as replay.
 *
 * Three facts keep it fast. A state's future does not depend on how it was reached, so futures are
 * computed once per state (memoised, depth first). Threads are identical, so a state is the multiset of
 * thread states (sorted), and a step of one of k identical threads counts k times. And every step only
 * copies values or adds one, so shifting the counter and every read value by d shifts the final total
 * by d: states are kept relative to the counter, which makes most of them the same.
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
  constructor(readonly maxStates: number) {
    super('ERR_STATE_LIMIT', `more than ${maxStates.toLocaleString('en-US')} states`);
  }
}

export function explore(mode: Mode, threads: number, iters: number, maxStates: number): Exploration {
  const model = new Model(mode, threads, iters, maxStates);
  const root = model.futures(model.keyOf(new Array<number>(threads).fill(0), new Array<number>(threads).fill(0)), 0);
  const outcomes = model.outcomesOf(root);
  const min = outcomes[0]!.final;
  const max = outcomes[outcomes.length - 1]!.final;
  return {
    mode,
    threads,
    iters,
    interleavings: outcomes.reduce((sum, outcome) => sum + outcome.count, 0n),
    outcomes,
    statesVisited: model.statesVisited,
    min: { final: min, schedule: model.witness(min) },
    max: { final: max, schedule: model.witness(max) },
  };
}

const EMPTY = -1;

/**
 * States are numbered as they are met. For each: the lowest final total it can reach, relative to its
 * counter (lo), how many totals follow (len), and their counts as limbs in the pool.
 */
class Model {
  private readonly steps: number;
  private readonly total: number;
  private readonly relBase: number;
  private readonly base: number;
  private readonly threads: number;
  private readonly numericKeys: boolean;
  /** Per pc: does the thread hold a read (its value matters), does it hold the lock. */
  private readonly holdsRead: Uint8Array;
  private readonly holdsLock: Uint8Array;
  /** Per (pc, relative read): the next pc and read, how far the counter moves, whether a held lock blocks it. */
  private readonly nextPc: Int32Array;
  private readonly nextRel: Int32Array;
  private readonly shiftOf: Int32Array;
  private readonly blockable: Uint8Array;
  // The memo: an open-addressing table from key to state number (string keys, for huge encodings, in a Map).
  private tableKeys: Float64Array;
  private tableIds: Int32Array;
  private readonly stringIds = new Map<string, number>();
  private count = 0;
  private readonly lo: number[] = [];
  private readonly len: number[] = [];
  private readonly limbs: number[] = [];
  private readonly offset: number[] = [];
  private readonly pool = new Pool();
  /** Scratch per depth, so recursion never overwrites a caller's arrays. */
  private readonly pcsAt: Int32Array[];
  private readonly relsAt: Int32Array[];
  private readonly codes: Float64Array;
  private readonly childId: Int32Array;
  private readonly childShift: Int32Array;
  private readonly childTimes: Int32Array;

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
    this.numericKeys = this.base ** threads < Number.MAX_SAFE_INTEGER;
    const kinds = STEPS_PER_INCREMENT[mode];
    this.holdsRead = new Uint8Array(this.steps + 1).map((_, pc) => (pc < this.steps && kinds[pc % kinds.length] === 'write' ? 1 : 0));
    this.holdsLock = new Uint8Array(this.steps + 1).map((_, pc) => (mode === 'lock' && pc < this.steps && pc % 4 !== 0 ? 1 : 0));
    const cells = this.base;
    this.nextPc = new Int32Array(cells);
    this.nextRel = new Int32Array(cells);
    this.shiftOf = new Int32Array(cells);
    this.blockable = new Uint8Array(cells);
    this.buildTransitions();
    this.tableKeys = new Float64Array(1 << 16);
    this.tableIds = new Int32Array(1 << 16).fill(EMPTY);
    const depth = threads * this.steps + 2;
    this.pcsAt = Array.from({ length: depth }, () => new Int32Array(threads));
    this.relsAt = Array.from({ length: depth }, () => new Int32Array(threads));
    this.codes = new Float64Array(threads);
    this.childId = new Int32Array(depth * threads);
    this.childShift = new Int32Array(depth * threads);
    this.childTimes = new Int32Array(depth * threads);
  }

  get statesVisited(): number {
    return this.count;
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

  /** The state with reads relative to the counter (already subtracted), threads sorted. */
  keyOf(pcs: ArrayLike<number>, rels: ArrayLike<number>): number | string {
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
    if (!this.numericKeys) return Array.from(codes).join(',');
    let key = 0;
    for (let i = 0; i < this.threads; i++) key = key * this.base + codes[i]!;
    return key;
  }

  private decode(key: number | string, pcs: Int32Array, rels: Int32Array): void {
    if (typeof key === 'string') {
      key.split(',').forEach((part, i) => this.unpack(Number(part), i, pcs, rels));
      return;
    }
    for (let i = this.threads - 1; i >= 0; i--) {
      const code: number = key % this.base;
      key = (key - code) / this.base;
      this.unpack(code, i, pcs, rels);
    }
  }

  private unpack(code: number, i: number, pcs: Int32Array, rels: Int32Array): void {
    const pc = Math.floor(code / this.relBase);
    pcs[i] = pc;
    rels[i] = this.holdsRead[pc] ? (code % this.relBase) - this.total : 0;
  }

  private find(key: number | string): number {
    if (typeof key === 'string') return this.stringIds.get(key) ?? EMPTY;
    const mask = this.tableIds.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const id = this.tableIds[slot]!;
      if (id === EMPTY || this.tableKeys[slot] === key) return id;
    }
  }

  private remember(key: number | string, id: number): void {
    if (typeof key === 'string') {
      this.stringIds.set(key, id);
      return;
    }
    if ((this.count + 1) * 2 > this.tableIds.length) this.growTable();
    const mask = this.tableIds.length - 1;
    let slot = hash(key) & mask;
    while (this.tableIds[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.tableKeys[slot] = key;
    this.tableIds[slot] = id;
  }

  private growTable(): void {
    const keys = this.tableKeys;
    const ids = this.tableIds;
    this.tableKeys = new Float64Array(keys.length * 2);
    this.tableIds = new Int32Array(ids.length * 2).fill(EMPTY);
    const mask = this.tableIds.length - 1;
    for (let old = 0; old < ids.length; old++) {
      if (ids[old] === EMPTY) continue;
      let slot = hash(keys[old]!) & mask;
      while (this.tableIds[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.tableKeys[slot] = keys[old]!;
      this.tableIds[slot] = ids[old]!;
    }
  }

  /** The state number of `key`, its futures computed (depth first, memoised) if it was new. */
  futures(key: number | string, depth: number): number {
    const known = this.find(key);
    if (known !== EMPTY) return known;
    if (this.count >= this.maxStates) throw new StateLimitError(this.maxStates);
    const pcs = this.pcsAt[depth]!;
    const rels = this.relsAt[depth]!;
    this.decode(key, pcs, rels);
    let lockHeld = false;
    for (let j = 0; j < this.threads; j++) if (this.holdsLock[pcs[j]!]) lockHeld = true;
    const first = depth * this.threads;
    let children = 0;
    for (let i = 0; i < this.threads; i++) {
      const pc = pcs[i]!;
      if (pc >= this.steps) continue;
      // Threads in the same state lead to the same futures: take the first, count it for each.
      if (i > 0 && pc === pcs[i - 1] && rels[i] === rels[i - 1]) continue;
      let times = 1;
      for (let j = i + 1; j < this.threads && pcs[j] === pc && rels[j] === rels[i]; j++) times++;
      const cell = pc * this.relBase + rels[i]! + this.total;
      if (lockHeld && this.blockable[cell]) continue;
      const shift = this.shiftOf[cell]!;
      const nextPcs = this.pcsAt[depth + 1]!;
      const nextRels = this.relsAt[depth + 1]!;
      for (let j = 0; j < this.threads; j++) {
        nextPcs[j] = pcs[j]!;
        nextRels[j] = rels[j]! - shift;
      }
      nextPcs[i] = this.nextPc[cell]!;
      nextRels[i] = this.nextRel[cell]! - shift;
      const child = this.futures(this.keyOf(nextPcs, nextRels), depth + 1);
      this.childId[first + children] = child;
      this.childShift[first + children] = shift;
      this.childTimes[first + children] = times;
      children++;
    }
    const id = this.count++;
    this.store(id, first, children);
    this.remember(key, id);
    return id;
  }

  /** Sums the children's futures, each moved by its shift and counted `times`, into state `id`. */
  private store(id: number, first: number, children: number): void {
    if (children === 0) {
      const offset = this.pool.alloc(1);
      this.pool.data[offset] = 1;
      this.setFutures(id, 0, 1, 1, offset);
      return;
    }
    let lo = Infinity;
    let hi = -Infinity;
    let limbs = 1;
    for (let c = first; c < first + children; c++) {
      const child = this.childId[c]!;
      lo = Math.min(lo, this.lo[child]! + this.childShift[c]!);
      hi = Math.max(hi, this.lo[child]! + this.childShift[c]! + this.len[child]! - 1);
      limbs = Math.max(limbs, this.limbs[child]!);
    }
    limbs += 1; // room for the carries of a sum of a few scaled counts
    const len = hi - lo + 1;
    const offset = this.pool.alloc(len * limbs);
    const data = this.pool.data;
    for (let c = first; c < first + children; c++) {
      const child = this.childId[c]!;
      const childLimbs = this.limbs[child]!;
      const from = this.offset[child]!;
      const times = this.childTimes[c]!;
      const start = offset + (this.lo[child]! + this.childShift[c]! - lo) * limbs;
      for (let k = 0; k < this.len[child]!; k++) {
        for (let l = 0; l < childLimbs; l++) data[start + k * limbs + l]! += data[from + k * childLimbs + l]! * times;
      }
    }
    normalise(data, offset, len, limbs);
    let used = 1;
    for (let k = 0; k < len; k++) for (let l = limbs - 1; l >= used; l--) if (data[offset + k * limbs + l] !== 0) used = l + 1;
    this.setFutures(id, lo, len, limbs, offset);
    if (used < limbs) this.compact(id, used);
  }

  /** Drops limbs that every count of state `id` left at zero, so later sums stay small. */
  private compact(id: number, used: number): void {
    const data = this.pool.data;
    const from = this.offset[id]!;
    const limbs = this.limbs[id]!;
    for (let k = 0; k < this.len[id]!; k++) for (let l = 0; l < used; l++) data[from + k * used + l] = data[from + k * limbs + l]!;
    this.pool.used = from + this.len[id]! * used;
    this.limbs[id] = used;
  }

  private setFutures(id: number, lo: number, len: number, limbs: number, offset: number): void {
    this.lo[id] = lo;
    this.len[id] = len;
    this.limbs[id] = limbs;
    this.offset[id] = offset;
  }

  outcomesOf(id: number): Outcome[] {
    const outcomes: Outcome[] = [];
    for (let k = 0; k < this.len[id]!; k++) {
      const count = toBigInt(this.pool.data, this.offset[id]! + k * this.limbs[id]!, this.limbs[id]!);
      if (count > 0n) outcomes.push({ final: this.lo[id]! + k, count });
    }
    return outcomes;
  }

  /** Whether state `id` has interleavings ending `offset` above its counter. */
  private reaches(id: number, offset: number): boolean {
    const k = offset - this.lo[id]!;
    if (k < 0 || k >= this.len[id]!) return false;
    return !isZero(this.pool.data, this.offset[id]! + k * this.limbs[id]!, this.limbs[id]!);
  }

  /** A schedule of concrete threads that ends at `final`: each step goes to a state that can still reach it. */
  witness(final: number): number[] {
    const pcs = new Int32Array(this.threads);
    const regs = new Int32Array(this.threads);
    const memory = createModelMemory();
    const state: ThreadState = { pc: 0, register: 0 };
    const schedule: number[] = [];
    const rels = new Int32Array(this.threads);
    while (pcs.some((pc) => pc < this.steps)) {
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
        const id = this.find(this.keyOf(pcs, rels));
        if (id !== EMPTY && this.reaches(id, final - memory.counter)) {
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

/** Mixes an integer key below 2^53 into 32 bits. */
function hash(key: number): number {
  const low = key >>> 0;
  const high = Math.floor(key / 4294967296) >>> 0;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
