import { describe, expect, it } from 'vitest';
import { exploreGeneric } from '../../dist/explore/generic-model.js';
import { defaultSchedule, list, loadScenario, modelTrace, modeNames, newThreadState, PlainMemory, sc, SCENARIO_NAMES, SCENARIOS, tso, withdraw } from '../../dist/index.js';

/** The names every engine puts in its results; a scenario's own fields must not shadow them. */
const COMMON = ['mode', 'expected', 'actual', 'lost', 'lostRatio', 'ok', 'elapsedMs', 'opsPerSec', 'widened', 'evidence', 'threadStats', 'fairness', 'summary',
  'schemaVersion', 'command', 'scenario', 'threads', 'iters', 'schedule', 'watching', 'steps'];

const limits = { maxStates: 1e6, maxBytes: 2 ** 28, progress: new Int32Array(1) };

describe('the scenario registry', () => {
  it('names every built-in scenario and loads each by its name', async () => {
    expect(SCENARIO_NAMES).toEqual(['counter', 'list', 'withdraw', 'deadlock', 'reorder']);
    for (const name of SCENARIO_NAMES) expect((await loadScenario(name)).name).toBe(name);
  });

  it('refuses a name it does not know, naming the field', async () => {
    await expect(loadScenario('queue')).rejects.toMatchObject({ code: 'ERR_USAGE', template: "{scenario} 'queue' is not a scenario: expected counter, list, withdraw, deadlock, reorder, or the path of a module that exports one (./my-scenario.js)" });
  });
});

describe.each(SCENARIO_NAMES)('the %s scenario keeps the contract', (name) => {
  const scenario = SCENARIOS[name]!;
  const size = { threads: 2, iters: 2 };

  it('has its race first, at least one fix, and modes of distinct names', () => {
    expect(scenario.modes[0]!.racy).toBe(true);
    expect(scenario.modes.some((mode) => !mode.racy)).toBe(true);
    expect(new Set(modeNames(scenario)).size).toBe(scenario.modes.length);
  });

  it.each(SCENARIOS[name]!.modes.map((mode) => mode.name))('%s: every step it widens after is a step it takes', (mode) => {
    const actions = new Set(modelTrace(scenario, mode, size, defaultSchedule(scenario, mode, size)).steps.map((s) => s.action));
    for (const gap of scenario.modes.find((m) => m.name === mode)!.gapAfter) expect(actions).toContain(gap);
  });

  it('reports its own fields beside the common ones, never in their place', () => {
    for (const mode of modeNames(scenario)) {
      const { cells } = modelTrace(scenario, mode, size, defaultSchedule(scenario, mode, size));
      const outcome = scenario.outcome(mode, cells, size);
      for (const field of Object.keys(outcome.details)) expect(COMMON).not.toContain(field);
      expect(outcome.lines.length).toBeGreaterThan(0);
    }
  });

  it('on the model: every fix keeps the invariant in every interleaving, and the race breaks it in some', () => {
    // A race of memory order (reorder) breaks it only with store buffers: it is counted so.
    const model = scenario.storeBuffers ? tso : sc;
    for (const mode of scenario.modes) {
      const outcomes = exploreGeneric(scenario, mode.name, size, limits, model).outcomes;
      const broken = outcomes.filter((o) => scenario.breaks(o.final, size));
      if (mode.racy) expect(broken.length).toBeGreaterThan(0);
      else expect(broken).toEqual([]);
    }
  });

  it('describes no sighting for kind 0, the cell of a thread that saw none', () => {
    expect(scenario.describeSighting?.(1, 0, 0, 0, size) ?? null).toBeNull();
  });
});

