import { DEFAULT_ITERS, DEFAULT_THREADS, DEFAULT_UNTIL_RACE_TRIALS, MAX_TRIALS, validateModes, validateSize, validateTimeout } from '../core/limits.js';
import { modeNames, modeOf, type ModelVerdict, type ModeSpec, type Scenario, type Size } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { UsageError } from '../errors.js';
import { validateFault, type Fault } from '../runtime/fault.js';
import { throwIfInterrupted } from '../runtime/interruption.js';
import { currentPlatform } from '../runtime/current-platform.js';
import { DEFAULT_SCENARIO, loadScenario, scenarioRefForWorkers } from '../scenarios/registry.js';
import { defaultTimeoutMs } from './timeout.js';
import type { ModeResult, RunEvent, TrialSettings } from './trial.js';
import { runTrials, type TrialsOutcome, type TrialsSummary } from './trials.js';
import { exploreInterleavings } from '../explore/explore.js';
import { checkExpectation, EXPECTATIONS, type Expectation } from './verdict.js';
import { WIDEN_CHOICES, type Widen } from './widen.js';
import { sameValues, valuesText } from '../core/end-values.js';

/** The mutex's looks at a taken lock before it sleeps: none, as measured (bench/RESULTS.md). */
export const DEFAULT_LOCK_SPINS = 0;
export const MAX_LOCK_SPINS = 1_000_000;

