import { describe, expect, it } from 'vitest';
import { exploreGeneric } from '../../dist/explore/generic-model.js';
import { counter, list, modelTrace, modeNames, newThreadState, PlainMemory, SCENARIOS, withdraw, type Scenario, type Size, type ThreadState } from '../../dist/index.js';
import { StoreBufferMemory, STORE_BUFFER_CAPACITY, tso } from '../../dist/index.js';
import { countPreemptions } from '../../dist/explore/preemptions.js';
import { reorder } from '../../dist/scenarios/reorder.js';
import { exploreCounter, exploreSpace } from '../../dist/scenarios/counter/model/index.js';
import { ChainSpace } from '../../dist/scenarios/counter/model/chain-space.js';
import { StepSpace } from '../../dist/scenarios/counter/model/step-space.js';

/** Every interleaving walked one by one, no merging at all: the reference the models must match. */
function bruteForce(scenario: Scenario, mode: string, size: Size): { final: number; count: bigint; stuck?: boolean }[] {
  // Keyed by the measure and whether the threads were left stuck (a deadlock) rather than done.
  const finals = new Map<string, number>();
  const walk = (values: Int32Array, states: ThreadState[]): void => {
    let moved = false;
    for (let i = 0; i < size.threads; i++) {
      if (scenario.isDone!(mode, states[i]!, size)) continue;
      const memory = new PlainMemory(values.slice(), scenario.lockCell);
      const copy = states.map((s) => ({ ...s }));
      if (scenario.step!(mode, i + 1, copy[i]!, memory, size).action === 'blocked') continue;
      moved = true;
      walk(memory.values, copy);
    }
    if (!moved) countEnd(finals, scenario, mode, size, values, states);
  };
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  walk(values, Array.from({ length: size.threads }, newThreadState));
  return endsOf(finals);
}

/** One more walk that ended here: by its measure, and whether threads were left stuck (a deadlock) rather than done. */
function countEnd(finals: Map<string, number>, scenario: Scenario, mode: string, size: Size, values: Int32Array, states: ThreadState[]): void {
  const stuck = states.some((state) => !scenario.isDone!(mode, state, size));
  const key = `${scenario.measureOf(values, size)}${stuck ? ' stuck' : ''}`;
  finals.set(key, (finals.get(key) ?? 0) + 1);
}

/** The ends counted, in the models' order: by measure, done before stuck. */
function endsOf(finals: Map<string, number>): { final: number; count: bigint; stuck?: boolean }[] {
  return [...finals]
    .map(([key, count]) => ({ final: Number.parseInt(key, 10), count: BigInt(count), ...(key.endsWith('stuck') ? { stuck: true } : {}) }))
    .sort((a, b) => a.final - b.final || Number(a.stuck ?? false) - Number(b.stuck ?? false));
}

const limits = () => ({ maxStates: 1e7, maxBytes: 2 ** 30, progress: new Int32Array(1) });
const generic = (scenario: Scenario, mode: string, size: Size) => exploreGeneric(scenario, mode, size, limits());
/** The same scenario, telling the model nothing of how to rename threads: no symmetry reduction. */
function asymmetric(scenario: Scenario): Scenario {
  expect('renameThreads' in scenario).toBe(true);
  const rest: Partial<Scenario> = { ...scenario };
  delete rest.renameThreads;
  return rest as Scenario;
}

function factorial(n: number): bigint {
  return n <= 1 ? 1n : BigInt(n) * factorial(n - 1);
}

/** Whether the scenario takes this size at all (reorder is two threads, no more, no fewer). */
const fits = (scenario: Scenario, size: Size) => (scenario.sizeProblem?.(size, 'steps') ?? null) === null;

const small: [string, string, number, number][] = [];
for (const scenario of Object.values(SCENARIOS)) {
  for (const mode of modeNames(scenario)) {
    for (const [threads, iters] of [[1, 2], [2, 1], [2, 2], [3, 1]] as const) if (fits(scenario, { threads, iters })) small.push([scenario.name, mode, threads, iters]);
  }
}

