import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counter, defaultSchedule, modelTrace, PlainMemory, type LoopContext, type TraceStep } from '../../dist/index.js';

const EVIDENCE = { kind: 0, count: 1, a: 2, b: 3 };

/**
 * The counter's own unsafe loop with evidence (its hook), run on a counter whose reads follow a script,
 * as if other threads were writing between this thread's steps: a deterministic check of what it records.
 */
function runScripted(reads: number[]): { evidence: Int32Array; writes: number[] } {
  const writes: number[] = [];
  const script = [...reads];
  const cells = new Proxy(new Int32Array(4), {
    get: (target, key): unknown => (key === '0' ? script.shift() : Reflect.get(target, key)),
    set: (target, key, value: number) => (key === '0' ? (writes.push(value), true) : Reflect.set(target, key, value)),
  });
  const evidence = new Int32Array(4);
  const context: LoopContext = { evidence, stats: new Int32Array(8), thread: 1, counting: false, lockSpins: 0, memory: new PlainMemory(new Int32Array(4), 1) };
  counter.hooks!.loop!('unsafe', { widen: false, evidence: true, size: { threads: 1, iters: reads.length } })!(cells, reads.length, context);
  return { evidence, writes };
}

describe("the counter's unsafe loop with evidence", () => {
  it('writes each read plus one, as the plain loop does', () => {
    expect(runScripted([0, 1, 2]).writes).toEqual([1, 2, 3]);
  });

  it('counts each read below its own last write and keeps the largest drop, which the scenario describes', () => {
    // Wrote 4, then read 1 (a drop of 3); wrote 2, then read 0 (a drop of 2).
    const { evidence } = runScripted([0, 1, 2, 3, 1, 0, 5]);
    expect(evidence[EVIDENCE.count]).toBe(2);
    expect([evidence[EVIDENCE.a], evidence[EVIDENCE.b]]).toEqual([4, 1]);
    const sighting = counter.describeSighting!(1, evidence[EVIDENCE.kind]!, 4, 1, { threads: 2, iters: 4 });
    expect(sighting).toMatchObject({ kind: 'went-back', thread: 1, cost: 4, values: { wrote: 4, found: 1 } });
  });

  it('records nothing when every read follows its own write', () => {
    expect(runScripted([0, 1, 5, 9, 10]).evidence[EVIDENCE.count]).toBe(0);
  });
});

describe("the counter's schedules, on the model", () => {
  const size = (threads: number, iters: number) => ({ threads, iters });

  it('the default is each thread in turn: the classic lost update for 2 × 1 unsafe', () => {
    expect(defaultSchedule(counter, 'unsafe', size(2, 1))).toEqual([1, 2, 1, 2]);
    expect(defaultSchedule(counter, 'atomic', size(3, 1))).toEqual([1, 2, 3]);
    expect(defaultSchedule(counter, 'lock', size(2, 1))).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 2, 2, 2]);
  });

  it('gives the trace of the classic lost update, with the late write noted', () => {
    const { steps } = modelTrace(counter, 'unsafe', size(2, 1), [1, 2, 1, 2]);
    expect(steps.map(({ thread, action, value, watch }) => [thread, action, value, watch])).toEqual([
      [1, 'read', 0, 0],
      [2, 'read', 0, 0],
      [1, 'write', 1, 1],
      [2, 'write', 1, 1],
    ]);
    expect(steps[3]!.note).toEqual({ text: 'late: 1 update lost', bad: true });
  });

  it('shows a thread that asks for a held lock as blocked, naming the holder', () => {
    const { steps } = modelTrace(counter, 'lock', size(2, 1), [1, 2, 1, 1, 1, 2, 2, 2, 2]);
    expect(steps[1]).toMatchObject({ step: 2, thread: 2, action: 'blocked', value: 1, watch: 0, note: { text: 'waits: thread 1 holds the lock' } });
    expect(steps.at(-1)!.watch).toBe(2);
  });

  it.each([
    [[1, 2, 3, 1], "{schedule}'s step 3 is thread 3, but there are only 2 threads"],
    [[1, 1, 1, 2], "{schedule}'s step 3 is thread 1's, but it has already taken all 2 steps it takes"],
    [[1, 2, 1], '{schedule} ends after 3 steps with thread 2 unfinished'],
    [[], '{schedule} is empty'],
  ])('refuses %j, naming the option field', (schedule, template) => {
    expect(() => modelTrace(counter, 'unsafe', size(2, 1), schedule)).toThrow(expect.objectContaining({ template: expect.stringContaining(template) as unknown }) as Error);
  });
});

/** Any valid schedule: the threads' steps shuffled together. */
function schedules(threads: number, stepsEach: number) {
  const steps = Array.from({ length: threads }, (_, i) => Array<number>(stepsEach).fill(i + 1)).flat();
  return fc.shuffledSubarray(steps, { minLength: steps.length, maxLength: steps.length });
}

interface LateWrite {
  step: number;
  lost: number;
  erased: { step: number; thread: number }[];
}
const lateWritesOf = (steps: readonly TraceStep[]) => counter.explainTrace!(steps, { threads: 1, iters: 1 }).details.lateWrites as LateWrite[];

describe("the counter's late writes", () => {
  it('account for every lost update, and name each erased increment once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((threads) =>
          fc.integer({ min: 1, max: 3 }).chain((iters) => schedules(threads, 2 * iters).map((schedule) => ({ threads, iters, schedule }))),
        ),
        ({ threads, iters, schedule }) => {
          const { steps } = modelTrace(counter, 'unsafe', { threads, iters }, schedule);
          const final = steps.at(-1)!.watch;
          const lateWrites = lateWritesOf(steps);
          expect(lateWrites.reduce((sum, w) => sum + w.lost, 0)).toBe(threads * iters - final);
          const erased = lateWrites.flatMap((w) => w.erased.map((e) => e.step));
          expect(new Set(erased).size).toBe(erased.length);
          expect(erased).toHaveLength(threads * iters - final);
          expect(final).toBeGreaterThanOrEqual(1);
          expect(final).toBeLessThanOrEqual(threads * iters);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('name the increment the classic schedule erases', () => {
    const [late] = lateWritesOf(modelTrace(counter, 'unsafe', { threads: 2, iters: 1 }, [1, 2, 1, 2]).steps);
    expect(late).toEqual({ step: 4, thread: 2, wrote: 1, read: { step: 2, value: 0 }, counterBefore: 1, lost: 1, erased: [{ step: 3, thread: 1 }] });
  });

  it('with three threads, name each erased increment once: 2 lost, 2 named', () => {
    const { steps } = modelTrace(counter, 'unsafe', { threads: 3, iters: 1 }, [1, 2, 3, 1, 2, 3]);
    const text = counter.explainTrace!(steps, { threads: 3, iters: 1 }).lines.join(' ');
    expect(text).toContain("Step 5: thread 2 wrote 1, computed from the 0 it read at step 2, over a counter of 1, erasing thread 1's increment at step 4.");
    expect(text).toContain("Step 6: thread 3 wrote 1, computed from the 0 it read at step 3, over a counter of 1, erasing thread 2's increment at step 5.");
  });
});