export interface RunOptions {
  /** A built-in scenario's name (default "counter"), or the path of a module that exports a scenario (its code runs). */
  readonly scenario?: string;
  /** Worker threads, 1 to 256; default 4, or the scenario's own (Scenario.defaults). */
  readonly threads?: number;
  /** Operations per thread; default 100,000, or the scenario's own. threads × iters must fit the scenario (Scenario.maxTotal). */
  readonly iters?: number;
  /** Modes to run one after the other, each on fresh workers; default: every mode of the scenario. */
  readonly modes?: readonly string[];
  /** Hold every worker at a start barrier and release them together; default true. */
  readonly barrier?: boolean;
  readonly expect?: Expectation | null;
  /** Run each mode this many times (1 to 10,000) and summarise; the report gains `trials`. */
  readonly trials?: number;
  /** Stop a mode at its first trial that breaks the invariant; `trials` is then the most it tries (default 100). */
  readonly untilRace?: boolean;
  /**
   * Sleep briefly between a read and the write computed from it. `always`: every trial; `auto` (the
   * default): when the plain trials of a racy mode did not break the invariant, run it again with the
   * gap widened (at most FALLBACK_ITERS operations per thread, until a trial breaks it) and report both;
   * `never`: not at all.
   */
  readonly widen?: Widen;
  /** Have a racy mode's threads record the race as they see it (default true); it costs the plain counter loop about 1.7× its time. */
  readonly evidence?: boolean;
  /** Count lock acquisitions, contended ones, spins, sleeps and wake-ups per thread (default false). */
  readonly stats?: boolean;
  /**
   * Start fresh workers for every trial (default false: one crew per mode, kept across its trials, about
   * 70 ms cheaper a trial; warm workers make the plain race show less often, bench/results/trial-workers.md).
   */
  readonly freshWorkers?: boolean;
  /** Run the scenario's own hand-written loops where it has them (default true); false: its steps, one by one. */
  readonly ownLoops?: boolean;
  /** How many times the mutex looks at a taken lock before it sleeps (default 0). */
  readonly lockSpins?: number;
  /** The most one run of the workers (one mode, one trial) may take, in ms; default: scaled to the work (run/timeout.ts). */
  readonly timeoutMs?: number;
  /** Make one thread fail part-way (crash, exit, hang, oom), in a mode with a lock while holding it. */
  readonly fault?: Fault | null;
  /** Aborting terminates the workers; the promise rejects with an InterruptedError. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

/**
 * The most operations per thread a widened rerun takes: each sleeps about 100 µs, and a few hundred show
 * the race every time measured (docs/reproducing.md), where 100,000 would take ten seconds.
 */
export const FALLBACK_ITERS = 200;

/**
 * The fewest trials a widened rerun may take to show the race (it stops at the first that does): on a
 * busy machine one thread can sleep through a whole small trial, and a check must not fail for that.
 */
export const FALLBACK_TRIALS = 20;

/** A racy mode whose plain trials kept the invariant, and that ran again with the gap widened. */
export interface Fallback {
  readonly mode: string;
  /** The plain run as it was (its first trial) and its trials: the report shows them beside the widened ones. */
  readonly plain: ModeResult;
  readonly plainSummary: TrialsSummary;
}

/** The `run` result; `--json` prints exactly this object (docs/json.md). */
export interface RunReport {
  readonly schemaVersion: 2;
  readonly command: 'run';
  readonly scenario: string;
  /** What one operation is ("increment"), and what `expected` and `actual` count ("the counter"). */
  readonly operation: string;
  readonly measure: string;
  readonly threads: number;
  readonly iters: number;
  readonly barrier: boolean;
  readonly cpus: number;
  readonly node: string;
  /** One per mode; with trials, the trial that broke the invariant worst. */
  readonly results: readonly ModeResult[];
  readonly expect: Expectation | null;
  readonly ok: boolean;
  readonly reason: string | null;
  readonly widen: Widen;
  /** Present (not null) when trials were asked for. */
  readonly trials: { readonly requested: number; readonly untilRace: boolean; readonly modes: readonly TrialsSummary[] } | null;
  readonly fallback: readonly Fallback[];
}

/** Runs each mode of a scenario on real worker threads sharing one SharedArrayBuffer, and reports what happened. */
export async function runRace(options: RunOptions = {}): Promise<RunReport> {
  const scenario = await loadScenario(options.scenario ?? DEFAULT_SCENARIO);
  const scenarioRef = await scenarioRefForWorkers(options.scenario ?? DEFAULT_SCENARIO);
  const size = { threads: options.threads ?? scenario.defaults?.threads ?? DEFAULT_THREADS, iters: options.iters ?? scenario.defaults?.iters ?? DEFAULT_ITERS };
  const modes = options.modes ?? modeNames(scenario);
  const expect = options.expect ?? null;
  const untilRace = options.untilRace ?? false;
  const widen = options.widen ?? 'auto';
  const trials = options.trials ?? (untilRace ? DEFAULT_UNTIL_RACE_TRIALS : 1);
  const lockSpins = options.lockSpins ?? DEFAULT_LOCK_SPINS;
  const fault = options.fault ?? null;
  validateSize(scenario, size);
  validateModes(scenario, modes);
  validateRunOptions({ trials, expect, widen, lockSpins });
  if (widen === 'always' && modes.every((name) => modeOf(scenario, name)!.gapAfter.length === 0)) {
    throw new UsageError(
      `{widen} always has nothing to widen in ${scenario.name} ${modes.join(', ')}: it sleeps between a read and the write computed from it, and ${modes.length === 1 ? 'this mode has' : 'these modes have'} none`,
    );
  }
  if (options.timeoutMs !== undefined) validateTimeout(options.timeoutMs);
  validateFault(fault, size.threads);
  const platform = await currentPlatform();
  const cpus = platform.cpus();
  // A check has its answer at the first trial that broke the invariant: `race` held, or `correct` failed.
  const trialOptions = { stopAtRace: untilRace || expect !== null, freshWorkers: options.freshWorkers ?? false };

  const outcomes: TrialsOutcome[] = [];
  const fallback: Fallback[] = [];
  for (const mode of modes.map((name) => modeOf(scenario, name)!)) {
    throwIfInterrupted(options.signal);
    const settings = (widened: boolean, iters: number): TrialSettings => ({
      scenario,
      scenarioRef,
      size: { threads: size.threads, iters },
      barrier: options.barrier ?? true,
      widen: widened,
      evidence: options.evidence ?? true,
      counting: options.stats ?? false,
      ownLoops: options.ownLoops ?? true,
      lockSpins,
      fault,
      timeoutMs: options.timeoutMs ?? defaultTimeoutMs(mode, size.threads, iters, cpus, widened),
      signal: options.signal,
      onEvent: options.onEvent,
    });
    let outcome = await runTrials(mode, settings(widen === 'always', size.iters), trials, trialOptions);
    // A plain race that did not show proves nothing; widening the gap makes it show at any size. With one
    // thread there is nothing to race with, at any gap.
    if (canWiden(mode) && size.threads > 1 && widen === 'auto' && outcome.summary.raced === 0) {
      fallback.push({ mode: mode.name, plain: outcome.worst, plainSummary: outcome.summary });
      // It only has to show the race: it stops at the first trial that does.
      outcome = await runTrials(mode, settings(true, Math.min(size.iters, FALLBACK_ITERS)), Math.max(trials, FALLBACK_TRIALS), { ...trialOptions, stopAtRace: true });
    }
    outcomes.push(scenario.modelsBeside ? { ...outcome, worst: await besideModels(scenario, scenarioRef, mode.name, size, outcome, options.signal) } : outcome);
  }
  const results = outcomes.map((o) => o.worst);
  const summaries = outcomes.map((o) => o.summary);
  const withTrials = options.trials !== undefined || untilRace;
  const verdict = checkExpectation(expect, results, withTrials ? summaries : null, size.threads);
  return {
    schemaVersion: 2,
    command: 'run',
    scenario: scenario.name,
    operation: scenario.operation,
    measure: scenario.measure,
    threads: size.threads,
    iters: size.iters,
    barrier: options.barrier ?? true,
    cpus,
    node: platform.version,
    results,
    expect,
    ok: verdict.ok,
    reason: verdict.reason,
    widen,
    trials: withTrials ? { requested: trials, untilRace, modes: summaries } : null,
    fallback,
  };
}

/** A racy mode with a gap to widen: the fallback can make its race show. */
function canWiden(mode: ModeSpec): boolean {
  return mode.racy && mode.gapAfter.length > 0;
}

function validateRunOptions({ trials, expect, widen, lockSpins }: { trials: number; expect: Expectation | null; widen: Widen; lockSpins: number }): void {
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_TRIALS) {
    throw new UsageError(`{trials} ${trials} is invalid: expected an integer from 1 to ${formatInt(MAX_TRIALS)}`);
  }
  if (expect !== null && !EXPECTATIONS.includes(expect)) throw new UsageError(`{expect} '${String(expect)}' is invalid: expected ${EXPECTATIONS.join(' or ')}`);
  if (!WIDEN_CHOICES.includes(widen)) throw new UsageError(`{widen} '${String(widen)}' is invalid: expected ${WIDEN_CHOICES.join(', ')}`);
  if (!Number.isInteger(lockSpins) || lockSpins < 0 || lockSpins > MAX_LOCK_SPINS) {
    throw new UsageError(`{lockSpins} ${lockSpins} is invalid: expected an integer from 0 to ${MAX_LOCK_SPINS}`);
  }
}

