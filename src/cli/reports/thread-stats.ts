import type { ChalkInstance } from 'chalk';
import type { Scenario } from '../../core/scenario.js';
import type { ModeResult } from '../../run/trial.js';
import type { ThreadStats } from '../../run/thread-stats.js';
import { formatDuration, formatInt, formatTable, wrapText, type Align, type Entry } from './format.js';

/** `run --stats`: per mode, one row per thread, the columns that mode has, and the fairness line. */
export function formatThreadStats(result: ModeResult, scenario: Scenario, chalk: ChalkInstance, width = Infinity): string[] {
  const columns: { heading: string; value: (t: ThreadStats) => string }[] = [
    { heading: 'thread', value: (t) => String(t.thread) },
    { heading: `${scenario.operation}s`, value: (t) => formatInt(t.operations) },
    { heading: 'finished at', value: (t) => (t.finishMs === null ? 'never' : formatDuration(t.finishMs)) },
  ];
  const counted = (name: 'acquisitions' | 'contended' | 'spins' | 'sleeps' | 'wakeups' | 'retries', heading: string) => {
    if (result.threadStats.some((t) => t[name] !== null)) columns.push({ heading, value: (t) => (t[name] === null ? '—' : formatInt(t[name])) });
  };
  counted('acquisitions', 'acquisitions');
  counted('contended', 'contended');
  counted('spins', 'spins');
  counted('sleeps', 'sleeps');
  counted('wakeups', 'wake-ups');
  counted('retries', 'retries');
  const heading = columns.map((c): Entry => ({ text: c.heading, paint: chalk.dim }));
  const rows = result.threadStats.map((t) => columns.map((c): Entry => ({ text: c.value(t) })));
  const align = columns.map((_, i): Align => (i === 0 ? 'left' : 'right'));
  return [chalk.bold(`${result.mode}, per thread:`), ...formatTable(align, [heading, ...rows], width), ...wrapText(chalk.dim(fairnessLine(result)), width)];
}

function fairnessLine(result: ModeResult): string {
  if (result.fairness === null) return 'fairness, and the counts of a thread that never finished: none (a thread writes its counts when it finishes)';
  const { jain, slowestOverFastest } = result.fairness;
  const ratio = slowestOverFastest === null ? 'unbounded (the fastest finished at once)' : `${slowestOverFastest.toFixed(2)}×`;
  return `fairness over finish times: Jain's index ${jain.toFixed(3)} (1 = even), slowest/fastest ${ratio}`;
}
