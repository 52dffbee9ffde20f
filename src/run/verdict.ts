import { plural } from '../core/text.js';
import type { ModeResult } from './trial.js';
import type { TrialsSummary } from './trials.js';

export const EXPECTATIONS = ['correct', 'race'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export interface Verdict {
  readonly ok: boolean;
  /** One line saying why the expectation held or failed; null when nothing was expected. */
  readonly reason: string | null;
}

/**
 * `correct`: every mode kept the invariant (in every trial). `race`: every mode broke it (in at least
 * one trial). `results` holds each mode's worst trial, so both read off it; `threads`, the run's, says
 * why a race could not show at all.
 */
export function checkExpectation(expect: Expectation | null, results: readonly ModeResult[], trials: readonly TrialsSummary[] | null = null, threads = 2): Verdict {
  if (expect === null) return { ok: true, reason: null };
  const trialsOf = (mode: string) => trials?.find((t) => t.mode === mode) ?? null;
  if (expect === 'correct') {
    const broken = results.filter((r) => !r.ok);
    if (broken.length === 0) return { ok: true, reason: `every mode kept the invariant (${names(results, trialsOf)})` };
    return { ok: false, reason: `expected every mode to keep the invariant, but ${broken.map((r) => describeBreak(r, trialsOf(r.mode))).join('; ')}` };
  }
  const kept = results.filter((r) => r.ok);
  if (kept.length === 0) return { ok: true, reason: `every mode broke the invariant (${names(results, trialsOf)})` };
  const none = kept.map((r) => {
    const trials = trialsOf(r.mode);
    return `${label(r)} kept it${trials ? ` in ${plural(trials.run, 'trial')}` : ''}`;
  });
  const alone = threads === 1 ? ' (with one thread nothing can race: a race needs two threads or more)' : '';
  return { ok: false, reason: `expected every mode to break the invariant, but ${none.join(', ')}${alone}` };
}

function describeBreak(result: ModeResult, trials: TrialsSummary | null): string {
  const what = result.summary[0] ?? '';
  if (trials) return `${label(result)} broke it in ${trials.raced} of ${trials.run} trials (the worst: ${what.replace(/\.$/, '')})`;
  return `${label(result)} broke it: ${what.replace(/\.$/, '')}`;
}

function names(results: readonly ModeResult[], trialsOf: (mode: string) => TrialsSummary | null): string {
  return results
    .map((r) => {
      const trials = trialsOf(r.mode);
      if (!trials) return label(r);
      return r.ok ? `${label(r)} in ${plural(trials.run, 'trial')}` : `${label(r)}: ${trials.raced} of ${trials.run} trials`;
    })
    .join(', ');
}

function label(result: ModeResult): string {
  return result.widened ? `${result.mode} (gap widened)` : result.mode;
}
