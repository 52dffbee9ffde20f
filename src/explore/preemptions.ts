import { Machine } from '../core/machine/machine.js';
import { countWithRoom } from '../core/machine/program.js';
import { sc } from '../core/memory/sc.js';
import type { Scenario, Size } from '../core/scenario.js';
import { limbsFor, normalise, toBigInt } from '../core/limbs.js';
import { InconsistentModelError } from '../errors.js';
import { StateSet } from './state-set.js';

/**
 * Interleavings counted by their preemptions, and for each end a schedule with the fewest: the simplest
 * story (CHESS, Musuvathi and Qadeer, found that almost every concurrency bug needs at most two). A
 * preemption is a switch away from a thread that could have gone on: the next step is another thread's
 * while the one that just moved is neither done nor blocked.
 *
 * Exact, on the scenario's own steps: a forward pass, level by level, over pairs of a state and the
 * thread that moved last (the same state reached by different last movers has different futures), with
 * each pair's interleavings so far counted per number of preemptions. Pairs grow as states × threads, so
 * it stops past `maxPairs` and says so (null).
 */

export interface PreemptionEnd {
  readonly final: number;
  /** Threads were left that can never move (a deadlock), rather than all done. */
  readonly stuck: boolean;
  /** counts[p]: the interleavings that end here with exactly p preemptions. */
  readonly counts: readonly bigint[];
  /** The fewest preemptions of any interleaving that ends here, and one such schedule (1-based threads). */
  readonly fewest: number;
  readonly schedule: readonly number[];
}

export interface Preemptions {
  readonly ends: readonly PreemptionEnd[];
  /** (state, last thread) pairs visited. */
  readonly pairs: number;
}

/** A level's pairs: each a vector (the machine's state, and the last mover). */
interface Level {
  readonly pairs: StateSet;
  /** Per pair: the fewest and the most preemptions of the interleavings that reach it. */
  readonly fewest: number[];
  readonly most: number[];
  /** Per pair: the pair of the level above its fewest came from. */
  readonly parent: number[];
  /** Per pair: how many interleavings reach it, in floating point: enough to size its limbs. */
  readonly approx: number[];
}

/** What the interleavings that end at one measure (stuck or done) add up to, and where the fewest preemptions reach it. */
interface EndTally {
  readonly final: number;
  readonly stuck: boolean;
  readonly counts: bigint[];
  fewest: number;
  level: number;
  pair: number;
}

/** A level's exact counts: per pair, one number per preemptions from its fewest to its most, `limbs[pair]` limbs each, from `offset[pair]`. */
interface Counts {
  readonly offset: Int32Array;
  readonly limbs: Int32Array;
  readonly pool: Float64Array;
}

/** Limbs of 2^44: a count is carried every 256 additions into it, so that no limb passes 2^53 and stays exact. */
const LIMB = 2 ** 44;
const CARRY_EVERY = 256;

export function countPreemptions(scenario: Scenario, mode: string, size: Size, maxPairs: number): Preemptions | null {
  return countWithRoom(() => new PreemptionCounter(scenario, mode, size).count(maxPairs));
}

class PreemptionCounter {
  private readonly machine: Machine;
  private readonly width: number;
  private readonly vector: Int32Array;
  /** Per thread, the vector its step leads to from the pair at hand (with that thread as the last mover). */
  private readonly moved: Int32Array;

  constructor(
    private readonly scenario: Scenario,
    mode: string,
    private readonly size: Size,
  ) {
    this.machine = Machine.of(scenario, mode, size, sc, { compact: true });
    this.width = this.machine.width + 1;
    this.vector = new Int32Array(this.width);
    this.moved = new Int32Array(this.width * size.threads);
  }

  count(maxPairs: number): Preemptions | null {
    const { size, machine, width, moved } = this;
    machine.reset();
    const root: Level = { pairs: new StateSet(width, 1), fewest: [0], most: [0], parent: [-1], approx: [1] };
    root.pairs.add(this.pack(0));
    const levels: Level[] = [root];
    let counts: Counts = { offset: new Int32Array(1), limbs: new Int32Array(1).fill(1), pool: new Float64Array(1).fill(1) };
    const ends = new Map<string, EndTally>();
    const movable: boolean[] = new Array<boolean>(size.threads);
    let pairs = 1;
    for (let d = 0; levels[d]!.pairs.size > 0; d++) {
      const level = levels[d]!;
      const next: Level = { pairs: new StateSet(width, level.pairs.size), fewest: [], most: [], parent: [], approx: [] };
      // This level's moves: the pair each leads to and whether it preempts; pair s's are from[s] … from[s + 1] − 1.
      const from = new Int32Array(level.pairs.size + 1);
      const child: number[] = [];
      const preempts: number[] = [];
      for (let s = 0; s < level.pairs.size; s++) {
        from[s] = child.length;
        const at = s * width;
        const last = level.pairs.vectors[at + width - 1]!;
        let any = false;
        for (let i = 0; i < size.threads; i++) {
          this.unpack(level.pairs.vectors, at);
          movable[i] = machine.take(i) === 'moved';
          if (movable[i]) this.pack(i + 1, moved, i * width);
          any ||= movable[i]!;
        }
        if (!any) {
          this.end(ends, level.pairs.vectors, at, level, counts, d, s);
          continue;
        }
        // The last mover could have gone on: a step by any other thread preempts it.
        const lastCouldGoOn = last > 0 && movable[last - 1] === true;
        for (let i = 0; i < size.threads; i++) {
          if (!movable[i]) continue;
          const c = next.pairs.add(moved, i * width);
          if (c === next.fewest.length) {
            if (++pairs > maxPairs) return null;
            next.fewest.push(Infinity);
            next.most.push(-Infinity);
            next.parent.push(-1);
            next.approx.push(0);
          }
          const p = lastCouldGoOn && i + 1 !== last ? 1 : 0;
          if (level.fewest[s]! + p < next.fewest[c]!) {
            next.fewest[c] = level.fewest[s]! + p;
            next.parent[c] = s;
          }
          next.most[c] = Math.max(next.most[c]!, level.most[s]! + p);
          next.approx[c]! += level.approx[s]!;
          child.push(c);
          preempts.push(p);
        }
      }
      from[level.pairs.size] = child.length;
      const nextCounts = plan(next);
      sumInto(nextCounts, next, counts, level, from, child, preempts);
      levels.push(next);
      counts = nextCounts;
    }
    const sorted = [...ends.values()].sort((a, b) => a.final - b.final || Number(a.stuck) - Number(b.stuck));
    return {
      ends: sorted.map((end) => ({ final: end.final, stuck: end.stuck, counts: end.counts, fewest: end.fewest, schedule: this.scheduleTo(levels, end.level, end.pair) })),
      pairs,
    };
  }

