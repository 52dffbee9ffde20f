import type { Mode } from '../modes.js';
import { formatInt, plural } from '../text.js';
import type { ProgramState, Scenario, ScenarioOutcome, Size, Step } from './scenario.js';

/**
 * Check-then-act: threads withdraw a fixed amount from one shared balance, each only if enough
 * remains: `if (balance >= amount) balance -= amount`. The balance covers half of the requests. Two
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

/** The starting balance: enough for half of the requests (rounded up). */
export function startingBalance({ threads, iters }: Size): number {
  return AMOUNT * Math.ceil((threads * iters) / 2);
}

const PROGRAMS: Readonly<Partial<Record<Mode, readonly string[]>>> = {
  unsafe: ['check', 'debit'],
  cas: ['read', 'cas'],
  lock: ['acquire', 'check', 'debit', 'release'],
};

/** The request is settled (paid or declined): on to the next. */
function finish(state: ProgramState, step: Step): Step {
  state.pc = 0;
  state.done++;
  return step;
}

export const withdraw: Scenario = {
  name: 'withdraw',
  summary: `each thread withdraws ${AMOUNT} at a time, only if the balance covers it; the balance covers half of the requests`,
  modes: ['unsafe', 'cas', 'lock'],
  measure: 'paid out',
  watch: { label: 'balance', cell: BALANCE },
  lockCell: LOCK,
  maxTotal: 100_000_000,

  cellCount: () => 5,
  stateCells: () => 5,
  init(cells, size) {
    cells[BALANCE] = startingBalance(size);
  },

  step(mode, thread, state, cells) {
    const program = PROGRAMS[mode]!;
    const kind = program[state.pc]!;
    switch (kind) {
      case 'check':
      case 'read': {
        state.register = cells.load(BALANCE);
        if (state.register >= AMOUNT) {
          state.pc++;
          return { action: kind, value: state.register };
        }
        cells.fetchAdd(DECLINED, 1);
        if (mode === 'lock') {
          // Declined inside the lock: go straight to the release.
          state.pc = program.indexOf('release');
          return { action: 'declined', value: state.register };
        }
        return finish(state, { action: 'declined', value: state.register });
      }
      case 'debit': {
        // The act, on the balance as it is now: what the check saw may be out of date.
        const after = cells.load(BALANCE) - AMOUNT;
        cells.store(BALANCE, after);
        cells.fetchAdd(PAID, AMOUNT);
        if (mode === 'lock') {
          state.pc++;
          return { action: 'debit', value: after };
        }
        return finish(state, { action: 'debit', value: after });
      }
      case 'cas': {
        const found = cells.compareExchange(BALANCE, state.register, state.register - AMOUNT);
        if (found !== state.register) {
          // The balance moved since the read: check again.
          state.pc = 0;
          return { action: 'retry', value: found };
        }
        cells.fetchAdd(PAID, AMOUNT);
        return finish(state, { action: 'cas', value: state.register - AMOUNT });
      }
      case 'acquire':
        if (!cells.tryLock(thread)) return { action: 'blocked', value: cells.holder() };
        state.pc++;
        return { action: 'acquire', value: null };
      default:
        cells.unlock();
        return finish(state, { action: 'release', value: null });
    }
  },

  isDone: (_mode, state, size) => state.done >= size.iters,

  measureOf: (cells) => cells[PAID]!,
  breaks: (measure, size) => measure > startingBalance(size),
  broken: 'pay out more than there was',

  outcome(_mode, cells, size): ScenarioOutcome {
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

  annotate(step, before, after) {
    if ((step.action === 'check' || step.action === 'read') && step.value !== null && step.value >= AMOUNT) {
      return `sees ${formatInt(step.value)}: enough`;
    }
    if (step.action === 'debit') {
      const seen = after[BALANCE]!;
      if (seen < 0) return `overdraft: ${formatInt(AMOUNT)} paid out that was not there`;
      return before[BALANCE]! < AMOUNT ? 'paid out, though the balance no longer covered it' : '';
    }
    if (step.action === 'retry') return 'the balance moved since the read: check again';
    if (step.action === 'declined') return 'not enough: declined';
    return '';
  },

  explanations: {
    unsafe:
      'the check and the debit are two steps: two threads that both check before either debits both see enough, and both pay out.',
    cas:
      'Atomics.compareExchange debits only if the balance is still what was checked; if another withdrawal landed in between, it fails and the thread checks again.',
    lock: 'the mutex makes the check and the debit one step for every other thread: no withdrawal lands in between.',
  },
};
