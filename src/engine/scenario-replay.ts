import { UsageError } from '../errors.js';
import type { Mode } from '../modes.js';
import { formatInt } from '../text.js';
import { newState, PlainCells, type ProgramState, type Scenario, type Size } from '../scenario/scenario.js';
import { createReplayBuffer, ReplayCell, TraceField, traceEntry } from '../worker/replay-protocol.js';
import { actionCode, type ScenarioJob } from '../worker/scenario-protocol.js';
import { throwIfInterrupted } from './interruption.js';
import { validateTimeout } from './limits.js';
import { validateScenarioRun } from './scenario-run.js';
import { MAX_REPLAY_STEPS } from './schedule.js';
import { runTurnstile } from './turnstile.js';

const SCENARIO_REPLAY_ENTRY = new URL('../worker/scenario-replay-entry.js', import.meta.url);

export interface ScenarioReplayOptions {
  readonly scenario: Scenario;
  readonly mode: Mode;
  readonly threads: number;
  readonly iters: number;
  readonly schedule?: readonly number[];
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onSpawned?: (threads: number) => void;
}

export interface ScenarioTraceStep {
  /** 1-based. */
  readonly step: number;
  readonly thread: number;
  readonly action: string;
  readonly value: number | null;
  /** The watched cell after the step (the list's length, the balance). */
  readonly watch: number;
  /** What the step did that matters ('' for nothing): "overwrites item 1.1: it is lost". */
  readonly note: string;
}

/** `replay --scenario list|withdraw`: what `--json` prints. */
export interface ScenarioReplayReport {
  readonly schemaVersion: 1;
  readonly command: 'replay';
  readonly scenario: string;
  readonly mode: Mode;
  readonly threads: number;
  readonly iters: number;
  readonly schedule: readonly number[];
  /** What `watch` in each step is. */
  readonly watching: string;
  readonly steps: readonly ScenarioTraceStep[];
  readonly expected: number;
  readonly actual: number;
  readonly lost: number | null;
  readonly ok: boolean;
  readonly summary: readonly string[];
  readonly [field: string]: unknown;
}

/** Each thread in turn takes its next step (a blocked step counts), skipping those that are done. */
export function defaultScenarioSchedule(scenario: Scenario, mode: Mode, size: Size): number[] {
  const cells = startingCells(scenario, size);
  const states = Array.from({ length: size.threads }, newState);
  const schedule: number[] = [];
  while (states.some((state) => !scenario.isDone(mode, state, size))) {
    for (let thread = 1; thread <= size.threads; thread++) {
      if (scenario.isDone(mode, states[thread - 1]!, size)) continue;
      scenario.step(mode, thread, states[thread - 1]!, cells, size);
      schedule.push(thread);
    }
    if (schedule.length > MAX_REPLAY_STEPS) throw tooLong(schedule.length);
  }
  return schedule;
}

/** Runs the schedule on the model: the trace the threads must give, and the cells at the end; refuses a bad schedule. */
export function modelTrace(scenario: Scenario, mode: Mode, size: Size, schedule: readonly number[]): { steps: ScenarioTraceStep[]; cells: Int32Array } {
  if (schedule.length === 0) throw new UsageError('--schedule is empty: list which thread takes each step, for example 1,2,1,2');
  if (schedule.length > MAX_REPLAY_STEPS) throw tooLong(schedule.length);
  const cells = startingCells(scenario, size);
  const states: ProgramState[] = Array.from({ length: size.threads }, newState);
  const steps = schedule.map((thread, i): ScenarioTraceStep => {
    const state = states[thread - 1];
    if (!state) throw new UsageError(`--schedule entry ${i + 1} is thread ${thread}, but there are only ${size.threads} threads`);
    if (scenario.isDone(mode, state, size)) throw new UsageError(`--schedule entry ${i + 1} gives thread ${thread} a step, but it has finished`);
    const before = cells.values.slice();
    const step = scenario.step(mode, thread, state, cells, size);
    const note = scenario.annotate?.(step, before, cells.values, size) ?? '';
    return { step: i + 1, thread, action: step.action, value: step.value, watch: cells.values[scenario.watch.cell]!, note };
  });
  const unfinished = states.map((state, i) => (scenario.isDone(mode, state, size) ? 0 : i + 1)).filter((t) => t > 0);
  if (unfinished.length > 0) {
    throw new UsageError(`--schedule ends after ${schedule.length} steps with thread${unfinished.length === 1 ? '' : 's'} ${unfinished.join(', ')} unfinished`);
  }
  return { steps, cells: cells.values };
}

export async function replayScenario(options: ScenarioReplayOptions): Promise<ScenarioReplayReport> {
  const { scenario, mode, threads, iters } = options;
  const size = { threads, iters };
  validateScenarioRun(scenario, size, [mode]);
  const schedule = options.schedule ?? defaultScenarioSchedule(scenario, mode, size);
  // The model runs the schedule first: a bad schedule is refused before any thread starts.
  const expected = modelTrace(scenario, mode, size, schedule);
  if (options.timeoutMs !== undefined) validateTimeout(options.timeoutMs);
  throwIfInterrupted(options.signal);

  const controlBuffer = createReplayBuffer(schedule.length);
  const control = new Int32Array(controlBuffer);
  const buffer = new SharedArrayBuffer(scenario.cellCount(size) * 4);
  scenario.init(new Int32Array(buffer), size);
  const jobs: ScenarioJob[] = Array.from({ length: threads }, (_, i) => ({
    scenario: scenario.name,
    mode,
    thread: i + 1,
    threads,
    iters,
    cells: buffer,
    control: controlBuffer,
    barrier: false,
  }));
  await runTurnstile(SCENARIO_REPLAY_ENTRY, jobs, control, schedule, {
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    onSpawned: options.onSpawned,
    progress: () => ({ mode: `${scenario.name} ${mode}`, counted: Atomics.load(control, ReplayCell.step), expected: schedule.length, unit: 'steps started' }),
  });
  expected.steps.forEach((want, i) => {
    const entry = traceEntry(control, i);
    const value = entry[TraceField.hasValue] === 1 ? entry[TraceField.value]! : null;
    if (entry[TraceField.thread] !== want.thread || entry[TraceField.action] !== actionCode(want.action) || value !== want.value || entry[TraceField.counter] !== want.watch) {
      throw new Error(`the threads' step ${i + 1} differs from the model's (${want.action} ${String(want.value)})`);
    }
  });
  const final = new Int32Array(buffer);
  const { expected: expectedTotal, actual, lost, ok, details, lines } = scenario.outcome(mode, final, size);
  return {
    schemaVersion: 1,
    command: 'replay',
    scenario: scenario.name,
    mode,
    threads,
    iters,
    schedule: [...schedule],
    watching: scenario.watch.label,
    steps: expected.steps,
    expected: expectedTotal,
    actual,
    lost,
    ok,
    ...details,
    summary: lines,
  };
}

function startingCells(scenario: Scenario, size: Size): PlainCells {
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  return new PlainCells(values, scenario.lockCell);
}

function tooLong(steps: number): UsageError {
  return new UsageError(`a replay of ${formatInt(steps)} steps is too long to show; replay prints every step, up to ${formatInt(MAX_REPLAY_STEPS)}: lower --threads or --iters`);
}
