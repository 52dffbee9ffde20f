import { deadlockOf, describeCycle, findAnyCycle, heldNote, lockCount, type Deadlock } from '../core/locks.js';
import type { ModeSpec, ModelVerdict, Scenario, SeenEnd, Sighting, Size } from '../core/scenario.js';
import { Evidence as EvidenceCell } from '../core/thread-cells.js';
import { formatInt, listOf } from '../core/text.js';
import { InconsistentModelError, type PartialProgress } from '../errors.js';
import { Crew } from '../runtime/crew.js';
import { watchForInterruption } from '../runtime/interruption.js';
import { clearForTrial, Control, createBuffer, deadlockSlot, finishSlot, RELEASED_AT, startSlot, STOP, viewsOf, type Shape, type Views, type WorkerJob } from '../runtime/protocol.js';
import { nowNs } from '../runtime/clock.js';
import { WaitBoard } from '../runtime/wait-board.js';
import { startWatchdog } from '../runtime/watchdog.js';
import { StartBarrier } from '../sync/barrier.js';
import { fairnessOf, readThreadStats, type Fairness, type ThreadStats } from './thread-stats.js';

/** What the threads of a racy mode saw of the race for themselves while they ran. */
export interface Evidence {
  /** How many sightings the threads made in all. */
  readonly sightings: number;
  /** The one that cost the most; null when no thread saw one. */
  readonly largest: Sighting | null;
}

/** One mode's run: the common fields, then the scenario's own (`missingItems`, `overdrawn`, …). */
export interface ModeResult {
  readonly mode: string;
  readonly expected: number;
  readonly actual: number;
  /** expected − actual where that counts updates lost (the counter, the list); null where it does not. */
  readonly lost: number | null;
  /** lost / expected, 4 decimals; null with lost. */
  readonly lostRatio: number | null;
  /** Whether the scenario's invariant held. */
  readonly ok: boolean;
  /** Operations per thread in this run: the run's own, or fewer where a widened rerun took fewer. */
  readonly iters: number;
  /** From the release (or, without a barrier, the first worker's start) to the last worker's finish. */
  readonly elapsedMs: number;
  /** Operations per second of elapsed time. */
  readonly opsPerSec: number;
  /** Whether the gap between a read and its write was widened with a short sleep. */
  readonly widened: boolean;
  /** For a racy mode, when recorded; null otherwise. */
  readonly evidence: Evidence | null;
  /** Per thread, in thread order. */
  readonly threadStats: readonly ThreadStats[];
  /** Over the threads' finish times; null when not every thread finished (a deadlock). */
  readonly fairness: Fairness | null;
  /** The cycle of waits that stopped the threads for good; null when they all finished. */
  readonly deadlock: RunDeadlock | null;
  /** What happened, in the scenario's sentences. */
  readonly summary: readonly string[];
  /** For a scenario whose ends are values: each end the threads left (Outcome.ends). */
  readonly ends?: readonly SeenEnd[];
  /** For a test of memory order: what each model allows of its ends, beside what the threads left (Scenario.modelsBeside); else absent. */
  readonly models?: readonly ModelVerdict[] | null;
  readonly [field: string]: unknown;
}

/** What the scenario's outcome added to a mode's result (its Outcome.details): what its own table is made of. */
export function detailsOf(result: ModeResult): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(result).filter(([key]) => !COMMON_FIELDS.has(key)));
}

const COMMON_FIELDS = new Set(['mode', 'expected', 'actual', 'lost', 'lostRatio', 'ok', 'iters', 'elapsedMs', 'opsPerSec', 'widened', 'evidence', 'threadStats', 'fairness', 'deadlock', 'summary', 'models']);

/** A deadlock on real threads: the cycle, when the threads found it, and how long the coordinator took to end it. */
export interface RunDeadlock extends Deadlock {
  /** The thread that found it, as it was about to sleep. */
  readonly foundBy: number;
  /** From the release to the moment that thread found it. */
  readonly foundAtMs: number;
  /** From that moment to the coordinator's knowing it (the workers are then ended). */
  readonly noticedAfterMs: number;
}

export type RunEvent =
  | { readonly type: 'spawned'; readonly mode: string; readonly threads: number }
  | { readonly type: 'released'; readonly mode: string }
  | { readonly type: 'finished'; readonly mode: string; readonly result: ModeResult }
  | { readonly type: 'trial'; readonly mode: string; readonly trial: number; readonly of: number; readonly raced: number };

/** How a mode's trials are run: what every worker is told, and the rest. */
export interface TrialSettings extends Pick<WorkerJob, 'barrier' | 'widen' | 'evidence' | 'counting' | 'ownLoops' | 'lockSpins' | 'fault'> {
  readonly scenario: Scenario;
  /** How the workers load it: its name, or its module's path. */
  readonly scenarioRef: string;
  readonly size: Size;
  /** The most one trial may take. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: RunEvent) => void) | undefined;
}

/**
 * The workers of one mode, kept across its trials: a worker costs about 70 ms to start and a small trial
 * a millisecond to run. Before each trial the coordinator resets the memory, then names the trial;
 * the workers meet at the barrier, run, and count themselves finished.
 */
export class TrialCrew {
  private readonly views: Views;
  private readonly gate: StartBarrier;
  private readonly crew: Crew;
  private stopping = false;
  private trialsRun = 0;
  /** Set when a trial ended in a deadlock: its workers are stuck for good, and the next trial needs new ones. */
  deadlocked = false;

