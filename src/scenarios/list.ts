import type { Memory, ModeSpec, Outcome, Scenario, Sighting, Sightings, Size, StepResult, ThreadState } from '../core/scenario.js';
import { formatInt, plural } from '../core/text.js';

/**
 * The shared list: each thread appends its own numbered items to one list in shared memory, as
 * `list[list.length] = item` does: read the length, write the item at that index, write length + 1.
 * Two threads that read the same length write to the same slot, and one item is gone.
 *
 * Cells: the length; the lock's two cells; the slots; then, for the report only, where each item was
 * written (slot + 1, 0 if never), which the model leaves out of its states.
 */
const LENGTH = 0;
const LOCK = 1;
const SLOTS = 3;

/** Thread t's k-th item (both 1-based) is number (t − 1) × iters + k: one Int32, 0 meaning an empty slot. */
export function itemNumber(thread: number, k: number, iters: number): number {
  return (thread - 1) * iters + k;
}

export function itemName(item: number, iters: number): string {
  return `t${Math.floor((item - 1) / iters) + 1}#${((item - 1) % iters) + 1}`;
}

const PROGRAMS: Readonly<Record<string, readonly string[]>> = {
  unsafe: ['read length', 'write item', 'write length'],
  atomic: ['reserve', 'write item'],
  lock: ['acquire', 'read length', 'write item', 'write length', 'release'],
};

/** What each kind of step runs, as a line of code. */
const CODE: Readonly<Record<string, string>> = {
  'read length': 'n = length',
  reserve: 'n = Atomics.add(length, 1)',
  'write item': 'list[n] = item',
  'write length': 'length = n + 1',
  acquire: 'lock()',
  release: 'unlock()',
};

/** Sightings (core/thread-cells.ts): a slot that already held another thread's item; a length put back. */
const OVERWRITE = 1;
const LENGTH_BACK = 2;

const SPECS: readonly Omit<ModeSpec, 'code'>[] = [
  {
    name: 'unsafe',
    racy: true,
    gapAfter: ['read length'],
    explanation:
      'an append is a read of the length, a write of the item at that index, and a write of length + 1; two threads that read ' +
      'the same length write to the same slot, and the second write erases the first item.',
  },
  {
    name: 'atomic',
    racy: false,
    gapAfter: ['reserve'],
    explanation: 'Atomics.add on the length hands each thread an index of its own (the old length), so no two items share a slot.',
  },
  {
    name: 'lock',
    racy: false,
    lock: 'mutex',
    gapAfter: ['read length'],
    explanation: 'the mutex lets one thread at a time read the length, write the item and write the new length.',
  },
];

const MODES: readonly ModeSpec[] = SPECS.map((spec) => ({ ...spec, code: PROGRAMS[spec.name]!.map((kind) => CODE[kind]!) }));

function writeItem(thread: number, state: ThreadState, memory: Memory, size: Size, seen: Sightings | undefined): StepResult {
  const item = itemNumber(thread, state.done + 1, size.iters);
  const slot = state.register;
  if (seen) {
    const there = memory.load(SLOTS + slot);
    if (there !== 0) seen.record(OVERWRITE, 1, slot, there);
  }
  memory.store(SLOTS + slot, item);
  memory.store(SLOTS + size.threads * size.iters + item - 1, slot + 1);
  return { action: 'write item', value: slot };
}

