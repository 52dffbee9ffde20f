import type { Scenario, Size } from './scenario.js';
import { listOf } from './text.js';

// A scenario's locks, wherever they are held: lock k takes two cells from `lockCell + 2k`, its state
// and then its holder (the thread, 1-based; 0 when free). Every engine reads holders the same way, so a
// cycle of waits is found the same way on real threads, in a replay and in the model.

export const CELLS_PER_LOCK = 2;

export function holderCell(lockCell: number, lock: number): number {
  return lockCell + CELLS_PER_LOCK * lock + 1;
}

/** How many locks the scenario's cells hold at this size (1 unless it says otherwise). */
export function lockCount(scenario: Scenario, size: Size): number {
  return scenario.lockCount?.(size) ?? 1;
}

/** A, B, … Z, then L27, L28, …: short enough for a trace, never a number that reads like a value. */
export function lockName(lock: number): string {
  return lock < 26 ? String.fromCharCode(65 + lock) : `L${lock + 1}`;
}

/** The locks `thread` holds, in order. */
export function locksHeldBy(cells: Int32Array, lockCell: number, locks: number, thread: number): number[] {
  const held: number[] = [];
  for (let lock = 0; lock < locks; lock++) if (cells[holderCell(lockCell, lock)] === thread) held.push(lock);
  return held;
}

/** "it held lock A", "it held locks A and B", or '' : what a failed thread's note says. */
export function heldNote(cells: Int32Array, lockCell: number, locks: number, thread: number): string {
  const held = locksHeldBy(cells, lockCell, locks, thread).map(lockName);
  if (held.length === 0) return '';
  if (locks === 1) return 'it held the lock';
  return `it held lock${held.length > 1 ? 's' : ''} ${listOf(held)}`;
}

/** What the walk needs to see: who each thread waits for, and who holds each lock. */
export interface WaitsView {
  readonly threads: number;
  /** The lock `thread` waits for, or −1 when it waits for none. */
  waitingFor(thread: number): number;
  holder(lock: number): number;
}

/** One thread of a deadlock: it holds `holds` and waits for `waitsFor`, which the next thread of the cycle holds. */
export interface WaitLink {
  readonly thread: number;
  readonly holds: number;
  readonly waitsFor: number;
}

/**
 * A cycle of waits from `thread`, following "waits for a lock, which that thread holds" until it comes
 * back to a thread already seen (a cycle: a deadlock) or reaches a thread that waits for nothing or a
 * free lock (null). The cycle need not pass through `thread`: a thread waiting on a deadlocked one is
 * stuck too, but is not part of the cycle.
 */
export function findCycle(view: WaitsView, thread: number): WaitLink[] | null {
  const path: { thread: number; waitsFor: number }[] = [];
  const at = new Map<number, number>();
  let current = thread;
  while (!at.has(current)) {
    const lock = view.waitingFor(current);
    if (lock < 0) return null;
    const holder = view.holder(lock);
    if (holder <= 0 || holder > view.threads || holder === current) return null;
    at.set(current, path.length);
    path.push({ thread: current, waitsFor: lock });
    current = holder;
  }
  const cycle = path.slice(at.get(current));
  // Each thread holds what the one before it in the cycle waits for.
  return cycle.map((link, i) => ({ thread: link.thread, holds: cycle[(i + cycle.length - 1) % cycle.length]!.waitsFor, waitsFor: link.waitsFor }));
}

/** The first cycle of waits among all the threads, starting from the lowest-numbered thread in it. */
export function findAnyCycle(view: WaitsView): WaitLink[] | null {
  for (let thread = 1; thread <= view.threads; thread++) {
    const cycle = findCycle(view, thread);
    if (cycle) {
      const first = cycle.reduce((lowest, link, i) => (link.thread < cycle[lowest]!.thread ? i : lowest), 0);
      return [...cycle.slice(first), ...cycle.slice(0, first)];
    }
  }
  return null;
}

/** "thread 1 holds A and waits for B; thread 2 holds B and waits for A". */
export function describeCycle(cycle: readonly WaitLink[]): string {
  return cycle.map((link) => `thread ${link.thread} holds ${lockName(link.holds)} and waits for ${lockName(link.waitsFor)}`).join('; ');
}

/** A deadlock as a report shows it and `--json` prints it. */
export interface Deadlock {
  readonly cycle: readonly { readonly thread: number; readonly holds: string; readonly waitsFor: string }[];
  /** The cycle in words. */
  readonly text: string;
}

/** Threads stuck for good with no cycle of waits for locks to name (they wait on something else that cannot change). */
export function stuckWithoutCycle(threads: readonly number[]): Deadlock {
  const who = threads.length === 1 ? `thread ${threads[0]}` : `threads ${listOf(threads)}`;
  return { cycle: [], text: `${who} can never move again: what ${threads.length === 1 ? 'it waits' : 'they wait'} for can no longer change` };
}

export function deadlockOf(cycle: readonly WaitLink[]): Deadlock {
  return {
    cycle: cycle.map((link) => ({ thread: link.thread, holds: lockName(link.holds), waitsFor: lockName(link.waitsFor) })),
    text: describeCycle(cycle),
  };
}
