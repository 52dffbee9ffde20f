import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelTrace, newThreadState, PlainMemory, replay, SCENARIOS, SCENARIO_NAMES, UsageError, WorkerFailedError, type Scenario, type Size } from '../../dist/index.js';

/**
 * A random valid schedule: at each step, one of the unfinished threads (blocked or not), run on the model
 * as it goes; it ends when every thread is done or none can move (a deadlock).
 */
function randomSchedule(scenario: Scenario, mode: string, size: Size, picks: Iterator<number>): number[] {
  const states = Array.from({ length: size.threads }, newThreadState);
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  const memory = new PlainMemory(values, scenario.lockCell);
  const schedule: number[] = [];
  const canMove = (thread: number) => {
    const state = { ...states[thread - 1]! };
    return scenario.step!(mode, thread, state, new PlainMemory(memory.values.slice(), scenario.lockCell), size).action !== 'blocked';
  };
  for (;;) {
    const unfinished = states.flatMap((state, i) => (scenario.isDone!(mode, state, size) ? [] : [i + 1]));
    if (unfinished.length === 0 || !unfinished.some(canMove)) return schedule;
    const thread = unfinished[picks.next().value % unfinished.length]!;
    scenario.step!(mode, thread, states[thread - 1]!, memory, size);
    schedule.push(thread);
  }
}

describe('replay on real worker threads', () => {
  it('reproduces the classic lost update by default', async () => {
    const report = await replay();
    expect(report).toMatchObject({ schemaVersion: 2, command: 'replay', scenario: 'counter', mode: 'unsafe', threads: 2, iters: 1, schedule: [1, 2, 1, 2], watching: 'counter', expected: 2, actual: 1, lost: 1, ok: false });
    expect(report.steps.map((s) => [s.thread, s.action, s.value, s.watch])).toEqual([
      [1, 'read', 0, 0],
      [2, 'read', 0, 0],
      [1, 'write', 1, 1],
      [2, 'write', 1, 1],
    ]);
    expect(report.lateWrites).toEqual([{ step: 4, thread: 2, wrote: 1, read: { step: 2, value: 0 }, counterBefore: 1, lost: 1, erased: [{ step: 3, thread: 1 }] }]);
  });

  it('gives the same trace on every run', async () => {
    const runs = await Promise.all(Array.from({ length: 5 }, () => replay({ threads: 3, iters: 2, mode: 'lock' })));
    for (const run of runs) expect(run).toEqual(runs[0]);
  });

  it('with the lock, a thread that asks for it while held is blocked, and nothing is lost', async () => {
    const report = await replay({ mode: 'lock', schedule: [1, 2, 1, 2, 1, 2, 1, 2, 2, 2, 2] });
    expect(report.steps.filter((s) => s.action === 'blocked').map((s) => [s.step, s.thread, s.value])).toEqual([
      [2, 2, 1],
      [4, 2, 1],
      [6, 2, 1],
    ]);
    expect(report).toMatchObject({ actual: 2, lost: 0, ok: true, lateWrites: [] });
  });

  it('a thread that finds the spin lock taken is blocked too, naming the holder', async () => {
    const report = await replay({ mode: 'spin', schedule: [1, 2, 1, 1, 1, 2, 2, 2, 2] });
    expect(report.steps[1]).toMatchObject({ thread: 2, action: 'blocked', value: 1 });
    expect(report.actual).toBe(2);
  });

  it.each(SCENARIO_NAMES)('%s: the threads take exactly the steps the model takes, for any schedule of any mode', async (name) => {
    const scenario = SCENARIOS[name]!;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...scenario.modes.map((m) => m.name)),
        // As many threads as the scenario takes: 1 to 3, or exactly 2 (reorder).
        scenario.sizeProblem?.({ threads: 1, iters: 1 }, 'steps') ? fc.constant(2) : fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.infiniteStream(fc.nat()),
        async (mode, threads, iters, picks) => {
          const size = { threads, iters };
          const schedule = randomSchedule(scenario, mode, size, picks[Symbol.iterator]());
          const report = await replay({ scenario: name, mode, threads, iters, schedule });
          const model = modelTrace(scenario, mode, size, schedule);
          expect(report.steps).toEqual(model.steps);
          expect(report.deadlock?.cycle.map((link) => link.thread) ?? null).toEqual(model.cycle?.map((link) => link.thread) ?? null);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('refuses a bad schedule before starting any thread, naming the field', async () => {
    let spawned = false;
    const error: unknown = await replay({ schedule: [1, 2, 3, 1], onSpawned: () => (spawned = true) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).template).toBe("{schedule}'s step 3 is thread 3, but there are only 2 threads");
    expect(spawned).toBe(false);
  });

  it('refuses a mode the scenario does not have', async () => {
    await expect(replay({ scenario: 'withdraw', mode: 'atomic' })).rejects.toMatchObject({ template: "{mode} 'atomic' is not a mode of the withdraw scenario: expected unsafe, cas, lock" });
  });
});

describe('a fault in a replay', () => {
  it.each([
    ['counter', 'lock', ' (it held the lock)'],
    ['counter', 'unsafe', ''],
    ['list', 'lock', ' (it held the lock)'],
    ['withdraw', 'cas', ''],
  ])('%s %s: the faulty thread fails on its turn half-way, and every worker ends', async (scenario, mode, note) => {
    const error: unknown = await replay({ scenario, mode, threads: 2, iters: 2, fault: { kind: 'crash', thread: 2 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as WorkerFailedError).message).toBe(`thread 2 crashed: injected crash (fault crash:2)${note}`);
  });

  it('a thread that exits on its turn is named; one that hangs is bounded by the timeout', async () => {
    await expect(replay({ threads: 2, fault: { kind: 'exit', thread: 1 } })).rejects.toThrow('thread 1 exited before finishing its work');
    await expect(replay({ threads: 2, timeoutMs: 500, fault: { kind: 'hang', thread: 2 } })).rejects.toThrow(/^timed out after 500 ms at step \d+, thread 2's turn$/);
  });
});