export const list: Scenario = {
  name: 'list',
  summary: 'each thread appends its own numbered items to one shared list: read the length, write the item there, write length + 1',
  operation: 'append',
  modes: MODES,
  measure: 'items in the list',
  watch: { label: 'length', cell: LENGTH },
  lockCell: LOCK,
  maxTotal: 4_000_000,

  playGoal: (size) => ({
    text: 'make an item go missing from the list',
    reached: (cells) => list.measureOf(cells, size) < size.threads * size.iters,
  }),
  showCells(cells, { threads, iters }) {
    const length = cells[LENGTH]!;
    const used: string[] = [];
    for (let slot = 0; slot < threads * iters && used.length < 6; slot++) {
      const item = cells[SLOTS + slot]!;
      if (item !== 0 || slot < length) used.push(item === 0 ? '_' : itemName(item, iters));
    }
    const holder = cells[LOCK + 1]!;
    return `length ${formatInt(length)} [${used.join(' ')}${used.length === 6 ? ' …' : ''}]${holder > 0 ? `, lock: thread ${holder}` : ''}`;
  },
  cellCount: ({ threads, iters }) => SLOTS + 2 * threads * iters,
  stateCells: ({ threads, iters }) => SLOTS + threads * iters,
  init: () => undefined,

  step(mode, thread, state, memory, size, seen) {
    const program = PROGRAMS[mode]!;
    const kind = program[state.pc]!;
    let step: StepResult;
    switch (kind) {
      case 'read length':
        state.register = memory.load(LENGTH);
        step = { action: kind, value: state.register };
        break;
      case 'reserve':
        // Atomics.add hands out each index once: the slot is this thread's alone.
        state.register = memory.fetchAdd(LENGTH, 1);
        step = { action: kind, value: state.register };
        break;
      case 'write item':
        step = writeItem(thread, state, memory, size, seen);
        break;
      case 'write length':
        if (seen) {
          const now = memory.load(LENGTH);
          if (now > state.register + 1) seen.record(LENGTH_BACK, now - state.register - 1, state.register + 1, now);
        }
        memory.store(LENGTH, state.register + 1);
        step = { action: kind, value: state.register + 1 };
        break;
      case 'acquire':
        if (!memory.tryLock(thread)) return { action: 'blocked', value: memory.holder() };
        step = { action: kind, value: null };
        break;
      default:
        memory.unlock();
        step = { action: 'release', value: null };
    }
    state.pc++;
    if (state.pc === program.length) {
      state.pc = 0;
      state.done++;
    }
    return step;
  },

  isDone: (_mode, state, size) => state.done >= size.iters,

  breaks: (measure, size) => measure < size.threads * size.iters,
  broken: 'end with items missing',

  measureOf(cells, size) {
    return present(cells, size).size;
  },

  outcome(_mode, cells, size): Outcome {
    const total = size.threads * size.iters;
    const found = present(cells, size);
    const length = cells[LENGTH]!;
    const missing: { item: string; slot: number | null; takenBy: string | null }[] = [];
    for (let item = 1; item <= total; item++) {
      if (found.has(item)) continue;
      const written = cells[SLOTS + total + item - 1]!;
      const slot = written === 0 ? null : written - 1;
      const holder = slot !== null && slot < length ? cells[SLOTS + slot]! : 0;
      missing.push({ item: itemName(item, size.iters), slot, takenBy: holder > 0 ? itemName(holder, size.iters) : null });
    }
    const lines: string[] = [];
    if (missing.length === 0) {
      lines.push(`All ${plural(total, 'item')} are in the list, each in a slot of its own; the length says ${formatInt(length)}.`);
    } else {
      const shown = missing.slice(0, 5).map((m) =>
        m.takenBy !== null
          ? `item ${m.item} (written to slot ${formatInt(m.slot!)}, which now holds item ${m.takenBy})`
          : `item ${m.item} (written to slot ${formatInt(m.slot ?? 0)}, past the final length ${formatInt(length)})`,
      );
      const more = missing.length > shown.length ? `, and ${formatInt(missing.length - shown.length)} more` : '';
      lines.push(`${formatInt(missing.length)} of ${plural(total, 'item')} are missing: ${shown.join(', ')}${more}.`);
      lines.push(`The list's length says ${formatInt(length)}; ${plural(found.size, 'distinct item')} in it. Item tN#k is thread N's k-th append.`);
    }
    return {
      expected: total,
      actual: found.size,
      lost: missing.length,
      ok: missing.length === 0 && length === total,
      details: {
        length,
        missingItems: missing.length,
        missing: missing.slice(0, 20),
      },
      lines,
    };
  },

  annotate(step, { before, state, size }) {
    if (step.action === 'blocked') return { text: `waits: thread ${step.value} holds the lock`, bad: false };
    if (step.action === 'write length' && before[LENGTH]! > state.register + 1) {
      return { text: `puts the length back from ${formatInt(before[LENGTH]!)}: the items past it are lost`, bad: true };
    }
    if (step.action !== 'write item' || step.value === null) return null;
    const erased = before[SLOTS + step.value]!;
    return erased > 0 ? { text: `overwrites item ${itemName(erased, size.iters)}: it is lost`, bad: true } : null;
  },

  unseen: 'a thread sees an overwrite only if it looks at the slot after the other write landed, and threads in step write over each other before either looks',
  describeSighting(thread, kind, a, b, size): Sighting | null {
    if (kind === OVERWRITE) {
      const erased = itemName(b, size.iters);
      return {
        thread,
        kind: 'overwrite',
        cost: 1,
        values: { slot: a, erasedItem: b },
        text: `thread ${thread} read a length of ${formatInt(a)} and wrote its item into slot ${formatInt(a)}, which already held item ${erased}: another thread had read the same length`,
        steps: [
          { who: 'another', did: `writes item ${erased} into slot ${formatInt(a)}`, watch: '', note: '', bad: false },
          { who: `thread ${thread}`, did: `writes its item into slot ${formatInt(a)}`, watch: '', note: `item ${erased} is lost`, bad: true },
        ],
      };
    }
    if (kind === LENGTH_BACK) {
      return {
        thread,
        kind: 'length-back',
        cost: b - a,
        values: { wrote: a, found: b },
        text: `thread ${thread} wrote a length of ${formatInt(a)} over a length of ${formatInt(b)}: the ${plural(b - a, 'item')} past it dropped out of the list`,
        steps: [
          { who: 'others', did: `append up to length ${formatInt(b)}`, watch: formatInt(b), note: '', bad: false },
          { who: `thread ${thread}`, did: `writes length ${formatInt(a)}`, watch: formatInt(a), note: `${plural(b - a, 'item')} dropped`, bad: true },
        ],
      };
    }
    return null;
  },

  renameThreads(cells, renamed, size) {
    const total = size.threads * size.iters;
    for (let slot = 0; slot < total; slot++) {
      const item = cells[SLOTS + slot]!;
      if (item === 0) continue;
      const thread = Math.floor((item - 1) / size.iters) + 1;
      cells[SLOTS + slot] = itemNumber(renamed[thread]!, ((item - 1) % size.iters) + 1, size.iters);
    }
  },
};

/** The distinct items within the list's length. */
function present(cells: Int32Array, size: Size): Set<number> {
  const length = Math.min(cells[LENGTH]!, size.threads * size.iters);
  const found = new Set<number>();
  for (let slot = 0; slot < length; slot++) {
    const item = cells[SLOTS + slot]!;
    if (item > 0) found.add(item);
  }
  return found;
}
