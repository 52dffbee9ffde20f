import { validateModes, validateSize, validateTimeout } from '../core/limits.js';
import { modeOf, type Scenario, type Size, type TraceStep } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { InconsistentModelError } from '../errors.js';
import { WORKER_ENTRY } from '../runtime/entries.js';
import { validateFault, type Fault } from '../runtime/fault.js';
import { throwIfInterrupted } from '../runtime/interruption.js';
import { actionCode, Control, createBuffer, TraceField, traceEntry, viewsOf, type Shape, type WorkerJob } from '../runtime/protocol.js';
import { runTurnstile } from '../runtime/turnstile.js';
import { DEFAULT_SCENARIO, loadScenario, scenarioRefForWorkers } from '../scenarios/registry.js';
import { defaultSchedule, modelTrace, type ModelTrace } from '../core/schedule.js';
import { deadlockOf, describeCycle, findAnyCycle, heldNote, lockCount, stuckWithoutCycle, type Deadlock } from '../core/locks.js';
import { WaitBoard } from '../runtime/wait-board.js';

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
  readonly [field: string]: unknown;
}

/**
 * Runs one interleaving of a scenario on real worker threads, one step at a time in the order the
 * schedule gives: each step is released by a turnstile on Atomics.wait / Atomics.notify, so the trace is
 * the same on every run, on any number of CPUs, and it is checked against the model's.
 */
export async function replay(options: ReplayOptions = {}): Promise<ReplayReport> {
  const scenario = await loadScenario(options.scenario ?? DEFAULT_SCENARIO);
  const scenarioRef = await scenarioRefForWorkers(options.scenario ?? DEFAULT_SCENARIO);
  const size: Size = { threads: options.threads ?? 2, iters: options.iters ?? 1 };
  const mode = options.mode ?? scenario.modes[0]!.name;
  validateSize(scenario, size);
  validateModes(scenario, [mode], 'mode');
  if (options.timeoutMs !== undefined) validateTimeout(options.timeoutMs);
  const fault = options.fault ?? null;
  validateFault(fault, size.threads);
  // The model runs the schedule first: a bad schedule is refused before any thread starts.
  const model = modelTrace(scenario, mode, size, options.schedule ?? defaultSchedule(scenario, mode, size));
  const { schedule } = model;
  throwIfInterrupted(options.signal);

  const { cells: final, deadlock } = await replayOnThreads(scenario, scenarioRef, mode, size, schedule, model, fault, options);
  const { expected, actual, lost, ok, details, lines } = scenario.outcome(mode, final, size);
  const traced = scenario.explainTrace?.(model.steps, size) ?? { details: {}, lines: [] };
  return {
    schemaVersion: 2,
    command: 'replay',
    scenario: scenario.name,
    mode,
    threads: size.threads,
    iters: size.iters,
    schedule: [...schedule],
    watching: scenario.watch.label,
    steps: model.steps,
    expected,
    actual,
    lost,
    ok,
    deadlock,
    summary: [...lines, ...traced.lines, ...(deadlock ? [`Deadlock: ${deadlock.text}.`] : [])],
    ...details,
    ...traced.details,
  };
}

async function replayOnThreads(
  scenario: Scenario,
  scenarioRef: string,
  mode: string,
  size: Size,
  schedule: readonly number[],
  model: ModelTrace,
  fault: Fault | null,
  options: ReplayOptions,
): Promise<{ cells: Int32Array; deadlock: Deadlock | null }> {
  const shape: Shape = { threads: size.threads, cells: scenario.cellCount(size), traceSteps: schedule.length };
  const buffer = createBuffer(shape);
  const views = viewsOf(buffer, shape);
  scenario.init(views.cells, size);
  const jobs: WorkerJob[] = Array.from({ length: size.threads }, (_, i) => ({
    scenario: scenarioRef,
    mode,
    thread: i + 1,
    threads: size.threads,
    iters: size.iters,
    buffer,
    shape,
    kind: 'turns',
    barrier: false,
    widen: false,
    evidence: false,
    counting: false,
    ownLoops: false,
    lockSpins: 0,
    fault,
    faultTurn: fault ? faultTurn(schedule, model, fault.thread, modeOf(scenario, mode)!.lock !== undefined) : -1,
  }));
  await runTurnstile(WORKER_ENTRY, jobs, views.control, views.trace, schedule, {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? 10_000 + 10 * schedule.length,
    onSpawned: () => options.onSpawned?.(size.threads),
    progress: () => ({ during: `${scenario.name} ${mode} replay`, done: `${formatInt(Atomics.load(views.control, Control.step))} of ${formatInt(schedule.length)} steps taken so far` }),
    note: (thread) => heldNote(views.cells, scenario.lockCell, lockCount(scenario, size), thread),
    // Threads a deadlock left stuck never finish; the rest do.
    finishing: size.threads - model.stuck.length,
  });
  model.steps.forEach((want, i) => {
    const entry = traceEntry(views.trace, i);
    const value = entry[TraceField.hasValue] === 1 ? entry[TraceField.value]! : null;
    if (entry[TraceField.thread] !== want.thread || entry[TraceField.action] !== actionCode(want.action) || value !== want.value || entry[TraceField.watch] !== want.watch) {
      throw new InconsistentModelError(`the threads' step ${i + 1} differs from the model's (${want.action} ${String(want.value)})`);
    }
  });
  return { cells: views.cells, deadlock: model.stuck.length > 0 ? deadlockOnThreads(views.waits, views.cells, scenario.lockCell, size.threads, model) : null };
}

/** The cycle of waits as the real threads wrote it, which must be the model's. */
function deadlockOnThreads(waits: Int32Array, cells: Int32Array, lockCell: number, threads: number, model: ModelTrace): Deadlock {
  const cycle = findAnyCycle(new WaitBoard(waits, cells, lockCell, threads));
  if (JSON.stringify(cycle) !== JSON.stringify(model.cycle)) {
    throw new InconsistentModelError(`the threads' waits (${cycle ? describeCycle(cycle) : 'no cycle'}) differ from the model's (${model.cycle ? describeCycle(model.cycle) : 'no cycle'})`);
  }
  return cycle ? deadlockOf(cycle) : stuckWithoutCycle(model.stuck);
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
