import type { Mode } from '../modes.js';
import { StartBarrier } from '../sync/barrier.js';
import {
  Cell,
  createSharedBuffer,
  Evidence,
  EvidenceKind,
  evidenceOf,
  finishSlot,
  RELEASED_AT,
  startSlot,
  statsOf,
  viewsOf,
  type WorkerJob,
} from '../worker/protocol.js';
import { Crew } from './crew.js';
import { fairnessOf, readThreadStats, type Fairness, type ThreadStats } from './thread-stats.js';
import { watchForInterruption } from './interruption.js';
import { startWatchdog } from './watchdog.js';

const WORKER_ENTRY = new URL('../worker/entry.js', import.meta.url);

/**
 * One late write a thread saw for itself, and how many updates it lost at least.
 * `went-back`: the thread wrote `wrote`, and its next read found the counter lower, at `found`: another
 * thread had read found − 1 and written `found` over a counter of at least `wrote`, losing at least
 * wrote − found + 1 updates. `late-write` (widened gap): the thread read `read`, and just before writing
 * read + 1 found the counter at `found`, so its write lost at least found − read updates.
 */
export type LostUpdateWitness =
  | { readonly kind: 'went-back'; readonly thread: number; readonly wrote: number; readonly found: number; readonly lostAtLeast: number }
  | { readonly kind: 'late-write'; readonly thread: number; readonly read: number; readonly found: number; readonly lostAtLeast: number };

/** What the unsafe threads saw for themselves while they ran. */
export interface LostUpdateEvidence {
  /** How many such sightings the threads made in all. */
  readonly sightings: number;
  /** The one that erased the most; null when no thread saw one. */
  readonly largest: LostUpdateWitness | null;
}

export interface ModeResult {
  readonly mode: Mode;
  readonly expected: number;
  readonly actual: number;
  readonly lost: number;
  /** lost / expected, rounded to 4 decimals. */
  readonly lostRatio: number;
  /** From the release (or, without a barrier, the first worker's start) to the last worker's finish. */
  readonly elapsedMs: number;
  /** Increments performed (expected) per second of elapsed time. */
  readonly opsPerSec: number;
  /** Whether the gap between read and write was widened with a short sleep. */
  readonly widened: boolean;
  /** For unsafe only, when recorded; null otherwise. */
  readonly evidence: LostUpdateEvidence | null;
  /** Per thread, in thread order. */
  readonly threadStats: readonly ThreadStats[];
  /** Over the threads' finish times. */
  readonly fairness: Fairness;
}

export type RunEvent =
  | { readonly type: 'spawned'; readonly mode: Mode; readonly threads: number }
  | { readonly type: 'released'; readonly mode: Mode }
  | { readonly type: 'finished'; readonly mode: Mode; readonly result: ModeResult }
  | { readonly type: 'trial'; readonly mode: Mode; readonly trial: number; readonly of: number; readonly raced: number };

