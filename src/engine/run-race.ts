import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { checkExpectation, EXPECTATIONS, type Expectation } from '../expectation.js';
import { isMode, MODES, type Mode } from '../modes.js';
import { FAULT_ENV, parseFault } from '../worker/fault.js';
import { throwIfInterrupted } from './interruption.js';
import {
  DEFAULT_ITERS,
  DEFAULT_LOCK_SPINS,
  DEFAULT_THREADS,
  DEFAULT_UNTIL_RACE_TRIALS,
  defaultTimeoutMs,
  MAX_LOCK_SPINS,
  validateIters,
  validateThreads,
  validateTimeout,
  validateTotal,
  validateTrials,
} from './limits.js';
import type { ModeResult, RunEvent, TrialSettings } from './trial.js';
import { WIDEN_CHOICES, type Widen } from './widen.js';
import { runTrials, type TrialsOutcome, type TrialsSummary } from './trials.js';

export interface RunOptions {
  /** Worker threads, 1 to 256; default 4. */
  readonly threads?: number;
  /** Increments per thread; default 100,000. threads × iters must fit the 32-bit counter. */
  readonly iters?: number;
  /** Modes to run one after the other, each on fresh workers; default all. */
  readonly modes?: readonly Mode[];
  /** Hold every worker at a start barrier and release them together; default true. */
  readonly barrier?: boolean;
  readonly expect?: Expectation | null;
  /** Run each mode this many times (1 to 10,000) and summarise; the report gains `trials`. */
  readonly trials?: number;
  /** Stop a mode at its first trial that loses updates; `trials` is then the most it tries (default 100). */
  readonly untilRace?: boolean;
  /**
   * Sleep briefly between each read and its write (unsafe, lock). `always`: every trial; `auto` (the
   * default): only when expecting a race (`expect: 'race'` or `untilRace`) and the plain unsafe trials
   * showed none; `never`: not at all.
   */
  readonly widen?: Widen;
  /**
   * Have the unsafe threads record the lost updates they see (default true). It costs the plain unsafe
   * loop about 1.7 times its time per increment; turn it off to time the bare read-modify-write.
   */
  readonly evidence?: boolean;
  /**
   * Count, per thread, lock acquisitions, contended ones, spins, sleeps and wake-ups (default false;
   * `--stats` and `--json` turn it on). Increments, finish times, cas retries and fairness are always
   * reported; only the lock counts cost the loop anything (bench/RESULTS.md states how much).
   */
  readonly stats?: boolean;
  /** How many times the mutex looks at a taken lock before it sleeps (default DEFAULT_LOCK_SPINS). */
  readonly lockSpins?: number;
  /**
   * The most one run of the workers (one mode, one trial) may take, in ms; past it every worker is
   * terminated and the promise rejects with a TimedOutError. Default: scaled to the work (defaultTimeoutMs).
   */
  readonly timeoutMs?: number;
  /** Aborting terminates the workers; the promise rejects with an InterruptedError. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

/** A mode whose plain trials showed no race and that was run again with the gap widened. */
export interface Fallback {
  readonly mode: Mode;
  /** How many plain trials had shown nothing. */
  readonly plainTrials: number;
}

/** The `run` result; `--json` prints exactly this object. Later versions only add fields. */
export interface RunReport {
  readonly schemaVersion: 1;
  readonly command: 'run';
  /** Which scenario ran: always the counter here (see --scenario). */
  readonly scenario: 'counter';
  readonly threads: number;
  readonly iters: number;
  readonly barrier: boolean;
  readonly cpus: number;
  readonly node: string;
  /** One per mode; with trials, the trial that lost the most. */
  readonly results: readonly ModeResult[];
  readonly expect: Expectation | null;
  readonly ok: boolean;
  readonly reason: string | null;
  readonly widen: Widen;
  /** Present (not null) when trials were asked for. */
  readonly trials: { readonly requested: number; readonly untilRace: boolean; readonly modes: readonly TrialsSummary[] } | null;
  readonly fallback: readonly Fallback[];
}

/** Runs each mode on real worker threads racing on one shared counter and reports the totals. */
export async function runRace(options: RunOptions = {}): Promise<RunReport> {
  const threads = options.threads ?? DEFAULT_THREADS;
  const iters = options.iters ?? DEFAULT_ITERS;
  const modes = options.modes ?? MODES;
  const barrier = options.barrier ?? true;
  const expect = options.expect ?? null;
  const untilRace = options.untilRace ?? false;
  const widen = options.widen ?? 'auto';
  const trials = options.trials ?? (untilRace ? DEFAULT_UNTIL_RACE_TRIALS : 1);
  validateThreads(threads);
  validateIters(iters);
  validateTotal(threads, iters);
  validateTrials(trials);
  if (options.timeoutMs !== undefined) validateTimeout(options.timeoutMs);
  const timeoutFor = (widened: boolean) => options.timeoutMs ?? defaultTimeoutMs(threads, iters, widened);
  validateModes(modes);
  if (expect !== null && !EXPECTATIONS.includes(expect)) {
    throw new UsageError(`--expect '${String(expect)}' is invalid: expected ${EXPECTATIONS.join(' or ')}`);
  }
  if (!WIDEN_CHOICES.includes(widen)) {
    throw new UsageError(`--widen '${String(widen)}' is invalid: expected ${WIDEN_CHOICES.join(', ')}`);
  }
  const fault = parseFault(process.env[FAULT_ENV]);
  const lockSpins = options.lockSpins ?? DEFAULT_LOCK_SPINS;
  if (!Number.isInteger(lockSpins) || lockSpins < 0 || lockSpins > MAX_LOCK_SPINS) {
    throw new UsageError(`lockSpins ${lockSpins} is invalid: expected an integer from 0 to ${MAX_LOCK_SPINS}`);
  }
  const wantsRace = expect === 'race' || untilRace;

  const outcomes: TrialsOutcome[] = [];
  const fallback: Fallback[] = [];
  for (const mode of modes) {
    throwIfInterrupted(options.signal);
    const settings: TrialSettings = {
      threads,
      iters,
      barrier,
      widen: widen === 'always',
      evidence: options.evidence ?? true,
      counting: options.stats ?? false,
      lockSpins,
      fault,
      timeoutMs: timeoutFor(widen === 'always'),
      signal: options.signal,
      onEvent: options.onEvent,
    };
    let outcome = await runTrials(mode, settings, trials, untilRace);
    // A plain race that did not show proves nothing; widening the gap makes it show at any size.
    if (mode === 'unsafe' && widen === 'auto' && wantsRace && outcome.summary.raced === 0) {
      fallback.push({ mode, plainTrials: outcome.summary.run });
      outcome = await runTrials(mode, { ...settings, widen: true, timeoutMs: timeoutFor(true) }, trials, untilRace);
    }
    outcomes.push(outcome);
  }
  const results = outcomes.map((o) => o.worst);
  const summaries = outcomes.map((o) => o.summary);
  const withTrials = options.trials !== undefined || untilRace;
  const verdict = checkExpectation(expect, results, withTrials ? summaries : null);
  return {
    schemaVersion: 1,
    command: 'run',
    scenario: 'counter',
    threads,
    iters,
    barrier,
    cpus: availableParallelism(),
    node: process.version,
    results,
    expect,
    ok: verdict.ok,
    reason: verdict.reason,
    widen,
    trials: withTrials ? { requested: trials, untilRace, modes: summaries } : null,
    fallback,
  };
}

function validateModes(modes: readonly string[]): void {
  if (modes.length === 0) throw new UsageError(`--mode needs at least one of ${MODES.join(', ')}`);
  const unknown = modes.find((mode) => !isMode(mode));
  if (unknown !== undefined) {
    throw new UsageError(`--mode '${unknown}' is invalid: expected ${MODES.join(', ')}, a comma list of them, or all`);
  }
}
