import { PlainMemory } from '../core/plain-memory.js';
import { BLOCKED, newThreadState, type Scenario, type Size, type ThreadState } from '../core/scenario.js';
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

/** One level's pairs: each a vector (state cells, threads' pc, register, done, and the last mover), its counts, and the way to its fewest. */
interface Level {
  readonly pairs: StateSet;
  readonly counts: bigint[][];
  readonly fewest: number[];
  /** Per pair: the pair of the level above its fewest came from. */
  readonly parent: number[];
}

export function countPreemptions(scenario: Scenario, mode: string, size: Size, maxPairs: number): Preemptions | null {
  return new PreemptionCounter(scenario, mode, size).count(maxPairs);
}

class PreemptionCounter {
  private readonly stateCells: number;
  private readonly width: number;
  private readonly memory: PlainMemory;
  private readonly threads: ThreadState[];
  private readonly vector: Int32Array;

  constructor(
    private readonly scenario: Scenario,
    private readonly mode: string,
    private readonly size: Size,
  ) {
    this.stateCells = scenario.stateCells(size);
    this.width = this.stateCells + 3 * size.threads + 1;
    this.memory = new PlainMemory(new Int32Array(scenario.cellCount(size)), scenario.lockCell);
    this.threads = Array.from({ length: size.threads }, newThreadState);
    this.vector = new Int32Array(this.width);
  }

  count(maxPairs: number): Preemptions | null {
    const { scenario, mode, size, memory, threads } = this;
    scenario.init(memory.values, size);
    const levels: Level[] = [{ pairs: new StateSet(this.width, 1), counts: [[1n]], fewest: [0], parent: [-1] }];
    levels[0]!.pairs.add(this.pack(0));
    const ends = new Map<string, { final: number; stuck: boolean; counts: bigint[]; fewest: number; level: number; pair: number }>();
    const movable: boolean[] = new Array<boolean>(size.threads);
    let pairs = 1;
    for (let d = 0; levels[d]!.pairs.size > 0; d++) {
      const level = levels[d]!;
      const next: Level = { pairs: new StateSet(this.width, level.pairs.size), counts: [], fewest: [], parent: [] };
      for (let s = 0; s < level.pairs.size; s++) {
        const from = level.pairs.vector(s);
        const last = from[this.width - 1]!;
        let any = false;
        for (let i = 0; i < size.threads; i++) {
          this.unpack(from);
          movable[i] = !scenario.isDone(mode, threads[i]!, size) && scenario.step(mode, i + 1, threads[i]!, memory, size).action !== BLOCKED;
          any ||= movable[i]!;
        }
        if (!any) {
          this.unpack(from);
          const stuck = threads.some((state) => !scenario.isDone(mode, state, size));
          const final = scenario.measureOf(memory.values, size);
          const key = `${final}${stuck ? '!' : ''}`;
          const end = ends.get(key) ?? { final, stuck, counts: [], fewest: Infinity, level: d, pair: s };
          addInto(end.counts, level.counts[s]!, 0);
          if (level.fewest[s]! < end.fewest) Object.assign(end, { fewest: level.fewest[s]!, level: d, pair: s });
          ends.set(key, end);
          continue;
        }
        // The last mover could have gone on: a step by any other thread preempts it.
        const lastCouldGoOn = last > 0 && movable[last - 1] === true;
        for (let i = 0; i < size.threads; i++) {
          if (!movable[i]) continue;
          this.unpack(from);
          scenario.step(mode, i + 1, threads[i]!, memory, size);
          const child = next.pairs.add(this.pack(i + 1));
          if (child === next.counts.length) {
            if (++pairs > maxPairs) return null;
            next.counts.push([]);
            next.fewest.push(Infinity);
            next.parent.push(-1);
          }
          const preempts = lastCouldGoOn && i + 1 !== last ? 1 : 0;
          addInto(next.counts[child]!, level.counts[s]!, preempts);
          if (level.fewest[s]! + preempts < next.fewest[child]!) {
            next.fewest[child] = level.fewest[s]! + preempts;
            next.parent[child] = s;
          }
        }
      }
      levels.push(next);
    }
    const sorted = [...ends.values()].sort((a, b) => a.final - b.final || Number(a.stuck) - Number(b.stuck));
    return {
      ends: sorted.map((end) => ({ final: end.final, stuck: end.stuck, counts: end.counts, fewest: end.fewest, schedule: this.scheduleTo(levels, end.level, end.pair) })),
      pairs,
    };
  }

  /** The moves from the start to pair `s` of level `d` along the fewest preemptions: each pair's last mover. */
  private scheduleTo(levels: readonly Level[], d: number, s: number): number[] {
    const schedule: number[] = [];
    for (let level = d, pair = s; level > 0; pair = levels[level]!.parent[pair]!, level--) {
      schedule.push(levels[level]!.pairs.vector(pair)[this.width - 1]!);
    }
    return schedule.reverse();
  }

  /** The scratch state, with `last`, as a vector. */
  private pack(last: number): Int32Array {
    const { vector, stateCells } = this;
    vector.set(this.memory.values.subarray(0, stateCells));
    this.threads.forEach((state, i) => {
      vector[stateCells + 3 * i] = state.pc;
      vector[stateCells + 3 * i + 1] = state.register;
      vector[stateCells + 3 * i + 2] = state.done;
    });
    vector[this.width - 1] = last;
    return vector;
  }

  /** A pair's state into the scratch memory and threads (the cells past the state cells are not part of it, as in the model). */
  private unpack(vector: Int32Array): void {
    const { stateCells } = this;
    this.memory.values.set(vector.subarray(0, stateCells));
    this.threads.forEach((state, i) => {
      state.pc = vector[stateCells + 3 * i]!;
      state.register = vector[stateCells + 3 * i + 1]!;
      state.done = vector[stateCells + 3 * i + 2]!;
    });
  }
}

/** into[p + shift] += from[p]. */
function addInto(into: bigint[], from: readonly bigint[], shift: number): void {
  for (let p = 0; p < from.length; p++) {
    while (into.length <= p + shift) into.push(0n);
    into[p + shift]! += from[p]!;
  }
}
