import type { Deadlock } from '../core/locks.js';
import type { Scenario, Size, TraceStep } from '../core/scenario.js';
import { MAX_REPLAY_STEPS, ModelRun } from '../core/schedule.js';
import { formatInt } from '../core/text.js';
import { UsageError } from '../errors.js';
import { replayReport, replayTarget, type ReplayReport } from './replay.js';
import { ReplayThreads } from './threads.js';

export interface SessionOptions {
  /** A built-in scenario's name (default "counter"), or a module's path. */
  readonly scenario?: string;
  /** Default 2. */
  readonly threads?: number;
  /** Default 1. */
  readonly iters?: number;
  /** Default: the scenario's race. */
  readonly mode?: string;
  readonly signal?: AbortSignal;
  /** The most one step may take on the threads, in ms (default 10 s): people take as long as they like between steps. */
  readonly stepTimeoutMs?: number;
}

/**
 * A replay taken one step at a time, on real threads, with the next thread chosen as it goes: what
 * `replay --step` walks a class through and what `play` lets a person schedule. Each step is taken on
 * the model and then on the threads, and must be the same; going back starts fresh threads and takes
 * the steps before again.
 */
export class ReplaySession {
  private model: ModelRun;
  private threads: ReplayThreads;

  private constructor(
    readonly scenario: Scenario,
    private readonly scenarioRef: string,
    readonly mode: string,
    readonly size: Size,
    private readonly options: SessionOptions,
  ) {
    this.model = new ModelRun(scenario, mode, size);
    this.threads = this.openThreads();
  }

  static async open(options: SessionOptions = {}): Promise<ReplaySession> {
    const { scenario, scenarioRef, size, mode } = await replayTarget(options);
    return new ReplaySession(scenario, scenarioRef, mode, size, options);
  }

  /** The steps taken so far, as the model and the threads both took them. */
  get steps(): readonly TraceStep[] {
    return this.model.steps;
  }

  get schedule(): readonly number[] {
    return this.model.schedule;
  }

  /** The shared cells now, on the model (the threads' are the same: each step was checked). */
  get cells(): Int32Array {
    return this.model.cells;
  }

  /** Why `thread` cannot take a step (no such thread, or it is done), or null where it can (it may still find a lock taken). */
  refusal(thread: number): string | null {
    return this.model.refusal(thread);
  }

  /** Whether `thread` would move now, rather than find what it needs taken. */
  canMove(thread: number): boolean {
    return this.model.canMove(thread);
  }

  /** The line of the mode's code `thread` runs next (1-based), or null where it is done or the mode has no code. */
  nextLine(thread: number): number | null {
    return this.model.nextLine(thread);
  }

  /** The threads left that can never move (a deadlock), or none. */
  stuck(): number[] {
    return this.model.stuck();
  }

  /** Whether the replay is over: every thread done, or the rest stuck for good. */
  over(): boolean {
    return this.model.unfinished().length === 0 || this.model.stuck().length > 0;
  }

  /** Takes `thread`'s next step on the model and on its real thread; refused (a UsageError) where `refusal` says so. */
  async take(thread: number): Promise<TraceStep> {
    const refusal = this.model.refusal(thread);
    if (refusal) throw new UsageError(`{thread} ${thread} cannot take a step: ${refusal}`);
    if (this.model.steps.length >= MAX_REPLAY_STEPS) throw new UsageError(`a replay takes at most ${formatInt(MAX_REPLAY_STEPS)} steps`);
    const step = this.model.take(thread);
    await this.threads.take(step.step - 1, step);
    return step;
  }

  /** Takes back the last step: fresh threads take the steps before it again. */
  async back(): Promise<void> {
    const before = this.model.schedule.slice(0, -1);
    await this.threads.close();
    this.model = new ModelRun(this.scenario, this.mode, this.size);
    this.threads = this.openThreads();
    for (const thread of before) await this.take(thread);
  }

  /**
   * The report of the replay as it ended; call once it is over. Where the threads are stuck, each first
   * tries once more, so that the trace and the threads' memory say what every one waits for.
   */
  async finish(): Promise<ReplayReport> {
    let deadlock: Deadlock | null = null;
    const stuck = this.model.stuck();
    if (stuck.length > 0) {
      for (const thread of this.model.lastTries()) await this.take(thread);
      deadlock = this.threads.deadlock(stuck, this.model.cycle());
    } else {
      await this.threads.finish();
    }
    return replayReport(this.scenario, this.mode, this.size, this.model.schedule, this.model.steps, this.threads.cells, deadlock);
  }

  close(): Promise<void> {
    return this.threads.close();
  }

  private openThreads(): ReplayThreads {
    return ReplayThreads.open(this.scenario, this.scenarioRef, this.mode, this.size, {
      traceSteps: MAX_REPLAY_STEPS,
      signal: this.options.signal,
      stepTimeoutMs: this.options.stepTimeoutMs ?? 10_000,
      lastTurn: (thread) => this.model.schedule.lastIndexOf(thread),
    });
  }
}