  private constructor(
    private readonly mode: ModeSpec,
    private readonly settings: TrialSettings,
    buffer: SharedArrayBuffer,
    shape: Shape,
  ) {
    const { size } = settings;
    this.views = viewsOf(buffer, shape);
    this.gate = new StartBarrier(this.views.control, Control.arrived, Control.release);
    const jobs: WorkerJob[] = Array.from({ length: size.threads }, (_, i) => ({
      scenario: settings.scenarioRef,
      mode: mode.name,
      thread: i + 1,
      threads: size.threads,
      iters: size.iters,
      buffer,
      shape,
      kind: 'free',
      barrier: settings.barrier,
      widen: settings.widen,
      evidence: settings.evidence,
      counting: settings.counting,
      ownLoops: settings.ownLoops,
      lockSpins: settings.lockSpins,
      fault: settings.fault,
      faultTurn: -1,
    }));
    this.crew = Crew.start(jobs, { isDone: () => this.stopping, note: (thread) => this.heldBy(thread) }, () =>
      settings.onEvent?.({ type: 'spawned', mode: mode.name, threads: size.threads }),
    );
  }

  static start(mode: ModeSpec, settings: TrialSettings): TrialCrew {
    const shape: Shape = { threads: settings.size.threads, cells: settings.scenario.cellCount(settings.size), traceSteps: 0 };
    return new TrialCrew(mode, settings, createBuffer(shape), shape);
  }

  /** Runs the crew's next trial on fresh memory and measures what the threads did. */
  async run(label: string): Promise<ModeResult> {
    const trial = ++this.trialsRun;
    const { scenario, size, barrier } = this.settings;
    const { views, mode } = this;
    this.resetMemory();
    const finished = (thread: number) => Atomics.load(views.times, finishSlot(thread)) !== 0n;
    const interruption = watchForInterruption(this.settings.signal, () => progressOf(scenario, mode, size, views, finished, label));
    const watchdog = startWatchdog(this.settings.timeoutMs, () => explainTimeout(mode, size.threads, barrier, this.gate.arrivedCount(), (thread) => this.heldBy(thread), finished));
    try {
      Atomics.store(views.control, Control.trial, trial);
      Atomics.notify(views.control, Control.trial);
      if (barrier) {
        await Promise.race([this.gate.released(), this.crew.failed, interruption.promise, watchdog.promise]);
        this.settings.onEvent?.({ type: 'released', mode: mode.name });
      }
      await Promise.race([allFinishedOrDeadlocked(views.control, size.threads), this.crew.failed, interruption.promise, watchdog.promise]);
      const noticedAt = nowNs();
      this.deadlocked = Atomics.load(views.control, Control.deadlock) !== 0;
      const result = this.measure(this.deadlocked ? noticedAt : null);
      this.settings.onEvent?.({ type: 'finished', mode: mode.name, result });
      return result;
    } finally {
      watchdog.dispose();
      interruption.dispose();
      this.gate.abandon();
    }
  }

  /** Lets the workers go, and ends any that are still running. */
  async close(): Promise<void> {
    this.stopping = true;
    Atomics.store(this.views.control, Control.trial, STOP);
    Atomics.notify(this.views.control, Control.trial);
    // A mode's threads end before the next mode's start, which they would slow; an interrupted run need not wait.
    await this.crew.terminate(this.settings.signal);
  }

  private heldBy(thread: number): string {
    const { scenario, size } = this.settings;
    return this.mode.lock ? heldNote(this.views.cells, scenario.lockCell, lockCount(scenario, size), thread) : '';
  }

  /** The memory back to where a fresh run starts. */
  private resetMemory(): void {
    clearForTrial(this.views);
    this.settings.scenario.init(this.views.cells, this.settings.size);
  }

