import { normalise, toBigInt } from '../core/limbs.js';
import { holderCell, lockCount } from '../core/locks.js';
import { PlainMemory } from '../core/plain-memory.js';
import { StoreBufferMemory } from '../core/store-buffers.js';
import { BLOCKED, newThreadState, type Exploration, type Scenario, type Size, type ThreadState } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { InconsistentModelError, StateLimitError } from '../errors.js';
import { StateSet } from './state-set.js';

/**
 * The exact model for any scenario: every interleaving of the threads' steps, counted and grouped by
 * the scenario's measure. It runs the scenario's own `step` on plain cells.
 *
 * A state is the scenario's state cells and each thread's (pc, register, done). Two facts keep it small.
 * A state's future does not depend on how it was reached, so each state's futures are counted once. And
 * threads are interchangeable: where the scenario can rename threads in its cells (`renameThreads`), a
 * state is kept with its threads sorted by their own state, so states that differ only by which thread
 * is which are one (a step of any of them leads to the same counts).
 *
 * States are found level by level (a level: every state after the same number of steps), then their
 * futures are summed from the last level back to the first, each from the level below. Every level is
 * kept, to find a schedule (a witness) for an outcome by walking down from the start.
 */

/** Exact counts in limbs of 2^44: up to 512 threads' steps add into one limb and stay below 2^53. */
const LIMB_BITS = 44;
const LIMB = 2 ** LIMB_BITS;

/**
 * Sequential consistency (every interleaving of the steps) or x86-TSO (a store buffer per thread, and a
 * flush of its oldest store is a step of its own: core/store-buffers.ts).
 */
export type MemoryModel = 'sc' | 'tso';
export const MEMORY_MODELS: readonly MemoryModel[] = ['sc', 'tso'];

/** Stores a thread's buffer holds in the TSO model; a store to a full one flushes the oldest first. */
export const STORE_BUFFER_CAPACITY = 4;

export interface ModelLimits {
  readonly maxStates: number;
  /** The most memory the model's tables may take. */
  readonly maxBytes: number;
  /** [0]: states found so far, for whoever waits on the model. */
  readonly progress: Int32Array;
}

/** Bytes a state may take at most, but for its futures (which need the outcomes: see the backward pass). */
export function bytesPerState(scenario: Scenario, size: Size, memoryModel: MemoryModel = 'sc'): number {
  const buffers = memoryModel === 'tso' ? size.threads * StoreBufferMemory.slots(STORE_BUFFER_CAPACITY) : 0;
  const width = scenario.stateCells(size) + 3 * size.threads + buffers;
  const moves = memoryModel === 'tso' ? 2 * size.threads : size.threads;
  // The vector (and room to grow: twice), its table slots, its edges (one a move, room to grow), bookkeeping.
  return 8 * width + 16 + 16 * moves + 40;
}

interface Level {
  readonly states: StateSet;
  /** State s's steps are edges from[s] … from[s + 1] − 1: the child each leads to, and how many threads take it. */
  readonly from: Int32Array;
  readonly child: Int32Array;
  readonly times: Int32Array;
  /** Per state that no thread can leave: its measure; else unused. */
  readonly measure: Int32Array;
  /** Per state: 0 where a thread can move, DONE where every thread is done, STUCK where the rest can never move. */
  readonly ends: Uint8Array;
  /** Per state its futures, four numbers: the first outcome index, how many, limbs each, offset in the pool. */
  meta: Int32Array;
  pool: Float64Array;
  /** Per state, log2 of its number of interleavings: enough to size a parent's limbs. */
  log2: Float64Array;
}

const DONE = 1;
const STUCK = 2;

const LO = 0;
const LEN = 1;
const LIMBS = 2;
const OFFSET = 3;

/**
 * With `tso`, a witness schedule names a flush of thread t's oldest buffered store as −t: a replay, which
 * takes one whole step at a time, cannot take it.
 */
export function exploreGeneric(scenario: Scenario, mode: string, size: Size, limits: ModelLimits, memoryModel: MemoryModel = 'sc'): Exploration {
  return new GenericModel(scenario, mode, size, limits, memoryModel).run();
}

