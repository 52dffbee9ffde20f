import { UsageError } from '../errors.js';
import { formatInt } from '../text.js';
import { isMode, MODES, type Mode } from '../modes.js';
import { stepsPerThread } from '../scenario/counter.js';
import { ACTIONS, createReplayBuffer, ReplayCell, TraceField, traceEntry, type ReplayJob } from '../worker/replay-protocol.js';
import { throwIfInterrupted } from './interruption.js';
import { runTurnstile } from './turnstile.js';
import { validateIters, validateThreads, validateTimeout } from './limits.js';
import { findLateWrites, type LateWrite } from './replay-analysis.js';
import { checkSchedule, defaultSchedule, MAX_REPLAY_STEPS, type TraceStep } from './schedule.js';

const REPLAY_ENTRY = new URL('../worker/replay-entry.js', import.meta.url);

export interface ReplayOptions {
  /** Default 2. */
  readonly threads?: number;
  /** Increments per thread; default 1. */
  readonly iters?: number;
  /** Default unsafe. */
  readonly mode?: Mode;
  /** Which thread (1-based) takes each step, in order; default: each thread in turn (1,2,1,2 for 2 × 1). */
  readonly schedule?: readonly number[];
  readonly signal?: AbortSignal;
  /** The most the whole replay may take, in ms; default 10 s plus 10 ms per step. */
  readonly timeoutMs?: number;
  /** Told when the workers have been started (after every check has passed). */
  readonly onSpawned?: (threads: number) => void;
}

/** The `replay` result; `--json` prints exactly this object. Later versions only add fields. */
export interface ReplayReport {
  readonly schemaVersion: 1;
  readonly command: 'replay';
  /** Which scenario ran: always the counter here (see --scenario). */
  readonly scenario: 'counter';
  readonly mode: Mode;
  readonly threads: number;
  readonly iters: number;
  readonly schedule: readonly number[];
  readonly steps: readonly TraceStep[];
  readonly expected: number;
  readonly final: number;
  readonly lost: number;
  readonly lateWrites: readonly LateWrite[];
}

/**
 * Runs the counter scenario on real worker threads, one step at a time in the order the schedule
 * gives: each step is released by a turnstile on Atomics.wait / Atomics.notify, so the trace is the
 * same on every run, on any number of CPUs.
 */
export async function replay(options: ReplayOptions = {}): Promise<ReplayReport> {
  const threads = options.threads ?? 2;
  const iters = options.iters ?? 1;
  const mode = options.mode ?? 'unsafe';
  validateThreads(threads);
  validateIters(iters);
  if (!isMode(mode)) throw new UsageError(`--mode '${String(mode)}' is invalid: expected one of ${MODES.join(', ')}`);
  const steps = threads * stepsPerThread(mode, iters);
  if (steps > MAX_REPLAY_STEPS) {
    throw new UsageError(
      `--threads ${threads} × --iters ${iters} in ${mode} mode is ${formatInt(steps)} steps; replay shows every step, ` +
        `up to ${formatInt(MAX_REPLAY_STEPS)}: lower --threads or --iters`,
    );
  }
  const schedule = options.schedule ?? defaultSchedule(mode, threads, iters);
  // The model runs the schedule first: a bad schedule is refused before any thread starts.
  const expectedTrace = checkSchedule(mode, threads, iters, schedule);
  if (options.timeoutMs !== undefined) validateTimeout(options.timeoutMs);
  throwIfInterrupted(options.signal);
  const trace = await replayOnThreads(mode, threads, iters, schedule, options);

  const diverged = trace.findIndex((step, i) => JSON.stringify(step) !== JSON.stringify(expectedTrace[i]));
  if (diverged !== -1) {
    throw new Error(`the threads' step ${diverged + 1} differs from the model's: ${JSON.stringify(trace[diverged])}`);
  }
  const final = trace.at(-1)?.counter ?? 0;
  return {
    schemaVersion: 1,
    command: 'replay',
    scenario: 'counter',
    mode,
    threads,
    iters,
    schedule: [...schedule],
    steps: trace,
    expected: threads * iters,
    final,
    lost: threads * iters - final,
    lateWrites: findLateWrites(trace),
  };
}

async function replayOnThreads(
  mode: Mode,
  threads: number,
  iters: number,
  schedule: readonly number[],
  options: Pick<ReplayOptions, 'signal' | 'onSpawned' | 'timeoutMs'>,
): Promise<TraceStep[]> {
  const buffer = createReplayBuffer(schedule.length);
  const cells = new Int32Array(buffer);
  const jobs: ReplayJob[] = Array.from({ length: threads }, (_, i) => ({ buffer, thread: i + 1, mode, iters }));
  await runTurnstile(REPLAY_ENTRY, jobs, cells, schedule, {
    ...options,
    progress: () => ({ mode, counted: Atomics.load(cells, ReplayCell.counter), expected: threads * iters }),
  });
  return schedule.map((_, i) => readStep(cells, i));
}

function readStep(cells: Int32Array, i: number): TraceStep {
  const entry = traceEntry(cells, i);
  return {
    step: i + 1,
    thread: entry[TraceField.thread]!,
    action: ACTIONS[entry[TraceField.action]!]!,
    value: entry[TraceField.hasValue] === 1 ? entry[TraceField.value]! : null,
    counter: entry[TraceField.counter]!,
  };
}
