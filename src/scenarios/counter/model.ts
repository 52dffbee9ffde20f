import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { toBigInt } from '../../core/limbs.js';
import { PlainMemory } from '../../core/plain-memory.js';
import type { Exploration, FastModel, Size, ThreadState } from '../../core/scenario.js';
import { formatInt } from '../../core/text.js';
import { InconsistentModelError, StateLimitError } from '../../errors.js';
import { COUNTER, LOCK } from './cells.js';
import { STEPS_PER_INCREMENT, stepsPerThread, takeStep, usesRegister } from './steps.js';
import { LEN, LIMBS, LO, META, OFFSET, planLevel, sharedFloat64, sharedInt32, sumLevel, type Edges, type SumJob } from './futures.js';
import type { HelperData, HelperMessage } from './futures-worker.js';
import { IntList, KeySet } from './key-set.js';

/**
 * The counter's own exact model, a hook (Hooks.model) that a test checks against the generic model:
 * every interleaving of the threads' steps, counted and grouped by final total. Steps are the counter
 * scenario's own (counter.ts): the transition table is built by running the same takeStep that the real
 * threads run.
 *
 * Three facts keep it small. A state's future does not depend on how it was reached, so each state's
 * futures are computed once. Threads are identical, so a state is the multiset of thread states
 * (sorted), and a step of one of k identical threads counts k times. And every step only copies values
 * or adds one, so shifting the counter and every read value by d shifts the final total by d: states
 * are kept relative to the counter, which makes most of them the same.
 *
 * And it is fast because of how memory is used: the states are found level by level (a level: every
 * state after the same number of steps), then their futures are computed from the last level back to
 * the first, each level's in one block that only ever reads the level below, so a level's states are
 * independent and large levels are split between this thread and a helper on the other core. Buffers
 * are reused from level to level: fresh memory costs a page fault per page on first touch here.
 */

interface Outcome {
  readonly final: number;
  readonly count: bigint;
}

/** The counter's exploration, and whether a helper thread summed part of it. */
export interface CounterExploration extends Exploration {
  /** 2 when a helper thread summed part of the futures, else 1. */
  readonly threadsUsed: number;
}

/** At most 8 threads: a group of identical threads fits a move's low 4 bits, and limb sums stay exact. */
const MAX_THREADS = 8;

/**
 * Whether every state of this size can be named: a thread's code, (steps + 1) × (2 × total + 1), in an
 * Int32, and all the threads' codes together in one double.
 */
function keysFit(mode: string, { threads, iters }: Size): boolean {
  const base = (stepsPerThread(mode, iters) + 1) * (2 * threads * iters + 1);
  return base < 2 ** 31 && base ** threads < Number.MAX_SAFE_INTEGER;
}

export const counterModel: FastModel = {
  handles: (mode, size) => Object.hasOwn(STEPS_PER_INCREMENT, mode) && size.threads <= MAX_THREADS && keysFit(mode, size),
  // A key and its table slots (24), its codes (4 a thread), its edges (8 a thread), its futures' record,
  // estimate and reach (32), and a few counts in the pool (8 each).
  bytesPerState: (_mode, size) => 24 + 12 * size.threads + 32 + 64,
  // The transition table: four numbers per step of an increment and read relative to the counter.
  fixedBytes: (mode, size) => STEPS_PER_INCREMENT[mode]!.length * (2 * size.threads * size.iters + 1) * 13 + (stepsPerThread(mode, size.iters) + 1) * 3,
  explore: (mode, size, maxStates, progress) => exploreCounter(mode, size, maxStates, progress),
};

/** `parallel`: large sizes sum each level's futures on two threads (the results are the same either way). */
export function exploreCounter(mode: string, size: Size, maxStates: number, progress: Int32Array = new Int32Array(1), parallel = true): CounterExploration {
  const model = new Model(mode, size.threads, size.iters, maxStates, parallel, progress);
  let outcomes: Outcome[];
  try {
    model.findStates();
    outcomes = model.computeFutures();
  } finally {
    model.close();
  }
  const min = outcomes[0]!.final;
  const max = outcomes[outcomes.length - 1]!.final;
  return {
    outcomes,
    statesVisited: model.statesVisited,
    threadsUsed: model.threadsUsed,
    min: { final: min, schedule: model.witness(min, 'min') },
    max: { final: max, schedule: model.witness(max, 'max') },
  };
}

