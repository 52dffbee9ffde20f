import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { toBigInt } from '../../../core/limbs.js';
import { formatInt } from '../../../core/text.js';
import { InconsistentModelError, StateLimitError } from '../../../errors.js';
import { LEN, LIMBS, LO, META, OFFSET, planLevel, sharedFloat64, sharedInt32, sumLevel, type Edges, type SumJob } from './futures.js';
import type { HelperData, HelperMessage } from './futures-worker.js';
import { IntList, KeySet } from './key-set.js';
import type { MultisetKeys } from './multiset-keys.js';

/**
 * What the counter's models share: a state space walked level by level (a level: every state after the
 * same number of moves), then every state's futures (how many ways to end at each total, relative to
 * the state) summed from the last level back to the first.
 *
 * Three facts keep it small. A state's future does not depend on how it was reached, so each state's
 * futures are computed once. Threads are identical, so a state is the multiset of its threads' codes
 * (sorted), and a move of one of k identical threads counts k times. And a move's effect on the total
 * is a shift: a state's futures are kept relative to it, which makes many states the same.
 *
 * And it is fast because of how memory is used: each level's futures are in one block that only ever
 * reads the level below, so a level's states are independent and large levels are split between this
 * thread and a helper on the other core. Buffers are reused from level to level: fresh memory costs a
 * page fault per page on first touch here.
 */

/** A state space: its threads' sorted codes name a state; a move shifts the total by a whole number. */
export interface Space {
  readonly threads: number;
  readonly keys: MultisetKeys;
  /** The first state's sorted codes. */
  readonly root: readonly number[];
  /**
   * Every move of a level's `size` states (their sorted codes in `codes`, `threads` each) into `next`,
   * state after state, and where each state's moves start into `from`.
   */
  expand(size: number, codes: Int32Array, next: Frontier, from: Int32Array): void;
  /** A schedule of concrete threads that ends at `final`, the smallest or largest total reachable. */
  witness(levels: readonly Level[], final: number, which: 'min' | 'max'): number[];
}

export interface Outcome {
  readonly final: number;
  readonly count: bigint;
}

/** The states of one level; state s's steps to the next level are its edges from[s] to from[s + 1]. */
export interface Level {
  /** The level's states' keys, in their order. */
  readonly keys: Float64Array;
  readonly from: Int32Array;
  readonly edges: Edges;
  /** Per state, the smallest and largest final total it can still reach, relative to the state. */
  minReach: Int32Array;
  maxReach: Int32Array;
}

/**
 * Whether the state with `key` in `level` can still end at `final`, its smallest or largest total,
 * when `base` is the total reached on the way to it: what a witness checks at each step.
 */
export function stillReaches(level: Level, key: number, base: number, final: number, which: 'min' | 'max'): boolean {
  const s = level.keys.indexOf(key);
  return s >= 0 && base + (which === 'min' ? level.minReach[s]! : level.maxReach[s]!) === final;
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

/** The level being found: its states (keys and sorted codes) and the moves into them. */
export class Frontier {
  readonly keys = new KeySet();
  /** Each state's sorted codes, `threads` a state, in the states' order. */
  readonly codes = new IntList();
  /** Per move: the state it leads to, and its shift × 16 + how many identical threads make it. */
  readonly child = new IntList(1 << 16);
  readonly move = new IntList(1 << 16);

  constructor(private readonly threads: number) {}

  /** The number of the state with these sorted codes and this key, adding it if new. */
  addState(codes: Int32Array, key: number): number {
    const known = this.keys.size;
    const index = this.keys.add(key);
    if (index === known) for (let j = 0; j < this.threads; j++) this.codes.push(codes[j]!);
    return index;
  }

  /** A move to the state with these sorted codes and key, shifting the total by `shift`, made by any of `times` identical threads. */
  addMove(codes: Int32Array, key: number, shift: number, times: number): void {
    this.child.push(this.addState(codes, key));
    // At most 8 threads: times fits the low 4 bits.
    this.move.push(shift * 16 + times);
  }

  /** Empties it, keeping its memory. */
  clear(): void {
    this.keys.clear();
    this.codes.clear();
    this.child.clear();
    this.move.clear();
  }
}

/** A space's levels and their futures. */
export class LevelGraph {
  readonly levels: Level[] = [];
  private largestLevel = 1;
  private helper: Helper | null = null;
  private states = 0;

  constructor(
    private readonly space: Space,
    private readonly maxStates: number,
    private readonly parallel: boolean,
    private readonly progress: Int32Array,
  ) {}

  get statesVisited(): number {
    return this.states;
  }

  /** Forward, level by level: every reachable state and its moves (grouped by identical threads). */
  findStates(): void {
    // Two levels' worth of sets and lists, reused level after level: fresh memory is slow to touch the first time.
    let level = new Frontier(this.space.threads);
    let next = new Frontier(this.space.threads);
    level.addState(Int32Array.from(this.space.root), this.space.keys.keyOfSorted(this.space.root));
    this.states = 1;
    // Levels go on until one has no moves left: interleavings may differ in length (a failed
    // compare-exchange adds steps).
    while (level.keys.size > 0) {
      const size = level.keys.size;
      next.clear();
      const from = sharedInt32(size + 1);
      this.space.expand(size, level.codes.data, next, from);
      from[size] = next.child.length;
      // Each level's edges in memory of their own size: one growing list for all would be copied, and
      // touched, about twice over.
      const edges: Edges = { child: sharedInt32(next.child.length), move: sharedInt32(next.move.length) };
      edges.child.set(next.child.data.subarray(0, next.child.length));
      edges.move.set(next.move.data.subarray(0, next.move.length));
      this.levels.push({ keys: level.keys.keys.slice(0, size), from, edges, minReach: new Int32Array(0), maxReach: new Int32Array(0) });
      this.largestLevel = Math.max(this.largestLevel, size);
      this.states += next.keys.size;
      Atomics.store(this.progress, 0, Math.min(this.states, 0x7fffffff));
      if (this.states > this.maxStates) throw new StateLimitError('states', this.maxStates, `more than ${formatInt(this.maxStates)} states`);
      // It starts on the other core while this one finds the rest.
      if (this.parallel && !this.helper && this.states >= HELPER_FROM_STATES) this.helper = new Helper();
      [level, next] = [next, level];
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