  /** A pair where no thread can move: its counts go to its end (its measure, and whether threads are stuck). */
  private end(ends: Map<string, EndTally>, vectors: Int32Array, at: number, level: Level, counts: Counts, d: number, s: number): void {
    const { scenario, size, machine } = this;
    this.unpack(vectors, at);
    let stuck = false;
    for (let thread = 1; thread <= size.threads; thread++) stuck ||= !machine.isDone(thread);
    const final = scenario.measureOf(machine.cells, size);
    const key = `${final}${stuck ? '!' : ''}`;
    const end: EndTally = ends.get(key) ?? { final, stuck, counts: [], fewest: Infinity, level: d, pair: s };
    const limbs = counts.limbs[s]!;
    for (let p = level.fewest[s]!; p <= level.most[s]!; p++) {
      while (end.counts.length <= p) end.counts.push(0n);
      end.counts[p]! += toBigInt(counts.pool, counts.offset[s]! + (p - level.fewest[s]!) * limbs, limbs, LIMB);
    }
    if (level.fewest[s]! < end.fewest) Object.assign(end, { fewest: level.fewest[s]!, level: d, pair: s });
    ends.set(key, end);
  }

  /** The moves from the start to pair `s` of level `d` along the fewest preemptions: each pair's last mover. */
  private scheduleTo(levels: readonly Level[], d: number, s: number): number[] {
    const schedule: number[] = [];
    for (let level = d, pair = s; level > 0; pair = levels[level]!.parent[pair]!, level--) {
      schedule.push(levels[level]!.pairs.vector(pair)[this.width - 1]!);
    }
    return schedule.reverse();
  }

  /** The machine's state, with `last`, into `into` from `at` (default: the scratch vector). */
  private pack(last: number, into = this.vector, at = 0): Int32Array {
    this.machine.save(into, at);
    into[at + this.width - 1] = last;
    return into;
  }

  /** The pair's state at `vectors[at …]` into the machine. */
  private unpack(vectors: Int32Array, at = 0): void {
    this.machine.load(vectors, at);
  }
}

/** Places each pair's counts: the limbs its number of interleavings needs, so that sums never need redoing wider. */
function plan(level: Level): Counts {
  const size = level.fewest.length;
  const offset = new Int32Array(size);
  const limbs = new Int32Array(size);
  let used = 0;
  for (let s = 0; s < size; s++) {
    offset[s] = used;
    limbs[s] = limbsFor(level.approx[s]!, LIMB);
    used += (level.most[s]! - level.fewest[s]! + 1) * limbs[s]!;
  }
  return { offset, limbs, pool: new Float64Array(used) };
}

/** Adds each pair's counts into the pairs its moves lead to, moved by their preemption; then carries. */
function sumInto(into: Counts, next: Level, counts: Counts, level: Level, from: Int32Array, child: readonly number[], preempts: readonly number[]): void {
  const additions = new Int32Array(next.fewest.length);
  for (let s = 0; s + 1 < from.length; s++) {
    const limbs = counts.limbs[s]!;
    const length = level.most[s]! - level.fewest[s]! + 1;
    const source = counts.offset[s]!;
    for (let e = from[s]!; e < from[s + 1]!; e++) {
      const c = child[e]!;
      const childLimbs = into.limbs[c]!;
      const at = into.offset[c]! + (level.fewest[s]! + preempts[e]! - next.fewest[c]!) * childLimbs;
      for (let q = 0; q < length; q++) {
        for (let l = 0; l < limbs; l++) into.pool[at + q * childLimbs + l]! += counts.pool[source + q * limbs + l]!;
      }
      if (++additions[c]! % CARRY_EVERY === 0) carry(into, next, c);
    }
  }
  for (let c = 0; c < next.fewest.length; c++) carry(into, next, c);
}

function carry(counts: Counts, level: Level, pair: number): void {
  if (!normalise(counts.pool, counts.offset[pair]!, level.most[pair]! - level.fewest[pair]! + 1, counts.limbs[pair]!, LIMB)) {
    throw new InconsistentModelError('a count by preemptions outgrew its limbs');
  }
}
