/** Every error race-demo raises on purpose: a stable `code` for scripts, the message for people. */
export class RaceDemoError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input asked for something race-demo does not do; nothing was started. */
export class UsageError extends RaceDemoError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

/** A worker threw, exited early or never finished; every other worker was terminated. */
export class WorkerFailedError extends RaceDemoError {
  readonly thread: number;

  constructor(thread: number, message: string, options?: { cause?: unknown }) {
    super('ERR_WORKER_FAILED', message, options);
    this.thread = thread;
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

/** What had been counted when a run was stopped from outside. */
export interface PartialProgress {
  readonly mode: string;
  readonly counted: number;
  readonly expected: number;
  /** What was counted (default "increments counted"). */
  readonly unit?: string;
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
