import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatThreadStats } from '../../dist/cli/reports/thread-stats.js';
import { counter, fairnessOf, withdraw, type ModeResult } from '../../dist/index.js';
import { stripColor } from '../helpers/cli.js';

describe("fairness: Jain's index and slowest/fastest", () => {
  it('is 1 and 1× when every thread took as long', () => {
    expect(fairnessOf([5, 5, 5, 5])).toEqual({ jain: 1, slowestOverFastest: 1 });
  });

  it('is (Σx)² / (n·Σx²): for 1, 2, 3, 4 that is 100 / 120', () => {
    expect(fairnessOf([1, 2, 3, 4])).toEqual({ jain: 0.8333, slowestOverFastest: 4 });
  });

  it('falls to 1/n when one thread took all the time', () => {
    expect(fairnessOf([0, 0, 0, 8])).toEqual({ jain: 0.25, slowestOverFastest: null });
  });

  it('refuses no values', () => {
    expect(() => fairnessOf([])).toThrow(RangeError);
  });
});

describe('run --stats, per thread', () => {
  const lock: ModeResult = {
    mode: 'lock', expected: 200, actual: 200, lost: 0, lostRatio: 0, ok: true, iters: 100, elapsedMs: 2, opsPerSec: 1e5, widened: false, evidence: null, deadlock: null, summary: [],
    threadStats: [
      { thread: 1, operations: 100, finishMs: 1.5, acquisitions: 100, contended: 7, spins: 0, sleeps: 9, wakeups: 3, retries: null },
      { thread: 2, operations: 100, finishMs: 2, acquisitions: 100, contended: 12, spins: 0, sleeps: 15, wakeups: 4, retries: null },
    ],
    fairness: fairnessOf([1.5, 2]),
  };

  it('shows the lock counts and the fairness line', () => {
    const text = formatThreadStats(lock, counter, new Chalk({ level: 0 })).map(stripColor).join('\n');
    expect(text).toContain('thread  increments  finished at  acquisitions  contended  spins  sleeps  wake-ups');
    expect(text).toMatch(/2\s+100\s+2\.0 ms\s+100\s+12\s+0\s+15\s+4/);
    expect(text).toContain("fairness over finish times: Jain's index 0.980 (1 = even), slowest/fastest 1.33×");
  });

  it('shows cas retries and no lock columns for cas', () => {
    const cas: ModeResult = {
      ...lock,
      mode: 'cas',
      threadStats: lock.threadStats.map((t) => ({ ...t, acquisitions: null, contended: null, spins: null, sleeps: null, wakeups: null, retries: 5 })),
    };
    const text = formatThreadStats(cas, counter, new Chalk({ level: 0 })).join('\n');
    expect(text).toContain('thread  increments  finished at  retries');
    expect(text).not.toContain('acquisitions');
  });

  it("names each scenario's operation", () => {
    const text = formatThreadStats({ ...lock, mode: 'unsafe', threadStats: lock.threadStats.map((t) => ({ ...t, acquisitions: null, contended: null, spins: null, sleeps: null, wakeups: null })) }, withdraw, new Chalk({ level: 0 })).join('\n');
    expect(text).toContain('thread  withdrawals  finished at');
  });
});