/** The states of one level; state s's steps to the next level are its edges from[s] to from[s + 1]. */
interface Level {
  /** The level's states' keys, in their order. */
  readonly keys: Float64Array;
  readonly from: Int32Array;
  readonly edges: Edges;
  /** Per state, the smallest and largest final total it can still reach, relative to its counter. */
  minReach: Int32Array;
  maxReach: Int32Array;
}

/** One level's futures (see futures.ts): records side by side, and the pool of counts they point into. */
interface Futures {
  readonly meta: Int32Array;
  readonly pool: Float64Array;
  /** Per state, its number of interleavings in floating point: enough to size a parent's limbs. */
  readonly approx: Float64Array;
}

/** A second thread sums part of each level once the model has found this many states: below it, starting one costs more than it saves. */
const HELPER_FROM_STATES = 200_000;

/** Levels smaller than this are summed by the main thread alone. */
const SPLIT_FROM_STATES = 2_000;

class Model {
  private readonly steps: number;
  private readonly total: number;
  private readonly relBase: number;
  private readonly base: number;
  private readonly threads: number;
  /** Per pc: does the thread hold a read (its value matters), does it hold the lock, which step of an increment it is. */
  private readonly holdsRead: Uint8Array;
  private readonly holdsLock: Uint8Array;
  private readonly phase: Int32Array;
  /**
   * Per (step of an increment, read relative to the counter): the pc's move, the next read, the counter's
   * move, whether a held lock blocks it. Every increment's steps do the same, so one increment's table serves all.
   */
  private readonly pcMove: Int32Array;
  private readonly nextRel: Int32Array;
  private readonly shiftOf: Int32Array;
  private readonly blockable: Uint8Array;
  private readonly levels: Level[] = [];
  /** One level's steps while it is expanded: the state each leads to, and its move (counter shift × 16 + times). */
  private readonly edgeChild = new IntList(1 << 16);
  private readonly edgeMove = new IntList(1 << 16);
  private largestLevel = 1;
  private helper: Helper | null = null;
  private states = 0;
  private readonly pcs: Int32Array;
  private readonly rels: Int32Array;
  private readonly codes: Float64Array;

  constructor(
    private readonly mode: string,
    threads: number,
    iters: number,
    private readonly maxStates: number,
    private readonly parallel: boolean,
    private readonly progress: Int32Array,
  ) {
    this.threads = threads;
    this.steps = stepsPerThread(mode, iters);
    this.total = threads * iters;
    this.relBase = 2 * this.total + 1;
    this.base = (this.steps + 1) * this.relBase;
    if (!counterModel.handles(mode, { threads, iters })) throw new InconsistentModelError(`the counter's model cannot count ${mode} at ${threads} × ${iters}`);
    const kinds = STEPS_PER_INCREMENT[mode]!;
    const kindAt = (pc: number) => kinds[pc % kinds.length]!;
    this.holdsRead = new Uint8Array(this.steps + 1).map((_, pc) => (pc < this.steps && usesRegister(kindAt(pc)) ? 1 : 0));
    const locks = kinds.includes('acquire');
    this.holdsLock = new Uint8Array(this.steps + 1).map((_, pc) => (locks && pc < this.steps && kindAt(pc) !== 'acquire' ? 1 : 0));
    this.phase = new Int32Array(this.steps + 1).map((_, pc) => pc % kinds.length);
    const cells = kinds.length * this.relBase;
    this.pcMove = new Int32Array(cells);
    this.nextRel = new Int32Array(cells);
    this.shiftOf = new Int32Array(cells);
    this.blockable = new Uint8Array(cells);
    this.buildTransitions(kinds.length);
    this.pcs = new Int32Array(threads);
    this.rels = new Int32Array(threads);
    this.codes = new Float64Array(threads);
  }

