// A scenario of your own: a running maximum that forgets. Each thread offers numbers to one shared
// maximum, keeping the larger: `if (offer > max) max = offer`. Read, compare, write: a thread that read
// an old maximum can write its smaller offer over a larger one that landed since, and the largest offer
// is lost. The fix retries with Atomics.compareExchange.
//
// Run it:  race-demo run --scenario ./docs/examples/running-max.js
//          race-demo replay --scenario ./docs/examples/running-max.js
//          race-demo explore --scenario ./docs/examples/running-max.js

const MAX = 0; // the one shared cell

/** Thread t's k-th offer (1-based, k from 0): every offer is different, and the last thread's last is the largest. */
const offer = (thread, k, threads) => k * threads + thread;

/** @type {import('race-demo').Scenario} */
export default {
  name: 'running-max',
  summary: 'each thread offers its numbers to one shared maximum, keeping the larger',
  operation: 'offer',
  measure: 'the maximum',
  modes: [
    {
      name: 'unsafe',
      racy: true,
      gapAfter: ['read'],
      explanation: 'the read and the write are two steps: a larger offer that lands between them is overwritten by a smaller one.',
    },
    {
      name: 'cas',
      racy: false,
      retries: true,
      gapAfter: ['read'],
      explanation: 'Atomics.compareExchange writes only if the maximum is still what was read; if it moved, the thread reads again.',
    },
  ],
  watch: { label: 'max', cell: MAX },
  lockCell: 1, // no mode takes a lock; the cells after MAX are where one would be
  maxTotal: 100_000_000,

  cellCount: () => 3,
  stateCells: () => 3,
  init: () => {},

  // One step of `thread` (1-based): state.pc is where it is in its offer, state.register what it read.
  step(mode, thread, state, memory, size) {
    const mine = offer(thread, state.done, size.threads);
    if (state.pc === 0) {
      state.register = memory.load(MAX);
      state.pc = 1;
      return { action: 'read', value: state.register };
    }
    state.pc = 0;
    if (mine <= state.register) {
      state.done++; // nothing to write: the maximum is already larger
      return { action: 'keep', value: state.register };
    }
    if (mode === 'unsafe') {
      memory.store(MAX, mine);
      state.done++;
      return { action: 'write', value: mine };
    }
    const found = memory.compareExchange(MAX, state.register, mine);
    if (found !== state.register) return { action: 'retry', value: found };
    state.done++;
    return { action: 'cas', value: mine };
  },

  isDone: (_mode, state, size) => state.done >= size.iters,

  measureOf: (cells) => cells[MAX],
  breaks: (measure, size) => measure !== size.threads * size.iters,
  broken: 'end below the largest offer',

  outcome(_mode, cells, size) {
    const expected = size.threads * size.iters;
    const actual = cells[MAX];
    return {
      expected,
      actual,
      lost: null,
      ok: actual === expected,
      details: { largestOffer: expected },
      lines: [
        actual === expected
          ? `The maximum is ${expected}, the largest offer.`
          : `The maximum is ${actual}, but ${expected} was offered: a smaller offer was written over it.`,
      ],
    };
  },

  annotate(step, { before }) {
    if (step.action === 'write' && step.value < before[MAX]) return { text: `overwrites ${before[MAX]}: the larger offer is lost`, bad: true };
    return null;
  },
};
