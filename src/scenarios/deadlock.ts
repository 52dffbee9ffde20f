import { holderCell, lockName } from '../core/locks.js';
import type { ModeSpec, Outcome, Scenario, Size } from '../core/scenario.js';
import { formatInt, plural } from '../core/text.js';

/**
 * Lock ordering: each thread moves money from its account to the next thread's, and takes both
 * accounts' locks to do it, its own first. With two threads, thread 1 takes A then B while thread 2
 * takes B then A; with more, the accounts form a ring (thread t takes lock t, then lock t + 1, the
 * last thread wrapping round to A), as the dining philosophers do. If every thread takes its first lock
 * before any takes its second, each waits for ever for a lock the next one holds. The fix takes the two
 * locks in one global order, lower first: no cycle of waits can form.
 *
 * Cells: the transfers done (an indivisible tally), then the locks' cells (two per lock).
 */
const DONE = 0;
const LOCKS = 1;

const MODES: readonly ModeSpec[] = [
  {
    name: 'unsafe',
    racy: true,
    lock: 'mutex',
    gapAfter: ['lock'],
    code: ['lock(mine)', 'lock(next)', 'unlock(next)', 'done++; unlock(mine)'],
    explanation:
      "each thread takes its own account's lock first, then the next one's (with two threads, thread 1 takes A then B while thread 2 " +
      'takes B then A). If every thread takes its first before any takes its second, each waits for a lock the next one holds, and none ever lets go.',
  },
  {
    name: 'ordered',
    racy: false,
    lock: 'mutex',
    gapAfter: ['lock'],
    code: ['lock(lower of mine, next)', 'lock(higher)', 'unlock(higher)', 'done++; unlock(lower)'],
    explanation:
      'every thread takes the lower lock of its two first (A before B): a thread holding a lock only ever waits for a higher one, ' +
      'so the waits cannot come back round in a cycle.',
  },
];

/** How many locks: one per account, one account per thread, and at least two. */
function locksFor(size: Size): number {
  return Math.max(2, size.threads);
}

/** The two locks of `thread` (1-based), in the order the mode takes them. */
function locksOf(mode: string, thread: number, size: Size): readonly [number, number] {
  const locks = locksFor(size);
  const own = (thread - 1) % locks;
  const next = thread % locks;
  return mode === 'ordered' ? [Math.min(own, next), Math.max(own, next)] : [own, next];
}

/** The steps of one transfer: take the first lock, take the second, let the second go, let the first go. */
const TAKE_FIRST = 0;
const TAKE_SECOND = 1;
const RELEASE_SECOND = 2;

export const deadlock: Scenario = {
  name: 'deadlock',
  summary: "each thread moves money from its account to the next thread's, locking both accounts, its own first",
  operation: 'transfer',
  modes: MODES,
  measure: 'transfers done',
  watch: { label: 'done', cell: DONE },
  lockCell: LOCKS,
  lockCount: locksFor,
  maxTotal: 100_000_000,

  playGoal: (size) => ({
    text: 'deadlock the threads: leave each one waiting for a lock that another holds',
    reached: (cells) => cells[DONE]! < size.threads * size.iters,
  }),
  showCells(cells, size) {
    const held = Array.from({ length: locksFor(size) }, (_, lock) => {
      const holder = cells[holderCell(LOCKS, lock)]!;
      return `${lockName(lock)}: ${holder > 0 ? `thread ${holder}` : 'free'}`;
    });
    return `${held.join(', ')}; done ${formatInt(cells[DONE]!)}`;
  },
  cellCount: (size) => 1 + 2 * locksFor(size),
  stateCells: (size) => 1 + 2 * locksFor(size),
  init: () => undefined,

  step(mode, thread, state, memory, size) {
    const [first, second] = locksOf(mode, thread, size);
    switch (state.pc) {
      case TAKE_FIRST:
      case TAKE_SECOND: {
        const lock = state.pc === TAKE_FIRST ? first : second;
        if (!memory.tryLock(thread, lock)) return { action: 'blocked', value: memory.holder(lock) };
        state.pc++;
        return { action: 'lock', value: null };
      }
      case RELEASE_SECOND:
        memory.unlock(second);
        state.pc++;
        return { action: 'unlock', value: null };
      default:
        // The transfer is done once both locks are let go: counted before the last, so no thread is ever
        // seen done while it still holds a lock.
        memory.fetchAdd(DONE, 1);
        memory.unlock(first);
        state.pc = 0;
        state.done++;
        return { action: 'unlock', value: null };
    }
  },

  isDone: (_mode, state, size) => state.done >= size.iters,

  measureOf: (cells) => cells[DONE]!,
  breaks: (measure, size) => measure < size.threads * size.iters,
  broken: 'end in a deadlock, with transfers left undone',

  outcome(_mode, cells, size): Outcome {
    const expected = size.threads * size.iters;
    const done = cells[DONE]!;
    const lines =
      done === expected
        ? [`All ${plural(expected, 'transfer')} done: every thread got both its locks every time.`]
        : [
            `${formatInt(done)} of ${plural(expected, 'transfer')} done: the threads stopped for good, ` +
              'each holding a lock that another waits for.',
          ];
    return { expected, actual: done, lost: null, ok: done === expected, details: { transfersDone: done, transfersLeft: expected - done }, lines };
  },

  annotate(step, { mode, thread, size, state }) {
    // The thread's pc before the step says which of its locks the step was about.
    const [first, second] = locksOf(mode, thread, size);
    const lock = state.pc === TAKE_FIRST || state.pc > RELEASE_SECOND ? first : second;
    if (step.action === 'blocked') return { text: `waits for ${lockName(lock)}: thread ${step.value} holds it`, bad: false };
    if (step.action === 'lock') return { text: `takes ${lockName(lock)}`, bad: false };
    return { text: state.pc > RELEASE_SECOND ? `lets ${lockName(lock)} go: transfer done` : `lets ${lockName(lock)} go`, bad: false };
  },
};
