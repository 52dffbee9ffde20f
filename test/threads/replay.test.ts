import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSchedule } from '../../dist/engine/schedule.js';
import { replay, UsageError } from '../../dist/index.js';
import { createModelMemory, stepsPerThread, takeStep, type ThreadState } from '../../dist/scenario/counter.js';
import type { Mode } from '../../dist/index.js';

/** A random valid schedule: at each step, one of the unfinished threads, run on the model as it goes. */
function randomSchedule(mode: Mode, threads: number, iters: number, picks: Iterator<number>): number[] {
  const total = stepsPerThread(mode, iters);
  const states: ThreadState[] = Array.from({ length: threads }, () => ({ pc: 0, register: 0 }));
  const memory = createModelMemory();
  const schedule: number[] = [];
  for (;;) {
    const unfinished = states.flatMap((state, i) => (state.pc < total ? [i + 1] : []));
    if (unfinished.length === 0) return schedule;
    const thread = unfinished[picks.next().value % unfinished.length]!;
    takeStep(mode, thread, states[thread - 1]!, memory);
    schedule.push(thread);
  }
}

describe('replay on real worker threads', () => {
  it('reproduces the classic lost update by default', async () => {
    const report = await replay();
    expect(report).toMatchObject({ mode: 'unsafe', threads: 2, iters: 1, schedule: [1, 2, 1, 2], expected: 2, final: 1, lost: 1 });
    expect(report.steps.map((s) => [s.thread, s.action, s.value, s.counter])).toEqual([
      [1, 'read', 0, 0],
      [2, 'read', 0, 0],
      [1, 'write', 1, 1],
      [2, 'write', 1, 1],
    ]);
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
    expect(report).toMatchObject({ final: 2, lost: 0, lateWrites: [] });
  });

  it('atomic adds never lose an update, whatever the order', async () => {
    const report = await replay({ mode: 'atomic', threads: 3, iters: 2, schedule: [3, 1, 2, 2, 1, 3] });
    expect(report.steps.map((s) => s.value)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.final).toBe(6);
  });

  it('the threads take exactly the steps the model takes, for any schedule', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('unsafe' as const, 'lock' as const, 'atomic' as const),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 2 }),
        fc.infiniteStream(fc.nat()),
        async (mode, threads, iters, picks) => {
          const schedule = randomSchedule(mode, threads, iters, picks[Symbol.iterator]());
          const report = await replay({ mode, threads, iters, schedule });
          expect(report.steps).toEqual(checkSchedule(mode, threads, iters, schedule));
        },
      ),
      { numRuns: 15 },
    );
  });

  it('refuses a bad schedule before starting any thread', async () => {
    let spawned = false;
    const run = replay({ schedule: [1, 2, 3, 1], onSpawned: () => (spawned = true) });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow('entry 3 is thread 3, but there are only 2 threads');
    expect(spawned).toBe(false);
  });
});
