import { describe, expect, it } from 'vitest';
import type { ModeResult } from '../../dist/index.js';
import { checkExpectation } from '../../dist/index.js';

function result(mode: ModeResult['mode'], lost: number): ModeResult {
  const expected = 1000;
  return { mode, expected, actual: expected - lost, lost, lostRatio: lost / expected, elapsedMs: 1, opsPerSec: 1e6 };
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
    expect(verdict.reason).toBe('expected every mode to lose updates, but atomic, lock lost none');
  });
});
