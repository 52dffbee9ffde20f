import type { ModeSpec, Outcome, OutcomeTable, Scenario } from '../core/scenario.js';
import { formatInt, listOf, plural } from '../core/text.js';
import { ARRIVED, FIRST, reorderLoop } from './reorder-loop.js';

/**
 * Store buffering, the litmus test "SB": per round, thread 1 writes its flag x and then reads thread 2's
 * flag y, while thread 2 writes y and then reads x. In any interleaving of those four steps some write
 * comes first, so at least one thread reads the other's 1. On x86 a plain store waits in the CPU's store
 * buffer while the load after it goes ahead, so both threads can read 0: an outcome no interleaving
 * explains. `Atomics.store` is sequentially consistent (an XCHG on x86, which drains the buffer first),
 * so with it at least one thread always sees the other's write.
 *
 * A round's steps are those four accesses and no more, as in docs/examples/store-buffering.mjs and
 * docs/examples/litmus/SB.litmus, whose counts a test holds these to: each thread keeps what it read in
 * a cell of its own (Memory.keep: no race, no store buffer), and the threads meet at a rendezvous only
 * between rounds (each adds itself to a count, then waits until both have), so the writes race closely.
 * Each round has cells of its own, so nothing is reset and no stale flag is read.
 *
 * Cells: the rendezvous count, two unused lock cells (no mode locks), a flag per thread for a thread
 * asleep at the rendezvous (reorder-loop.ts), then per round x, then y, then what thread 1 read (r1), then
 * what thread 2 read (r2), each kind in a block of its own so that rounds follow one another on their
 * cache lines.
 */

export const REORDER_THREADS = 2;

/** Where round k's cells are, for `rounds` rounds: the flags, and what thread t read (`read(t, k)`). */
export function reorderCells(rounds: number) {
  return { x: (k: number) => FIRST + k, y: (k: number) => FIRST + rounds + k, read: (thread: number, k: number) => FIRST + (1 + thread) * rounds + k };
}

/** A round's result: thread 1 saw y (1) or not, plus twice whether thread 2 saw x. 0: both read 0. */
export const BOTH_ZERO = 0;

/** Round k's result, from what each thread read. */
export function resultOf(cells: Int32Array, rounds: number, k: number): number {
  const { read } = reorderCells(rounds);
  return cells[read(1, k)]! + 2 * cells[read(2, k)]!;
}

/** The first rounds with both reads 0 that a result names: enough to look at, few enough to print. */
const ROUNDS_NAMED = 20;

const MODES: readonly ModeSpec[] = [
  {
    name: 'unsafe',
    racy: true,
    meets: true,
    gapAfter: [],
    code: ['met++', 'wait until both met; mine = 1', 'r = theirs'],
    explanation:
      'each write is a plain store, which waits in its CPU\'s store buffer while the read after it goes ahead: both reads can run before ' +
      'either write reaches memory, and both threads read 0. x86 keeps stores in order among themselves and loads among themselves, ' +
      'so a message passed with a plain data write and then a plain flag write is never seen out of order here; only a store followed ' +
      'by a load of another cell can be.',
  },
  {
    name: 'atomic',
    racy: false,
    meets: true,
    gapAfter: [],
    code: ['met++', 'wait until both met; Atomics.store(mine, 1)', 'r = Atomics.load(theirs)'],
    explanation:
      'Atomics.store is sequentially consistent: on x86 it is an XCHG, which drains the store buffer before the read after it, so the ' +
      'later of the two writes is always seen by the other thread.',
  },
];

/** What each outcome is, and which memory model allows it (checked against the models by a test). */
const OUTCOMES: readonly { code: number; r1: number; r2: number; interleavings: boolean; storeBuffers: boolean }[] = [
  { code: 3, r1: 1, r2: 1, interleavings: true, storeBuffers: true },
  { code: 1, r1: 1, r2: 0, interleavings: true, storeBuffers: true },
  { code: 2, r1: 0, r2: 1, interleavings: true, storeBuffers: true },
  { code: BOTH_ZERO, r1: 0, r2: 0, interleavings: false, storeBuffers: true },
];

interface Tally {
  readonly counts: number[];
  readonly bothZero: number[];
}

function tally(cells: Int32Array, rounds: number): Tally {
  const counts = [0, 0, 0, 0];
  const bothZero: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const code = resultOf(cells, rounds, k);
    counts[code]!++;
    if (code === BOTH_ZERO && bothZero.length < ROUNDS_NAMED) bothZero.push(k + 1);
  }
  return { counts, bothZero };
}

const perMillion = (count: number, rounds: number) => Math.round((count * 1e6) / rounds);

