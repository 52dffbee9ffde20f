import { findAnyCycle, lockCount, locksHeldBy, type WaitLink } from './locks.js';
import { Machine } from './machine/machine.js';
import { sc } from './memory/sc.js';
import { BLOCKED, type Scenario, type Size, type TraceStep } from './scenario.js';
import { formatInt, plural } from './text.js';
import { UsageError } from '../errors.js';

/** Replay prints every step; past this a trace is no longer something to read. */
export const MAX_REPLAY_STEPS = 10_000;

/** The schedule run on the model: the trace the threads must give, and what else a replay needs of it. */
export interface ModelTrace {
  /** The schedule as run: the one given, and where it left threads stuck, a last try by each to show what it waits for. */
  readonly schedule: readonly number[];
  readonly steps: readonly TraceStep[];
  /** The cells at the end. */
  readonly cells: Int32Array;
  /** Per step, whether the thread on turn held a lock before it. */
  readonly heldBefore: readonly boolean[];
  /** The threads it left unable ever to move (a deadlock; empty when all are done), and their cycle of waits for locks if there is one. */
  readonly stuck: readonly number[];
  readonly cycle: WaitLink[] | null;
}

/** Whether `thread` could take a step now: it is not done and its next step is not blocked. Changes nothing. */
function canMove(machine: Machine, thread: number): boolean {
  if (machine.isDone(thread)) return false;
  const saved = new Int32Array(machine.width);
  const cells = machine.cells.slice();
  machine.save(saved);
  const moved = machine.step(thread)!.action !== BLOCKED;
  machine.cells.set(cells);
  machine.load(saved);
  return moved;
}

/** The threads not done. */
function unfinishedThreads(machine: Machine): number[] {
  return Array.from({ length: machine.threads }, (_, i) => i + 1).filter((thread) => !machine.isDone(thread));
}

/** The threads not done, when none of them can move; empty when some thread can move or all are done. */
function stuckThreads(machine: Machine): number[] {
  const unfinished = unfinishedThreads(machine);
  return unfinished.every((thread) => !canMove(machine, thread)) ? unfinished : [];
}

/**
 * Where a schedule leaves threads stuck: one more (blocked) step for each that has not tried since the
 * last change, so that the trace shows what every one of them waits for, and the real threads say so.
 */
function lastTries(schedule: readonly number[], blocked: readonly boolean[], stuck: readonly number[]): number[] {
  const tried = new Set<number>();
  for (let i = schedule.length - 1; i >= 0 && blocked[i]; i--) tried.add(schedule[i]!);
  return stuck.filter((thread) => !tried.has(thread));
}

/**
 * Each thread in turn takes its next step (a blocked step counts), skipping those that are done: 1,2,1,2
 * for 2 × 1 unsafe. Where the threads get stuck for good, it ends with each one's try at what it waits for.
 */
export function defaultSchedule(scenario: Scenario, mode: string, size: Size): number[] {
  const machine = Machine.of(scenario, mode, size);
  const schedule: number[] = [];
  const blocked: boolean[] = [];
  while (unfinishedThreads(machine).length > 0) {
    for (let thread = 1; thread <= size.threads; thread++) {
      const step = machine.step(thread);
      if (step === null) continue;
      blocked.push(step.action === BLOCKED);
      schedule.push(thread);
    }
    const stuck = stuckThreads(machine);
    if (stuck.length > 0) return [...schedule, ...lastTries(schedule, blocked, stuck)];
    if (schedule.length > MAX_REPLAY_STEPS) throw tooLong();
  }
  return schedule;
}

/**
 * The fewest steps any schedule takes: each thread runs on alone until it is done or has to wait,
 * then the next (nothing retries; a wait lets the others on). Counted without keeping the schedule,
 * and stopped past `limit`.
 */
export function shortestScheduleLength(scenario: Scenario, mode: string, size: Size, limit: number): number {
  const machine = Machine.of(scenario, mode, size);
  let steps = 0;
  for (let moved = true; moved && steps <= limit; ) {
    moved = false;
    for (let thread = 1; thread <= size.threads && steps <= limit; thread++) {
      for (let step = machine.step(thread); step !== null && steps <= limit; step = machine.step(thread)) {
        if (step.action === BLOCKED) break;
        steps++;
        moved = true;
      }
    }
  }
  return steps;
}

/**
 * One schedule on the model, a step at a time: what each step does and the note on it, exactly as a
 * replay must see it on the threads. `modelTrace` runs a whole schedule through it; an interactive
 * replay or a game of `play` takes its steps one by one.
 */
export class ModelRun {
  readonly steps: TraceStep[] = [];
  readonly schedule: number[] = [];
  /** Per step, whether the thread on turn held a lock before it. */
  readonly heldBefore: boolean[] = [];
  private readonly machine: Machine;
  private readonly taken: number[];
  private readonly locks: number;

  constructor(
    readonly scenario: Scenario,
    readonly mode: string,
    readonly size: Size,
  ) {
    this.machine = Machine.of(scenario, mode, size, sc, { lines: true });
    this.taken = new Array<number>(size.threads).fill(0);
    this.locks = lockCount(scenario, size);
  }

  get cells(): Int32Array {
    return this.machine.cells;
  }

  has(thread: number): boolean {
    return Number.isInteger(thread) && thread >= 1 && thread <= this.size.threads;
  }

  /** The steps `thread` has taken. */
  stepsOf(thread: number): number {
    return this.taken[thread - 1] ?? 0;
  }

