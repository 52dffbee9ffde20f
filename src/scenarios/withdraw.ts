import type { ModeSpec, Outcome, Scenario, Sighting, Size, StepResult, ThreadState } from '../core/scenario.js';
import { formatInt, plural } from '../core/text.js';

/**
 * Check-then-act: threads withdraw a fixed amount from one shared balance, each only if enough
 * remains: `if (balance >= amount) balance -= amount`. The balance covers about half of the requests. Two
 * threads that both check before either debits both pay out, and more leaves than was there.
 *
 * Cells: the balance; the lock's two cells; the total paid out (the cash that left: an indivisible
 * tally); the requests declined.
 */
const BALANCE = 0;
const LOCK = 1;
const PAID = 3;
const DECLINED = 4;

export const AMOUNT = 10;

/**
 * The starting balance: enough for about half of the requests, and for an odd number of them (where
 * some are left to decline): threads that go in step, as a widened gap makes them, take the balance two
 * withdrawals at a time, and an odd number leaves one last withdrawal that both see as covered.
 */
export function startingBalance({ threads, iters }: Size): number {
  const requests = threads * iters;
  const half = Math.ceil(requests / 2);
  if (half % 2 === 1) return AMOUNT * half;
  return AMOUNT * (half + 1 < requests ? half + 1 : half - 1);
}

const PROGRAMS: Readonly<Record<string, readonly string[]>> = {
  unsafe: ['check', 'debit'],
  cas: ['read', 'cas'],
  lock: ['acquire', 'check', 'debit', 'release'],
};

/** What each kind of step runs, as a line of code. */
const CODE: Readonly<Record<string, string>> = {
  check: 'if (balance < 10) decline',
  debit: 'balance -= 10; paid += 10',
  read: 'b = balance; if (b < 10) decline',
  cas: 'if (Atomics.compareExchange(balance, b, b - 10) !== b) retry',
  acquire: 'lock()',
  release: 'unlock()',
};

/**
 * Sightings (core/thread-cells.ts): a debit the balance no longer covered (money paid that was not
 * there), and a debit that found the balance moved since its check (the race, still covered this time).
 */
const UNCOVERED = 1;
const STALE = 2;

const SPECS: readonly Omit<ModeSpec, 'code'>[] = [
  {
    name: 'unsafe',
    racy: true,
    gapAfter: ['check'],
    explanation: 'the check and the debit are two steps: two threads that both check before either debits both see enough, and both pay out.',
  },
  {
    name: 'cas',
    racy: false,
    retries: true,
    gapAfter: ['read'],
    explanation:
      'Atomics.compareExchange debits only if the balance is still what was checked; if another withdrawal landed in between, it fails and the thread checks again.',
  },
  {
    name: 'lock',
    racy: false,
    lock: 'mutex',
    gapAfter: ['check'],
    explanation: 'the mutex makes the check and the debit one step for every other thread: no withdrawal lands in between.',
  },
];

const MODES: readonly ModeSpec[] = SPECS.map((spec) => ({ ...spec, code: PROGRAMS[spec.name]!.map((kind) => CODE[kind]!) }));

/** The request is settled (paid or declined): on to the next. */
function finish(state: ThreadState, step: StepResult): StepResult {
  state.pc = 0;
  state.done++;
  return step;
}

