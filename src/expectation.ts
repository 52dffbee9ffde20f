import type { ModeResult } from './engine/trial.js';
import type { TrialsSummary } from './engine/trials.js';
import { formatInt, plural } from './text.js';

export const EXPECTATIONS = ['correct', 'race'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export interface Verdict {
  readonly ok: boolean;
  /** One line saying why the expectation held or failed; null when nothing was expected. */
  readonly reason: string | null;
}


/**
 * `correct`: every mode ended exact (in every trial). `race`: every mode lost at least one update
 * (in at least one trial). `results` holds each mode's worst trial, so both read off it.
 */
export function checkExpectation(
  expect: Expectation | null,
  results: readonly ModeResult[],
  trials: readonly TrialsSummary[] | null = null,
): Verdict {
  if (expect === null) return { ok: true, reason: null };
  const trialsOf = (mode: string) => trials?.find((t) => t.mode === mode) ?? null;
  if (expect === 'correct') {
    const broken = results.filter((r) => r.lost !== 0);
    if (broken.length === 0) return { ok: true, reason: `every mode ended exact (${names(results, trialsOf)})` };
    return {
      ok: false,
      reason: `expected every mode exact, but ${broken.map((r) => describeLoss(r, trialsOf(r.mode))).join('; ')}`,
    };
  }
  const exact = results.filter((r) => r.lost === 0);
  if (exact.length === 0) return { ok: true, reason: `every mode lost updates (${names(results, trialsOf)})` };
  const none = exact.map((r) => {
    const trials = trialsOf(r.mode);
    return `${label(r)} lost none${trials ? ` in ${plural(trials.run, 'trial')}` : ''}`;
  });
  return { ok: false, reason: `expected every mode to lose updates, but ${none.join(', ')}` };
}

function describeLoss(result: ModeResult, trials: TrialsSummary | null): string {
  const share = `${formatInt(result.lost)} of ${formatInt(result.expected)} updates`;
  if (trials) return `${result.mode} lost updates in ${trials.raced} of ${trials.run} trials (up to ${share})`;
  return `${result.mode} lost ${share} (${(result.lostRatio * 100).toFixed(1)}%)`;
}

function names(results: readonly ModeResult[], trialsOf: (mode: string) => TrialsSummary | null): string {
  return results
    .map((r) => {
      const trials = trialsOf(r.mode);
      if (!trials) return label(r);
      return r.lost === 0 ? `${label(r)} in ${plural(trials.run, 'trial')}` : `${label(r)}: ${trials.raced} of ${trials.run} trials`;
    })
    .join(', ');
}

function label(result: ModeResult): string {
  return result.widened ? `${result.mode} (gap widened)` : result.mode;
}