describe('the generic model, exact against a brute-force walk of every interleaving', () => {
  it.each(small)('%s %s, %i threads × %i: with and without symmetry', (name, mode, threads, iters) => {
    const scenario = SCENARIOS[name]!;
    const size = { threads, iters };
    const expected = bruteForce(scenario, mode, size);
    expect(generic(scenario, mode, size).outcomes).toEqual(expected);
    // Threads that take different locks (deadlock) are not interchangeable: such a scenario has no symmetry to drop.
    if (scenario.renameThreads) expect(generic(asymmetric(scenario), mode, size).outcomes).toEqual(expected);
  });

  it.each([
    ['list', 'unsafe', 3, 2],
    ['withdraw', 'unsafe', 3, 2],
    ['withdraw', 'cas', 3, 2],
    ['counter', 'cas', 3, 2],
    ['counter', 'lock', 4, 1],
  ] as const)('%s %s at %i × %i: symmetry merges states and keeps the counts', (name, mode, threads, iters) => {
    const scenario = SCENARIOS[name]!;
    const size = { threads, iters };
    const reduced = generic(scenario, mode, size);
    const full = generic(asymmetric(scenario), mode, size);
    expect(reduced.outcomes).toEqual(full.outcomes);
    expect(reduced.statesVisited).toBeLessThan(full.statesVisited);
  });

  it('counter: 2 × 1 is 6 interleavings (4 end at 1, 2 at 2); 2 × 2 is 70 (32, 32, 6)', () => {
    expect(generic(counter, 'unsafe', { threads: 2, iters: 1 }).outcomes).toEqual([{ final: 1, count: 4n }, { final: 2, count: 2n }]);
    expect(generic(counter, 'unsafe', { threads: 2, iters: 2 }).outcomes).toEqual([{ final: 2, count: 32n }, { final: 3, count: 32n }, { final: 4, count: 6n }]);
  });

  it.each([
    [2, 1],
    [2, 2],
    [3, 1],
    [2, 3],
  ])('list with %i threads × %i: unsafe interleaves in (3NT)! / ((3N)!)^T ways, atomic in (2NT)! / ((2N)!)^T', (threads, iters) => {
    const size = { threads, iters };
    const total = (mode: string) => generic(list, mode, size).outcomes.reduce((sum, o) => sum + o.count, 0n);
    expect(total('unsafe')).toBe(factorial(3 * iters * threads) / factorial(3 * iters) ** BigInt(threads));
    expect(total('atomic')).toBe(factorial(2 * iters * threads) / factorial(2 * iters) ** BigInt(threads));
  });

  it('list 3 × 3: exact in a few hundred thousand states (the shape that needed 1.2 million without symmetry)', () => {
    const result = generic(list, 'unsafe', { threads: 3, iters: 3 });
    expect(result.outcomes.reduce((sum, o) => sum + o.count, 0n)).toBe(factorial(27) / factorial(9) ** 3n);
    expect(result.outcomes.find((o) => o.final === 9)?.count).toBe(1680n);
    expect(result.statesVisited).toBeLessThan(300_000);
  });

  it('counts past 2^53 stay exact: atomic increments, 2 × 60, interleave in C(120, 60) ways', () => {
    const result = generic(counter, 'atomic', { threads: 2, iters: 60 });
    expect(result.outcomes).toEqual([{ final: 120, count: factorial(120) / factorial(60) ** 2n }]);
  });

  it('withdraw: cas and lock never pay out more than the balance; unsafe sometimes does', () => {
    const size = { threads: 3, iters: 1 };
    for (const mode of ['cas', 'lock']) expect(generic(withdraw, mode, size).outcomes.map((o) => o.final)).toEqual([10]);
    const unsafe = generic(withdraw, 'unsafe', size).outcomes;
    expect(unsafe.some((o) => withdraw.breaks(o.final, size))).toBe(true);
  });

  it.each(Object.keys(SCENARIOS))('%s: the witnesses reach the smallest and largest measures on the model', (name) => {
    const scenario = SCENARIOS[name]!;
    const size = fits(scenario, { threads: 3, iters: 2 }) ? { threads: 3, iters: 2 } : { threads: 2, iters: 2 };
    const mode = scenario.modes[0]!.name;
    const result = generic(scenario, mode, size);
    for (const witness of [result.min, result.max]) {
      const { cells } = modelTrace(scenario, mode, size, witness.schedule);
      expect(scenario.measureOf(cells, size)).toBe(witness.final);
    }
  });

  it('stops past its states with a StateLimitError', () => {
    expect(() => exploreGeneric(list, 'unsafe', { threads: 3, iters: 3 }, { ...limits(), maxStates: 1000 })).toThrow(expect.objectContaining({ code: 'ERR_STATE_LIMIT', limit: 'states' }) as Error);
    expect(() => exploreGeneric(list, 'unsafe', { threads: 3, iters: 3 }, { ...limits(), maxBytes: 100_000 })).toThrow(expect.objectContaining({ limit: 'memory' }) as Error);
  });
});

