import { describe, expect, it } from 'vitest';
import { modelTrace } from '../../dist/engine/scenario-replay.js';
import { explore } from '../../dist/model/explore.js';
import { exploreScenario } from '../../dist/model/scenario-explore.js';
import type { Mode } from '../../dist/index.js';
import { SCENARIO_NAMES, loadScenario } from '../../dist/scenario/registry.js';
import { newState, PlainCells, type ProgramState, type Scenario, type Size } from '../../dist/scenario/scenario.js';

const list = await loadScenario('list');
const withdraw = await loadScenario('withdraw');
const counter = await loadScenario('counter');

/** Every interleaving walked one by one, no merging: the reference the model must match. */
function bruteForce(scenario: Scenario, mode: Mode, size: Size): Map<number, number> {
  const finals = new Map<number, number>();
  const walk = (values: Int32Array, states: ProgramState[]): void => {
    let moved = false;
    for (let i = 0; i < size.threads; i++) {
      if (scenario.isDone(mode, states[i]!, size)) continue;
      const cells = new PlainCells(values.slice(), scenario.lockCell);
      cells.owner = cells.values[scenario.lockCell + 1]!;
      const copy = states.map((s) => ({ ...s }));
      if (scenario.step(mode, i + 1, copy[i]!, cells, size).action === 'blocked') continue;
      moved = true;
      walk(cells.values, copy);
    }
    if (!moved) {
      const final = scenario.measureOf(values, size);
      finals.set(final, (finals.get(final) ?? 0) + 1);
    }
  };
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  walk(values, Array.from({ length: size.threads }, newState));
  return finals;
}

function factorial(n: number): bigint {
  return n <= 1 ? 1n : BigInt(n) * factorial(n - 1);
}

const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]).map(([final, count]) => ({ final, count: BigInt(count) }));

describe('the scenario registry', () => {
  it('names every scenario and loads each as one module', async () => {
    expect(SCENARIO_NAMES).toEqual(['counter', 'list', 'withdraw']);
    for (const name of SCENARIO_NAMES) expect((await loadScenario(name)).name).toBe(name);
  });
});

describe('explore for any scenario: exact against a brute-force walk', () => {
  const cases: [string, Scenario, Mode, number, number][] = [];
  for (const scenario of [list, withdraw]) {
    for (const mode of scenario.modes) {
      for (const [threads, iters] of [[1, 2], [2, 1], [2, 2], [3, 1]] as const) cases.push([scenario.name, scenario, mode, threads, iters]);
    }
  }
  it.each(cases)('%s %s, %i threads × %i', (_name, scenario, mode, threads, iters) => {
    const size = { threads, iters };
    expect(exploreScenario(scenario, mode, size, 1e6).outcomes).toEqual(sorted(bruteForce(scenario, mode, size)));
  });

  it.each([
    [2, 1],
    [2, 2],
    [3, 1],
    [2, 3],
  ])('unsafe list appends with %i threads × %i interleave in (3NT)! / ((3N)!)^T ways, atomic ones in (2NT)! / ((2N)!)^T', (threads, iters) => {
    const size = { threads, iters };
    expect(exploreScenario(list, 'unsafe', size, 1e6).interleavings).toBe(factorial(3 * iters * threads) / factorial(3 * iters) ** BigInt(threads));
    expect(exploreScenario(list, 'atomic', size, 1e6).interleavings).toBe(factorial(2 * iters * threads) / factorial(2 * iters) ** BigInt(threads));
  });

  it('list 2 × 2: 924 interleavings; the fixes keep all 4 items, unsafe loses some in all but 6', () => {
    const size = { threads: 2, iters: 2 };
    const unsafe = exploreScenario(list, 'unsafe', size, 1e6);
    expect(unsafe.interleavings).toBe(924n);
    expect(unsafe.outcomes.find((o) => o.final === 4)?.count).toBe(6n);
    for (const mode of ['atomic', 'lock'] as const) expect(exploreScenario(list, mode, size, 1e6).outcomes.map((o) => o.final)).toEqual([4]);
  });

  it('withdraw: cas and lock never pay out more than the balance; unsafe sometimes does', () => {
    const size = { threads: 3, iters: 1 };
    const start = 20; // 10 × ceil(3 / 2)
    for (const mode of ['cas', 'lock'] as const) expect(exploreScenario(withdraw, mode, size, 1e6).outcomes.map((o) => o.final)).toEqual([start]);
    const unsafe = exploreScenario(withdraw, 'unsafe', size, 1e6).outcomes;
    expect(unsafe.some((o) => o.final > start)).toBe(true);
    expect(unsafe.every((o) => withdraw.breaks(o.final, size) === o.final > start)).toBe(true);
  });

  it('the counter, through the same machinery, gives what its own fast model gives', () => {
    for (const [mode, threads, iters] of [['unsafe', 2, 2], ['unsafe', 3, 2], ['cas', 2, 2], ['lock', 2, 2]] as const) {
      expect(exploreScenario(counter, mode, { threads, iters }, 1e6).outcomes).toEqual(explore(mode, threads, iters, 1e6).outcomes);
    }
  });

  it('witnesses reach the smallest and largest measures', () => {
    const size = { threads: 2, iters: 2 };
    const result = exploreScenario(list, 'unsafe', size, 1e6);
    for (const witness of [result.min, result.max]) {
      const { cells } = modelTrace(list, 'unsafe', size, witness.schedule);
      expect(list.measureOf(cells, size)).toBe(witness.final);
    }
  });
});

