import { MODE_EXPLANATIONS, MODES, type Mode } from '../modes.js';
import { formatInt } from '../text.js';
import type { Scenario } from './scenario.js';

/**
 * The counter scenario, step by step: the one description of what a thread does that both the
 * real-thread replay and the model execute, so the two cannot disagree about what a step is.
 */

/** What one step of a thread's program asks for. */
export type StepKind = 'read' | 'write' | 'add' | 'cas' | 'acquire' | 'release';

/** What a step did: as asked, `blocked` when an acquire found the lock held, `retry` when a cas found the counter moved. */
export type Action = StepKind | 'blocked' | 'retry';

/**
 * unsafe: read, then write (read + 1); atomic: one indivisible add; lock and spin: the unsafe pair inside
 * the lock; cas: read, then compare-exchange, which goes back to the read when the counter moved.
 * A spinning thread's looks at a taken lock change nothing, so here, as for the mutex, a thread that
 * cannot acquire takes no step (otherwise there would be endless interleavings of idle spinning).
 */
export const STEPS_PER_INCREMENT: Readonly<Record<Mode, readonly StepKind[]>> = {
  unsafe: ['read', 'write'],
  atomic: ['add'],
  lock: ['acquire', 'read', 'write', 'release'],
  spin: ['acquire', 'read', 'write', 'release'],
  cas: ['read', 'cas'],
};

/** The kinds of step that use the value the thread read before: its register matters until then. */
export function usesRegister(kind: StepKind): boolean {
  return kind === 'write' || kind === 'cas';
}

/** The shared cells a step touches. The replay backs it with a SharedArrayBuffer, the model with numbers. */
export interface CounterMemory {
  /** A plain read of the counter. */
  load(): number;
  /** A plain write of the counter. */
  store(value: number): void;
  /** An indivisible add of one; returns the value before. */
  fetchAdd(): number;
  /** Writes `value` only if the counter holds `expected`, indivisibly; returns the value it held. */
  compareExchange(expected: number, value: number): number;
  /** Takes the lock for `thread` if it is free. */
  tryLock(thread: number): boolean;
  unlock(): void;
  /** The thread holding the lock, 0 when free. */
  holder(): number;
}

/** What a thread carries between steps: where it is in its program, and the value it last read. */
export interface ThreadState {
  pc: number;
  register: number;
}

export interface StepOutcome {
  readonly action: Action;
  /** The value read or written; for `blocked`, the thread holding the lock; null for acquire and release. */
  readonly value: number | null;
}

export function stepsPerThread(mode: Mode, iters: number): number {
  return STEPS_PER_INCREMENT[mode].length * iters;
}

export function nextStepKind(mode: Mode, state: ThreadState): StepKind {
  const steps = STEPS_PER_INCREMENT[mode];
  return steps[state.pc % steps.length]!;
}

/** Takes `thread`'s next step on `memory`; the thread moves on unless it was blocked. */
export function takeStep(mode: Mode, thread: number, state: ThreadState, memory: CounterMemory): StepOutcome {
  const kind = nextStepKind(mode, state);
  switch (kind) {
    case 'read':
      state.register = memory.load();
      state.pc++;
      return { action: 'read', value: state.register };
    case 'write':
      memory.store(state.register + 1);
      state.pc++;
      return { action: 'write', value: state.register + 1 };
    case 'add':
      state.pc++;
      return { action: 'add', value: memory.fetchAdd() + 1 };
    case 'cas': {
      const found = memory.compareExchange(state.register, state.register + 1);
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

/** The counter and lock as plain numbers: what the model and the schedule check run on. */
export function createModelMemory(): CounterMemory & { counter: number; owner: number } {
  return {
    counter: 0,
    owner: 0,
    load() {
      return this.counter;
    },
    store(value) {
      this.counter = value;
    },
    fetchAdd() {
      return this.counter++;
    },
    compareExchange(expected, value) {
      const found = this.counter;
      if (found === expected) this.counter = value;
      return found;
    },
    tryLock(thread) {
      if (this.owner !== 0) return false;
      this.owner = thread;
      return true;
    },
    unlock() {
      this.owner = 0;
    },
    holder() {
      return this.owner;
    },
  };
}

/**
 * The counter as a Scenario, for the machinery every scenario shares. `run`, `replay` and `explore`
 * have faster paths of their own for it (the hand-written loops, the relative-state model), built on
 * the takeStep above.
 */
export const counter: Scenario = {
  name: 'counter',
  summary: 'each thread increments one shared counter: read it, then write what it read plus one',
  modes: MODES,
  measure: 'the counter',
  watch: { label: 'counter', cell: 0 },
  lockCell: 1,
  maxTotal: 2 ** 31 - 1,
  cellCount: () => 3,
  stateCells: () => 3,
  init: () => undefined,
  step(mode, thread, state, cells) {
    const memory: CounterMemory = {
      load: () => cells.load(0),
      store: (value) => cells.store(0, value),
      fetchAdd: () => cells.fetchAdd(0, 1),
      compareExchange: (expected, value) => cells.compareExchange(0, expected, value),
      tryLock: (owner) => cells.tryLock(owner),
      unlock: () => cells.unlock(),
      holder: () => cells.holder(),
    };
    const outcome = takeStep(mode, thread, state, memory);
    state.done = Math.floor(state.pc / STEPS_PER_INCREMENT[mode].length);
    return outcome;
  },
  isDone: (mode, state, size) => state.pc >= stepsPerThread(mode, size.iters),
  measureOf: (cells) => cells[0]!,
  breaks: (measure, size) => measure < size.threads * size.iters,
  broken: 'end below the expected total',
  outcome(_mode, cells, size) {
    const expected = size.threads * size.iters;
    const actual = cells[0]!;
    return {
      expected,
      actual,
      lost: expected - actual,
      ok: actual === expected,
      details: {},
      lines: [actual === expected ? `The counter reached ${formatInt(expected)}: exact.` : `The counter reached ${formatInt(actual)} of ${formatInt(expected)}: ${formatInt(expected - actual)} lost.`],
    };
  },
  explanations: MODE_EXPLANATIONS,
};