/**
 * Every order of every move under x86-TSO, walked one by one with no merging: each thread's next step,
 * and each flush of a thread's oldest buffered store. The reference the TSO model must match.
 */
function bruteForceTso(scenario: Scenario, mode: string, size: Size): { final: number; count: bigint; stuck?: boolean }[] {
  const finals = new Map<string, number>();
  const slots = size.threads * StoreBufferMemory.slots(STORE_BUFFER_CAPACITY);
  const walk = (values: Int32Array, buffers: Int32Array, states: ThreadState[]): void => {
    let moved = false;
    const fresh = () => {
      const memory = new StoreBufferMemory(values.slice(), scenario.lockCell, size.threads, STORE_BUFFER_CAPACITY);
      memory.loadState(buffers, 0);
      return memory;
    };
    const next = (memory: StoreBufferMemory, copy: ThreadState[]) => {
      const saved = new Int32Array(slots);
      memory.saveState(saved, 0);
      walk(memory.values, saved, copy);
    };
    for (let i = 0; i < size.threads; i++) {
      if (scenario.isDone!(mode, states[i]!, size)) continue;
      const memory = fresh();
      memory.current = i + 1;
      const copy = states.map((state) => ({ ...state }));
      if (scenario.step!(mode, i + 1, copy[i]!, memory, size).action === 'blocked') continue;
      moved = true;
      next(memory, copy);
    }
    for (let i = 0; i < size.threads; i++) {
      const memory = fresh();
      if (!memory.hasBuffered(i + 1)) continue;
      memory.flush(i + 1);
      moved = true;
      next(memory, states.map((state) => ({ ...state })));
    }
    if (!moved) countEnd(finals, scenario, mode, size, values, states);
  };
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  walk(values, new Int32Array(slots), Array.from({ length: size.threads }, newThreadState));
  return endsOf(finals);
}

describe('the TSO model (x86 store buffers), exact against a brute-force walk of every order of steps and flushes', () => {
  it.each([
    ['reorder', 'unsafe', 2, 1],
    ['reorder', 'atomic', 2, 1],
    ['counter', 'unsafe', 2, 1],
    ['counter', 'unsafe', 2, 2],
    ['counter', 'cas', 2, 1],
    ['counter', 'lock', 2, 1],
    ['list', 'unsafe', 2, 1],
    ['withdraw', 'unsafe', 2, 1],
    ['deadlock', 'unsafe', 2, 1],
  ] as const)('%s %s, %i threads × %i', (name, mode, threads, iters) => {
    const scenario = SCENARIOS[name]!;
    const size = { threads, iters };
    expect(exploreGeneric(scenario, mode, size, limits(), tso).outcomes).toEqual(bruteForceTso(scenario, mode, size));
  });

  it('with one thread, store buffers change nothing a thread can see of its own writes', () => {
    for (const mode of modeNames(counter)) {
      const size = { threads: 1, iters: 3 };
      const buffered = exploreGeneric(counter, mode, size, limits(), tso).outcomes;
      expect(buffered.map((o) => o.final)).toEqual([3]);
    }
  });

  it('the witness of each end reaches it, flushes (−t) and all', () => {
    const size = { threads: 2, iters: 1 };
    const result = exploreGeneric(reorder, 'unsafe', size, limits(), tso);
    expect(result.max.final).toBe(1);
    const memory = new StoreBufferMemory(new Int32Array(reorder.cellCount(size)), reorder.lockCell, 2, STORE_BUFFER_CAPACITY);
    const states = [newThreadState(), newThreadState()];
    for (const move of result.max.schedule) {
      if (move < 0) memory.flush(-move);
      else {
        memory.current = move;
        reorder.step!('unsafe', move, states[move - 1]!, memory, size);
      }
    }
    expect(reorder.measureOf(memory.values, size)).toBe(1);
  });
});

