import type { Hooks, ModeSpec, Scenario, Sighting, TraceStep } from '../../core/scenario.js';
import { formatInt, listOf, plural } from '../../core/text.js';
import { COUNTER, LATE_WRITE, LOCK, WENT_BACK } from './cells.js';
import { loopFor } from './loops.js';
import { codeOf, STEPS_PER_INCREMENT, stepsPerThread, takeStep } from './steps.js';

/**
 * The counter: each thread increments one shared counter. The lost update in its plainest form: a
 * read, then a write of what was read plus one; a write computed from a read that another thread's
 * write has overtaken puts back an older value, and the increments in between are gone.
 *
 * Cells: the counter, then the lock's two cells (cells.ts).
 */

const SPECS: readonly Omit<ModeSpec, 'code'>[] = [
  {
    name: 'unsafe',
    racy: true,
    gapAfter: ['read'],
    explanation:
      "each increment is a read, an add and a write; between one thread's read and its write another thread can write, " +
      'and the late write then puts back an older value, erasing those increments.',
  },
  { name: 'atomic', racy: false, gapAfter: [], explanation: 'Atomics.add reads, adds and writes as one indivisible step, so no write can land in between.' },
  {
    name: 'lock',
    racy: false,
    lock: 'mutex',
    gapAfter: ['read'],
    explanation:
      'the mutex lets one thread at a time do its read and write, so no other write can land in between ' +
      '(a thread that finds it taken sleeps in Atomics.wait until the holder notifies it).',
  },
  {
    name: 'spin',
    racy: false,
    lock: 'spin',
    gapAfter: ['read'],
    explanation:
      'a spin lock: a thread that finds it taken keeps reading it until it is free, never sleeping; one thread at a time ' +
      'does its read and write, but waiting threads burn CPU the holder may need.',
  },
  {
    name: 'cas',
    racy: false,
    retries: true,
    gapAfter: ['read'],
    explanation:
      'lock-free: read the counter, then Atomics.compareExchange writes read + 1 only if the counter still holds what ' +
      'was read; if another write landed in between, it fails and the thread reads again.',
  },
];

const MODES: readonly ModeSpec[] = SPECS.map((spec) => ({ ...spec, code: codeOf(spec.name) }));

const hooks: Hooks = {
  loop: (mode, { widen, evidence }) => loopFor(mode, widen, evidence),
  model: async () => (await import('./model/index.js')).counterModel,
  // It sums large levels on a helper thread of Node's worker_threads.
  modelRunsOn: ['node'],
};

export const counter: Scenario = {
  name: 'counter',
  summary: 'each thread increments one shared counter: read it, then write what it read plus one',
  operation: 'increment',
  measure: 'the counter',
  modes: MODES,
  watch: { label: 'counter', cell: COUNTER },
  lockCell: LOCK,
  maxTotal: 2 ** 31 - 1,
  playGoal: (size) => ({
    text: `make the counter end below ${formatInt(size.threads * size.iters)}`,
    reached: (cells) => cells[COUNTER]! < size.threads * size.iters,
  }),
  showCells(cells) {
    const holder = cells[LOCK + 1]!;
    return `c[0] = ${formatInt(cells[COUNTER]!)}${holder > 0 ? `, lock: thread ${holder}` : ''}`;
  },
  cellCount: () => 3,
  stateCells: () => 3,
  init: () => undefined,

  step(mode, thread, state, memory, _size, seen) {
    const step = takeStep(mode, thread, state, memory, seen);
    state.done = Math.floor(state.pc / STEPS_PER_INCREMENT[mode]!.length);
    return step;
  },
  isDone: (mode, state, size) => state.pc >= stepsPerThread(mode, size.iters),
  measureOf: (cells) => cells[COUNTER]!,
  breaks: (measure, size) => measure < size.threads * size.iters,
  broken: 'end below the expected total',

  outcome(_mode, cells, size) {
    const expected = size.threads * size.iters;
    const actual = cells[COUNTER]!;
    const lost = expected - actual;
    return {
      expected,
      actual,
      lost,
      ok: lost === 0,
      details: {},
      lines: [lost === 0 ? `The counter reached ${formatInt(expected)}: exact.` : `The counter reached ${formatInt(actual)} of ${formatInt(expected)}: ${plural(lost, 'increment')} lost.`],
    };
  },

  annotate(step, { mode, before, state }) {
    if (step.action === 'blocked') {
      // A spinning thread never sleeps: it reads the lock again and again, on the CPU, until it is free.
      if (mode === 'spin') return { text: `spins: reads the lock, thread ${step.value} holds it; tries again`, bad: false };
      return { text: `waits: thread ${step.value} holds the lock`, bad: false };
    }
    if (step.action === 'retry') return { text: `fails: the counter moved to ${formatInt(step.value ?? 0)} since the read; reads again`, bad: false };
    if (step.action !== 'write') return null;
    const lost = before[COUNTER]! - state.register;
    if (lost === 0) return null;
    return lost > 0 ? { text: `late: ${plural(lost, 'update')} lost`, bad: true } : { text: `late: puts back ${plural(-lost, 'update')}`, bad: true };
  },

  explainTrace(steps) {
    const lateWrites = findLateWrites(steps);
    return {
      details: { lateWrites },
      lines: lateWrites.map((w) => {
        const computed = `Step ${w.step}: thread ${w.thread} wrote ${formatInt(w.wrote)}, computed from the ${formatInt(w.read.value)} it read at step ${w.read.step}`;
        if (w.lost < 0) return `${computed}, over a counter of ${formatInt(w.counterBefore)}: it put back ${plural(-w.lost, 'update')}.`;
        const erased = w.erased.length > 0 ? `, erasing ${listOf(w.erased.map((e) => `thread ${e.thread}'s increment at step ${e.step}`))}` : '';
        return `${computed}, over a counter of ${formatInt(w.counterBefore)}${erased}.`;
      }),
    };
  },

  // A lost update need not leave a trace a thread can see: threads that run in step read the same value
  // and write the same value over each other, and the counter never goes back for any of them to notice.
  unseen:
    'threads that run in step read the same value and write the same value over each other, so the counter never goes back ' +
    'where a thread can see it, though every such pair loses an increment',
  describeSighting,
  // No cell names a thread but the lock's holder, which the model renames itself.
  renameThreads: () => undefined,
  hooks,
};