export const reorder: Scenario = {
  name: 'reorder',
  summary: 'per round, thread 1 writes x and then reads y while thread 2 writes y and then reads x',
  operation: 'round',
  measure: 'rounds where both read 0',
  modes: MODES,
  watch: { label: 'met', cell: ARRIVED },
  lockCell: 1,
  maxTotal: 2 * 4_000_000,
  defaults: { threads: REORDER_THREADS, iters: 200_000 },
  storeBuffers: true,

  sizeProblem: ({ threads }) =>
    threads === REORDER_THREADS ? null : 'store buffering is a test of two threads, each writing its own flag and reading the other\'s: use --threads 2',

  // Both reading 0 takes a store buffer, which whole steps cannot give: the goal a player can reach is
  // the other outcome that needs the two threads in step, both reading 1.
  playGoal: (size) => ({
    text: 'make both threads read 1 in a round (both reading 0 is beyond any order of whole steps: see why)',
    reached: (cells) => {
      for (let k = 0; k < size.iters; k++) if (resultOf(cells, size.iters, k) === 3) return true;
      return false;
    },
  }),
  showCells(cells, size) {
    // The round under way: the last one either thread has arrived at.
    const round = Math.max(0, Math.ceil(cells[ARRIVED]! / REORDER_THREADS) - 1);
    const { x, y } = reorderCells(size.iters);
    return `round ${round + 1}: x ${cells[x(round)]}, y ${cells[y(round)]}`;
  },
  describeStart: () => "Every round's flags start at 0; each thread writes 1 to its own and then reads the other's.",

  cellCount: ({ iters }) => FIRST + 4 * iters,
  // What the threads read decides the measure, so every cell is part of a state.
  stateCells: ({ iters }) => FIRST + 4 * iters,
  init: () => undefined,

  // pc 0: arrive at the rendezvous (before every round but the first, which all start together);
  // 1: wait until both have, and write; 2: read, and keep what was read.
  step(mode, thread, state, memory, size) {
    const k = state.done;
    const cells = reorderCells(size.iters);
    const mine = thread === 1 ? cells.x(k) : cells.y(k);
    const theirs = thread === 1 ? cells.y(k) : cells.x(k);
    if (state.pc === 0 && k === 0) state.pc = 1;
    switch (state.pc) {
      case 0:
        state.pc = 1;
        return { action: 'arrive', value: memory.fetchAdd(ARRIVED, 1) + 1 };
      case 1:
        // The rendezvous: write only once both threads have arrived for this round.
        if (memory.atomicLoad(ARRIVED) < REORDER_THREADS * k) return { action: 'blocked', value: null };
        if (mode === 'atomic') memory.atomicStore(mine, 1);
        else memory.store(mine, 1);
        state.pc = 2;
        return { action: 'write', value: 1 };
      default: {
        const seen = mode === 'atomic' ? memory.atomicLoad(theirs) : memory.load(theirs);
        memory.keep(cells.read(thread, k), seen);
        state.pc = 0;
        state.done++;
        return { action: 'read', value: seen };
      }
    }
  },

  isDone: (_mode, state, size) => state.done >= size.iters,

  measureOf(cells, size) {
    let both = 0;
    for (let k = 0; k < size.iters; k++) if (resultOf(cells, size.iters, k) === BOTH_ZERO) both++;
    return both;
  },
  breaks: (measure) => measure > 0,
  broken: 'end with a round in which both threads read 0',

  outcome(_mode, cells, size): Outcome {
    const rounds = size.iters;
    const { counts, bothZero } = tally(cells, rounds);
    const both = counts[BOTH_ZERO]!;
    const named = bothZero.length < both ? `the first in rounds ${listOf(bothZero.map(formatInt))}` : `in round${both === 1 ? '' : 's'} ${listOf(bothZero.map(formatInt))}`;
    const lines =
      both > 0
        ? [
            `Both threads read 0 in ${formatInt(both)} of ${plural(rounds, 'round')} (${formatInt(perMillion(both, rounds))} per million), ${named}.`,
            'No interleaving allows it: in every order of the four steps one write comes first and the other thread reads it. ' +
              "Each thread's write was still in its CPU's store buffer when its read went ahead.",
          ]
        : [`In ${plural(rounds, 'round')}, never did both threads read 0: at least one saw the other's write every time.`];
    return {
      expected: 0,
      actual: both,
      lost: null,
      ok: both === 0,
      details: {
        rounds,
        outcomes: OUTCOMES.map(({ code, r1, r2 }) => ({ r1, r2, rounds: counts[code]!, perMillion: perMillion(counts[code]!, rounds) })),
        bothZeroRounds: bothZero,
      },
      lines,
    };
  },

  table({ details }): OutcomeTable | null {
    const outcomes = details.outcomes as { r1: number; r2: number; rounds: number; perMillion: number }[] | undefined;
    const rounds = details.bothZeroRounds as number[] | undefined;
    if (!outcomes || !rounds) return null;
    const allowed = (yes: boolean) => (yes ? 'allowed' : 'never');
    return {
      title: 'what each thread read, against what each model of memory allows',
      heading: ['r1 (y)', 'r2 (x)', 'rounds', 'per million', 'interleavings', 'store buffers'],
      rows: outcomes.map((o) => {
        const facts = OUTCOMES.find((f) => f.r1 === o.r1 && f.r2 === o.r2)!;
        return {
          entries: [String(o.r1), String(o.r2), formatInt(o.rounds), formatInt(o.perMillion), allowed(facts.interleavings), allowed(facts.storeBuffers)],
          bad: !facts.interleavings && o.rounds > 0,
        };
      }),
    };
  },

  explainTrace() {
    return {
      details: {},
      lines: [
        'A replay takes one step at a time, and each has finished before the next begins: every write is in memory before any later ' +
          'read, as in an interleaving, so both threads never read 0 here. The store buffer that lets them on real hardware sits inside ' +
          'one step, which a turnstile cannot split: run shows it on this CPU, and explore counts it under x86-TSO.',
      ],
    };
  },

  hooks: {
    loop: (mode) => reorderLoop(mode),
  },
};

/** For the tests: which outcomes each model allows, as the scenario states them. */
export const REORDER_OUTCOMES = OUTCOMES;
