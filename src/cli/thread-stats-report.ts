import type { ChalkInstance } from 'chalk';
import type { ModeResult } from '../engine/trial.js';
import { formatDuration, formatInt, formatTable, type Align, type Cell } from './format.js';

/** `run --stats`: per mode, one row per thread, the columns that mode has, and the fairness line. */
export function formatThreadStats(result: ModeResult, chalk: ChalkInstance): string[] {
  const columns: { heading: string; value: (t: ModeResult['threadStats'][number]) => string }[] = [
    { heading: 'thread', value: (t) => String(t.thread) },
    { heading: 'increments', value: (t) => formatInt(t.increments) },
    { heading: 'finished at', value: (t) => formatDuration(t.finishMs) },
  ];
  const counted = (name: 'acquisitions' | 'contended' | 'spins' | 'sleeps' | 'wakeups' | 'retries', heading: string) => {
    if (result.threadStats.some((t) => t[name] !== null)) columns.push({ heading, value: (t) => formatInt(t[name] ?? 0) });
  };
  counted('acquisitions', 'acquisitions');
  counted('contended', 'contended');
  counted('spins', 'spins');
  if (result.mode === 'lock') {
    counted('sleeps', 'sleeps');
    counted('wakeups', 'wake-ups');
  }
  counted('retries', 'cas retries');
  const heading = columns.map((c): Cell => ({ text: c.heading, paint: chalk.dim }));
  const rows = result.threadStats.map((t) => columns.map((c): Cell => ({ text: c.value(t) })));
  const align = columns.map((_, i): Align => (i === 0 ? 'left' : 'right'));
  const { jain, slowestOverFastest } = result.fairness;
  const ratio = Number.isFinite(slowestOverFastest) ? `${slowestOverFastest.toFixed(2)}×` : 'unbounded';
  return [
    chalk.bold(`${result.mode}, per thread:`),
    ...formatTable(align, [heading, ...rows]),
    chalk.dim(`fairness over finish times: Jain's index ${jain.toFixed(3)} (1 = even), slowest/fastest ${ratio}`),
  ];
}