export const withdraw: Scenario = {
  name: 'withdraw',
  summary: `each thread withdraws ${AMOUNT} at a time, only if the balance covers it; the balance covers about half of the requests`,
  operation: 'withdrawal',
  modes: MODES,
  measure: 'paid out',
  watch: { label: 'balance', cell: BALANCE },
  lockCell: LOCK,
  maxTotal: 100_000_000,

  describeStart(size) {
    const start = startingBalance(size);
    return `The balance starts at ${formatInt(start)}: enough for ${plural(start / AMOUNT, 'withdrawal')} of ${AMOUNT} out of the ${plural(size.threads * size.iters, 'request')}.`;
  },

  playGoal: (size) => ({
    text: `make it pay out more than the ${formatInt(startingBalance(size))} there is`,
    reached: (cells) => cells[PAID]! > startingBalance(size),
  }),
  showCells(cells) {
    const holder = cells[LOCK + 1]!;
    return `balance ${formatInt(cells[BALANCE]!)}, paid ${formatInt(cells[PAID]!)}${holder > 0 ? `, lock: thread ${holder}` : ''}`;
  },
  cellCount: () => 5,
  stateCells: () => 5,
  init(cells, size) {
    cells[BALANCE] = startingBalance(size);
  },

  step(mode, thread, state, memory, _size, seen) {
    const program = PROGRAMS[mode]!;
    const kind = program[state.pc]!;
    switch (kind) {
      case 'check':
      case 'read': {
        state.register = memory.load(BALANCE);
        if (state.register >= AMOUNT) {
          state.pc++;
          return { action: kind, value: state.register };
        }
        memory.fetchAdd(DECLINED, 1);
        if (mode === 'lock') {
          // Declined inside the lock: go straight to the release.
          state.pc = program.indexOf('release');
          return { action: 'declined', value: state.register };
        }
        return finish(state, { action: 'declined', value: state.register });
      }
      case 'debit': {
        // The act, on the balance as it is now: what the check saw may be out of date.
        const now = memory.load(BALANCE);
        if (seen && now < AMOUNT) seen.record(UNCOVERED, AMOUNT - Math.max(0, now), state.register, now);
        else if (seen && now !== state.register) seen.record(STALE, 0, state.register, now);
        const after = now - AMOUNT;
        memory.store(BALANCE, after);
        memory.fetchAdd(PAID, AMOUNT);
        if (mode === 'lock') {
          state.pc++;
          return { action: 'debit', value: after };
        }
        return finish(state, { action: 'debit', value: after });
      }
      case 'cas': {
        const found = memory.compareExchange(BALANCE, state.register, state.register - AMOUNT);
        if (found !== state.register) {
          // The balance moved since the read: check again.
          state.pc = 0;
          return { action: 'retry', value: found };
        }
        memory.fetchAdd(PAID, AMOUNT);
        return finish(state, { action: 'cas', value: state.register - AMOUNT });
      }
      case 'acquire':
        if (!memory.tryLock(thread)) return { action: 'blocked', value: memory.holder() };
        state.pc++;
        return { action: 'acquire', value: null };
      default:
        memory.unlock();
        return finish(state, { action: 'release', value: null });
    }
  },

  isDone: (_mode, state, size) => state.done >= size.iters,

  measureOf: (cells) => cells[PAID]!,
  breaks: (measure, size) => measure > startingBalance(size),
  broken: 'pay out more than there was',

  outcome(_mode, cells, size): Outcome {
    const start = startingBalance(size);
    const paid = cells[PAID]!;
    const balance = cells[BALANCE]!;
    const declined = cells[DECLINED]!;
    const overdrawn = Math.max(0, paid - start);
    const requests = size.threads * size.iters;
    const lines =
      overdrawn > 0
        ? [
            `Paid out ${formatInt(paid)} from a balance of ${formatInt(start)}: overdrawn by ${formatInt(overdrawn)}. ` +
              `The balance reads ${formatInt(balance)}${balance < 0 ? ', below zero' : ''}; ` +
              `${formatInt(paid / AMOUNT)} of ${plural(requests, 'request')} were paid, ${formatInt(declined)} declined.`,
            paid + balance === start
              ? `Invariant broken: more was paid out than there was, and the balance went ${balance < 0 ? 'below zero' : 'wrong'}.`
              : `Invariant broken: paid out + balance = ${formatInt(paid + balance)}, not the ${formatInt(start)} there was: ` +
                'some debits were lost too (the debit itself is a read and a write).',
          ]
        : [
            `Paid out ${formatInt(paid)} of the ${formatInt(start)} there was; the balance is ${formatInt(balance)}. ` +
              `${formatInt(paid / AMOUNT)} of ${plural(requests, 'request')} were paid, ${formatInt(declined)} declined: never more than there was.`,
          ];
    return {
      expected: start,
      actual: paid,
      lost: null,
      ok: overdrawn === 0 && paid + balance === start && balance >= 0,
      details: { startingBalance: start, amount: AMOUNT, paidOut: paid, balance, declined, overdrawn },
      lines,
    };
  },

  annotate(step, { before, after }) {
    if (step.action === 'blocked') return { text: `waits: thread ${step.value} holds the lock`, bad: false };
    if ((step.action === 'check' || step.action === 'read') && step.value !== null && step.value >= AMOUNT) {
      return { text: `sees ${formatInt(step.value)}: enough`, bad: false };
    }
    if (step.action === 'debit') {
      if (after[BALANCE]! < 0) return { text: `overdraft: ${formatInt(AMOUNT)} paid out that was not there`, bad: true };
      return before[BALANCE]! < AMOUNT ? { text: 'paid out, though the balance no longer covered it', bad: true } : null;
    }
    if (step.action === 'retry') return { text: 'the balance moved since the read: check again', bad: false };
    if (step.action === 'declined') return { text: 'not enough: declined', bad: false };
    return null;
  },

  unseen: 'a thread sees the balance moved only when another debit lands between its own check and its own debit, and a run can be overdrawn by debits that were lost instead',
  describeSighting(thread, kind, a, b): Sighting | null {
    if (kind === STALE) {
      return {
        thread,
        kind: 'stale-check',
        cost: 0,
        values: { checked: a, found: b },
        text:
          `thread ${thread} checked a balance of ${formatInt(a)} (enough), and when it debited the balance was already ${formatInt(b)}: ` +
          'another withdrawal had landed between its check and its debit. It was still covered this time; near the end of the balance the same gap pays out money that is not there',
        steps: [
          { who: `thread ${thread}`, did: `checks: ${formatInt(a)} is enough`, watch: formatInt(a), note: '', bad: false },
          { who: 'another', did: 'withdraws', watch: formatInt(b), note: '', bad: false },
          { who: `thread ${thread}`, did: `debits ${formatInt(AMOUNT)}`, watch: formatInt(b - AMOUNT), note: 'its check was out of date', bad: true },
        ],
      };
    }
    if (kind !== UNCOVERED) return null;
    const cost = AMOUNT - Math.max(0, b);
    return {
      thread,
      kind: 'uncovered',
      cost,
      values: { checked: a, found: b },
      text:
        `thread ${thread} checked a balance of ${formatInt(a)} (enough), and when it debited ${formatInt(AMOUNT)} the balance was ` +
        `${formatInt(b)}: another withdrawal had landed in between, and ${formatInt(cost)} was paid out that was not there`,
      steps: [
        { who: `thread ${thread}`, did: `checks: ${formatInt(a)} is enough`, watch: formatInt(a), note: '', bad: false },
        { who: 'another', did: 'withdraws', watch: formatInt(b), note: '', bad: false },
        { who: `thread ${thread}`, did: `debits ${formatInt(AMOUNT)}`, watch: formatInt(b - AMOUNT), note: `${formatInt(cost)} paid that was not there`, bad: true },
      ],
    };
  },

  // No cell names a thread but the lock's holder, which the model renames itself.
  renameThreads: () => undefined,
};
