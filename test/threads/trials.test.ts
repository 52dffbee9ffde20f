import { describe, expect, it } from 'vitest';
import { runRace } from '../../dist/index.js';

describe('runRace with trials', () => {
  it('runs each mode k times on fresh workers and summarises every trial', async () => {
    const report = await runRace({ threads: 3, iters: 2_000, modes: ['atomic', 'lock'], trials: 4, expect: 'correct' });
    expect(report.trials).toMatchObject({ requested: 4, untilRace: false });
    for (const summary of report.trials!.modes) {
      expect(summary).toMatchObject({ run: 4, raced: 0, rate: 0, firstRace: null, lost: { min: 0, median: 0, max: 0 } });
      expect(summary.finals).toEqual([6_000, 6_000, 6_000, 6_000]);
      expect(summary.wilson95.low).toBe(0);
      expect(summary.wilson95.high).toBeCloseTo(0.4899, 4);
    }
    expect(report.ok).toBe(true);
    expect(report.reason).toBe('every mode ended exact (atomic in 4 trials, lock in 4 trials)');
  });

  it('keeps unsafe within its bounds in every trial, and shows the trial that lost the most', async () => {
    const report = await runRace({ threads: 2, iters: 5_000, modes: ['unsafe'], trials: 3 });
    const summary = report.trials!.modes[0]!;
    expect(summary.run).toBe(3);
    for (const final of summary.finals) {
      expect(final).toBeGreaterThanOrEqual(1);
      expect(final).toBeLessThanOrEqual(10_000);
    }
    expect(report.results[0]!.actual).toBe(Math.min(...summary.finals));
    expect(summary.raced).toBe(summary.finals.filter((final) => final < 10_000).length);
  });

  it('--until-race stops a mode at its first racing trial', async () => {
    const report = await runRace({ threads: 2, iters: 10, modes: ['unsafe'], trials: 50, untilRace: true, widen: 'always' });
    const summary = report.trials!.modes[0]!;
    expect(summary.widened).toBe(true);
    if (summary.raced > 0) {
      expect(summary.raced).toBe(1);
      expect(summary.run).toBe(summary.firstRace);
    } else {
      expect(summary.run).toBe(50);
    }
  });

  it('with one thread nothing can race: expecting a race widens the gap, says so, and still fails', async () => {
    const report = await runRace({ threads: 1, iters: 10, modes: ['unsafe'], expect: 'race' });
    expect(report.fallback).toEqual([{ mode: 'unsafe', plainTrials: 1 }]);
    expect(report.results[0]).toMatchObject({ widened: true, actual: 10, lost: 0, evidence: { sightings: 0, largest: null } });
    expect(report.ok).toBe(false);
  });

  it('--widen never keeps the plain race only', async () => {
    const report = await runRace({ threads: 1, iters: 10, modes: ['unsafe'], expect: 'race', widen: 'never' });
    expect(report.fallback).toEqual([]);
    expect(report.results[0]!.widened).toBe(false);
  });

  it('the lock stays exact even with a sleep inside the critical section', async () => {
    const report = await runRace({ threads: 3, iters: 20, modes: ['lock'], widen: 'always' });
    expect(report.results[0]).toMatchObject({ widened: true, expected: 60, actual: 60, lost: 0 });
  });

  it('records evidence for unsafe unless told not to, and never for the fixes', async () => {
    const recorded = await runRace({ threads: 2, iters: 1_000, modes: ['unsafe', 'atomic'] });
    expect(recorded.results[0]!.evidence).not.toBeNull();
    expect(recorded.results[1]!.evidence).toBeNull();
    const bare = await runRace({ threads: 2, iters: 1_000, modes: ['unsafe'], evidence: false });
    expect(bare.results[0]!.evidence).toBeNull();
  });
});
