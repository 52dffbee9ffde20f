import { describe, expect, it } from 'vitest';
import { exploreGeneric } from '../../dist/explore/generic-model.js';
import { REORDER_OUTCOMES, reorder, resultOf } from '../../dist/scenarios/reorder.js';
import { replay, runRace, sc, tso, type MemoryModel, type Scenario } from '../../dist/index.js';

// Store buffering: what the scenario says each model of memory allows is what the models count; its
// own loop and its steps give the same results; the fix is exact on real threads.

const limits = () => ({ maxStates: 1e6, maxBytes: 2 ** 28, progress: new Int32Array(1) });
const size = { threads: 2, iters: 1 };

/** The scenario, measured by round 1's result (r1 + 2·r2) instead of by rounds with both reads 0. */
const byOutcome: Scenario = { ...reorder, measureOf: (cells) => resultOf(cells, 1, 0) };

function outcomesUnder(model: MemoryModel, mode: string): number[] {
  return exploreGeneric(byOutcome, mode, size, limits(), model).outcomes.map((o) => o.final);
}

describe('the reorder scenario, on the models', () => {
  it('interleavings allow every outcome but both reading 0; store buffers allow all four, as the report says', () => {
    const allowed = (key: 'interleavings' | 'storeBuffers') => REORDER_OUTCOMES.filter((o) => o[key]).map((o) => o.code).sort();
    expect(outcomesUnder(sc, 'unsafe')).toEqual(allowed('interleavings'));
    expect(outcomesUnder(tso, 'unsafe')).toEqual(allowed('storeBuffers'));
    expect(allowed('interleavings')).not.toContain(0);
    expect(allowed('storeBuffers')).toContain(0);
  });

  it('with Atomics.store, even store buffers never let both read 0', () => {
    expect(outcomesUnder(tso, 'atomic')).not.toContain(0);
  });

  it('refuses any number of threads but two, saying why', () => {
    expect(reorder.sizeProblem!({ threads: 3, iters: 1 }, 'run')).toContain('use --threads 2');
    expect(reorder.sizeProblem!({ threads: 2, iters: 1 }, 'run')).toBeNull();
  });
});

describe('the reorder scenario on real worker threads', () => {
  it('the fix is exact: with Atomics.store and Atomics.load both threads never read 0 (1,000,000 rounds)', async () => {
    const report = await runRace({ scenario: 'reorder', iters: 1_000_000, modes: ['atomic'] });
    expect(report.results[0]).toMatchObject({ ok: true, actual: 0, expected: 0 });
  });

  it('its own loop and its steps fill the same cells: every round recorded, once, by both threads', async () => {
    for (const ownLoops of [true, false]) {
      const report = await runRace({ scenario: 'reorder', iters: 20_000, ownLoops, stats: true });
      for (const result of report.results) {
        const outcomes = result.outcomes as { r1: number; r2: number; rounds: number }[];
        expect(outcomes.reduce((sum, o) => sum + o.rounds, 0)).toBe(20_000);
        expect(result.threadStats.map((t) => t.operations)).toEqual([20_000, 20_000]);
        if (result.mode === 'atomic') expect(result.actual).toBe(0);
        expect(outcomes.find((o) => o.r1 === 0 && o.r2 === 0)!.rounds).toBe(result.actual);
      }
    }
  });

  it('replay takes whole steps, so it shows only what an interleaving can, and says why', async () => {
    // Both writes before both reads: the nearest an interleaving comes to a store buffer.
    const report = await replay({ scenario: 'reorder', schedule: [1, 2, 1, 2] });
    expect(report.ok).toBe(true);
    expect(report.summary.join(' ')).toContain('cannot split');
  });
});
