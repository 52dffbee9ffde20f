import { UsageError } from '../errors.js';
import { formatInt } from '../text.js';
import type { Mode } from '../modes.js';
import { createModelMemory, stepsPerThread, takeStep, type Action, type ThreadState } from '../scenario/counter.js';

/** Replay prints every step; past this a trace is no longer something to read. */
export const MAX_REPLAY_STEPS = 10_000;

export interface TraceStep {
  /** 1-based. */
  readonly step: number;
  readonly thread: number;
  readonly action: Action;
  /** The value read or written; for `blocked`, the thread holding the lock; null for acquire and release. */
  readonly value: number | null;
  /** The counter after the step. */
  readonly counter: number;
}


/** Each thread in turn takes its next step, skipping those that are done: for 2 × 1 unsafe, 1,2,1,2. */
export function defaultSchedule(mode: Mode, threads: number, iters: number): number[] {
  const total = stepsPerThread(mode, iters);
  const states = newStates(threads);
  const memory = createModelMemory();
  const schedule: number[] = [];
  while (states.some((state) => state.pc < total)) {
    for (let thread = 1; thread <= threads; thread++) {
      if (states[thread - 1]!.pc >= total) continue;
      takeStep(mode, thread, states[thread - 1]!, memory);
      schedule.push(thread);
    }
    if (schedule.length > MAX_REPLAY_STEPS) throw tooLong(schedule.length);
  }
  return schedule;
}

/**
 * Runs the schedule on the model and returns the trace it must give; refuses, before any thread starts,
 * a schedule that names an unknown thread, gives a step to a thread that has none left, or ends early.
 */
export function checkSchedule(mode: Mode, threads: number, iters: number, schedule: readonly number[]): TraceStep[] {
  if (schedule.length === 0) throw new UsageError('--schedule is empty: list which thread takes each step, for example 1,2,1,2');
  if (schedule.length > MAX_REPLAY_STEPS) throw tooLong(schedule.length);
  const total = stepsPerThread(mode, iters);
  const states = newStates(threads);
  const memory = createModelMemory();
  const trace = schedule.map((thread, i): TraceStep => {
    const state = states[thread - 1];
    if (!state) {
      throw new UsageError(`--schedule entry ${i + 1} is thread ${thread}, but there ${threads === 1 ? 'is only 1 thread' : `are only ${threads} threads`}`);
    }
    if (state.pc >= total) {
      throw new UsageError(`--schedule entry ${i + 1} gives thread ${thread} a step, but it has already taken all ${total} of its steps`);
    }
    const outcome = takeStep(mode, thread, state, memory);
    return { step: i + 1, thread, ...outcome, counter: memory.counter };
  });
  const unfinished = states.map((state, i) => ({ thread: i + 1, left: total - state.pc })).filter((t) => t.left > 0);
  if (unfinished.length > 0) {
    const left = unfinished.map((t) => `thread ${t.thread} has ${t.left} left`).join(', ');
    throw new UsageError(
      `--schedule ends after ${schedule.length} steps with threads unfinished (${left}); ` +
        `each thread takes ${total} steps (${stepsPerThread(mode, 1)} per increment in ${mode} mode)`,
    );
  }
  return trace;
}

function newStates(threads: number): ThreadState[] {
  return Array.from({ length: threads }, () => ({ pc: 0, register: 0 }));
}

function tooLong(steps: number): UsageError {
  return new UsageError(
    `a replay of ${formatInt(steps)} steps is too long to show; replay prints every step, up to ${formatInt(MAX_REPLAY_STEPS)}: lower --threads or --iters`,
  );
}
