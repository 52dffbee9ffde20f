import { validateTimeout } from '../core/limits.js';
import { modeOf, type Scenario, type SeenEnd, type Size, type TraceStep } from '../core/scenario.js';
import { plural } from '../core/text.js';
import type { Deadlock } from '../core/locks.js';
import { defaultSchedule, modelTrace, type ModelTrace } from '../core/schedule.js';
import { validateFault, type Fault } from '../runtime/fault.js';
import { throwIfInterrupted } from '../runtime/interruption.js';
import { loadTarget, type Target } from '../scenarios/registry.js';
import { ReplayThreads } from './threads.js';

export interface ReplayOptions {
  /** A built-in scenario's name (default "counter"), or the path of a module that exports a scenario (its code runs). */
  readonly scenario?: string;
  /** Default 2. */
  readonly threads?: number;
  /** Operations per thread; default 1. */
  readonly iters?: number;
  /** Default "unsafe". */
  readonly mode?: string;
  /** Which thread (1-based) takes each step, in order; default: each thread in turn (1,2,1,2 for 2 × 1). */
  readonly schedule?: readonly number[];
  /** The most the whole replay may take, in ms; default 10 s plus 10 ms per step. */
  readonly timeoutMs?: number;
  /** Make one thread fail on its turn half-way through its steps (in a mode with a lock, while holding it). */
  readonly fault?: Fault | null;
  readonly signal?: AbortSignal;
  /** Told when the workers have been started (after every check has passed). */
  readonly onSpawned?: (threads: number) => void;
}

/** The `replay` result; `--json` prints exactly this object (docs/json.md). */
export interface ReplayReport {
  readonly schemaVersion: 2;
  readonly command: 'replay';
  readonly scenario: string;
  readonly mode: string;
  readonly threads: number;
  readonly iters: number;
  readonly schedule: readonly number[];
  /** What `watch` in each step is: "counter", "length", "balance". */
  readonly watching: string;
  readonly steps: readonly TraceStep[];
  readonly expected: number;
  readonly actual: number;
  readonly lost: number | null;
  readonly ok: boolean;
  /** Where the schedule left threads stuck for good: who waits for what, as the real threads' shared memory shows it. */
  readonly deadlock: Deadlock | null;
  /** What happened, in the scenario's sentences. */
  readonly summary: readonly string[];
  /** For a scenario whose ends are values (a test written as code): the end the threads left. */
  readonly ends?: readonly SeenEnd[];
  readonly [field: string]: unknown;
}

/**
 * Runs one interleaving of a scenario on real worker threads, one step at a time in the order the
 * schedule gives: each step is released by a turnstile on Atomics.wait / Atomics.notify, so the trace is
 * the same on every run, on any number of CPUs, and it is checked against the model's.
 */
export async function replay(options: ReplayOptions = {}): Promise<ReplayReport> {
  const { scenario, scenarioRef, size, mode } = await replayTarget(options);
  if (options.timeoutMs !== undefined) validateTimeout(options.timeoutMs);
  const fault = options.fault ?? null;
  validateFault(fault, size.threads);
  // The model runs the schedule first: a bad schedule is refused before any thread starts.
  const model = modelTrace(scenario, mode, size, options.schedule ?? defaultSchedule(scenario, mode, size));
  const { schedule } = model;
  throwIfInterrupted(options.signal);

  const threads = ReplayThreads.open(scenario, scenarioRef, mode, size, {
    traceSteps: schedule.length,
    fault,
    faultTurn: fault ? faultTurn(schedule, model, fault.thread, modeOf(scenario, mode)!.lock !== undefined) : -1,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? 10_000 + 10 * schedule.length,
    onSpawned: () => options.onSpawned?.(size.threads),
    lastTurn: (thread) => schedule.lastIndexOf(thread),
  });
  let deadlock: Deadlock | null = null;
  try {
    for (const [i, step] of model.steps.entries()) await threads.take(i, step);
    // Threads a deadlock left stuck never finish; the rest do.
    if (model.stuck.length === 0) await threads.finish();
    else deadlock = threads.deadlock(model.stuck, model.cycle);
  } finally {
    await threads.close();
  }
  throwIfInterrupted(options.signal, { during: `${scenario.name} ${mode} replay`, done: `all ${plural(schedule.length, 'step')} had been taken` });
  return replayReport(scenario, mode, size, schedule, model.steps, threads.cells, deadlock);
}

/** What a replay replays: the scenario (and how workers load it), the size (2 × 1 by default) and the mode (its race), checked. */
export function replayTarget(options: Pick<ReplayOptions, 'scenario' | 'threads' | 'iters' | 'mode'>): Promise<Target> {
  return loadTarget(options, 1);
}

/** What a replay shows: the common fields, the trace, the outcome in the scenario's words, and its own fields. */
export function replayReport(
  scenario: Scenario,
  mode: string,
  size: Size,
  schedule: readonly number[],
  steps: readonly TraceStep[],
  cells: Int32Array,
  deadlock: Deadlock | null,
): ReplayReport {
  const { expected, actual, lost, ok, details, lines, ends } = scenario.outcome(mode, cells, size);
  const traced = scenario.explainTrace?.(steps, size) ?? { details: {}, lines: [] };
  return {
    schemaVersion: 2,
    command: 'replay',
    scenario: scenario.name,
    mode,
    threads: size.threads,
    iters: size.iters,
    schedule: [...schedule],
    watching: scenario.watch.label,
    steps: [...steps],
    expected,
    actual,
    lost,
    ok,
    deadlock,
    summary: [...lines, ...traced.lines, ...(deadlock ? [`Deadlock: ${deadlock.text}.`] : [])],
    ...(ends ? { ends } : {}),
    ...details,
    ...traced.details,
  };
}

/**
 * Which of its turns (0-based) the faulty thread fails on: half-way through its turns, and in a mode
 * with a lock the first turn from there on at which it holds the lock (the last before, if none after).
 */
function faultTurn(schedule: readonly number[], model: ModelTrace, thread: number, locks: boolean): number {
  const turns = schedule.flatMap((t, i) => (t === thread ? [i] : []));
  const middle = Math.floor(turns.length / 2);
  if (!locks) return middle;
  const holding = turns.map((step, turn) => (model.heldBefore[step] ? turn : -1)).filter((turn) => turn >= 0);
  return holding.find((turn) => turn >= middle) ?? holding.at(-1) ?? middle;
}
