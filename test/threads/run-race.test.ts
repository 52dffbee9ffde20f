import { afterEach, describe, expect, it } from 'vitest';
import { InterruptedError, runRace, UsageError, WorkerFailedError, type RunEvent } from '../../dist/index.js';

afterEach(() => {
  delete process.env.RACE_DEMO_FAULT;
});

describe('runRace on real worker threads', () => {
  it.each([
    [1, 1],
    [2, 1_000],
    [3, 7],
    [4, 20_000],
    [8, 5_000],
  ])('atomic and lock end exact with %i threads × %i', async (threads, iters) => {
    const report = await runRace({ threads, iters, modes: ['atomic', 'lock'] });
    for (const result of report.results) {
      expect(result).toMatchObject({ expected: threads * iters, actual: threads * iters, lost: 0, lostRatio: 0 });
    }
  });

  it('unsafe ends between 1 and the expected total, and its figures add up', async () => {
    const report = await runRace({ threads: 4, iters: 50_000, modes: ['unsafe'] });
    const [unsafe] = report.results;
    expect(unsafe!.actual).toBeGreaterThanOrEqual(1);
    expect(unsafe!.actual).toBeLessThanOrEqual(200_000);
    expect(unsafe!.lost).toBe(200_000 - unsafe!.actual);
    expect(unsafe!.lostRatio).toBeCloseTo(unsafe!.lost / 200_000, 4);
    expect(unsafe!.elapsedMs).toBeGreaterThan(0);
    // elapsedMs is rounded to the microsecond, so the rate matches to about one part in a thousand.
    expect(unsafe!.opsPerSec / (200_000 / (unsafe!.elapsedMs / 1000))).toBeCloseTo(1, 2);
  });

  it('returns the object --json prints, with the machine it ran on', async () => {
    const report = await runRace({ threads: 2, iters: 10, modes: ['atomic'], expect: 'correct' });
    expect(report).toMatchObject({
      schemaVersion: 1,
      command: 'run',
      threads: 2,
      iters: 10,
      barrier: true,
      node: process.version,
      expect: 'correct',
      ok: true,
    });
    expect(report.cpus).toBeGreaterThanOrEqual(1);
    expect(Object.keys(report.results[0]!)).toEqual(['mode', 'expected', 'actual', 'lost', 'lostRatio', 'elapsedMs', 'opsPerSec', 'widened', 'evidence', 'threadStats', 'fairness']);
    expect(report).toMatchObject({ widen: 'auto', trials: null, fallback: [] });
  });

  it('runs without a barrier too', async () => {
    const events: RunEvent['type'][] = [];
    const report = await runRace({ threads: 3, iters: 1_000, modes: ['lock'], barrier: false, onEvent: (e) => events.push(e.type) });
    expect(report.results[0]!.actual).toBe(3_000);
    expect(events).toEqual(['spawned', 'finished', 'trial']);
  });

  it.each([
    [{ threads: 0 }, '--threads 0 is invalid'],
    [{ threads: 257 }, 'expected an integer from 1 to 256'],
    [{ iters: 1.5 }, '--iters 1.5 is invalid'],
    [{ threads: 4, iters: 600_000_000 }, 'more than the 32-bit counter holds'],
    [{ modes: [] }, '--mode needs at least one'],
    [{ modes: ['fast' as 'unsafe'] }, "--mode 'fast' is invalid"],
  ])('refuses %j before starting any worker', async (options, message) => {
    const events: RunEvent[] = [];
    const run = runRace({ ...options, onEvent: (e) => events.push(e) });
    await expect(run).rejects.toThrow(UsageError);
    await expect(run).rejects.toThrow(message);
    expect(events).toEqual([]);
  });

  it('rejects with the failing thread when a worker crashes', async () => {
    process.env.RACE_DEMO_FAULT = 'crash:2';
    const error: unknown = await runRace({ threads: 4, iters: 100_000, modes: ['lock'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerFailedError);
    expect((error as WorkerFailedError).thread).toBe(2);
    expect((error as WorkerFailedError).message).toBe('thread 2 crashed: injected crash (RACE_DEMO_FAULT=crash:2) (it held the lock)');
  });

  it('rejects when a worker exits quietly before finishing', async () => {
    process.env.RACE_DEMO_FAULT = 'exit:1';
    await expect(runRace({ threads: 2, iters: 1_000, modes: ['atomic'] })).rejects.toThrow(
      'thread 1 exited before finishing its work',
    );
  });

  it('stops on abort with what had been counted', async () => {
    const controller = new AbortController();
    const run = runRace({
      threads: 2,
      iters: 1_000_000_000,
      modes: ['lock'],
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'released') setTimeout(() => controller.abort('SIGINT'), 50);
      },
    });
    const error: unknown = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    const { progress, signal } = error as InterruptedError;
    expect(signal).toBe('SIGINT');
    expect(progress).toMatchObject({ mode: 'lock', expected: 2_000_000_000 });
    expect(progress!.counted).toBeGreaterThan(0);
    expect(progress!.counted).toBeLessThan(2_000_000_000);
  });
});
