import { programOf } from '../core/machine/program.js';
import { RETRY, type Loop, type ModeSpec, type Scenario, type Sightings, type Size } from '../core/scenario.js';
import { Evidence, Stat } from '../core/thread-cells.js';
import { FIRST_GAP_MS, GAP_MS, sleepInGap } from '../sync/gap.js';
import type { LockStats } from '../sync/mutex.js';
import type { SharedMemory } from './shared-memory.js';

/** Keeps a thread's count of sightings and the costliest, in locals until the loop ends. */
export class SightingLog implements Sightings {
  count = 0;
  kind = 0;
  cost = -1;
  a = 0;
  b = 0;

  record(kind: number, cost: number, a: number, b: number): void {
    this.count++;
    if (cost <= this.cost) return;
    this.kind = kind;
    this.cost = cost;
    this.a = a;
    this.b = b;
  }

  writeTo(evidence: Int32Array): void {
    evidence[Evidence.kind] = this.kind;
    evidence[Evidence.count] = this.count;
    evidence[Evidence.a] = this.a;
    evidence[Evidence.b] = this.b;
  }
}

/**
 * Takes the threads' program's steps (core/machine/program.ts) as fast as it can, on the thread's real
 * shared memory: the generic path every scenario has. With `widen`, it sleeps after each of the mode's gap
 * steps; with `evidence`, the steps record what they see. Each call runs `iters` more operations from where
 * the last call stopped.
 */
export function stepLoop(
  scenario: Scenario,
  mode: ModeSpec,
  size: Size,
  thread: number,
  memory: SharedMemory,
  options: { readonly widen: boolean; readonly evidence: boolean },
): Loop {
  const program = programOf(scenario, mode.name, size);
  const words = new Int32Array(program.width);
  program.start(thread, words);
  const seen = options.evidence || options.widen ? new SightingLog() : undefined;
  const gaps = options.widen ? new Set(mode.gapAfter) : null;
  let firstGap = true;
  let retries = 0;
  return (_cells, iters, context) => {
    const target = program.operations(words) + iters;
    const { stats } = context;
    while (program.operations(words) < target && !program.isDone(thread, words)) {
      const step = program.step(thread, words, memory, seen);
      // Kept as it goes: a thread that never finishes (a deadlock) still shows what it did.
      stats[Stat.operations] = program.operations(words);
      if (step.action === RETRY) retries++;
      if (gaps?.has(step.action)) {
        sleepInGap(firstGap ? FIRST_GAP_MS : GAP_MS);
        firstGap = false;
      }
    }
    seen?.writeTo(context.evidence);
    stats[Stat.retries] = retries;
    writeLockStats(stats, memory.lockStats);
  };
}

export function writeLockStats(stats: Int32Array, lock: LockStats): void {
  stats[Stat.acquisitions] = lock.acquisitions;
  stats[Stat.contended] = lock.contended;
  stats[Stat.spins] = Math.min(lock.spins, 0x7fffffff);
  stats[Stat.sleeps] = lock.sleeps;
  stats[Stat.wakeups] = lock.wakeups;
}