describe('a known bad schedule, step by step on the model', () => {
  it('list: two threads read the same length, and the second write erases the first item', () => {
    const { steps, cells } = modelTrace(list, 'unsafe', { threads: 2, iters: 1 }, [1, 2, 1, 2, 1, 2]);
    expect(steps.map((s) => `${s.thread}:${s.action}:${String(s.value)}`)).toEqual([
      '1:read length:0', '2:read length:0', '1:write item:0', '2:write item:0', '1:write length:1', '2:write length:1',
    ]);
    expect(steps[3]!.note).toBe('overwrites item 1.1: it is lost');
    const outcome = list.outcome('unsafe', cells, { threads: 2, iters: 1 });
    expect(outcome).toMatchObject({ expected: 2, actual: 1, lost: 1, ok: false, details: { length: 1, missingItems: 1, missing: [{ item: '1.1', slot: 0, takenBy: '2.1' }] } });
  });

  it('withdraw: both check before either debits, and the balance goes below zero', () => {
    const size = { threads: 2, iters: 1 };
    const { steps, cells } = modelTrace(withdraw, 'unsafe', size, [1, 2, 1, 2]);
    expect(steps.map((s) => `${s.action}:${String(s.value)}:${s.watch}`)).toEqual(['check:10:10', 'check:10:10', 'debit:0:0', 'debit:-10:-10']);
    expect(steps[3]!.note).toMatch(/^overdraft/);
    expect(withdraw.outcome('unsafe', cells, size)).toMatchObject({ expected: 10, actual: 20, ok: false, details: { overdrawn: 10, balance: -10, declined: 0 } });
  });

  it('withdraw with cas: the second compare-exchange fails, checks again, and is declined', () => {
    const { steps } = modelTrace(withdraw, 'cas', { threads: 2, iters: 1 }, [1, 2, 1, 2, 2]);
    expect(steps.map((s) => s.action)).toEqual(['read', 'read', 'cas', 'retry', 'declined']);
  });

  it('refuses a schedule that leaves a thread unfinished', () => {
    expect(() => modelTrace(list, 'unsafe', { threads: 2, iters: 1 }, [1, 2])).toThrow('--schedule ends after 2 steps with threads 1, 2 unfinished');
  });
});