  /** Why `thread` cannot take the next step (no such thread, or it is done), or null where it can. */
  refusal(thread: number): string | null {
    const { size } = this;
    if (!this.has(thread)) return `there ${size.threads === 1 ? 'is only 1 thread' : `are only ${size.threads} threads`}`;
    if (this.machine.isDone(thread)) return `thread ${thread} has already taken all ${plural(this.taken[thread - 1]!, 'step')} it takes`;
    return null;
  }

  /** Takes `thread`'s next step; the caller has checked `refusal`. */
  take(thread: number): TraceStep {
    const { scenario, mode, size, machine } = this;
    const words = machine.wordsOf(thread);
    this.heldBefore.push(locksHeldBy(machine.cells, scenario.lockCell, this.locks, thread).length > 0);
    const before = machine.cells.slice();
    const stateBefore = machine.program.threadState?.(words) ?? null;
    const lineBefore = machine.program.lineAt?.(words) ?? null;
    const step = machine.step(thread)!;
    this.taken[thread - 1]!++;
    const note = stateBefore ? (scenario.annotate?.(step, { mode, thread, size, before, after: machine.cells, state: stateBefore }) ?? null) : null;
    const cells = machine.cells;
    const watch = cells[scenario.watch.cell]!;
    const shared = scenario.showCells?.(cells, size) ?? `${scenario.watch.label} ${formatInt(watch)}`;
    const traced: TraceStep = { step: this.steps.length + 1, thread, action: step.action, value: step.value, watch, line: step.line ?? lineBefore, shared, note };
    this.steps.push(traced);
    this.schedule.push(thread);
    return traced;
  }

  /** The threads not done. */
  unfinished(): number[] {
    return unfinishedThreads(this.machine);
  }

  /**
   * The line of the mode's code `thread` runs next (1-based), or null where it is done or the mode shows
   * no code. Where only running the step tells (plain code), it is run and taken back.
   */
  nextLine(thread: number): number | null {
    const { machine } = this;
    if (!this.has(thread) || machine.isDone(thread)) return null;
    if (machine.program.lineAt) return machine.program.lineAt(machine.wordsOf(thread));
    const saved = new Int32Array(machine.width);
    const cells = machine.cells.slice();
    machine.save(saved);
    const step = machine.step(thread)!;
    machine.cells.set(cells);
    machine.load(saved);
    return step.line ?? null;
  }

  /** Whether `thread` could take a step now (not done, and not blocked). */
  canMove(thread: number): boolean {
    return canMove(this.machine, thread);
  }

  /** The threads not done, when none of them can move (a deadlock); empty otherwise. */
  stuck(): number[] {
    return this.unfinished().length > 0 ? stuckThreads(this.machine) : [];
  }

  /** The stuck threads that have not tried since the last change: each one's last try shows what it waits for. */
  lastTries(): number[] {
    return lastTries(this.schedule, this.steps.map((s) => s.action === BLOCKED), this.stuck());
  }

  /** The cycle of waits for locks that holds the stuck threads, if there is one. */
  cycle(): WaitLink[] | null {
    return this.stuck().length > 0 ? findAnyCycle(this.machine.memory.waitsView()) : null;
  }
}

/**
 * Runs the schedule on the model and returns the trace it must give; refuses, before any thread starts,
 * a schedule that names an unknown thread, gives a step to a thread that is done, or ends while a
 * thread could still move. One that ends with the threads stuck for good (a deadlock) is run as far as
 * that, plus a last try by each stuck thread that has not just tried.
 */
export function modelTrace(scenario: Scenario, mode: string, size: Size, given: readonly number[]): ModelTrace {
  if (given.length === 0) throw new UsageError('{schedule} is empty: list which thread takes each step, for example 1,2,1,2');
  if (given.length > MAX_REPLAY_STEPS) throw tooLong();
  const run = new ModelRun(scenario, mode, size);
  // Counted in steps, not in what was written: 1x3,2 is four steps.
  given.forEach((thread, i) => {
    if (!run.has(thread)) throw new UsageError(`{schedule}'s step ${i + 1} is thread ${thread}, but ${run.refusal(thread)!}`);
    if (run.refusal(thread)) {
      const taken = run.stepsOf(thread) === 1 ? 'its only step' : `all ${plural(run.stepsOf(thread), 'step')} it takes`;
      throw new UsageError(`{schedule}'s step ${i + 1} is thread ${thread}'s, but it has already taken ${taken}`);
    }
    run.take(thread);
  });
  const unfinished = run.unfinished();
  const stuck = run.stuck();
  if (unfinished.length > 0 && stuck.length === 0) {
    throw new UsageError(
      `{schedule} ends after ${plural(given.length, 'step')} with ${unfinished.length === 1 ? 'thread' : 'threads'} ${unfinished.join(', ')} unfinished: ` +
        `each thread needs steps until its ${plural(size.iters, scenario.operation)} ${size.iters === 1 ? 'is' : 'are'} done`,
    );
  }
  const more = run.lastTries();
  if (given.length + more.length > MAX_REPLAY_STEPS) throw tooLong();
  for (const thread of more) run.take(thread);
  return { schedule: run.schedule, steps: run.steps, cells: run.cells, heldBefore: run.heldBefore, stuck, cycle: run.cycle() };
}

function tooLong(): UsageError {
  return new UsageError(`a replay of more than ${formatInt(MAX_REPLAY_STEPS)} steps is too long to show; replay prints every step: lower {threads} or {iters}`);
}
