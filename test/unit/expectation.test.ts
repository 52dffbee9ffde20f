import { describe, expect, it } from 'vitest';
import type { ModeResult, TrialsSummary } from '../../dist/index.js';
import { checkExpectation } from '../../dist/index.js';

function result(mode: ModeResult['mode'], lost: number): ModeResult {
  const expected = 1000;
  return { mode, expected, actual: expected - lost, lost, lostRatio: lost / expected, elapsedMs: 1, opsPerSec: 1e6, widened: false, evidence: null, threadStats: [], fairness: { jain: 1, slowestOverFastest: 1 } };
}

describe('checkExpectation', () => {
  it('holds trivially when nothing is expected', () => {
    expect(checkExpectation(null, [result('unsafe', 5)])).toEqual({ ok: true, reason: null });
  });

  it('correct holds only when every mode is exact', () => {
    expect(checkExpectation('correct', [result('atomic', 0), result('lock', 0)]).ok).toBe(true);
    const verdict = checkExpectation('correct', [result('unsafe', 250), result('atomic', 0)]);
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toBe('expected every mode exact, but unsafe lost 250 of 1,000 updates (25.0%)');
  });

  it('race holds only when every mode lost at least one update', () => {
    expect(checkExpectation('race', [result('unsafe', 1)]).ok).toBe(true);
    const verdict = checkExpectation('race', [result('unsafe', 3), result('atomic', 0), result('lock', 0)]);
    expect(verdict.ok).toBe(false);
    expect(verdict.reason).toBe('expected every mode to lose updates, but atomic lost none, lock lost none');
  });

  it('counts trials in its reasons when there were trials', () => {
    const trials = (mode: ModeResult['mode'], raced: number, run: number): TrialsSummary => ({
      mode,
      run,
      raced,
      rate: raced / run,
      wilson95: { low: 0, high: 1 },
      lost: { min: 0, median: 0, max: 0 },
      elapsedMs: { min: 1, median: 1, max: 1 },
      firstRace: raced > 0 ? 1 : null,
      widened: false,
      finals: [],
    });
    const broken = checkExpectation('correct', [result('unsafe', 250)], [trials('unsafe', 3, 20)]);
    expect(broken.reason).toBe('expected every mode exact, but unsafe lost updates in 3 of 20 trials (up to 250 of 1,000 updates)');
    const held = checkExpectation('race', [result('unsafe', 250)], [trials('unsafe', 3, 20)]);
    expect(held).toEqual({ ok: true, reason: 'every mode lost updates (unsafe: 3 of 20 trials)' });
    const exact = checkExpectation('race', [result('lock', 0)], [trials('lock', 0, 5)]);
    expect(exact.reason).toBe('expected every mode to lose updates, but lock lost none in 5 trials');
  });
});