describe('a known bad schedule, step by step on the model', () => {
  it('list: two threads read the same length, and the second write erases the first item', () => {
    const { steps, cells } = modelTrace(list, 'unsafe', { threads: 2, iters: 1 }, [1, 2, 1, 2, 1, 2]);
    expect(steps.map((s) => `${s.thread}:${s.action}:${String(s.value)}`)).toEqual([
      '1:read length:0', '2:read length:0', '1:write item:0', '2:write item:0', '1:write length:1', '2:write length:1',
    ]);
    expect(steps[3]!.note).toEqual({ text: 'overwrites item t1#1: it is lost', bad: true });
    expect(list.outcome('unsafe', cells, { threads: 2, iters: 1 })).toMatchObject({
      expected: 2, actual: 1, lost: 1, ok: false, details: { length: 1, missingItems: 1, missing: [{ item: 't1#1', slot: 0, takenBy: 't2#1' }] },
    });
  });

  it('withdraw: both check before either debits, and the balance goes below zero', () => {
    const size = { threads: 2, iters: 1 };
    const { steps, cells } = modelTrace(withdraw, 'unsafe', size, [1, 2, 1, 2]);
    expect(steps.map((s) => `${s.action}:${String(s.value)}:${s.watch}`)).toEqual(['check:10:10', 'check:10:10', 'debit:0:0', 'debit:-10:-10']);
    expect(steps[3]!.note).toEqual({ text: 'overdraft: 10 paid out that was not there', bad: true });
    expect(withdraw.outcome('unsafe', cells, size)).toMatchObject({ expected: 10, actual: 20, ok: false, details: { overdrawn: 10, balance: -10, declined: 0 } });
  });

  it('withdraw with cas: the second compare-exchange fails, checks again, and is declined', () => {
    const { steps } = modelTrace(withdraw, 'cas', { threads: 2, iters: 1 }, [1, 2, 1, 2, 2]);
    expect(steps.map((s) => s.action)).toEqual(['read', 'read', 'cas', 'retry', 'declined']);
  });
});

describe("withdraw's starting balance", () => {
  it.each([
    [1, 1, 10],
    [2, 1, 10],
    [3, 1, 10],
    [2, 2, 30],
    [3, 2, 30],
    [2, 40, 410],
    [4, 100_000, 2_000_010],
  ])('%i threads × %i: %i, about half, an odd number of withdrawals, and fewer than all where there are two or more', (threads, iters, balance) => {
    const size = { threads, iters };
    const values = new Int32Array(withdraw.cellCount(size));
    withdraw.init(values, size);
    expect(values[0]).toBe(balance);
    expect((balance / 10) % 2).toBe(1);
    if (threads * iters > 1) expect(balance / 10).toBeLessThan(threads * iters);
  });
});

describe('sightings on the model: a step that sees the race records it', () => {
  /** Records what a step reports, as a racing thread's log does. */
  const log = () => {
    const seen: [number, number, number, number][] = [];
    return { seen, record: (kind: number, cost: number, a: number, b: number) => void seen.push([kind, cost, a, b]) };
  };
  const memoryOf = (scenario: typeof list, size: { threads: number; iters: number }) => {
    const values = new Int32Array(scenario.cellCount(size));
    scenario.init(values, size);
    return new PlainMemory(values, scenario.lockCell);
  };

  it('list: a write into a slot that already holds an item, and a length put back', () => {
    const size = { threads: 2, iters: 1 };
    const memory = memoryOf(list, size);
    const [one, two] = [newThreadState(), newThreadState()];
    const sightings = log();
    list.step!('unsafe', 1, one, memory, size, sightings);
    list.step!('unsafe', 2, two, memory, size, sightings);
    list.step!('unsafe', 1, one, memory, size, sightings);
    list.step!('unsafe', 2, two, memory, size, sightings);
    expect(sightings.seen).toEqual([[1, 1, 0, 1]]);
    expect(list.describeSighting!(2, 1, 0, 1, size)).toMatchObject({ kind: 'overwrite', cost: 1, values: { slot: 0, erasedItem: 1 } });
  });

  it('withdraw: a debit the balance no longer covers, and one whose check was out of date', () => {
    const size = { threads: 3, iters: 1 };
    const memory = memoryOf(withdraw, size);
    const states = [newThreadState(), newThreadState(), newThreadState()];
    const sightings = log();
    for (const thread of [1, 2, 1, 2]) withdraw.step!('unsafe', thread, states[thread - 1]!, memory, size, sightings);
    expect(sightings.seen).toEqual([[1, 10, 10, 0]]);
    expect(withdraw.describeSighting!(2, 1, 10, 0, size)).toMatchObject({ kind: 'uncovered', cost: 10 });
    expect(withdraw.describeSighting!(2, 2, 30, 20, size)).toMatchObject({ kind: 'stale-check', cost: 0 });
  });
});
