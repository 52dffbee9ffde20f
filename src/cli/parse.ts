import { InvalidArgumentError } from 'commander';
import { readCount, readSchedule, SCHEDULE_ALLOWED } from '../core/count-text.js';
import { MAX_INT32, MAX_MAX_STATES, MAX_THREADS, MAX_TIMEOUT_MS, MAX_TRIALS } from '../core/limits.js';
import { formatInt } from '../core/text.js';

// Option parsers for commander: each returns the value or throws InvalidArgumentError with what is allowed.

function integerBetween(min: number, max: number, allowed = `Allowed: an integer from ${min} to ${formatInt(max)} (for example 100000, 100_000 or 1e5).`): (raw: string) => number {
  return (raw) => {
    const value = readCount(raw);
    if (value === null || value < min || value > max) throw new InvalidArgumentError(allowed);
    return value;
  };
}

export const parseThreads = integerBetween(1, MAX_THREADS);
export const parseIters = integerBetween(1, MAX_INT32);
export const parseTrials = integerBetween(1, MAX_TRIALS);
export const parseTimeout = integerBetween(1, MAX_TIMEOUT_MS);
export const parseMaxStates = integerBetween(1, MAX_MAX_STATES);
/** A TCP port; 0 asks for any free one. */
export const parsePort = integerBetween(0, 65_535, 'Allowed: a port from 1 to 65535, or 0 for any free one.');
/** A replay's pause before each step: a minute at most, which is already a long look at one step. */
export const parseDelay = integerBetween(0, 60_000);

const MODE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * `unsafe`, `atomic,lock`, or `all` (null: every mode of the scenario); duplicates collapse, order is
 * kept. Whether the scenario has them is checked once it is known.
 */
export function parseModes(raw: string): string[] | null {
  if (raw.trim() === 'all') return null;
  const modes: string[] = [];
  for (const name of raw.split(',').map((part) => part.trim())) {
    if (!MODE_NAME.test(name) || name === 'all') throw new InvalidArgumentError("Allowed: the scenario's modes (see --help), a comma list of them, or all.");
    if (!modes.includes(name)) modes.push(name);
  }
  return modes;
}

/** One mode's name; whether the scenario has it is checked once it is known. */
export function parseMode(raw: string): string {
  const name = raw.trim();
  if (!MODE_NAME.test(name) || name === 'all') throw new InvalidArgumentError("Allowed: one of the scenario's modes (see --help).");
  return name;
}

/** "1,2,1,2" → [1, 2, 1, 2]; whether each thread exists is checked against --threads later. */
export function parseScheduleOption(raw: string): number[] {
  const schedule = readSchedule(raw);
  if (schedule === null) throw new InvalidArgumentError(`Allowed: ${SCHEDULE_ALLOWED}.`);
  return schedule;
}
