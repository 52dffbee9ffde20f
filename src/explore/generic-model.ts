import { normalise, toBigInt } from '../core/limbs.js';
import { holderCell, lockCount } from '../core/locks.js';
import { Machine } from '../core/machine/machine.js';
import { countWithRoom, programOf } from '../core/machine/program.js';
import type { MemoryModel } from '../core/memory/model.js';
import { sc } from '../core/memory/sc.js';
import type { Exploration, Scenario, Size } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { InconsistentModelError, StateLimitError } from '../errors.js';
import { StateSet } from './state-set.js';

/**
 * The exact model for any scenario: every execution the memory model allows (under sequential
 * consistency, every interleaving of the threads' steps), counted and grouped by the scenario's measure.
 * It drives the machine (core/machine/machine.ts): the threads' own programs, on the model's memory.
 *
 * A state is the machine's vector: the scenario's state cells, each thread's words, and the memory
 * model's own state (TSO's store buffers). Two facts keep it small.
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

export interface ModelLimits {
  readonly maxStates: number;
  /** The most memory the model's tables may take. */
  readonly maxBytes: number;
  /** [0]: states found so far, for whoever waits on the model. */
  readonly progress: Int32Array;
}

/** Bytes a state may take at most, but for its futures (which need the outcomes: see the backward pass). */
export function bytesPerState(scenario: Scenario, mode: string, size: Size, memoryModel: MemoryModel = sc): number {
  const width = scenario.stateCells(size) + programOf(scenario, mode, size, { compact: true }).width * size.threads + memoryModel.stateWords(size.threads);
  const moves = size.threads + memoryModel.ownMoves(size.threads);
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

/** Ends few enough for a witness of each (a test written as code has a handful; a counter's totals may be many). */
const WITNESSED_ENDS = 32;

const LO = 0;
const LEN = 1;
const LIMBS = 2;
const OFFSET = 3;

/**
 * A witness schedule names a move of the memory model's own by its label (TSO's flush of thread t's
 * oldest buffered store is −t): a replay, which takes one whole step at a time, cannot take it.
 */
export function exploreGeneric(scenario: Scenario, mode: string, size: Size, limits: ModelLimits, memoryModel: MemoryModel = sc): Exploration {
  return countWithRoom(() => new GenericModel(scenario, mode, size, limits, memoryModel).run());
}

class GenericModel {
  private readonly machine: Machine;
  private readonly stateCells: number;
  private readonly width: number;
  private readonly symmetric: boolean;
  private readonly locks: number;
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
    mode: string,
    private readonly size: Size,
    private readonly limits: ModelLimits,
    memoryModel: MemoryModel,
  ) {
    this.machine = Machine.of(scenario, mode, size, memoryModel, { compact: true });
    this.stateCells = scenario.stateCells(size);
    this.locks = lockCount(scenario, size);
    this.width = this.machine.width;
    // Renaming threads would have to carry the memory model's own state along (TSO's buffers are per
    // thread): only where it keeps none are identical threads merged.
    this.symmetric = scenario.renameThreads !== undefined && this.machine.memory.stateWords === 0;
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
      ...(indices.length <= WITNESSED_ENDS ? { witnesses: indices.map((index) => this.witness(index)) } : {}),
    };
  }

  /** Forward, level by level: every reachable state and its steps. */
  private findStates(): void {
    this.machine.reset();
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
      for (let move = 0; move < this.machine.moves; move++) {
        this.machine.load(parent);
        const taken = this.machine.take(move);
        if (taken === 'none') continue;
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
        this.machine.load(parent);
        ends[s] = done ? DONE : STUCK;
        measure[s] = this.scenario.measureOf(this.machine.cells, this.size);
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

  /** A schedule of moves that ends at outcome `target`: at each step, the first move that can still get there. */
  private witness(target: number): number[] {
    const { final } = this.ends[target]!;
    const { machine } = this;
    machine.reset();
    const schedule: number[] = [];
    const saved = new Int32Array(machine.width);
    const savedCells = new Int32Array(machine.cells.length);
    for (let d = 1; d < this.levels.length; d++) {
      machine.save(saved);
      savedCells.set(machine.cells);
      let chosen = -1;
      for (let move = 0; move < machine.moves && chosen < 0; move++) {
        if (machine.take(move) === 'moved') {
          const c = this.levels[d]!.states.find(this.canonical());
          if (c >= 0 && this.reaches(this.levels[d]!, c, target)) chosen = move;
        }
        if (chosen < 0) {
          machine.cells.set(savedCells);
          machine.load(saved);
        }
      }
      if (chosen < 0) break;
      schedule.push(machine.label(chosen));
    }
    if (this.scenario.measureOf(machine.cells, this.size) !== final) {
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

  /**
   * The machine's state as a vector, with its threads sorted by their own words and renamed to match
   * where the scenario can rename them. The machine is left as it was.
   */
  private canonical(): Int32Array {
    const { vector, order, stateCells, machine } = this;
    if (!this.symmetric) {
      machine.save(vector);
      return vector;
    }
    // Insertion sort: a handful of threads, sorted for every move of every state.
    for (let i = 1; i < order.length; i++) {
      const thread = order[i]!;
      let j = i - 1;
      while (j >= 0 && (machine.compareThreads(order[j]!, thread) || order[j]! - thread) > 0) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = thread;
    }
    machine.save(vector, 0, order);
    order.forEach((thread, position) => (this.renamed[thread + 1] = position + 1));
    const cells = vector.subarray(0, stateCells);
    this.scenario.renameThreads!(cells, this.renamed, this.size);
    for (let lock = 0; lock < this.locks; lock++) {
      const at = holderCell(this.scenario.lockCell, lock);
      const holder = cells[at]!;
      if (holder > 0) cells[at] = this.renamed[holder]!;
    }
    for (let i = 0; i < order.length; i++) order[i] = i;
    return vector;
  }

  private checkMemory(extra: number): void {
    if (this.bytes + extra > this.limits.maxBytes) {
      throw new StateLimitError('memory', this.limits.maxBytes, `more than ${formatInt(Math.round(this.limits.maxBytes / 2 ** 20))} MiB of memory`);
    }
  }
}

function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}