/** What every worker of a trial is told, and how the trial itself is run. */
export interface TrialSettings extends Pick<WorkerJob, 'threads' | 'iters' | 'barrier' | 'widen' | 'evidence' | 'counting' | 'lockSpins' | 'fault'> {
  /** The most this run of the workers may take. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: RunEvent) => void) | undefined;
}

/** Runs one mode once, on fresh workers and a fresh counter, and measures what they did. */
export async function runTrial(mode: Mode, settings: TrialSettings): Promise<ModeResult> {
  const { threads, iters, barrier } = settings;
  const buffer = createSharedBuffer(threads);
  const { cells, evidence, stats, times } = viewsOf(buffer, threads);
  const expected = threads * iters;
  const gate = new StartBarrier(cells, Cell.arrived, Cell.release);
  const interruption = watchForInterruption(settings.signal, () => ({
    mode,
    counted: Atomics.load(cells, Cell.counter),
    expected,
  }));

  const jobs: WorkerJob[] = Array.from({ length: threads }, (_, i) => ({
    buffer,
    thread: i + 1,
    threads,
    iters,
    mode,
    barrier,
    widen: settings.widen,
    evidence: settings.evidence,
    counting: settings.counting,
    lockSpins: settings.lockSpins,
    fault: settings.fault,
  }));
  const finished = (thread: number) => Atomics.load(times, finishSlot(thread)) !== 0n;
  const holder = () => (mode === 'lock' ? Atomics.load(cells, Cell.owner) : 0);
  const crew = Crew.start(WORKER_ENTRY, jobs, {
    isDone: finished,
    note: (thread) => (holder() === thread ? 'it held the lock' : ''),
  });
  const watchdog = startWatchdog(settings.timeoutMs, () =>
    explainTimeout({ mode, threads, barrier, arrived: gate.arrivedCount(), holder: holder(), finished }),
  );
  settings.onEvent?.({ type: 'spawned', mode, threads });
  try {
    if (barrier) {
      await Promise.race([gate.released(), crew.failed, interruption.promise, watchdog.promise]);
      settings.onEvent?.({ type: 'released', mode });
    }
    await Promise.race([crew.finished, interruption.promise, watchdog.promise]);

    const startedAt = barrier ? times[RELEASED_AT]! : extreme(times, threads, startSlot, -1);
    const elapsedNs = Number(extreme(times, threads, finishSlot, 1) - startedAt);
    const actual = Atomics.load(cells, Cell.counter);
    const threadStats = Array.from({ length: threads }, (_, i) =>
      readThreadStats(mode, statsOf(stats, i + 1), i + 1, round(Number(times[finishSlot(i + 1)]! - startedAt) / 1e6, 3), settings.counting),
    );
    const result: ModeResult = {
      ...measure(mode, expected, actual, elapsedNs),
      widened: settings.widen && mode !== 'atomic' && mode !== 'cas',
      evidence: mode === 'unsafe' && (settings.evidence || settings.widen) ? readEvidence(evidence, threads) : null,
      threadStats,
      fairness: fairnessOf(threadStats.map((t) => t.finishMs)),
    };
    settings.onEvent?.({ type: 'finished', mode, result });
    return result;
  } finally {
    watchdog.dispose();
    interruption.dispose();
    gate.abandon();
    await crew.terminate();
  }
}

/** What the shared memory showed when time ran out: who never arrived, who held the lock, who was not done. */
function explainTimeout(state: {
  mode: Mode;
  threads: number;
  barrier: boolean;
  arrived: number;
  holder: number;
  finished: (thread: number) => boolean;
}): string {
  if (state.barrier && state.arrived < state.threads) {
    return `in ${state.mode} mode; only ${state.arrived} of ${state.threads} threads reached the start barrier`;
  }
  const unfinished = Array.from({ length: state.threads }, (_, i) => i + 1).filter((t) => !state.finished(t));
  const held = state.holder !== 0 ? `; thread ${state.holder} held the lock` : '';
  const waiting = unfinished.length === 1 ? `thread ${unfinished[0]} had` : `threads ${listOf(unfinished)} had`;
  return `in ${state.mode} mode${held}; ${waiting} not finished`;
}

function listOf(items: readonly number[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function measure(mode: Mode, expected: number, actual: number, elapsedNs: number) {
  const lost = expected - actual;
  return {
    mode,
    expected,
    actual,
    lost,
    lostRatio: round(lost / expected, 4),
    elapsedMs: round(elapsedNs / 1e6, 3),
    opsPerSec: elapsedNs > 0 ? Math.round(expected / (elapsedNs / 1e9)) : 0,
  };
}

function readEvidence(evidence: Int32Array, threads: number): LostUpdateEvidence {
  let sightings = 0;
  let largest: LostUpdateWitness | null = null;
  for (let thread = 1; thread <= threads; thread++) {
    const cells = evidenceOf(evidence, thread);
    sightings += cells[Evidence.count]!;
    const witness = witnessOf(thread, cells);
    if (witness && witness.lostAtLeast > (largest?.lostAtLeast ?? 0)) largest = witness;
  }
  return { sightings, largest };
}

function witnessOf(thread: number, cells: Int32Array): LostUpdateWitness | null {
  const a = cells[Evidence.a]!;
  const b = cells[Evidence.b]!;
  if (cells[Evidence.count] === 0) return null;
  switch (cells[Evidence.kind]) {
    case EvidenceKind.wentBack:
      return { kind: 'went-back', thread, wrote: a, found: b, lostAtLeast: a - b + 1 };
    case EvidenceKind.lateWrite:
      return { kind: 'late-write', thread, read: a, found: b, lostAtLeast: b - a };
    default:
      return null;
  }
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
