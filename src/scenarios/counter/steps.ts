import type { Memory, Sightings, StepResult, ThreadState } from '../../core/scenario.js';
import { COUNTER, LATE_WRITE } from './cells.js';

// The counter's steps: what the real threads run (through counter.ts) and what its own exact model
// builds its tables from (model/state-codes.ts), so the two cannot disagree.

/** What one step of a thread's program asks for. */
export type StepKind = 'read' | 'write' | 'add' | 'cas' | 'acquire' | 'release';

/**
 * unsafe: read, then write (read + 1); atomic: one indivisible add; lock and spin: the unsafe pair inside
 * the lock; cas: read, then compare-exchange, which goes back to the read when the counter moved.
 * A spinning thread's looks at a taken lock change nothing, so here, as for the mutex, a thread that
 * cannot acquire takes no step (otherwise there would be endless interleavings of idle spinning).
 */
export const STEPS_PER_INCREMENT: Readonly<Record<string, readonly StepKind[]>> = {
  unsafe: ['read', 'write'],
  atomic: ['add'],
  lock: ['acquire', 'read', 'write', 'release'],
  spin: ['acquire', 'read', 'write', 'release'],
  cas: ['read', 'cas'],
};

/** What each kind of step runs, as a line of code; a mode's code is its steps' lines, in order. */
const CODE: Readonly<Record<StepKind, string>> = {
  read: 'v = c[0]',
  write: 'c[0] = v + 1',
  add: 'Atomics.add(c, 0, 1)',
  cas: 'if (Atomics.compareExchange(c, 0, v, v + 1) !== v) retry',
  acquire: 'lock()',
  release: 'unlock()',
};

/** One increment's code in `mode`: a line per step (the spin lock's acquire spins instead of sleeping). */
export function codeOf(mode: string): string[] {
  return STEPS_PER_INCREMENT[mode]!.map((kind) => (kind === 'acquire' && mode === 'spin' ? 'while (!tryLock()) {}' : CODE[kind]));
}

export function stepsPerThread(mode: string, iters: number): number {
  return STEPS_PER_INCREMENT[mode]!.length * iters;
}

/** The kinds of step that use the value the thread read before: its register matters until then. */
export function usesRegister(kind: StepKind): boolean {
  return kind === 'write' || kind === 'cas';
}

/** Takes `thread`'s next step; the thread moves on unless it was blocked. */
export function takeStep(mode: string, thread: number, state: ThreadState, memory: Memory, seen?: Sightings): StepResult {
  const steps = STEPS_PER_INCREMENT[mode]!;
  const kind = steps[state.pc % steps.length]!;
  switch (kind) {
    case 'read':
      state.register = memory.load(COUNTER);
      state.pc++;
      return { action: 'read', value: state.register };
    case 'write':
      if (seen) {
        // The one more load the widened loop makes too: the counter it is about to overwrite.
        const now = memory.load(COUNTER);
        if (now !== state.register) seen.record(LATE_WRITE, now - state.register, state.register, now);
      }
      memory.store(COUNTER, state.register + 1);
      state.pc++;
      return { action: 'write', value: state.register + 1 };
    case 'add':
      state.pc++;
      return { action: 'add', value: memory.fetchAdd(COUNTER, 1) + 1 };
    case 'cas': {
      const found = memory.compareExchange(COUNTER, state.register, state.register + 1);
      if (found !== state.register) {
        // Another write landed since the read: read again.
        state.pc--;
        return { action: 'retry', value: found };
      }
      state.pc++;
      return { action: 'cas', value: state.register + 1 };
    }
    case 'acquire':
      if (!memory.tryLock(thread)) return { action: 'blocked', value: memory.holder() };
      state.pc++;
      return { action: 'acquire', value: null };
    case 'release':
      memory.unlock();
      state.pc++;
      return { action: 'release', value: null };
  }
}
