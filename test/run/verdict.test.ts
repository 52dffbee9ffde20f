import { describe, expect, it } from 'vitest';
import { checkExpectation, type ModeResult, type TrialsSummary } from '../../dist/index.js';

function result(mode: string, lost: number): ModeResult {
  const expected = 1000;
  const summary = [lost === 0 ? 'The counter reached 1,000: exact.' : `The counter reached ${expected - lost} of 1,000: ${lost} increments lost.`];
  return {
    mode, expected, actual: expected - lost, lost, lostRatio: lost / expected, ok: lost === 0, iters: 1000, elapsedMs: 1, opsPerSec: 1e6, widened: false, evidence: null, deadlock: null,
    threadStats: [], fairness: { jain: 1, slowestOverFastest: 1 }, summary,
  };
}

function trials(mode: string, raced: number, run: number): TrialsSummary {
  const spread = { min: 0, median: 0, max: 0 };
  return { mode, run, raced, rate: raced / run, wilson95: { low: 0, high: 1 }, lost: spread, actual: spread, elapsedMs: spread, firstRace: raced > 0 ? 1 : null, widened: false, finals: [] };
}

describe('checkExpectation', () => {
  it('holds trivially when nothing is expected', () => {
    expect(checkExpectation(null, [result('unsafe', 5)])).toEqual({ ok: true, reason: null });
  });

  it('correct holds only when every mode kept the invariant, and says how one broke it', () => {
    expect(checkExpectation('correct', [result('atomic', 0), result('lock', 0)])).toEqual({ ok: true, reason: 'every mode kept the invariant (atomic, lock)' });
    expect(checkExpectation('correct', [result('unsafe', 250), result('atomic', 0)])).toEqual({
      ok: false,
      reason: 'expected every mode to keep the invariant, but unsafe broke it: The counter reached 750 of 1,000: 250 increments lost',
    });
  });

  it('race holds only when every mode broke the invariant', () => {
    expect(checkExpectation('race', [result('unsafe', 1)]).ok).toBe(true);
    expect(checkExpectation('race', [result('unsafe', 3), result('atomic', 0), result('lock', 0)])).toEqual({
      ok: false,
      reason: 'expected every mode to break the invariant, but atomic kept it, lock kept it',
    });
  });

  it('counts trials in its reasons when there were trials', () => {
    expect(checkExpectation('correct', [result('unsafe', 250)], [trials('unsafe', 3, 20)]).reason).toBe(
      'expected every mode to keep the invariant, but unsafe broke it in 3 of 20 trials (the worst: The counter reached 750 of 1,000: 250 increments lost)',
    );
    expect(checkExpectation('race', [result('unsafe', 250)], [trials('unsafe', 3, 20)])).toEqual({ ok: true, reason: 'every mode broke the invariant (unsafe: 3 of 20 trials)' });
    expect(checkExpectation('race', [result('lock', 0)], [trials('lock', 0, 5)]).reason).toBe('expected every mode to break the invariant, but lock kept it in 5 trials');
  });
});
