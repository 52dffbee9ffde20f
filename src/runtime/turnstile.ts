import type { PartialProgress } from '../errors.js';
import { Crew, type CrewJob, type ThreadLook } from './crew.js';
import { watchForInterruption, type Interruption } from './interruption.js';
import { Control, IDLE, STOP, TraceField, traceEntry } from './protocol.js';
import { startWatchdog, type Watchdog } from './watchdog.js';

// The replay's turnstile on two control cells: the coordinator names the thread whose turn it is and
// wakes it; that thread takes exactly one step, writes it into the trace, and hands the turn back.

export interface TurnstileOptions {
  readonly signal?: AbortSignal | undefined;
  /** The most the whole replay may take, in ms (a replay run straight through). */
  readonly timeoutMs?: number;
  /** The most one step may take, in ms (an interactive replay, which waits for people between steps). */
  readonly stepTimeoutMs?: number;
  readonly onSpawned?: (() => void) | undefined;
  /** How far it had got, for an interruption's message. */
  readonly progress: () => PartialProgress;
  /** What the shared memory says of a failed thread. */
  readonly note?: (thread: number) => string;
}

/**
 * The coordinator side of one replay's workers: one per thread, each taking a step only when its turn
 * is named. Steps are taken one call at a time, so an interactive replay can wait for a key in between.
 */
export class Turnstile {
  private readonly crew: Crew;
  private readonly watchdog: Watchdog | null;
  private readonly interruption: Interruption;

  private constructor(
    jobs: readonly CrewJob[],
    private readonly control: Int32Array,
    trace: Int32Array,
    private readonly options: TurnstileOptions,
    lastTurn: (thread: number) => number,
  ) {
    const look: ThreadLook = {
      isDone: (thread) => traceEntry(trace, lastTurn(thread))[TraceField.thread] === thread,
      ...(options.note ? { note: options.note } : {}),
    };
    this.crew = Crew.start(jobs, look, options.onSpawned);
    this.watchdog = options.timeoutMs === undefined ? null : startWatchdog(options.timeoutMs, () => this.where());
    this.interruption = watchForInterruption(options.signal, options.progress);
  }

  /**
   * Starts the workers. `lastTurn(thread)` is the step (0-based) of the thread's last turn so far: a
   * worker that exits cleanly had finished if its last turn is in the trace as its own.
   */
  static open(jobs: readonly CrewJob[], control: Int32Array, trace: Int32Array, options: TurnstileOptions, lastTurn: (thread: number) => number): Turnstile {
    return new Turnstile(jobs, control, trace, options, lastTurn);
  }

  /** Lets `thread` take step `index` (0-based) and waits until it has written it into the trace. */
  async take(index: number, thread: number): Promise<void> {
    const stepWatchdog = this.options.stepTimeoutMs === undefined ? null : startWatchdog(this.options.stepTimeoutMs, () => this.where());
    try {
      Atomics.store(this.control, Control.entry, index);
      Atomics.store(this.control, Control.turn, thread);
      Atomics.notify(this.control, Control.turn);
      await Promise.race([turnReturned(this.control), this.crew.failed, this.interruption.promise, ...this.deadlines(stepWatchdog)]);
    } finally {
      stepWatchdog?.dispose();
    }
  }

  /** Waits until every worker has exited cleanly, done with its steps. */
  async finish(): Promise<void> {
    await Promise.race([this.crew.finished, this.interruption.promise, ...this.deadlines(null)]);
  }

  /** Stops the workers still waiting for a turn, and ends them all. */
  async close(): Promise<void> {
    this.watchdog?.dispose();
    this.interruption.dispose();
    Atomics.store(this.control, Control.turn, STOP);
    Atomics.notify(this.control, Control.turn);
    await this.crew.terminate(this.options.signal);
  }

  private deadlines(step: Watchdog | null): Promise<never>[] {
    return [this.watchdog?.promise, step?.promise].filter((p): p is Promise<never> => p !== undefined);
  }

  private where(): string {
    const step = Atomics.load(this.control, Control.entry);
    const turn = Atomics.load(this.control, Control.turn);
    return `at step ${step + 1}${turn > 0 ? `, thread ${turn}'s turn` : ''}`;
  }
}

/** Resolves when the thread on turn hands the turn back. */
async function turnReturned(control: Int32Array): Promise<void> {
  for (;;) {
    const turn = Atomics.load(control, Control.turn);
    if (turn === IDLE || turn === STOP) return;
    const outcome = Atomics.waitAsync(control, Control.turn, turn);
    if (outcome.async) await outcome.value;
  }
}

/** Worker side: sleeps until it is `thread`'s turn (true) or the replay is stopped (false). */
export function waitForTurn(control: Int32Array, thread: number): boolean {
  for (;;) {
    const turn = Atomics.load(control, Control.turn);
    if (turn === thread) return true;
    if (turn === STOP) return false;
    Atomics.wait(control, Control.turn, turn);
  }
}

/** Worker side: writes the step just taken into the trace, at the entry the coordinator named. */
export function recordStep(control: Int32Array, trace: Int32Array, thread: number, action: number, value: number | null, watched: number): void {
  const entry = traceEntry(trace, Atomics.load(control, Control.entry));
  entry[TraceField.thread] = thread;
  entry[TraceField.action] = action;
  entry[TraceField.hasValue] = value === null ? 0 : 1;
  entry[TraceField.value] = value ?? 0;
  entry[TraceField.watch] = watched;
}

/** Worker side: hands the turn back once the step is in the trace; the seq-cst store orders the trace's writes before the coordinator's next look. */
export function endTurn(control: Int32Array): void {
  Atomics.store(control, Control.turn, IDLE);
  Atomics.notify(control, Control.turn);
}
