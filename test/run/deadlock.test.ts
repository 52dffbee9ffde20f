import { describe, expect, it } from 'vitest';
import { deadlock, describeCycle, exploreInterleavings, findAnyCycle, replay, runRace } from '../../dist/index.js';
import { WaitBoard } from '../../dist/runtime/wait-board.js';

// Two locks taken in opposite orders, on real threads: the unsafe mode deadlocks for real, the threads
// find the cycle themselves, and the run ends at once (no timeout); the ordered mode never deadlocks.

describe('the deadlock scenario on real worker threads', () => {
  it('unsafe deadlocks: the threads find the cycle, name it, and the run ends at once', async () => {
    // With a sleep after each lock, each thread takes its first before the other takes its second; a thread
    // that sleeps through a whole trial on a busy machine is why there are twenty.
    const started = performance.now();
    const report = await runRace({ scenario: 'deadlock', threads: 2, iters: 200, modes: ['unsafe'], widen: 'always', trials: 20, untilRace: true });
    const [result] = report.results;
    expect(result!.ok).toBe(false);
    expect(result!.deadlock).toMatchObject({
      cycle: [
        { thread: 1, holds: 'A', waitsFor: 'B' },
        { thread: 2, holds: 'B', waitsFor: 'A' },
      ],
      text: 'thread 1 holds A and waits for B; thread 2 holds B and waits for A',
    });
    expect([1, 2]).toContain(result!.deadlock!.foundBy);
    expect(result!.deadlock!.foundAtMs).toBeGreaterThanOrEqual(0);
    expect(result!.deadlock!.noticedAfterMs).toBeGreaterThanOrEqual(0);
    expect(result!.actual).toBeLessThan(result!.expected);
    expect(result!.summary.at(-1)).toBe('Deadlock: thread 1 holds A and waits for B; thread 2 holds B and waits for A.');
    // The default timeout for this size is far longer: the run did not wait for it.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('with more threads the locks form a ring, and the cycle goes all the way round', async () => {
    const report = await runRace({ scenario: 'deadlock', threads: 3, iters: 200, modes: ['unsafe'], widen: 'always', trials: 20, untilRace: true });
    const found = report.results[0]!.deadlock;
    expect(found?.text).toBe('thread 1 holds A and waits for B; thread 2 holds B and waits for C; thread 3 holds C and waits for A');
  });

  it('--expect race holds on it, --expect correct fails on it', async () => {
    const race = await runRace({ scenario: 'deadlock', threads: 2, iters: 1_000, modes: ['unsafe'], expect: 'race' });
    expect(race.ok).toBe(true);
    const correct = await runRace({ scenario: 'deadlock', threads: 2, iters: 1_000, modes: ['unsafe'], expect: 'correct' });
    expect(correct.ok).toBe(false);
  });

  it('a deadlocked crew is replaced: every trial runs on threads that can move', async () => {
    const report = await runRace({ scenario: 'deadlock', threads: 2, iters: 200, modes: ['unsafe'], widen: 'always', trials: 5 });
    expect(report.trials!.modes[0]!.run).toBe(5);
  });

  it.each([
    [2, 10_000],
    [4, 5_000],
    [8, 1_000],
  ])('ordered is exact with %i threads × %i, widened or not', async (threads, iters) => {
    for (const widen of ['never', 'always'] as const) {
      const report = await runRace({ scenario: 'deadlock', threads, iters: widen === 'always' ? 50 : iters, modes: ['ordered'], widen });
      expect(report.results[0]).toMatchObject({ ok: true, deadlock: null });
      expect(report.results[0]!.actual).toBe(report.results[0]!.expected);
    }
  });
});

