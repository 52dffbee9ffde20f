import { describe, expect, it } from 'vitest';
import { explore } from '../../dist/model/explore.js';
import { exploreInterleavings, UsageError, type Mode } from '../../dist/index.js';
import { createModelMemory, stepsPerThread, takeStep, type ThreadState } from '../../dist/scenario/counter.js';

/** Walks every interleaving one by one, with no merging at all: the reference the model must match. */
function bruteForce(mode: Mode, threads: number, iters: number): Map<number, number> {
  const total = stepsPerThread(mode, iters);
  const finals = new Map<number, number>();
  const walk = (states: ThreadState[], counter: number, owner: number): void => {
    let stepped = false;
    for (let i = 0; i < threads; i++) {
      if (states[i]!.pc >= total) continue;
      const memory = createModelMemory();
      memory.counter = counter;
      memory.owner = owner;
      const copy = states.map((s) => ({ ...s }));
      if (takeStep(mode, i + 1, copy[i]!, memory).action === 'blocked') continue;
      stepped = true;
      walk(copy, memory.counter, memory.owner);
    }
    if (!stepped) finals.set(counter, (finals.get(counter) ?? 0) + 1);
  };
  walk(Array.from({ length: threads }, () => ({ pc: 0, register: 0 })), 0, 0);
  return finals;
}

function factorial(n: number): bigint {
  return n <= 1 ? 1n : BigInt(n) * factorial(n - 1);
}

describe('explore, the exact model', () => {
  it('gives the counts in the issue: 2 × 1 is 6 (4 end at 1, 2 at 2); 2 × 2 is 70 (32, 32, 6)', () => {
    expect(explore('unsafe', 2, 1, 1e6).outcomes).toEqual([{ final: 1, count: 4n }, { final: 2, count: 2n }]);
    const twoByTwo = explore('unsafe', 2, 2, 1e6);
    expect(twoByTwo.interleavings).toBe(70n);
    expect(twoByTwo.outcomes).toEqual([{ final: 2, count: 32n }, { final: 3, count: 32n }, { final: 4, count: 6n }]);
  });

  const small: [Mode, number, number][] = [];
  for (const mode of ['unsafe', 'atomic', 'lock', 'spin', 'cas'] as const) {
    for (let threads = 1; threads <= 3; threads++) {
      for (let iters = 1; iters <= 3; iters++) {
        // 3 × 3 unsafe has 17,153,136 interleavings, cas 3 × 2 240,040,122: too many to walk one by one here.
        if (mode === 'unsafe' && threads === 3 && iters === 3) continue;
        if (mode === 'cas' && threads === 3 && iters >= 2) continue;
        small.push([mode, threads, iters]);
      }
    }
  }
  it.each(small)('matches a brute-force walk of every interleaving: %s, %i threads × %i', (mode, threads, iters) => {
    const expected = [...bruteForce(mode, threads, iters)].sort((a, b) => a[0] - b[0]).map(([final, count]) => ({ final, count: BigInt(count) }));
    expect(explore(mode, threads, iters, 1e6).outcomes).toEqual(expected);
  });

  it.each([
    [2, 3],
    [3, 3],
    [4, 2],
    [3, 4],
    [4, 4],
  ])('unsafe with %i threads × %i has (2NT)! / ((2N)!)^T interleavings', (threads, iters) => {
    expect(explore('unsafe', threads, iters, 1e7).interleavings).toBe(factorial(2 * iters * threads) / factorial(2 * iters) ** BigInt(threads));
  });

  it.each([
    ['atomic', 3, 3],
    ['lock', 3, 3],
    ['lock', 4, 2],
    ['spin', 3, 3],
  ] as const)('%s with %i threads × %i always ends at T × N, in (NT)! / (N!)^T ways', (mode, threads, iters) => {
    const result = explore(mode, threads, iters, 1e6);
    expect(result.outcomes).toEqual([{ final: threads * iters, count: factorial(threads * iters) / factorial(iters) ** BigInt(threads) }]);
  });

  it('sums on two threads for large sizes, with the same counts and witnesses as on one', () => {
    const serial = explore('unsafe', 4, 5, 1e7, false);
    const parallel = explore('unsafe', 4, 5, 1e7, true);
    expect(serial.threadsUsed).toBe(1);
    expect(parallel.threadsUsed).toBe(2);
    expect(parallel.interleavings).toBe(factorial(40) / factorial(10) ** 4n);
    expect({ ...parallel, threadsUsed: 1 }).toEqual(serial);
  });

  it('cas always ends at T × N, with more interleavings than atomic: a failed compare-exchange adds steps', () => {
    const result = explore('cas', 3, 3, 1e6);
    expect(result.outcomes.map((o) => o.final)).toEqual([9]);
    expect(result.interleavings).toBeGreaterThan(explore('atomic', 3, 3, 1e6).interleavings);
  });

  it('gives witness schedules that reach the smallest and largest totals on the model', () => {
    const result = explore('unsafe', 3, 2, 1e6);
    expect(result.min.final).toBe(2);
    expect(result.max.final).toBe(6);
    for (const witness of [result.min, result.max]) {
      const memory = createModelMemory();
      const states = Array.from({ length: 3 }, () => ({ pc: 0, register: 0 }));
      for (const thread of witness.schedule) expect(takeStep('unsafe', thread, states[thread - 1]!, memory).action).not.toBe('blocked');
      expect(memory.counter).toBe(witness.final);
    }
  });
});

describe('exploreInterleavings', () => {
  it('gives the JSON shape with counts as decimal strings and a verdict', () => {
    const report = exploreInterleavings({ threads: 2, iters: 2 });
    expect(report).toMatchObject({
      schemaVersion: 1,
      command: 'explore',
      mode: 'unsafe',
      threads: 2,
      iters: 2,
      interleavings: '70',
      outcomes: [{ final: 2, count: '32' }, { final: 3, count: '32' }, { final: 4, count: '6' }],
      min: { final: 2 },
      max: { final: 4 },
      lostUpdate: 'sometimes',
      belowExpected: '64',
    });
    expect(exploreInterleavings({ threads: 3, iters: 2, mode: 'lock' }).lostUpdate).toBe('never');
  });

  it('refuses a size past --max-states with a usage error instead of running out of memory', () => {
    expect(() => exploreInterleavings({ threads: 4, iters: 4, maxStates: 1000 })).toThrow(UsageError);
    expect(() => exploreInterleavings({ threads: 4, iters: 4, maxStates: 1000 })).toThrow('over --max-states 1,000');
    expect(() => exploreInterleavings({ threads: 9 })).toThrow('expected an integer from 1 to 8');
  });
});