/** Every interleaving walked one by one, with its preemptions counted as it goes: the reference for the counts by preemptions. */
function bruteForcePreemptions(scenario: Scenario, mode: string, size: Size): Map<string, bigint[]> {
  const ends = new Map<string, bigint[]>();
  const movable = (values: Int32Array, states: ThreadState[]) =>
    states.flatMap((state, i) => {
      if (scenario.isDone!(mode, state, size)) return [];
      const copy = { ...state };
      return scenario.step!(mode, i + 1, copy, new PlainMemory(values.slice(), scenario.lockCell), size).action === 'blocked' ? [] : [i + 1];
    });
  const walk = (values: Int32Array, states: ThreadState[], last: number, preemptions: number): void => {
    const moves = movable(values, states);
    if (moves.length === 0) {
      const stuck = states.some((state) => !scenario.isDone!(mode, state, size));
      const key = `${scenario.measureOf(values, size)}${stuck ? ' stuck' : ''}`;
      const counts = ends.get(key) ?? [];
      while (counts.length <= preemptions) counts.push(0n);
      counts[preemptions]!++;
      ends.set(key, counts);
      return;
    }
    for (const thread of moves) {
      const memory = new PlainMemory(values.slice(), scenario.lockCell);
      const copy = states.map((state) => ({ ...state }));
      scenario.step!(mode, thread, copy[thread - 1]!, memory, size);
      walk(memory.values, copy, thread, preemptions + (moves.includes(last) && thread !== last ? 1 : 0));
    }
  };
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  walk(values, Array.from({ length: size.threads }, newThreadState), 0, 0);
  return ends;
}

describe('interleavings by preemptions, exact against a brute-force walk', () => {
  it.each([
    ['counter', 'unsafe', 2, 3],
    ['counter', 'lock', 2, 2],
    ['counter', 'cas', 3, 1],
    ['list', 'unsafe', 2, 2],
    ['withdraw', 'unsafe', 3, 1],
    ['deadlock', 'unsafe', 2, 2],
    ['deadlock', 'unsafe', 3, 1],
    ['reorder', 'unsafe', 2, 1],
  ] as const)('%s %s, %i threads × %i: the counts, and a schedule with the fewest for each end', (name, mode, threads, iters) => {
    const scenario = SCENARIOS[name]!;
    const size = { threads, iters };
    const expected = bruteForcePreemptions(scenario, mode, size);
    const counted = countPreemptions(scenario, mode, size, 1e6)!;
    for (const end of counted.ends) {
      const want = expected.get(`${end.final}${end.stuck ? ' stuck' : ''}`)!;
      expect(end.counts.map(String)).toEqual(want.map(String));
      expect(end.fewest).toBe(want.findIndex((count) => count > 0n));
      // The schedule replays to this end on the model, with exactly that many preemptions.
      const trace = modelTrace(scenario, mode, size, end.schedule);
      expect(scenario.measureOf(trace.cells, size)).toBe(end.final);
    }
    expect(counted.ends.length).toBe(expected.size);
  });

  it('one preemption is enough to lose an update at 2 × 3: its schedule has one', () => {
    const counted = countPreemptions(counter, 'unsafe', { threads: 2, iters: 3 }, 1e6)!;
    const lossy = counted.ends.filter((end) => end.final < 6);
    expect(Math.min(...lossy.map((end) => end.fewest))).toBe(1);
  });

  it('gives up past its pairs', () => {
    expect(countPreemptions(counter, 'unsafe', { threads: 3, iters: 3 }, 1000)).toBeNull();
  });
});