  /** What the threads did; `deadlockNoticedAt` when the trial ended in a deadlock (the time the coordinator knew). */
  private measure(deadlockNoticedAt: bigint | null): ModeResult {
    const { scenario, size, barrier, counting } = this.settings;
    const { views, mode } = this;
    const startedAt = barrier ? views.times[RELEASED_AT]! : extreme(views.times, size.threads, startSlot, -1);
    const foundAt = Atomics.load(views.times, deadlockSlot(size.threads));
    const endedAt = deadlockNoticedAt === null ? extreme(views.times, size.threads, finishSlot, 1) : foundAt;
    const elapsedNs = Number(endedAt - startedAt);
    const threadStats = Array.from({ length: size.threads }, (_, i) => {
      const finishedAt = views.times[finishSlot(i + 1)]!;
      return readThreadStats(mode, views.statsOf(i + 1), i + 1, finishedAt === 0n ? null : round(Number(finishedAt - startedAt) / 1e6, 3), counting);
    });
    const operations = threadStats.reduce((sum, t) => sum + t.operations, 0);
    const cycle = deadlockNoticedAt === null ? null : findAnyCycle(new WaitBoard(views.waits, views.cells, scenario.lockCell, size.threads));
    if (deadlockNoticedAt !== null && !cycle) throw new InconsistentModelError('a thread reported a deadlock, but the shared memory shows no cycle of waits');
    const finishTimes = threadStats.flatMap((t) => (t.finishMs === null ? [] : [t.finishMs]));
    const { expected, actual, lost, ok, details, lines, ends } = scenario.outcome(mode.name, views.cells, size);
    return {
      mode: mode.name,
      expected,
      actual,
      lost,
      lostRatio: lost === null ? null : round(lost / expected, 4),
      ok,
      iters: size.iters,
      elapsedMs: round(elapsedNs / 1e6, 3),
      // Where the threads meet every operation (a round), each is every thread's at once: counted once.
      opsPerSec: elapsedNs > 0 ? Math.round((mode.meets ? operations / size.threads : operations) / (elapsedNs / 1e9)) : 0,
      widened: this.settings.widen && mode.gapAfter.length > 0,
      evidence: mode.racy && this.settings.evidence && scenario.describeSighting ? readEvidence(scenario, size, views) : null,
      threadStats,
      fairness: finishTimes.length === size.threads ? fairnessOf(finishTimes) : null,
      deadlock:
        cycle && deadlockNoticedAt !== null
          ? { ...deadlockOf(cycle), foundBy: Atomics.load(views.control, Control.deadlock), foundAtMs: round(Number(foundAt - startedAt) / 1e6, 3), noticedAfterMs: round(Number(deadlockNoticedAt - foundAt) / 1e6, 3) }
          : null,
      summary: cycle ? [...lines, `Deadlock: ${describeCycle(cycle)}.`] : lines,
      ...(ends ? { ends } : {}),
      ...details,
    };
  }
}

/** Resolves when every thread has counted itself finished with the trial, or one has found them deadlocked. */
async function allFinishedOrDeadlocked(control: Int32Array, threads: number): Promise<void> {
  for (;;) {
    const finished = Atomics.load(control, Control.finished);
    if (finished >= threads || Atomics.load(control, Control.deadlock) !== 0) return;
    const outcome = Atomics.waitAsync(control, Control.finished, finished);
    if (outcome.async) await outcome.value;
  }
}

/** What the cells showed when the run was stopped from outside. */
function progressOf(scenario: Scenario, mode: ModeSpec, size: Size, views: Views, finished: (thread: number) => boolean, trialLabel: string): PartialProgress {
  const done = Array.from({ length: size.threads }, (_, i) => i + 1).filter(finished).length;
  const sofar = scenario.progressOf?.(views.cells, size) ?? `${scenario.measure} at ${formatInt(scenario.measureOf(views.cells, size))} so far`;
  return {
    during: trialLabel ? `${mode.name}, ${trialLabel}` : mode.name,
    done: `${sofar}, ${done} of ${size.threads} threads finished`,
  };
}

/** What the shared memory showed when time ran out: who never arrived, who held the lock, who was not done. */
function explainTimeout(mode: ModeSpec, threads: number, barrier: boolean, arrived: number, heldBy: (thread: number) => string, finished: (thread: number) => boolean): string {
  if (barrier && arrived < threads) return `in ${mode.name} mode; only ${arrived} of ${threads} threads reached the start barrier`;
  const unfinished = Array.from({ length: threads }, (_, i) => i + 1).filter((t) => !finished(t));
  const holders = Array.from({ length: threads }, (_, i) => i + 1).flatMap((t) => {
    const note = heldBy(t);
    return note ? [`thread ${t} ${note.replace(/^it /, '')}`] : [];
  });
  const held = holders.length > 0 ? `; ${holders.join(', ')}` : '';
  const waiting = unfinished.length === 1 ? `thread ${unfinished[0]} had` : `threads ${listOf(unfinished)} had`;
  return `in ${mode.name} mode${held}; ${waiting} not finished`;
}

function readEvidence(scenario: Scenario, size: Size, views: Views): Evidence {
  let sightings = 0;
  let largest: Sighting | null = null;
  for (let thread = 1; thread <= size.threads; thread++) {
    const cells = views.evidenceOf(thread);
    if (cells[EvidenceCell.count] === 0) continue;
    sightings += cells[EvidenceCell.count]!;
    const sighting = scenario.describeSighting?.(thread, cells[EvidenceCell.kind]!, cells[EvidenceCell.a]!, cells[EvidenceCell.b]!, size) ?? null;
    if (sighting && (!largest || sighting.cost > largest.cost)) largest = sighting;
  }
  return { sightings, largest };
}

/** The earliest (sign −1) or latest (sign 1) of one stamp across the threads. */
function extreme(times: BigInt64Array, threads: number, slot: (thread: number) => number, sign: 1 | -1): bigint {
  let best = times[slot(1)]!;
  for (let thread = 2; thread <= threads; thread++) {
    const stamp = times[slot(thread)]!;
    if ((sign === 1 && stamp > best) || (sign === -1 && stamp < best)) best = stamp;
  }
  return best;
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
