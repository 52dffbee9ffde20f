import { UsageError } from '../errors.js';
import { isMode, MODES, type Mode } from '../modes.js';
import { formatInt } from '../text.js';
import { DEFAULT_MAX_STATES, MAX_EXPLORE_THREADS, validateIters } from '../engine/limits.js';
import { explore, StateLimitError } from './explore.js';

export interface ExploreOptions {
  /** Default 2, at most 8. */
  readonly threads?: number;
  /** Default 2. */
  readonly iters?: number;
  readonly mode?: Mode;
  /** Refuse sizes that would visit more states than this (default 2,000,000), before memory runs out. */
  readonly maxStates?: number;
}

/** The `explore` result; `--json` prints exactly this object. Counts are decimal strings. */
export interface ExploreReport {
  readonly schemaVersion: 1;
  readonly command: 'explore';
  /** Which scenario ran: always the counter here (see --scenario). */
  readonly scenario: 'counter';
  readonly mode: Mode;
  readonly threads: number;
  readonly iters: number;
  readonly interleavings: string;
  readonly outcomes: readonly { readonly final: number; readonly count: string }[];
  readonly min: { readonly final: number; readonly schedule: readonly number[] };
  readonly max: { readonly final: number; readonly schedule: readonly number[] };
  readonly expected: number;
  /** never / sometimes / always: whether interleavings end below the expected total. */
  readonly lostUpdate: 'never' | 'sometimes' | 'always';
  /** How many interleavings end below the expected total (a decimal string). */
  readonly belowExpected: string;
  readonly statesVisited: number;
  readonly elapsedMs: number;
}

/** Counts every interleaving of the threads' steps exactly, grouped by final total. */
export function exploreInterleavings(options: ExploreOptions = {}): ExploreReport {
  const threads = options.threads ?? 2;
  const iters = options.iters ?? 2;
  const mode = options.mode ?? 'unsafe';
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_EXPLORE_THREADS) {
    throw new UsageError(`--threads ${threads} is invalid for explore: expected an integer from 1 to ${MAX_EXPLORE_THREADS}`);
  }
  validateIters(iters);
  if (!isMode(mode)) throw new UsageError(`--mode '${String(mode)}' is invalid: expected one of ${MODES.join(', ')}`);
  const started = performance.now();
  let exploration;
  try {
    exploration = explore(mode, threads, iters, maxStates);
  } catch (error) {
    if (error instanceof StateLimitError) {
      throw new UsageError(
        `explore --threads ${threads} --iters ${iters} (${mode}) needs ${error.message}, over --max-states ${formatInt(maxStates)}: ` +
          'lower --threads or --iters, or raise --max-states',
      );
    }
    throw error;
  }
  const expected = threads * iters;
  const below = exploration.outcomes.filter((o) => o.final < expected).reduce((sum, o) => sum + o.count, 0n);
  return {
    schemaVersion: 1,
    command: 'explore',
    scenario: 'counter',
    mode,
    threads,
    iters,
    interleavings: exploration.interleavings.toString(),
    outcomes: exploration.outcomes.map((o) => ({ final: o.final, count: o.count.toString() })),
    min: exploration.min,
    max: exploration.max,
    expected,
    lostUpdate: below === 0n ? 'never' : below === exploration.interleavings ? 'always' : 'sometimes',
    belowExpected: below.toString(),
    statesVisited: exploration.statesVisited,
    elapsedMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
}