  get statesVisited(): number {
    return this.states;
  }

  /**
   * Every step's effect, found by running the scenario's own takeStep on plain memory: with the counter
   * at 0 and the thread's read relative to it, once with the lock free and once held by another.
   */
  private buildTransitions(period: number): void {
    const memory = new PlainMemory(new Int32Array(3), LOCK);
    const state: ThreadState = { pc: 0, register: 0, done: 0 };
    for (let pc = 0; pc < period; pc++) {
      for (let rel = -this.total; rel <= this.total; rel++) {
        if (!this.holdsRead[pc] && rel !== 0) continue;
        const cell = pc * this.relBase + rel + this.total;
        memory.values.fill(0);
        state.pc = pc;
        state.register = rel;
        takeStep(this.mode, 1, state, memory);
        this.pcMove[cell] = state.pc - pc;
        this.nextRel[cell] = state.register;
        this.shiftOf[cell] = memory.values[COUNTER]!;
        memory.values.fill(0);
        memory.tryLock(2);
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

  /** Forward, level by level: every reachable state and its steps (grouped by identical threads). */
  findStates(): void {
    // Two sets and two code lists, reused level after level: fresh memory is slow to touch the first time.
    let keys = new KeySet();
    let next = new KeySet();
    keys.add(this.keyOf(this.pcs, this.rels));
    let codes = new IntList();
    let nextCodes = new IntList();
    for (let i = 0; i < this.threads; i++) codes.push(this.codes[i]!);
    this.states = 1;
    // Every interleaving has the same length, except in cas mode, where a failed compare-exchange adds
    // steps: levels go on until one has no steps left.
    while (keys.size > 0) {
      next.clear();
      nextCodes.clear();
      const from = sharedInt32(keys.size + 1);
      this.edgeChild.clear();
      this.edgeMove.clear();
      this.expand(keys.size, codes.data, next, nextCodes, from);
      from[keys.size] = this.edgeChild.length;
      // Each level's edges in memory of their own size: one growing list for all would be copied, and
      // touched, about twice over.
      const edges: Edges = { child: sharedInt32(this.edgeChild.length), move: sharedInt32(this.edgeMove.length) };
      edges.child.set(this.edgeChild.data.subarray(0, this.edgeChild.length));
      edges.move.set(this.edgeMove.data.subarray(0, this.edgeMove.length));
      this.levels.push({ keys: keys.keys.slice(0, keys.size), from, edges, minReach: new Int32Array(0), maxReach: new Int32Array(0) });
      this.largestLevel = Math.max(this.largestLevel, keys.size);
      this.states += next.size;
      Atomics.store(this.progress, 0, Math.min(this.states, 0x7fffffff));
      if (this.states > this.maxStates) throw new StateLimitError('states', this.maxStates, `more than ${formatInt(this.maxStates)} states`);
      // It starts on the other core while this one finds the rest.
      if (this.parallel && !this.helper && this.states >= HELPER_FROM_STATES) this.helper = new Helper();
      [keys, next] = [next, keys];
      [codes, nextCodes] = [nextCodes, codes];
    }
  }

  /** Every step of a level's `size` states (their sorted codes in `codes`): the states they lead to go into `next`. */
  private expand(size: number, codes: Int32Array, next: KeySet, nextCodes: IntList, from: Int32Array): void {
    // Locals, not fields: the hot loop calls out (next.add), and a field must be read again after each call.
    const T = this.threads;
    const { pcs, rels, holdsRead, holdsLock, phase, relBase, total, base, steps, shiftOf, pcMove, nextRel, blockable, edgeChild, edgeMove } = this;
    const isLock = holdsLock.includes(1);
    const childCodes = new Int32Array(T);
    for (let s = 0; s < size; s++) {
      from[s] = edgeChild.length;
      const at = s * T;
      let lockHeld = false;
      for (let i = 0; i < T; i++) {
        const code = codes[at + i]!;
        const pc = (code / relBase) | 0;
        pcs[i] = pc;
        rels[i] = holdsRead[pc] ? (code % relBase) - total : 0;
        if (holdsLock[pc]) lockHeld = true;
      }
      for (let i = 0; i < T; i++) {
        const pc = pcs[i]!;
        if (pc >= steps) continue;
        // Threads in the same state lead to the same state: take the first, count it for each.
        if (i > 0 && pc === pcs[i - 1] && rels[i] === rels[i - 1]) continue;
        let group = 1;
        for (let j = i + 1; j < T && pcs[j] === pc && rels[j] === rels[i]; j++) group++;
        const cell = phase[pc]! * relBase + rels[i]! + total;
        if (isLock && lockHeld && blockable[cell]) continue;
        const moved = shiftOf[cell]!;
        // The others keep their order (a move keeps each read within its pc's codes); the mover is placed among them.
        const moverPc = pc + pcMove[cell]!;
        const moverCode = moverPc * relBase + (holdsRead[moverPc] ? nextRel[cell]! - moved + total : 0);
        let placed = false;
        let n = 0;
        let key = 0;
        for (let j = 0; j < T; j++) {
          if (j === i) continue;
          const other = codes[at + j]! - (holdsRead[pcs[j]!] ? moved : 0);
          if (!placed && moverCode <= other) {
            childCodes[n++] = moverCode;
            key = key * base + moverCode;
            placed = true;
          }
          childCodes[n++] = other;
          key = key * base + other;
        }
        if (!placed) {
          childCodes[n] = moverCode;
          key = key * base + moverCode;
        }
        const known = next.size;
        const index = next.add(key);
        if (index === known) for (let j = 0; j < T; j++) nextCodes.push(childCodes[j]!);
        edgeChild.push(index);
        // A group has at most 8 threads: the count fits the low 4 bits.
        edgeMove.push(moved * 16 + group);
      }
    }
  }

  /** Backward, from the last level to the first: each state's futures from the level below. */
  computeFutures(): Outcome[] {
    // Only the level below is read: two of each buffer take turns, sized for the largest level.
    let spare: Float64Array = sharedFloat64(1 << 16);
    let spareMeta = sharedInt32(this.largestLevel * META);
    let spareApprox: Float64Array = new Float64Array(this.largestLevel);
    let below: Futures | null = null;
    for (let d = this.levels.length - 1; d >= 0; d--) {
      const level = this.levels[d]!;
      const size = level.keys.length;
      const edges = level.edges;
      const meta = spareMeta;
      const approx = spareApprox;
      const used = planLevel(edges, level.from, size, meta, approx, below?.meta ?? null, below?.approx ?? null);
      let pool = spare;
      if (pool.length < used) pool = sharedFloat64(Math.max(used, pool.length * 2));
      pool.fill(0, 0, used);
      const job = { from: level.from, meta, pool, belowMeta: below?.meta ?? meta, belowPool: below?.pool ?? pool, start: 0, end: size };
      if (this.helper?.ready && size >= SPLIT_FROM_STATES) {
        this.helper.sumInParallel(edges, job);
      } else {
        sumLevel(edges, job);
      }
      // The ends of every range are reachable: a range's ends are some child's ends (moved), and a sum of
      // counts that are not zero is not zero; the last level's single total starts this.
      level.minReach = new Int32Array(size);
      level.maxReach = new Int32Array(size);
      for (let s = 0; s < size; s++) {
        level.minReach[s] = meta[s * META + LO]!;
        level.maxReach[s] = meta[s * META + LO]! + meta[s * META + LEN]! - 1;
      }
      spare = below?.pool ?? sharedFloat64(1 << 16);
      spareMeta = below?.meta ?? sharedInt32(this.largestLevel * META);
      spareApprox = below?.approx ?? new Float64Array(this.largestLevel);
      below = { meta, pool, approx };
    }
    const root = below!;
    const limbs = root.meta[LIMBS]!;
    const outcomes: Outcome[] = [];
    for (let k = 0; k < root.meta[LEN]!; k++) {
      const count = toBigInt(root.pool, root.meta[OFFSET]! + k * limbs, limbs);
      if (count > 0n) outcomes.push({ final: root.meta[LO]! + k, count });
    }
    return outcomes;
  }

  get threadsUsed(): number {
    return this.helper?.used ? 2 : 1;
  }

  /** Lets the helper thread, if one started, go. */
  close(): void {
    this.helper?.close();
  }

  /** A schedule of concrete threads that ends at `final`, the smallest or largest reachable total. */
  witness(final: number, which: 'min' | 'max'): number[] {
    const pcs = new Int32Array(this.threads);
    const regs = new Int32Array(this.threads);
    const rels = new Int32Array(this.threads);
    const memory = new PlainMemory(new Int32Array(3), LOCK);
    const state: ThreadState = { pc: 0, register: 0, done: 0 };
    const schedule: number[] = [];
    // In cas mode interleavings differ in length: the schedule ends when every thread is done.
    for (let d = 1; d < this.levels.length && pcs.some((pc) => pc < this.steps); d++) {
      const level = this.levels[d]!;
      let chosen = -1;
      for (let i = 0; i < this.threads && chosen < 0; i++) {
        if (pcs[i]! >= this.steps) continue;
        const saved = { cells: memory.values.slice(), pc: pcs[i]!, reg: regs[i]! };
        state.pc = pcs[i]!;
        state.register = regs[i]!;
        if (takeStep(this.mode, i + 1, state, memory).action === 'blocked') continue;
        pcs[i] = state.pc;
        regs[i] = state.register;
        const counter = memory.values[COUNTER]!;
        for (let j = 0; j < this.threads; j++) rels[j] = regs[j]! - counter;
        const s = level.keys.indexOf(this.keyOf(pcs, rels));
        const reach = which === 'min' ? level.minReach[s] : level.maxReach[s];
        if (s >= 0 && reach! + counter === final) {
          chosen = i;
        } else {
          memory.values.set(saved.cells);
          pcs[i] = saved.pc;
          regs[i] = saved.reg;
        }
      }
      if (chosen < 0) throw new InconsistentModelError(`no step leads to the total ${final}`);
      schedule.push(chosen + 1);
    }
    return schedule;
  }
}

/** A second thread that sums the later part of a level's states while this one sums the first part. */
class Helper {
  private readonly worker: Worker;
  private readonly readyFlag = sharedInt32(1);
  private readonly done = sharedInt32(1);
  used = false;

  constructor() {
    const data: HelperData = { ready: this.readyFlag, done: this.done };
    // Required here, not imported: a bundle that holds this module (the CLI's) need not load it to start.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new Worker(new URL('./futures-worker.js', import.meta.url), { workerData: data, execArgv: [] });
    // It must never keep the process alive: close() ends it, and until then it only ever waits for work.
    this.worker.unref();
  }

  get ready(): boolean {
    return Atomics.load(this.readyFlag, 0) === 1;
  }

  /** Splits the job where half the edges lie on each side; this thread sums the first half. */
  sumInParallel(edges: Edges, job: SumJob): void {
    const { from, start, end } = job;
    const half = (from[start]! + from[end]!) / 2;
    let low = start;
    let high = end;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (from[mid]! < half) low = mid + 1;
      else high = mid;
    }
    Atomics.store(this.done, 0, 0);
    this.used = true;
    // Each level has edges of its own: they go with the job (shared memory, so nothing is copied).
    this.worker.postMessage({ edges, job: { ...job, start: low } } satisfies HelperMessage);
    const started = performance.now();
    sumLevel(edges, { ...job, end: low });
    // Its half takes about as long as ours. A helper that died (no exception to report) never answers:
    // past twenty times our half's time, and ten seconds, it is given up on rather than waited for forever.
    const patience = 10_000 + 20 * (performance.now() - started);
    while (Atomics.load(this.done, 0) === 0) {
      if (performance.now() - started > patience) throw new Error('the helper thread stopped answering');
      Atomics.wait(this.done, 0, 0, 50);
    }
    if (Atomics.load(this.done, 0) !== 1) throw new InconsistentModelError('the helper thread failed');
  }

  close(): void {
    void this.worker.terminate();
  }
}
