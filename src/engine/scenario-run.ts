import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import type { Expectation } from '../expectation.js';
import { formatInt } from '../text.js';
import type { Mode } from '../modes.js';
import type { Scenario, Size } from '../scenario/scenario.js';
import { StartBarrier } from '../sync/barrier.js';
import { Cell, createSharedBuffer, finishSlot, RELEASED_AT, startSlot, viewsOf } from '../worker/protocol.js';
import type { ScenarioJob } from '../worker/scenario-protocol.js';
import { Crew } from './crew.js';
import { throwIfInterrupted, watchForInterruption } from './interruption.js';
import { defaultTimeoutMs, validateIters, validateThreads, validateTimeout } from './limits.js';
import { startWatchdog } from './watchdog.js';

const SCENARIO_ENTRY = new URL('../worker/scenario-entry.js', import.meta.url);

export interface ScenarioRunOptions {
  readonly scenario: Scenario;
  readonly threads: number;
  /** Operations per thread (appends, withdrawals). */
  readonly iters: number;
  /** Default: every mode the scenario has. */
  readonly modes?: readonly Mode[];
  readonly barrier?: boolean;
  readonly expect?: Expectation | null;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly onSpawned?: (mode: Mode, threads: number) => void;
}

/** One mode's run, in the scenario's terms, with the scenario's own fields (`missingItems`, `overdrawn`, …) beside the common ones. */
export interface ScenarioModeResult {
  readonly mode: Mode;
  readonly expected: number;
  readonly actual: number;
  readonly lost: number | null;
  /** Whether the scenario's invariant held. */
  readonly ok: boolean;
  readonly elapsedMs: number;
  /** What happened, in sentences (the human report prints these). */
  readonly summary: readonly string[];
  readonly [field: string]: unknown;
}

/** `run --scenario list|withdraw`: what `--json` prints. */
export interface ScenarioRunReport {
  readonly schemaVersion: 1;
  readonly command: 'run';
  readonly scenario: string;
  readonly threads: number;
  readonly iters: number;
  readonly barrier: boolean;
  readonly cpus: number;
  readonly node: string;
  readonly results: readonly ScenarioModeResult[];
  readonly expect: Expectation | null;
  readonly ok: boolean;
  readonly reason: string | null;
}

/** Checks a scenario's size and modes the way the CLI does: a UsageError before any worker starts. */
export function validateScenarioRun(scenario: Scenario, size: Size, modes: readonly Mode[]): void {
  validateThreads(size.threads);
  validateIters(size.iters);
  if (size.threads * size.iters > scenario.maxTotal) {
    throw new UsageError(
      `--threads ${size.threads} × --iters ${formatInt(size.iters)} is ${formatInt(size.threads * size.iters)} operations; ` +
        `the ${scenario.name} scenario takes at most ${formatInt(scenario.maxTotal)}`,
    );
  }
  for (const mode of modes) {
    if (!scenario.modes.includes(mode)) {
      throw new UsageError(`--mode ${mode} is not one of the ${scenario.name} scenario's: expected ${scenario.modes.join(', ')}`);
    }
  }
}

export async function runScenario(options: ScenarioRunOptions): Promise<ScenarioRunReport> {
  const { scenario, threads, iters } = options;
  const size = { threads, iters };
  const modes = options.modes ?? scenario.modes;
  validateScenarioRun(scenario, size, modes);
  if (options.timeoutMs !== undefined) validateTimeout(options.timeoutMs);
  const barrier = options.barrier ?? true;
  const results: ScenarioModeResult[] = [];
  for (const mode of modes) {
    throwIfInterrupted(options.signal);
    results.push(await runMode(scenario, mode, size, barrier, options));
  }
  const expect = options.expect ?? null;
  const broken = results.filter((r) => !r.ok).map((r) => r.mode);
  const ok = expect === null || (expect === 'correct' ? broken.length === 0 : broken.length === results.length);
  const reason =
    expect === null
      ? null
      : expect === 'correct'
        ? broken.length === 0
          ? 'every mode kept the invariant'
          : `expected every mode to keep the invariant, but ${broken.join(', ')} broke it`
        : broken.length === results.length
          ? 'every mode broke the invariant'
          : `expected every mode to break the invariant, but ${results.filter((r) => r.ok).map((r) => r.mode).join(', ')} kept it`;
  return {
    schemaVersion: 1,
    command: 'run',
    scenario: scenario.name,
    threads,
    iters,
    barrier,
    cpus: availableParallelism(),
    node: process.version,
    results,
    expect,
    ok,
    reason,
  };
}

async function runMode(scenario: Scenario, mode: Mode, size: Size, barrier: boolean, options: ScenarioRunOptions): Promise<ScenarioModeResult> {
  const control = createSharedBuffer(size.threads);
  const { cells: controlCells, times } = viewsOf(control, size.threads);
  const buffer = new SharedArrayBuffer(scenario.cellCount(size) * 4);
  const cells = new Int32Array(buffer);
  scenario.init(cells, size);
  const jobs: ScenarioJob[] = Array.from({ length: size.threads }, (_, i) => ({
    scenario: scenario.name,
    mode,
    thread: i + 1,
    threads: size.threads,
    iters: size.iters,
    cells: buffer,
    control,
    barrier,
  }));
  const finished = (thread: number) => Atomics.load(times, finishSlot(thread)) !== 0n;
  const gate = new StartBarrier(controlCells, Cell.arrived, Cell.release);
  const crew = Crew.start(SCENARIO_ENTRY, jobs, { isDone: finished });
  const watchdog = startWatchdog(options.timeoutMs ?? defaultTimeoutMs(size.threads, size.iters, false), () => {
    const unfinished = jobs.map((j) => j.thread).filter((t) => !finished(t));
    return `in ${scenario.name} ${mode} mode; thread${unfinished.length === 1 ? '' : 's'} ${unfinished.join(', ')} had not finished`;
  });
  const interruption = watchForInterruption(options.signal, () => ({
    mode: `${scenario.name} ${mode}`,
    counted: jobs.filter((job) => finished(job.thread)).length,
    expected: size.threads,
    unit: 'threads finished',
  }));
  options.onSpawned?.(mode, size.threads);
  try {
    await Promise.race([crew.finished, interruption.promise, watchdog.promise]);
    let first = times[startSlot(1)]!;
    let last = 0n;
    for (let t = 1; t <= size.threads; t++) {
      if (times[startSlot(t)]! < first) first = times[startSlot(t)]!;
      if (times[finishSlot(t)]! > last) last = times[finishSlot(t)]!;
    }
    const startedAt = barrier ? times[RELEASED_AT]! : first;
    const { expected, actual, lost, ok, details, lines } = scenario.outcome(mode, cells, size);
    return { mode, expected, actual, lost, ok, elapsedMs: Math.round(Number(last - startedAt) / 1e3) / 1e3, ...details, summary: lines };
  } finally {
    watchdog.dispose();
    interruption.dispose();
    gate.abandon();
    await crew.terminate();
  }
}
