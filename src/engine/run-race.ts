import { availableParallelism } from 'node:os';
import { UsageError } from '../errors.js';
import { checkExpectation, EXPECTATIONS, type Expectation } from '../expectation.js';
import { isMode, MODES, type Mode } from '../modes.js';
import { FAULT_ENV, parseFault } from '../worker/fault.js';
import { throwIfInterrupted } from './interruption.js';
import { DEFAULT_ITERS, DEFAULT_THREADS, validateIters, validateThreads, validateTotal } from './limits.js';
import { runMode, type ModeResult, type RunEvent } from './run-mode.js';

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
  /** Aborting terminates the workers; the promise rejects with an InterruptedError. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
}

/** The `run` result; `--json` prints exactly this object. Later versions only add fields. */
export interface RunReport {
  readonly schemaVersion: 1;
  readonly command: 'run';
  readonly threads: number;
  readonly iters: number;
  readonly barrier: boolean;
  readonly cpus: number;
  readonly node: string;
  readonly results: readonly ModeResult[];
  readonly expect: Expectation | null;
  readonly ok: boolean;
  readonly reason: string | null;
}

/** Runs each mode on real worker threads racing on one shared counter and reports the totals. */
export async function runRace(options: RunOptions = {}): Promise<RunReport> {
  const threads = options.threads ?? DEFAULT_THREADS;
  const iters = options.iters ?? DEFAULT_ITERS;
  const modes = options.modes ?? MODES;
  const barrier = options.barrier ?? true;
  const expect = options.expect ?? null;
  validateThreads(threads);
  validateIters(iters);
  validateTotal(threads, iters);
  validateModes(modes);
  if (expect !== null && !EXPECTATIONS.includes(expect)) {
    throw new UsageError(`--expect '${String(expect)}' is invalid: expected ${EXPECTATIONS.join(' or ')}`);
  }
  const fault = parseFault(process.env[FAULT_ENV]);

  const results: ModeResult[] = [];
  for (const mode of modes) {
    throwIfInterrupted(options.signal);
    results.push(
      await runMode(mode, { threads, iters, barrier, fault, signal: options.signal, onEvent: options.onEvent }),
    );
  }
  const verdict = checkExpectation(expect, results);
  return {
    schemaVersion: 1,
    command: 'run',
    threads,
    iters,
    barrier,
    cpus: availableParallelism(),
    node: process.version,
    results,
    expect,
    ok: verdict.ok,
    reason: verdict.reason,
  };
}

function validateModes(modes: readonly string[]): void {
  if (modes.length === 0) throw new UsageError(`--mode needs at least one of ${MODES.join(', ')}`);
  const unknown = modes.find((mode) => !isMode(mode));
  if (unknown !== undefined) {
    throw new UsageError(`--mode '${unknown}' is invalid: expected ${MODES.join(', ')}, a comma list of them, or all`);
  }
}
