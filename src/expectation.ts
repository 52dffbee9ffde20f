import type { ModeResult } from './engine/run-mode.js';

export const EXPECTATIONS = ['correct', 'race'] as const;
export type Expectation = (typeof EXPECTATIONS)[number];

export interface Verdict {
  readonly ok: boolean;
  /** One line saying why the expectation held or failed; null when nothing was expected. */
  readonly reason: string | null;
}

const integer = new Intl.NumberFormat('en-US');

/** `correct`: every mode ended exact. `race`: every mode lost at least one update. */
export function checkExpectation(expect: Expectation | null, results: readonly ModeResult[]): Verdict {
  if (expect === null) return { ok: true, reason: null };
  if (expect === 'correct') {
    const broken = results.filter((r) => r.lost !== 0);
    if (broken.length === 0) return { ok: true, reason: `every mode ended exact (${names(results)})` };
    return { ok: false, reason: `expected every mode exact, but ${broken.map(describeLoss).join('; ')}` };
  }
  const exact = results.filter((r) => r.lost === 0);
  if (exact.length === 0) return { ok: true, reason: `every mode lost updates (${names(results)})` };
  return {
    ok: false,
    reason: `expected every mode to lose updates, but ${names(exact)} lost none`,
  };
}

function describeLoss(result: ModeResult): string {
  const percent = (result.lostRatio * 100).toFixed(1);
  return `${result.mode} lost ${integer.format(result.lost)} of ${integer.format(result.expected)} updates (${percent}%)`;
}

function names(results: readonly ModeResult[]): string {
  return results.map((r) => r.mode).join(', ');
}