/** Where the models of memory beside a test's ends may count, at most: a litmus test needs hundreds; past it they say nothing. */
const BESIDE_STATES = 200_000;

/**
 * A test of memory order's worst trial with each model's verdict on its ends beside it (counted at one
 * round). An end the real threads left over any trial that no model allows is a bug in race-demo or a
 * compiler's reordering: the mode fails, saying so, whatever the test expected.
 */
async function besideModels(scenario: Scenario, scenarioRef: string, mode: string, size: Size, outcome: TrialsOutcome, signal: AbortSignal | undefined): Promise<ModeResult> {
  const names = scenario.ends!.names;
  const models: ModelVerdict[] = [];
  for (const model of scenario.modelsBeside!) {
    try {
      const report = await exploreInterleavings({ scenario: scenarioRef, mode, threads: size.threads, iters: 1, memoryModel: model, maxStates: BESIDE_STATES, ...(signal ? { signal } : {}) });
      models.push({ model, reachable: report.outcomes.flatMap((o) => (o.values ? [o.values] : [])) });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      models.push({ model, reachable: null });
    }
  }
  const counted = models.filter((m) => m.reachable !== null);
  const impossible = counted.length === 0 ? [] : outcome.ends.filter((end) => counted.every((m) => !m.reachable!.some((values) => sameValues(names, values, end.values))));
  const worst = outcome.worst;
  if (impossible.length === 0) return { ...worst, models };
  const shown = impossible.map((end) => `${valuesText(names, end.values)} (${end.rounds} rounds)`).join(', ');
  return {
    ...worst,
    ok: false,
    models,
    summary: [
      ...worst.summary,
      `The real threads left ${shown}, which ${counted.map((m) => m.model).join(' and ')} never allow${counted.length === 1 ? 's' : ''}: a bug in race-demo or a reordering by the compiler, never a pass.`,
    ],
  };
}
