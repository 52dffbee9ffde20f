import { describe, expect, it } from 'vitest';
import { runRace } from '../../dist/index.js';

// A fact of this CPU, not of the code: plain stores wait in the store buffer, so both threads of a round
// can read 0. Measured here in every run, at 0.4 to 12 % of rounds with the scenario's own loop (docs/scenarios.md);
// five trials of 200,000 rounds, with both CPUs to the test, leave no room for luck.

describe('store buffering on this CPU', () => {
  it('plain stores: both threads read 0 in some round', async () => {
    const report = await runRace({ scenario: 'reorder', modes: ['unsafe'], trials: 5, untilRace: true });
    expect(report.results[0]!.actual).toBeGreaterThan(0);
  });
});
