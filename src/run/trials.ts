import type { ModeSpec, SeenEnd } from '../core/scenario.js';
import { plural } from '../core/text.js';
import { throwIfInterrupted } from '../runtime/interruption.js';
import { spread, wilsonInterval, type Spread } from '../core/statistics.js';
import { TrialCrew, type ModeResult, type TrialSettings } from './trial.js';

/** What K trials of one mode showed. */
export interface TrialsSummary {
  readonly mode: string;
  /** Trials actually run (fewer than asked when untilRace stopped early). */
  readonly run: number;
  /** Trials in which the race showed: the invariant broke. */
  readonly raced: number;
  /** raced / run, 4 decimals. */
  readonly rate: number;
  /** 95% Wilson score interval for the chance that one trial races, 4 decimals. */
  readonly wilson95: { readonly low: number; readonly high: number };
  /** Over the trials: `lost` where the scenario counts losses (else null), and `actual`. */
  readonly lost: Spread | null;
  readonly actual: Spread;
  readonly elapsedMs: Spread;
  /** 1-based number of the first trial that raced; null when none did. */
  readonly firstRace: number | null;
  readonly widened: boolean;
  /** Each trial's `actual`, in the order run. */
  readonly finals: readonly number[];
}

export interface TrialsOutcome {
  readonly summary: TrialsSummary;
  /** The trial that broke the invariant worst (the first, when none broke it): the one the report shows. */
  readonly worst: ModeResult;
  /** For a scenario whose ends are values: every end the trials left, rounds summed. */
  readonly ends: readonly SeenEnd[];
}

/**
 * Runs up to `count` trials of one mode, on one crew kept across them (or, with `freshWorkers`, a crew
 * started for each trial: slower, and warm workers make the plain race show less often, which the
 * widened fallback makes up for; bench/results/trial-workers.md has both). With `stopAtRace`, stops at
 * the first trial that broke the invariant.
 */
export async function runTrials(mode: ModeSpec, settings: TrialSettings, count: number, options: { readonly stopAtRace: boolean; readonly freshWorkers: boolean }): Promise<TrialsOutcome> {
  const results: ModeResult[] = [];
  let raced = 0;
  let firstRace: number | null = null;
  let crew: TrialCrew | null = null;
  try {
    for (let trial = 1; trial <= count; trial++) {
      // A deadlocked crew is stuck for good: the next trial needs new workers.
      if (crew && (options.freshWorkers || crew.deadlocked)) {
        await crew.close();
        crew = null;
      }
      crew ??= TrialCrew.start(mode, settings);
      const result = await crew.run(count > 1 ? `trial ${trial} of ${count}` : '');
      results.push(result);
      if (!result.ok) {
        raced++;
        firstRace ??= trial;
      }
      settings.onEvent?.({ type: 'trial', mode: mode.name, trial, of: count, raced });
      if (options.stopAtRace && raced > 0) break;
    }
  } finally {
    await crew?.close();
  }
  // A signal while the workers were being ended still ends the run: the run was stopped, not finished.
  throwIfInterrupted(settings.signal, { during: mode.name, done: `${plural(results.length, 'trial')} of ${count} had finished` });
  const worst = results.reduce((a, b) => (badness(b) > badness(a) ? b : a));
  const wilson = wilsonInterval(raced, results.length);
  const losses = results.flatMap((r) => (r.lost === null ? [] : [r.lost]));
  return {
    worst,
    ends: mergeEnds(results),
    summary: {
      mode: mode.name,
      run: results.length,
      raced,
      rate: round4(raced / results.length),
      wilson95: { low: round4(wilson.low), high: round4(wilson.high) },
      lost: losses.length === results.length ? spread(losses) : null,
      actual: spread(results.map((r) => r.actual)),
      elapsedMs: spread(results.map((r) => r.elapsedMs)),
      firstRace,
      widened: worst.widened,
      finals: results.map((r) => r.actual),
    },
  };
}

/** How far a trial is from its expected end: what "worst" orders by. */
function badness(result: ModeResult): number {
  return result.ok ? -1 : Math.abs(result.expected - result.actual);
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The ends of every trial, one per values, with their rounds added up. */
function mergeEnds(results: readonly ModeResult[]): SeenEnd[] {
  const merged = new Map<string, SeenEnd>();
  for (const end of results.flatMap((r) => r.ends ?? [])) {
    const key = JSON.stringify(end.values);
    const seen = merged.get(key);
    merged.set(key, seen ? { ...seen, rounds: seen.rounds + end.rounds } : end);
  }
  return [...merged.values()];
}
