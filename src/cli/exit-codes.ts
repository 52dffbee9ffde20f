import { CommanderError } from 'commander';
import { InterruptedError, TestError, UsageError } from '../errors.js';

/** The only exit codes race-demo uses; decided here and nowhere else. */
export const ExitCode = {
  ok: 0,
  expectationFailed: 1,
  usage: 2,
  failure: 3,
  /** The output could not be written (a full disk, say); a reader that went away (EPIPE) is not this. */
  outputFailed: 4,
  hungUp: 129,
  interrupted: 130,
  terminated: 143,
} as const;

/** 128 + the signal's number, as a shell reports a process that a signal ended. */
export function exitCodeForSignal(signal: string): number {
  if (signal === 'SIGTERM') return ExitCode.terminated;
  if (signal === 'SIGHUP') return ExitCode.hungUp;
  return ExitCode.interrupted;
}

export const HELP_FOOTER = `
Exit codes:
  0    finished (and --expect, if given, held)
  1    --expect did not hold
  2    usage error: unknown command or option, or a bad value; a test file
       that cannot be run as written
  3    run-time failure: a worker crashed, exited early or ran out of memory,
       or the run timed out
  4    the output could not be written (a full disk, say)
  129  the terminal closed (SIGHUP)
  130  interrupted (SIGINT, Ctrl-C); 143 terminated (SIGTERM)

An option given twice keeps its last value.`;

export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  if (error instanceof UsageError || error instanceof TestError) return ExitCode.usage;
  if (error instanceof InterruptedError) return exitCodeForSignal(error.signal);
  return ExitCode.failure;
}
