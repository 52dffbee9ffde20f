import type { ChalkInstance } from 'chalk';
import type { ScenarioReplayReport } from '../engine/scenario-replay.js';
import type { ScenarioRunReport } from '../engine/scenario-run.js';
import type { ScenarioExploreReport } from '../model/scenario-explore.js';
import type { Scenario } from '../scenario/scenario.js';
import { formatDuration, formatInt, formatTable, indent, plural, wrapText, type Cell } from './format.js';

// The human reports of run, replay and explore for the scenarios other than the counter. Pure.

const TEXT_WIDTH = 96;
const BAR_WIDTH = 30;

export function formatScenarioRun(report: ScenarioRunReport, scenario: Scenario, chalk: ChalkInstance): string {
  const start = report.barrier ? 'released together by a start barrier' : 'no start barrier';
  const heading = ['mode', 'expected', 'actual', 'invariant', 'time'].map((text): Cell => ({ text, paint: chalk.dim }));
  const rows = report.results.map((r): Cell[] => {
    const paint = r.ok ? chalk.green : chalk.red;
    return [
      { text: r.mode, paint: chalk.bold },
      { text: formatInt(r.expected) },
      { text: formatInt(r.actual), paint },
      { text: r.ok ? 'held' : 'broken', paint },
      { text: formatDuration(r.elapsedMs) },
    ];
  });
  const sections: string[][] = [
    [chalk.bold(`race-demo run --scenario ${report.scenario}: ${report.threads} threads × ${formatInt(report.iters)} operations, ${start}, ${report.cpus} CPUs, Node ${report.node}`)],
    wrapText(chalk.dim(`${scenario.summary}; expected and actual are ${scenario.measure}.`), TEXT_WIDTH).map(indent),
    formatTable(['left', 'right', 'right', 'left', 'right'], [heading, ...rows]).map(indent),
    report.results.flatMap((r) => r.summary.flatMap((line, i) => wrapText(i === 0 ? `${chalk.bold(`${r.mode}:`)} ${(r.ok ? chalk.green : chalk.red)(line)}` : line, TEXT_WIDTH))).map(indent),
    report.results.flatMap((r) => wrapText(`${r.mode}: ${scenario.explanations[r.mode] ?? ''}`, TEXT_WIDTH)).map(indent),
  ];
  return `${sections.filter((s) => s.length > 0).map((s) => s.join('\n')).join('\n\n')}\n`;
}

export function formatScenarioReplay(report: ScenarioReplayReport, defaultSchedule: boolean, scenario: Scenario, chalk: ChalkInstance): string {
  const heading = ['step', 'thread', 'action', 'value', report.watching, ''].map((text): Cell => ({ text, paint: chalk.dim }));
  const rows = report.steps.map((step): Cell[] => {
    const bad = /lost|overdraft|not there/.test(step.note);
    const paint = bad ? chalk.red : step.action === 'blocked' || step.action === 'retry' ? chalk.yellow : undefined;
    const cells: Cell[] = [
      { text: String(step.step) },
      { text: `thread ${step.thread}` },
      { text: step.action },
      { text: step.value === null || step.action === 'blocked' ? '' : formatInt(step.value) },
      { text: formatInt(step.watch) },
      { text: step.action === 'blocked' ? `waits: thread ${step.value} holds the lock` : step.note },
    ];
    return paint ? cells.map((cell) => ({ ...cell, paint })) : cells;
  });
  const shown = report.schedule.length > 40 ? `${report.schedule.slice(0, 40).join(',')},…` : report.schedule.join(',');
  const paint = report.ok ? chalk.green : chalk.red;
  return `${[
    [chalk.bold(`race-demo replay --scenario ${report.scenario}: ${report.mode}, ${report.threads} threads × ${plural(report.iters, 'operation')}, schedule ${shown}${defaultSchedule ? ' (each thread in turn)' : ''}`)],
    formatTable(['right', 'left', 'left', 'right', 'right', 'left'], [heading, ...rows]).map(indent),
    report.summary.flatMap((line) => wrapText(paint(line), TEXT_WIDTH)).map(indent),
    wrapText(`${report.mode}: ${scenario.explanations[report.mode] ?? ''}`, TEXT_WIDTH).map(indent),
    wrapText(chalk.dim('Every step ran on a real worker thread, released one at a time by a turnstile on Atomics.wait and Atomics.notify: the same schedule gives this same trace on every run.'), TEXT_WIDTH).map(indent),
  ]
    .map((s) => s.join('\n'))
    .join('\n\n')}\n`;
}

export function formatScenarioExplore(report: ScenarioExploreReport, chalk: ChalkInstance, replayed: string | null): string {
  const total = BigInt(report.interleavings);
  const most = report.outcomes.reduce((m, o) => (BigInt(o.count) > m ? BigInt(o.count) : m), 0n);
  const heading = [report.measure, 'interleavings', 'share', ''].map((text): Cell => ({ text, paint: chalk.dim }));
  const rows = report.outcomes.map((o): Cell[] => {
    const count = BigInt(o.count);
    const broken = o.broken;
    const paint = broken ? chalk.red : chalk.green;
    const length = Number((count * BigInt(BAR_WIDTH)) / (most === 0n ? 1n : most));
    return [
      { text: formatInt(o.final), paint },
      { text: count.toLocaleString('en-US') },
      { text: `${(Number((count * 100_000n) / total) / 1000).toFixed(1)}%` },
      { text: `${'█'.repeat(Math.max(1, length))}${broken ? '  broken' : ''}`, paint },
    ];
  });
  const verdict =
    report.broken === 'never'
      ? chalk.green(`invariant broken: Never — no interleaving of ${total.toLocaleString('en-US')} ${report.brokenMeans.replace(/^end /, 'ends ').replace(/^pay /, 'pays ')}.`)
      : chalk.red(
          `invariant broken: ${report.broken === 'always' ? 'Always' : 'Sometimes'} — ${BigInt(report.brokenCount).toLocaleString('en-US')} of ` +
            `${total.toLocaleString('en-US')} interleavings ${report.brokenMeans}.`,
        );
  const replayLine = (which: 'smallest' | 'largest', w: { final: number; schedule: readonly number[] }) =>
    `${which} (${formatInt(w.final)}): race-demo replay --scenario ${report.scenario} --mode ${report.mode} --threads ${report.threads} --iters ${report.iters} --schedule ${w.schedule.join(',')}`;
  return `${[
    [chalk.bold(`race-demo explore --scenario ${report.scenario}: ${report.mode}, ${report.threads} threads × ${plural(report.iters, 'operation')}: every interleaving of their steps`)],
    formatTable(['right', 'right', 'right', 'left'], [heading, ...rows]).map(indent),
    [
      `${total.toLocaleString('en-US')} interleavings in all (exact), from ${formatInt(report.statesVisited)} states in ${formatDuration(report.elapsedMs)}.`,
      verdict,
      replayLine('smallest', report.min),
      replayLine('largest', report.max),
      ...(replayed ? [replayed] : []),
    ].map(indent),
  ]
    .map((s) => s.join('\n'))
    .join('\n\n')}\n`;
}
