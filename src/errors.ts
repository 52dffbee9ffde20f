/** Every error race-demo raises on purpose: a stable `code` for scripts, the message for people. */
export class RaceDemoError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The input asked for something race-demo does not do; nothing was started. The message names the
 * library's option fields (`threads`); `render` names them as a caller spells them (the CLI: `--threads`).
 * In `template`, `{threads}` stands for the field.
 */
export class UsageError extends RaceDemoError {
  readonly template: string;
  /** The option fields the message names, in order. */
  readonly fields: readonly string[];

  constructor(template: string) {
    super('ERR_USAGE', fill(template, (field) => field));
    this.template = template;
    this.fields = [...template.matchAll(FIELD)].map((match) => match[1]!);
  }

  /** The message with each field spelled by `spell` (the CLI passes its flag names). */
  render(spell: (field: string) => string): string {
    return fill(this.template, spell);
  }
}

const FIELD = /\{(\w+)\}/g;

function fill(template: string, spell: (field: string) => string): string {
  return template.replace(FIELD, (_, field: string) => spell(field));
}

/** A worker threw, exited early or never finished; every other worker was terminated. */
export class WorkerFailedError extends RaceDemoError {
  readonly thread: number;

  constructor(thread: number, message: string, options?: { cause?: unknown }) {
    super('ERR_WORKER_FAILED', message, options);
    this.thread = thread;
  }
}

/** A scenario brought from a file threw (its step on a thread, or another of its functions). */
export class ScenarioError extends RaceDemoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SCENARIO', message, options);
  }
}

/**
 * A test written as plain code, or a litmus file, cannot be taken as written: it does not parse, exports
 * nothing usable, names what is not there, or a thread threw or took another path when run again. Bad
 * input, as a UsageError is (exit 2); the message names the file, and the line where there is one.
 */
export class TestError extends RaceDemoError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_TEST', message, options);
  }
}

/** A run went past its time limit; every worker was terminated. */
export class TimedOutError extends RaceDemoError {
  readonly timeoutMs: number;

  constructor(timeoutMs: number, message: string) {
    super('ERR_TIMEOUT', message);
    this.timeoutMs = timeoutMs;
  }
}

/** How far a run had got when it was stopped from outside: "1,234 of 4,000 increments counted so far". */
export interface PartialProgress {
  /** What was running: "lock", "list unsafe", "explore". */
  readonly during: string;
  /** What had been done, in words. */
  readonly done: string;
}

/** The run was stopped by a signal (or an aborted AbortSignal); the workers were terminated. */
export class InterruptedError extends RaceDemoError {
  readonly signal: string;
  readonly progress: PartialProgress | null;

  constructor(signal: string, progress: PartialProgress | null = null) {
    super('ERR_INTERRUPTED', `interrupted by ${signal}`);
    this.signal = signal;
    this.progress = progress;
  }
}

/** The exact model would need more states, or more memory, than it is allowed. */
export class StateLimitError extends RaceDemoError {
  constructor(
    /** What ran out: the allowed states, or the memory budget. */
    readonly limit: 'states' | 'memory',
    /** The allowed number of states, or of bytes. */
    readonly allowed: number,
    message: string,
  ) {
    super('ERR_STATE_LIMIT', message);
  }
}

/** The model's own bookkeeping disagreed with itself: a bug in race-demo or in a scenario, never bad input. */
export class InconsistentModelError extends RaceDemoError {
  constructor(message: string) {
    super('ERR_INCONSISTENT', message);
  }
}
