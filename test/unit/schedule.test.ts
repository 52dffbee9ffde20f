import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findLateWrites } from '../../dist/engine/replay-analysis.js';
import { checkSchedule, defaultSchedule } from '../../dist/engine/schedule.js';
import { stepsPerThread } from '../../dist/scenario/counter.js';

describe('defaultSchedule', () => {
  it('is the classic lost update for 2 threads × 1 in unsafe mode', () => {
    expect(defaultSchedule('unsafe', 2, 1)).toEqual([1, 2, 1, 2]);
  });

  it('takes each thread in turn, skipping finished ones, and lets blocked threads try again', () => {
    expect(defaultSchedule('atomic', 3, 1)).toEqual([1, 2, 3]);
    expect(defaultSchedule('lock', 2, 1)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 2, 2, 2]);
  });
});

describe('checkSchedule', () => {
  it('gives the model trace of the classic lost update', () => {
    expect(checkSchedule('unsafe', 2, 1, [1, 2, 1, 2])).toEqual([
      { step: 1, thread: 1, action: 'read', value: 0, counter: 0 },
      { step: 2, thread: 2, action: 'read', value: 0, counter: 0 },
      { step: 3, thread: 1, action: 'write', value: 1, counter: 1 },
      { step: 4, thread: 2, action: 'write', value: 1, counter: 1 },
    ]);
  });

  it('shows a thread that asks for a held lock as blocked, naming the holder', () => {
    const trace = checkSchedule('lock', 2, 1, [1, 2, 1, 1, 1, 2, 2, 2, 2]);
    expect(trace[1]).toEqual({ step: 2, thread: 2, action: 'blocked', value: 1, counter: 0 });
    expect(trace.at(-1)!.counter).toBe(2);
  });

  it.each([
    [[1, 2, 3, 1], 'entry 3 is thread 3, but there are only 2 threads'],
    [[1, 1, 1, 2], 'entry 3 gives thread 1 a step, but it has already taken all 2 of its steps'],
    [[1, 2, 1], 'ends after 3 steps with threads unfinished (thread 2 has 1 left)'],
    [[], '--schedule is empty'],
  ])('refuses %j', (schedule, message) => {
    expect(() => checkSchedule('unsafe', 2, 1, schedule)).toThrow(message);
  });
});

/** Any valid schedule: the threads' steps shuffled together. */
function schedules(threads: number, stepsEach: number) {
  const steps = Array.from({ length: threads }, (_, i) => Array<number>(stepsEach).fill(i + 1)).flat();
  return fc.shuffledSubarray(steps, { minLength: steps.length, maxLength: steps.length });
}

describe('late writes', () => {
  it('account for every lost update: their losses add up to expected − final', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((threads) =>
          fc.integer({ min: 1, max: 3 }).chain((iters) =>
            schedules(threads, stepsPerThread('unsafe', iters)).map((schedule) => ({ threads, iters, schedule })),
          ),
        ),
        ({ threads, iters, schedule }) => {
          const trace = checkSchedule('unsafe', threads, iters, schedule);
          const final = trace.at(-1)!.counter;
          const lost = findLateWrites(trace).reduce((sum, w) => sum + w.lost, 0);
          expect(lost).toBe(threads * iters - final);
          expect(final).toBeGreaterThanOrEqual(1);
          expect(final).toBeLessThanOrEqual(threads * iters);
        },
      ),
    );
  });

  it('name the increment the classic schedule erases', () => {
    const [late] = findLateWrites(checkSchedule('unsafe', 2, 1, [1, 2, 1, 2]));
    expect(late).toEqual({ step: 4, thread: 2, wrote: 1, read: { step: 2, value: 0 }, counterBefore: 1, lost: 1, erased: [{ step: 3, thread: 1 }] });
  });
});
