import type { Mode } from '../modes.js';
import { spread, wilsonInterval, type Spread } from '../stats.js';
import { runTrial, type ModeResult, type TrialSettings } from './trial.js';

/** What K trials of one mode showed. */
export interface TrialsSummary {
  readonly mode: Mode;
  /** Trials actually run (fewer than asked when --until-race stopped early). */
  readonly run: number;
  /** Trials that lost at least one update. */
  readonly raced: number;
  /** raced / run, 4 decimals. */
  readonly rate: number;
  /** 95% Wilson score interval for the chance that one trial races, 4 decimals. */
  readonly wilson95: { readonly low: number; readonly high: number };
  readonly lost: Spread;
  readonly elapsedMs: Spread;
  /** 1-based number of the first trial that lost updates; null when none did. */
  readonly firstRace: number | null;
  readonly widened: boolean;
  /** Each trial's final total, in the order run. */
  readonly finals: readonly number[];
}

export interface TrialsOutcome {
  readonly summary: TrialsSummary;
  /** The trial that lost the most (the first, when none lost any): the one the report shows. */
  readonly worst: ModeResult;
}

/**
 * Runs `count` trials of one mode, each on fresh workers: fresh workers race more often than warm ones
 * (a warm, optimised loop can finish inside one time slice), and the bench measured the cost.
 */
export async function runTrials(
  mode: Mode,
  settings: TrialSettings,
  count: number,
  untilRace: boolean,
): Promise<TrialsOutcome> {
  const results: ModeResult[] = [];
  let raced = 0;
  let firstRace: number | null = null;
  for (let trial = 1; trial <= count; trial++) {
    const result = await runTrial(mode, settings);
    results.push(result);
    if (result.lost > 0) {
      raced++;
      firstRace ??= trial;
    }
    settings.onEvent?.({ type: 'trial', mode, trial, of: count, raced });
    if (untilRace && raced > 0) break;
  }
  const worst = results.reduce((a, b) => (b.lost > a.lost ? b : a));
  const wilson = wilsonInterval(raced, results.length);
  return {
    worst,
    summary: {
      mode,
      run: results.length,
      raced,
      rate: round4(raced / results.length),
      wilson95: { low: round4(wilson.low), high: round4(wilson.high) },
      lost: spread(results.map((r) => r.lost)),
      elapsedMs: spread(results.map((r) => r.elapsedMs)),
      firstRace,
      widened: worst.widened,
      finals: results.map((r) => r.actual),
    },
  };
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
