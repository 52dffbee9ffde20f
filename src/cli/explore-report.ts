import type { ChalkInstance } from 'chalk';
import type { ExploreReport } from '../model/explore-report.js';
import { formatDuration, formatInt, formatTable, indent, plural, type Cell } from './format.js';

const BAR_WIDTH = 30;

/** The human report of `race-demo explore`. Pure. */
export function formatExploreReport(report: ExploreReport, chalk: ChalkInstance, replayed: string | null): string {
  const total = BigInt(report.interleavings);
  const heading = ['final', 'interleavings', 'share', ''].map((text): Cell => ({ text, paint: chalk.dim }));
  const most = report.outcomes.reduce((m, o) => (BigInt(o.count) > m ? BigInt(o.count) : m), 0n);
  const rows = report.outcomes.map((o): Cell[] => {
    const count = BigInt(o.count);
    const paint = o.final === report.expected ? chalk.green : chalk.red;
    const length = Number((count * BigInt(BAR_WIDTH)) / (most === 0n ? 1n : most));
    return [
      { text: formatInt(o.final), paint },
      { text: formatBig(count) },
      { text: share(count, total) },
      { text: `${'█'.repeat(Math.max(1, length))}${o.final === report.expected ? '  expected' : ''}`, paint },
    ];
  });
  const verdict =
    report.lostUpdate === 'never'
      ? chalk.green(`lost update: Never — all ${formatBig(total)} interleavings end at ${formatInt(report.expected)}.`)
      : chalk.red(
          `lost update: ${report.lostUpdate === 'always' ? 'Always' : 'Sometimes'} — ${formatBig(BigInt(report.belowExpected))} of ` +
            `${formatBig(total)} interleavings end below ${formatInt(report.expected)}.`,
        );
  const replayLine = (which: 'smallest' | 'largest', w: { final: number; schedule: readonly number[] }) =>
    `${which} total ${formatInt(w.final)}: race-demo replay --mode ${report.mode} --threads ${report.threads} --iters ${report.iters} --schedule ${w.schedule.join(',')}`;
  const sections = [
    [
      chalk.bold(
        `race-demo explore: ${report.mode}, ${report.threads} threads × ${plural(report.iters, 'increment')}: every interleaving of their steps`,
      ),
    ],
    formatTable(['right', 'right', 'right', 'left'], [heading, ...rows]).map(indent),
    [
      `${formatBig(total)} interleavings in all (exact), from ${formatInt(report.statesVisited)} states in ${formatDuration(report.elapsedMs)}.`,
      verdict,
      replayLine('smallest', report.min),
      replayLine('largest', report.max),
      ...(replayed ? [replayed] : []),
    ].map(indent),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function formatBig(value: bigint): string {
  return value.toLocaleString('en-US');
}

function share(count: bigint, total: bigint): string {
  return `${(Number((count * 100_000n) / total) / 1000).toFixed(1)}%`;
}