class GenericModel {
  private readonly stateCells: number;
  private readonly width: number;
  private readonly symmetric: boolean;
  private readonly memory: PlainMemory;
  /** The same memory, where it has store buffers (TSO); else null. */
  private readonly buffered: StoreBufferMemory | null;
  private readonly threadsAt: number;
  private readonly locks: number;
  private readonly threads: ThreadState[];
  private readonly vector: Int32Array;
  private readonly renamed: Int32Array;
  private readonly order: number[];
  private readonly levels: Level[] = [];
  private states = 0;
  private bytes = 0;
  /** The distinct ends (a measure, and whether the threads got stuck), sorted: an outcome's index is its place here. */
  private ends: { readonly final: number; readonly stuck: boolean }[] = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly mode: string,
    private readonly size: Size,
    private readonly limits: ModelLimits,
    memoryModel: MemoryModel,
  ) {
    this.stateCells = scenario.stateCells(size);
    const cells = new Int32Array(scenario.cellCount(size));
    this.buffered = memoryModel === 'tso' ? new StoreBufferMemory(cells, scenario.lockCell, size.threads, STORE_BUFFER_CAPACITY) : null;
    this.memory = this.buffered ?? new PlainMemory(cells, scenario.lockCell);
    this.threadsAt = this.stateCells;
    this.locks = lockCount(scenario, size);
    this.width = this.stateCells + 3 * size.threads + (this.buffered?.width ?? 0);
    // Renaming threads would have to carry their buffers along; the TSO model keeps every thread apart.
    this.symmetric = scenario.renameThreads !== undefined && !this.buffered;
    this.threads = Array.from({ length: size.threads }, newThreadState);
    this.vector = new Int32Array(this.width);
    this.renamed = new Int32Array(size.threads + 1);
    this.order = Array.from({ length: size.threads }, (_, i) => i);
  }

  run(): Exploration {
    this.findStates();
    this.countFutures();
    const root = this.levels[0]!;
    const outcomes: { final: number; count: bigint; stuck?: boolean }[] = [];
    const indices: number[] = [];
    const limbs = root.meta[LIMBS]!;
    for (let k = 0; k < root.meta[LEN]!; k++) {
      const count = toBigInt(root.pool, root.meta[OFFSET]! + k * limbs, limbs, LIMB);
      if (count > 0n) {
        const { final, stuck } = this.ends[root.meta[LO]! + k]!;
        outcomes.push(stuck ? { final, count, stuck } : { final, count });
        indices.push(root.meta[LO]! + k);
      }
    }
    const [first, last] = [indices[0]!, indices.at(-1)!];
    return {
      outcomes,
      statesVisited: this.states,
      min: { final: this.ends[first]!.final, schedule: this.witness(first) },
      max: { final: this.ends[last]!.final, schedule: this.witness(last) },
    };
  }

  /** Forward, level by level: every reachable state and its steps. */
  private findStates(): void {
    this.startingState();
    let current = new StateSet(this.width, 1);
    current.add(this.canonical());
    this.states = 1;
    while (current.size > 0) {
      const next = new StateSet(this.width, current.size);
      const level = this.expand(current, next);
      this.levels.push(level);
      current.trim();
      this.states += next.size;
      Atomics.store(this.limits.progress, 0, Math.min(this.states, 0x7fffffff));
      if (this.states > this.limits.maxStates) {
        throw new StateLimitError('states', this.limits.maxStates, `more than ${formatInt(this.limits.maxStates)} states`);
      }
      this.bytes += current.bytes + level.from.byteLength + level.child.byteLength * 2 + level.measure.byteLength + level.ends.byteLength;
      this.checkMemory(next.bytes);
      current = next;
    }
  }

  /** Every step of every state of a level; the states they lead to go into `next`. */
  private expand(current: StateSet, next: StateSet): Level {
    const size = current.size;
    const from = new Int32Array(size + 1);
    const measure = new Int32Array(size);
    const ends = new Uint8Array(size);
    let child = new Int32Array(Math.max(16, size * 2));
    let times = new Int32Array(child.length);
    let edges = 0;
    for (let s = 0; s < size; s++) {
      from[s] = edges;
      const parent = current.vector(s);
      let moved = false;
      let done = true;
      for (let move = 0; move < this.moves; move++) {
        this.load(parent);
        const taken = this.take(move);
        if (taken === 'done') {
          continue;
        }
        if (move < this.size.threads) done = false;
        if (taken === 'blocked') continue;
        moved = true;
        const index = next.add(this.canonical());
        let e = from[s]!;
        while (e < edges && child[e] !== index) e++;
        if (e < edges) {
          times[e]!++;
          continue;
        }
        if (edges === child.length) {
          child = grow(child);
          times = grow(times);
        }
        child[edges] = index;
        times[edges++] = 1;
      }
      if (!moved) {
        // No thread can move: every one is done (or, where a scenario can deadlock, the rest wait for ever).
        this.load(parent);
        ends[s] = done ? DONE : STUCK;
        measure[s] = this.scenario.measureOf(this.memory.values, this.size);
      }
    }
    from[size] = edges;
    return { states: current, from, child: child.slice(0, edges), times: times.slice(0, edges), measure, ends, meta: new Int32Array(0), pool: new Float64Array(0), log2: new Float64Array(0) };
  }

  /** Backward, from the last level to the first: each state's exact count per outcome, from the level below. */
  private countFutures(): void {
    // An end's key: its measure, then stuck after done.
    const key = (measure: number, end: number) => measure * 2 + (end === STUCK ? 1 : 0);
    const seen = new Set<number>();
    for (const level of this.levels) for (let s = 0; s < level.ends.length; s++) if (level.ends[s]) seen.add(key(level.measure[s]!, level.ends[s]!));
    const keys = [...seen].sort((a, b) => a - b);
    this.ends = keys.map((k) => ({ final: Math.floor(k / 2), stuck: Math.abs(k % 2) === 1 }));
    const indexOf = new Map(keys.map((k, i) => [k, i]));
    let below: Level | null = null;
    for (let d = this.levels.length - 1; d >= 0; d--) {
      const level = this.levels[d]!;
      const size = level.ends.length;
      const meta = new Int32Array(size * 4);
      const log2 = new Float64Array(size);
      const belowLog2 = below?.log2 ?? null;
      let used = 0;
      for (let s = 0; s < size; s++) {
        const at = s * 4;
        if (level.ends[s] || !below || !belowLog2) {
          meta[at + LO] = indexOf.get(key(level.measure[s]!, level.ends[s]!))!;
          meta[at + LEN] = 1;
          meta[at + LIMBS] = 1;
          meta[at + OFFSET] = used++;
          continue;
        }
        let lo = Infinity;
        let hi = -Infinity;
        let top = -Infinity;
        for (let e = level.from[s]!; e < level.from[s + 1]!; e++) {
          const c = level.child[e]! * 4;
          lo = Math.min(lo, below.meta[c + LO]!);
          hi = Math.max(hi, below.meta[c + LO]! + below.meta[c + LEN]! - 1);
          top = Math.max(top, belowLog2[level.child[e]!]!);
        }
        // log2 of the total, summed relative to the largest child so that huge counts do not overflow.
        let sum = 0;
        for (let e = level.from[s]!; e < level.from[s + 1]!; e++) sum += level.times[e]! * 2 ** (belowLog2[level.child[e]!]! - top);
        log2[s] = top + Math.log2(sum);
        const limbs = Math.floor(log2[s]! / LIMB_BITS + 1e-9) + 1;
        meta[at + LO] = lo;
        meta[at + LEN] = hi - lo + 1;
        meta[at + LIMBS] = limbs;
        meta[at + OFFSET] = used;
        used += (hi - lo + 1) * limbs;
      }
      this.bytes += meta.byteLength + log2.byteLength + used * 8;
      this.checkMemory(0);
      const pool = new Float64Array(used);
      for (let s = 0; s < size; s++) {
        const at = s * 4;
        const offset = meta[at + OFFSET]!;
        if (level.ends[s] || !below) {
          pool[offset] = 1;
          continue;
        }
        const lo = meta[at + LO]!;
        const limbs = meta[at + LIMBS]!;
        for (let e = level.from[s]!; e < level.from[s + 1]!; e++) {
          const c = level.child[e]! * 4;
          const times = level.times[e]!;
          const childLimbs = below.meta[c + LIMBS]!;
          const source = below.meta[c + OFFSET]!;
          const into = offset + (below.meta[c + LO]! - lo) * limbs;
          for (let k = 0; k < below.meta[c + LEN]!; k++) {
            for (let l = 0; l < childLimbs; l++) pool[into + k * limbs + l]! += below.pool[source + k * childLimbs + l]! * times;
          }
        }
        if (!normalise(pool, offset, meta[at + LEN]!, limbs, LIMB)) throw new InconsistentModelError('a count outgrew its limbs');
      }
      level.meta = meta;
      level.pool = pool;
      level.log2 = log2;
      below = level;
    }
  }

  /** A schedule of concrete threads that ends at outcome `target`: at each step, the first thread whose step can still get there. */
  private witness(target: number): number[] {
    const { final } = this.ends[target]!;
    this.startingState();
    const schedule: number[] = [];
    const savedCells = new Int32Array(this.memory.values.length);
    const savedBuffers = new Int32Array(this.buffered?.width ?? 0);
    const saved = this.threads.map((state) => ({ ...state }));
    for (let d = 1; d < this.levels.length; d++) {
      savedCells.set(this.memory.values);
      this.threads.forEach((state, i) => Object.assign(saved[i]!, state));
      this.buffered?.writeBuffers(savedBuffers, 0);
      let chosen = -1;
      for (let move = 0; move < this.moves && chosen < 0; move++) {
        if (this.take(move) === 'moved') {
          const c = this.levels[d]!.states.find(this.canonical());
          if (c >= 0 && this.reaches(this.levels[d]!, c, target)) chosen = move;
        }
        if (chosen < 0) {
          this.memory.values.set(savedCells);
          this.threads.forEach((s, j) => Object.assign(s, saved[j]!));
          this.buffered?.readBuffers(savedBuffers, 0);
        }
      }
      if (chosen < 0) break;
      schedule.push(chosen < this.size.threads ? chosen + 1 : -(chosen - this.size.threads + 1));
    }
    if (this.scenario.measureOf(this.memory.values, this.size) !== final) {
      throw new InconsistentModelError(`no schedule found that ends at ${final}`);
    }
    return schedule;
  }

  /** Whether some interleaving from state `s` of `level` ends at outcome `target`. */
  private reaches(level: Level, s: number, target: number): boolean {
    const at = s * 4;
    const k = target - level.meta[at + LO]!;
    if (k < 0 || k >= level.meta[at + LEN]!) return false;
    const limbs = level.meta[at + LIMBS]!;
    const offset = level.meta[at + OFFSET]! + k * limbs;
    for (let l = 0; l < limbs; l++) if (level.pool[offset + l] !== 0) return true;
    return false;
  }

  /** Moves: each thread's next step, then (with store buffers) each thread's flush of its oldest store. */
  private get moves(): number {
    return this.buffered ? 2 * this.size.threads : this.size.threads;
  }

  /** Takes move `move` on the scratch state: 'done' where there is no such move (a thread done, an empty buffer). */
  private take(move: number): 'moved' | 'blocked' | 'done' {
    const threads = this.size.threads;
    if (move >= threads) {
      const thread = move - threads + 1;
      if (!this.buffered!.hasBuffered(thread)) return 'done';
      this.buffered!.flush(thread);
      return 'moved';
    }
    const state = this.threads[move]!;
    if (this.scenario.isDone(this.mode, state, this.size)) return 'done';
    if (this.buffered) this.buffered.current = move + 1;
    return this.scenario.step(this.mode, move + 1, state, this.memory, this.size).action === BLOCKED ? 'blocked' : 'moved';
  }

  private startingState(): void {
    this.buffered?.clearBuffers();
    this.memory.values.fill(0);
    this.scenario.init(this.memory.values, this.size);
    for (const state of this.threads) Object.assign(state, newThreadState());
  }

  /** Puts a state's vector into the scratch memory and thread states. */
  private load(vector: Int32Array): void {
    this.memory.values.set(vector.subarray(0, this.stateCells));
    this.buffered?.readBuffers(vector, this.threadsAt + 3 * this.size.threads);
    const at = this.threadsAt;
    this.threads.forEach((state, i) => {
      state.pc = vector[at + 3 * i]!;
      state.register = vector[at + 3 * i + 1]!;
      state.done = vector[at + 3 * i + 2]!;
    });
  }

  /**
   * The scratch state as a vector, with its threads sorted by their own state and renamed to match
   * where the scenario can rename them. The scratch memory is left as it was.
   */
  private canonical(): Int32Array {
    const { vector, threads, order, stateCells } = this;
    vector.set(this.memory.values.subarray(0, stateCells));
    if (this.symmetric) {
      order.sort((a, b) => compareThreads(threads[a]!, threads[b]!) || a - b);
      order.forEach((thread, position) => (this.renamed[thread + 1] = position + 1));
      const cells = vector.subarray(0, stateCells);
      this.scenario.renameThreads!(cells, this.renamed, this.size);
      for (let lock = 0; lock < this.locks; lock++) {
        const at = holderCell(this.scenario.lockCell, lock);
        const holder = cells[at]!;
        if (holder > 0) cells[at] = this.renamed[holder]!;
      }
    }
    order.forEach((thread, position) => {
      const state = threads[this.symmetric ? thread : position]!;
      vector[stateCells + 3 * position] = state.pc;
      vector[stateCells + 3 * position + 1] = state.register;
      vector[stateCells + 3 * position + 2] = state.done;
    });
    if (this.symmetric) for (let i = 0; i < order.length; i++) order[i] = i;
    this.buffered?.writeBuffers(vector, stateCells + 3 * threads.length);
    return vector;
  }

  private checkMemory(extra: number): void {
    if (this.bytes + extra > this.limits.maxBytes) {
      throw new StateLimitError('memory', this.limits.maxBytes, `more than ${formatInt(Math.round(this.limits.maxBytes / 2 ** 20))} MiB of memory`);
    }
  }
}

function compareThreads(a: ThreadState, b: ThreadState): number {
  return a.pc - b.pc || a.register - b.register || a.done - b.done;
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
