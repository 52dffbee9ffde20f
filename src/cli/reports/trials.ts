import type { ChalkInstance } from 'chalk';
import { histogram } from '../../core/statistics.js';
import type { ModeResult } from '../../run/trial.js';
import type { TrialsSummary } from '../../run/trials.js';
import { formatDuration, formatInt, formatTable, plural, type Entry } from './format.js';

const HISTOGRAM_BINS = 8;
const HISTOGRAM_WIDTH = 30;

/** The per-mode summary of trials: how often each mode broke the invariant, and by how much. */
export function formatTrialsTable(summaries: readonly TrialsSummary[], chalk: ChalkInstance, width = Infinity): string[] {
  // The first trial that broke it is in JSON; with --until-race it is the last one run.
  const heading = ['mode', 'broke it', 'chance (95% CI)', 'actual min / med / max', 'time (med)'].map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = summaries.map((s): Entry[] => {
    const paint = s.raced === 0 ? chalk.green : chalk.red;
    return [
      { text: s.mode + (s.widened ? ' (gap widened)' : ''), paint: chalk.bold },
      { text: `${formatInt(s.raced)} of ${plural(s.run, 'trial')}`, paint },
      { text: `${percent(s.rate)} (${percent(s.wilson95.low)}–${percent(s.wilson95.high)})` },
      { text: `${formatInt(s.actual.min)} / ${formatInt(Math.round(s.actual.median))} / ${formatInt(s.actual.max)}`, paint },
      { text: formatDuration(s.elapsedMs.median) },
    ];
  });
  return formatTable(['left', 'right', 'right', 'right', 'right'], [heading, ...rows], width);
}

/** A histogram of each trial's `actual`, drawn with block characters. */
export function formatFinalsHistogram(summary: TrialsSummary, worst: ModeResult, chalk: ChalkInstance): string[] {
  const trials = `${formatInt(summary.run)} trial${summary.run === 1 ? '' : 's'}`;
  const expected = worst.expected;
  if (summary.raced === 0 && summary.finals.every((final) => final === summary.finals[0])) {
    return [`${chalk.bold(summary.mode)}: all ${trials} kept the invariant, ending at ${formatInt(summary.finals[0] ?? expected)}`];
  }
  const bins = histogram(summary.finals, HISTOGRAM_BINS);
  const most = Math.max(...bins.map((b) => b.count));
  const labels = bins.map((b) => (b.from === b.to ? formatInt(b.from) : `${formatInt(b.from)}–${formatInt(b.to)}`));
  const labelWidth = Math.max(...labels.map((l) => l.length));
  return [
    `${chalk.bold(summary.mode)}: actual in each of ${trials} (expected ${formatInt(expected)})`,
    ...bins.map((bin, i) => {
      const length = bin.count === 0 ? 0 : Math.max(1, Math.round((bin.count / most) * HISTOGRAM_WIDTH));
      const paint = bin.to === expected && bin.from === expected ? chalk.green : chalk.red;
      return `  ${labels[i]!.padStart(labelWidth)}  ${paint('█'.repeat(length))} ${bin.count}`;
    }),
  ];
}

function percent(ratio: number): string {
  const value = ratio * 100;
  return `${Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)}%`;
}