/**
 * A write computed from a read that the counter no longer matched. It sets the counter to read + 1
 * where the counter stood at `counterBefore`, so it loses counterBefore − read updates; over a whole
 * trace these add up to exactly expected − final.
 */
export interface LateWrite {
  readonly step: number;
  readonly thread: number;
  readonly wrote: number;
  /** The read the write was computed from. */
  readonly read: { readonly step: number; readonly value: number };
  readonly counterBefore: number;
  /** counterBefore − read: updates this write lost (negative when it put back a higher value). */
  readonly lost: number;
  /**
   * Other threads' increments (their writes) between that read and this write that no earlier late
   * write had already erased: what this write erased. Over a trace they number expected − final.
   */
  readonly erased: readonly { readonly step: number; readonly thread: number }[];
}

/**
 * Every late write in a trace: the lost updates, and whose write erased them, each lost increment named
 * once. The counter's value is a chain of the increments that make it up, the k-th making it k. A write
 * of r + 1 keeps the first r and puts itself on top, erasing the rest; one that puts back a value higher
 * than the counter's restores, from the chain its thread read, the increments in between.
 */
export function findLateWrites(steps: readonly TraceStep[]): LateWrite[] {
  let chain: readonly number[] = [];
  const chainAtRead = new Map<number, readonly number[]>();
  const lastRead = new Map<number, TraceStep>();
  const erasedBy = new Map<number, number>();
  const late: Omit<LateWrite, 'erased'>[] = [];
  steps.forEach((step, i) => {
    if (step.action === 'read') {
      lastRead.set(step.thread, step);
      chainAtRead.set(step.thread, chain);
    } else if (step.action === 'add' || step.action === 'cas') {
      chain = [...chain, step.step];
    } else if (step.action === 'write') {
      const read = lastRead.get(step.thread)!;
      const value = read.value ?? 0;
      const before = i === 0 ? 0 : steps[i - 1]!.watch;
      for (const increment of chain.slice(value)) erasedBy.set(increment, step.step);
      const restored = chainAtRead.get(step.thread)!.slice(chain.length, value);
      for (const increment of restored) erasedBy.delete(increment);
      chain = [...chain.slice(0, value), ...restored, step.step];
      if (before !== value) late.push({ step: step.step, thread: step.thread, wrote: step.value ?? 0, read: { step: read.step, value }, counterBefore: before, lost: before - value });
    }
  });
  const threadOf = new Map(steps.map((s) => [s.step, s.thread]));
  return late.map((w) => ({
    ...w,
    erased: [...erasedBy].filter(([, by]) => by === w.step).map(([increment]) => ({ step: increment, thread: threadOf.get(increment)! })).sort((a, b) => a.step - b.step),
  }));
}

/**
 * `went-back` (the plain loop): the thread wrote `a`, and its next read found the counter lower, at `b`:
 * another thread had read b − 1 and written b over a counter of at least a, losing at least a − b + 1.
 * `late-write` (the widened loop): the thread read `a`, and just before writing a + 1 found the counter
 * at `b`, so its write lost at least b − a.
 */
function describeSighting(thread: number, kind: number, a: number, b: number): Sighting | null {
  if (kind === WENT_BACK) {
    const cost = a - b + 1;
    return {
      thread,
      kind: 'went-back',
      cost,
      values: { wrote: a, found: b },
      text:
        `thread ${thread} wrote ${formatInt(a)}, and its next read found ${formatInt(b)}. In between, another thread wrote ` +
        `${formatInt(b)} (the ${formatInt(b - 1)} it had read, plus one) over a counter of at least ${formatInt(a)}`,
      steps: [
        { who: `thread ${thread}`, did: `writes ${formatInt(a)}`, watch: formatInt(a), note: '', bad: false },
        { who: 'another', did: `writes ${formatInt(b)} (it read ${formatInt(b - 1)})`, watch: formatInt(b), note: `at least ${plural(cost, 'update')} lost`, bad: true },
        { who: `thread ${thread}`, did: `reads ${formatInt(b)}`, watch: formatInt(b), note: 'below its own last write', bad: false },
      ],
    };
  }
  if (kind === LATE_WRITE) {
    const cost = b - a;
    return {
      thread,
      kind: 'late-write',
      cost,
      values: { read: a, found: b },
      text: `thread ${thread} read ${formatInt(a)}, and just before it wrote ${formatInt(a + 1)} the counter already stood at ${formatInt(b)}, raised by other threads in the meantime`,
      steps: [
        { who: `thread ${thread}`, did: `reads ${formatInt(a)}`, watch: formatInt(a), note: '', bad: false },
        { who: 'others', did: `raise it to ${formatInt(b)}`, watch: formatInt(b), note: '', bad: false },
        { who: `thread ${thread}`, did: `writes ${formatInt(a + 1)}`, watch: formatInt(a + 1), note: `at least ${plural(cost, 'update')} lost`, bad: true },
      ],
    };
  }
  return null;
}