describe("the counter's own model (a hook), against the generic model", () => {
  it.each([
    ['unsafe', 2, 2],
    ['unsafe', 3, 2],
    ['unsafe', 2, 5],
    ['atomic', 3, 2],
    ['lock', 2, 2],
    ['lock', 3, 1],
    ['spin', 2, 2],
    ['cas', 2, 2],
    ['cas', 3, 2],
  ] as const)('%s, %i threads × %i: the same counts, and witnesses that reach their ends', (mode, threads, iters) => {
    const size = { threads, iters };
    const own = exploreCounter(mode, size, 1e7);
    expect(own.outcomes).toEqual(generic(counter, mode, size).outcomes);
    for (const witness of [own.min, own.max]) expect(modelTrace(counter, mode, size, witness.schedule).cells[0]).toBe(witness.final);
  });

  it.each([
    [3, 6],
    [4, 4],
    [4, 5],
  ] as const)('unsafe %i × %i: the chain model counts what the step model counts, from far fewer states', (threads, iters) => {
    const size = { threads, iters };
    const chains = exploreSpace(new ChainSpace(size), 1e7);
    const steps = exploreSpace(new StepSpace('unsafe', size), 1e7);
    expect(chains.outcomes).toEqual(steps.outcomes);
    expect(chains.statesVisited * 10).toBeLessThan(steps.statesVisited);
    for (const witness of [chains.min, chains.max]) expect(modelTrace(counter, 'unsafe', size, witness.schedule).cells[0]).toBe(witness.final);
  });

  it('unsafe 4 × 6 by chains: every interleaving, and exactly those that keep each read next to its write end at 24', () => {
    const result = exploreCounter('unsafe', { threads: 4, iters: 6 }, 1e7);
    expect(result.outcomes.reduce((sum, o) => sum + o.count, 0n)).toBe(factorial(48) / factorial(12) ** 4n);
    expect(result.outcomes.at(-1)).toEqual({ final: 24, count: factorial(24) / factorial(6) ** 4n });
    expect(result.min.final).toBe(2);
    expect(modelTrace(counter, 'unsafe', { threads: 4, iters: 6 }, result.min.schedule).cells[0]).toBe(2);
  });

  it('sums on two threads for large sizes, with the same counts and witnesses as on one', () => {
    // The step model: unsafe's chain model never has enough states to call the helper.
    const size = { threads: 4, iters: 5 };
    const serial = exploreSpace(new StepSpace('unsafe', size), 1e7, new Int32Array(1), false);
    const parallel = exploreSpace(new StepSpace('unsafe', size), 1e7, new Int32Array(1), true);
    expect(serial.threadsUsed).toBe(1);
    expect(parallel.threadsUsed).toBe(2);
    expect(parallel.outcomes.reduce((sum, o) => sum + o.count, 0n)).toBe(factorial(40) / factorial(10) ** 4n);
    expect({ ...parallel, threadsUsed: 1 }).toEqual(serial);
  });

  it.each(['unsafe', 'cas'] as const)('%s: one thread takes as many states as steps, with a table one increment long: 1 × 20,000 is one interleaving', (mode) => {
    const result = exploreCounter(mode, { threads: 1, iters: 20_000 }, 1e6);
    expect(result.outcomes).toEqual([{ final: 20_000, count: 1n }]);
    expect(result.statesVisited).toBe(40_001);
  });

  it('declines what it cannot name, which the generic model then counts', async () => {
    const model = await counter.hooks!.model!();
    expect(model.handles('cas', { threads: 1, iters: 20_000 })).toBe(true);
    expect(model.handles('cas', { threads: 1, iters: 50_000 })).toBe(false);
    expect(model.handles('unsafe', { threads: 9, iters: 1 })).toBe(false);
    expect(model.handles('unsafe', { threads: 2, iters: 600_000 })).toBe(false);
    expect(generic(counter, 'cas', { threads: 1, iters: 50_000 }).outcomes).toEqual([{ final: 50_000, count: 1n }]);
  });
});