describe('the deadlock scenario, replayed and counted', () => {
  it('replay steps until no thread can move, and the real threads name the cycle', async () => {
    const report = await replay({ scenario: 'deadlock' });
    expect(report.schedule).toEqual([1, 2, 1, 2]);
    expect(report.steps.map((s) => `${s.thread}:${s.action}:${s.note?.text ?? ''}`)).toEqual([
      '1:lock:takes A',
      '2:lock:takes B',
      '1:blocked:waits for B: thread 2 holds it',
      '2:blocked:waits for A: thread 1 holds it',
    ]);
    expect(report).toMatchObject({ ok: false, actual: 0, deadlock: { text: 'thread 1 holds A and waits for B; thread 2 holds B and waits for A' } });
  });

  it("a schedule that stops where the threads are stuck gets each one's last try", async () => {
    const report = await replay({ scenario: 'deadlock', schedule: [2, 1] });
    expect(report.schedule).toEqual([2, 1, 1, 2]);
    expect(report.deadlock?.cycle.map((link) => link.thread)).toEqual([1, 2]);
  });

  it('a schedule that leaves a thread able to move is still refused', async () => {
    await expect(replay({ scenario: 'deadlock', schedule: [1, 1] })).rejects.toThrow('schedule ends after 2 steps with threads 1, 2 unfinished');
  });

  it('explore -t 2 -n 1: 2 of the 6 interleavings deadlock (both take their first lock first), exactly', async () => {
    const report = await exploreInterleavings({ scenario: 'deadlock', threads: 2, iters: 1 });
    expect(report.outcomes).toEqual([
      { final: 0, count: '2', broken: true, deadlock: true },
      { final: 2, count: '4', broken: false, deadlock: false },
    ]);
    expect(report.deadlocked).toBe('2');
    const ordered = await exploreInterleavings({ scenario: 'deadlock', threads: 3, iters: 2, mode: 'ordered' });
    expect(ordered).toMatchObject({ broken: 'never', deadlocked: '0' });
  });

  it("explore's deadlock witness replays into the deadlock", async () => {
    const report = await exploreInterleavings({ scenario: 'deadlock', threads: 3, iters: 1 });
    const replayed = await replay({ scenario: 'deadlock', threads: 3, iters: 1, schedule: report.min.schedule });
    expect(replayed.deadlock?.cycle).toHaveLength(3);
  });
});

describe('the wait board', () => {
  /** Cells for `locks` locks from cell 0, and each thread's wait. */
  function board(threads: number, locks: number, holders: Record<number, number>, waits: Record<number, number>) {
    const cells = new Int32Array(new SharedArrayBuffer(8 * locks));
    for (const [lock, thread] of Object.entries(holders)) cells[2 * Number(lock) + 1] = thread;
    const waitCells = new Int32Array(new SharedArrayBuffer(8 * threads));
    const made = new WaitBoard(waitCells, cells, 0, threads);
    for (const [thread, lock] of Object.entries(waits)) made.startWaiting(Number(thread), lock);
    return made;
  }

  it('finds a cycle of waits from any thread on it, or on a path into it', () => {
    const ring = board(3, 3, { 0: 1, 1: 2, 2: 3 }, { 1: 1, 2: 2, 3: 0 });
    expect(describeCycle(ring.deadlockFrom(2)!)).toBe('thread 2 holds B and waits for C; thread 3 holds C and waits for A; thread 1 holds A and waits for B');
    expect(describeCycle(findAnyCycle(ring)!)).toBe('thread 1 holds A and waits for B; thread 2 holds B and waits for C; thread 3 holds C and waits for A');
  });

  it('finds none where a wait leads to a free lock, or to a thread that waits for nothing', () => {
    expect(board(2, 2, { 0: 1 }, { 1: 1, 2: 0 }).deadlockFrom(2)).toBeNull();
    expect(board(2, 2, { 0: 1, 1: 2 }, { 2: 0 }).deadlockFrom(2)).toBeNull();
    const cleared = board(2, 2, { 0: 1, 1: 2 }, { 1: 1, 2: 0 });
    cleared.stopWaiting(1);
    expect(cleared.deadlockFrom(2)).toBeNull();
  });

  it('the scenario names its locks A, B, … and has at least two', () => {
    expect(deadlock.lockCount!({ threads: 1, iters: 1 })).toBe(2);
    expect(deadlock.lockCount!({ threads: 5, iters: 1 })).toBe(5);
  });
});
