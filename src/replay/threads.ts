import { deadlockOf, describeCycle, findAnyCycle, heldNote, lockCount, stuckWithoutCycle, type Deadlock, type WaitLink } from '../core/locks.js';
import type { Scenario, Size, TraceStep } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { InconsistentModelError } from '../errors.js';
import type { Fault } from '../runtime/fault.js';
import { actionCode, Control, createBuffer, TraceField, traceEntry, viewsOf, type Shape, type Views, type WorkerJob } from '../runtime/protocol.js';
import { Turnstile } from '../runtime/turnstile.js';
import { WaitBoard } from '../runtime/wait-board.js';

export interface ReplayThreadsOptions {
  /** How many steps the trace holds. */
  readonly traceSteps: number;
  readonly fault?: Fault | null;
  /** The turn (0-based, of the faulty thread's turns) at which it fails. */
  readonly faultTurn?: number;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number;
  readonly stepTimeoutMs?: number;
  readonly onSpawned?: (() => void) | undefined;
  /** The step (0-based) of `thread`'s last turn so far, for telling a worker that finished from one that quit. */
  readonly lastTurn: (thread: number) => number;
}

/**
 * The real threads of a replay: one worker per thread over one buffer, each step released by the
 * turnstile and checked against the step the model says it must be.
 */
export class ReplayThreads {
  private readonly views: Views;

  private constructor(
    private readonly scenario: Scenario,
    private readonly size: Size,
    private readonly turnstile: Turnstile,
    views: Views,
  ) {
    this.views = views;
  }

  static open(scenario: Scenario, scenarioRef: string, mode: string, size: Size, options: ReplayThreadsOptions): ReplayThreads {
    const shape: Shape = { threads: size.threads, cells: scenario.cellCount(size), traceSteps: options.traceSteps };
    const buffer = createBuffer(shape);
    const views = viewsOf(buffer, shape);
    scenario.init(views.cells, size);
    const fault = options.fault ?? null;
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
      faultTurn: options.faultTurn ?? -1,
    }));
    const locks = lockCount(scenario, size);
    const turnstile = Turnstile.open(
      jobs,
      views.control,
      views.trace,
      {
        signal: options.signal,
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        ...(options.stepTimeoutMs !== undefined ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
        onSpawned: options.onSpawned,
        progress: () => ({ during: `${scenario.name} ${mode} replay`, done: `${formatInt(Atomics.load(views.control, Control.entry))} steps taken so far` }),
        note: (thread) => heldNote(views.cells, scenario.lockCell, locks, thread),
      },
      options.lastTurn,
    );
    return new ReplayThreads(scenario, size, turnstile, views);
  }

  /** The shared cells as the threads left them. */
  get cells(): Int32Array {
    return this.views.cells;
  }

  /** Has the thread of `want` take step `index` (0-based) on the real threads; throws if it is not the model's step. */
  async take(index: number, want: TraceStep): Promise<void> {
    await this.turnstile.take(index, want.thread);
    const entry = traceEntry(this.views.trace, index);
    const value = entry[TraceField.hasValue] === 1 ? entry[TraceField.value]! : null;
    if (entry[TraceField.thread] !== want.thread || entry[TraceField.action] !== actionCode(want.action) || value !== want.value || entry[TraceField.watch] !== want.watch) {
      throw new InconsistentModelError(`the threads' step ${index + 1} differs from the model's (${want.action} ${String(want.value)})`);
    }
  }

  /** Waits for every worker to exit, all done. */
  finish(): Promise<void> {
    return this.turnstile.finish();
  }

  /** Where the threads are stuck for good: the cycle of waits their shared memory shows, which must be the model's. */
  deadlock(stuck: readonly number[], modelCycle: WaitLink[] | null): Deadlock {
    const cycle = findAnyCycle(new WaitBoard(this.views.waits, this.views.cells, this.scenario.lockCell, this.size.threads));
    if (JSON.stringify(cycle) !== JSON.stringify(modelCycle)) {
      throw new InconsistentModelError(`the threads' waits (${cycle ? describeCycle(cycle) : 'no cycle'}) differ from the model's (${modelCycle ? describeCycle(modelCycle) : 'no cycle'})`);
    }
    return cycle ? deadlockOf(cycle) : stuckWithoutCycle(stuck);
  }

  close(): Promise<void> {
    return this.turnstile.close();
  }
}
