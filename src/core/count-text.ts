import { MAX_THREADS } from './limits.js';

// How a user writes the numbers the CLI and the page take: counts (100000, 100_000, 1e5) and schedules
// (1,2,1,2, or 1x3,2 for 1,1,1,2). One reader for both front ends, so the page takes what the CLI takes,
// and one writer, so that what they print reads back.

/** Digits, optionally grouped with single underscores, optionally times a power of ten: 100000, 100_000, 1e5. */
const COUNT_SYNTAX = /^(\d+(?:_\d+)*)(?:[eE](\d+))?$/;

/** Exponents past this make numbers far beyond any limit here; stop before BigInt does real work. */
const MAX_EXPONENT = 24;

/**
 * Reads a whole number written as 100000, 100_000 or 1e5; returns null for anything else
 * (1.5, abc, -3, 0x10, ''). Values too large to be exact come back as Infinity.
 */
export function readCount(raw: string): number | null {
  const match = COUNT_SYNTAX.exec(raw);
  if (!match) return null;
  const digits = match[1]!.replaceAll('_', '');
  const exponent = match[2] === undefined ? 0 : Number(match[2]);
  if (exponent > MAX_EXPONENT) return /^0+$/.test(digits) ? 0 : Infinity;
  const value = BigInt(digits) * 10n ** BigInt(exponent);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value);
}

/** What a schedule may be, for an error message. */
export const SCHEDULE_ALLOWED = `thread numbers from 1 to ${MAX_THREADS}, separated by commas, each followed by xN to take N steps in a row, for example 1,2,1x3,2`;

/** Repeats are read out only this far: a schedule longer than any replay is refused later, by its length. */
const MAX_SCHEDULE_READ = 10_001;

/** "1,2,1x3,2" → [1, 2, 1, 1, 1, 2], or null when it is not a schedule; whether each thread exists is checked against the size later. */
export function readSchedule(raw: string): number[] | null {
  const schedule: number[] = [];
  for (const entry of raw.split(',')) {
    const parts = entry.split('x').map((part) => part.trim());
    if (parts.length > 2) return null;
    const thread = readCount(parts[0]!);
    const times = parts.length === 2 ? readCount(parts[1]!) : 1;
    if (thread === null || times === null || thread < 1 || thread > MAX_THREADS || times < 1) return null;
    for (let k = 0; k < times && schedule.length < MAX_SCHEDULE_READ; k++) schedule.push(thread);
  }
  return schedule;
}

/** A schedule of a model with moves of its own, move by move: a flush of thread n's oldest buffered store (−n) is Fn: 1,1,2,2,F1,F2. */
export function writeMoves(schedule: readonly number[]): string {
  return schedule.map((move) => (move < 0 ? `F${-move}` : String(move))).join(',');
}

/** [1, 2, 1, 1, 1, 2] → "1,2,1x3,2": runs of three steps or more in a row as xN, what readSchedule reads back. */
export function writeSchedule(schedule: readonly number[]): string {
  const entries: string[] = [];
  for (let at = 0; at < schedule.length; ) {
    let run = 1;
    while (schedule[at + run] === schedule[at]) run++;
    entries.push(run >= 3 ? `${schedule[at]}x${run}` : Array<number>(run).fill(schedule[at]!).join(','));
    at += run;
  }
  return entries.join(',');
}
