import type { Mode } from '../modes.js';
import { StartBarrier } from '../sync/barrier.js';
import type { Fault } from '../worker/fault.js';
import { Cell, createSharedBuffer, finishSlot, startSlot, viewsOf, type WorkerJob } from '../worker/protocol.js';
import { Crew } from './crew.js';
import { watchForInterruption } from './interruption.js';

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
}

export type RunEvent =
  | { readonly type: 'spawned'; readonly mode: Mode; readonly threads: number }
  | { readonly type: 'released'; readonly mode: Mode }
  | { readonly type: 'finished'; readonly mode: Mode; readonly result: ModeResult };

export interface ModeSettings {
  readonly threads: number;
  readonly iters: number;
  readonly barrier: boolean;
  readonly fault: Fault | null;
  readonly signal?: AbortSignal | undefined;
  readonly onEvent?: ((event: RunEvent) => void) | undefined;
}

/** Runs one mode on fresh workers and a fresh counter, and measures what they did. */
export async function runMode(mode: Mode, settings: ModeSettings): Promise<ModeResult> {
  const { threads, iters, barrier } = settings;
  const buffer = createSharedBuffer(threads);
  const { cells, times } = viewsOf(buffer);
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
    iters,
    mode,
    barrier,
    fault: settings.fault,
  }));
  const crew = Crew.start(jobs, (thread) => Atomics.load(times, finishSlot(thread)) !== 0n);
  settings.onEvent?.({ type: 'spawned', mode, threads });
  try {
    let releasedAt: bigint | null = null;
    if (barrier) {
      await Promise.race([gate.arrivals(threads), crew.finished, interruption.promise]);
      releasedAt = process.hrtime.bigint();
      gate.open();
      settings.onEvent?.({ type: 'released', mode });
    }
    await Promise.race([crew.finished, interruption.promise]);

    const startedAt = releasedAt ?? earliest(times, threads, startSlot);
    const elapsedNs = Number(latest(times, threads, finishSlot) - startedAt);
    const result = measure(mode, expected, Atomics.load(cells, Cell.counter), elapsedNs);
    settings.onEvent?.({ type: 'finished', mode, result });
    return result;
  } finally {
    interruption.dispose();
    gate.abandon();
    await crew.terminate();
  }
}

function measure(mode: Mode, expected: number, actual: number, elapsedNs: number): ModeResult {
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

function earliest(times: BigInt64Array, threads: number, slot: (thread: number) => number): bigint {
  let min = times[slot(1)]!;
  for (let thread = 2; thread <= threads; thread++) if (times[slot(thread)]! < min) min = times[slot(thread)]!;
  return min;
}

function latest(times: BigInt64Array, threads: number, slot: (thread: number) => number): bigint {
  let max = times[slot(1)]!;
  for (let thread = 2; thread <= threads; thread++) if (times[slot(thread)]! > max) max = times[slot(thread)]!;
  return max;
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
