import { formatInt } from '../core/text.js';
import { UsageError } from '../errors.js';
import { exploreInterleavings, type ExploreReport } from '../explore/explore.js';
import type { Choice } from './controls.js';
import { h, show } from './dom.js';
import { writeSchedule } from '../core/count-text.js';

/**
 * Explore: every interleaving counted exactly, by how each ends, with a schedule for each end (the one
 * with the fewest preemptions) that opens in Replay.
 */
export function exploreView(choice: () => Choice, replay: (schedule: readonly number[]) => void): HTMLElement {
  const out = h('div', { class: 'out' });
  const button = h('button', { id: 'explore', onclick: () => void go() }, 'Count every interleaving');
  const go = async () => {
    const { scenario, threads, iters, mode } = choice();
    button.disabled = true;
    show(out, h('p', {}, 'Counting…'));
    try {
      const report = await exploreInterleavings({ scenario: scenario.name, threads, iters, mode });
      show(out, histogram(report, replay));
    } catch (error) {
      show(out, h('p', { class: 'error' }, error instanceof UsageError ? error.render((field) => field) : String((error as Error).message)));
    } finally {
      button.disabled = false;
    }
  };
  return h('section', { id: 'explore-view' }, h('p', {}, 'The exact model: every interleaving of the threads’ steps, counted. ', button), out);
}

function histogram(report: ExploreReport, replay: (schedule: readonly number[]) => void): HTMLElement[] {
  const total = BigInt(report.interleavings);
  const most = report.outcomes.reduce((m, o) => (BigInt(o.count) > m ? BigInt(o.count) : m), 0n);
  const rows = report.outcomes.map((o) => {
    const simplest = report.preemptions?.find((end) => end.final === o.final && end.deadlock === o.deadlock);
    const schedule = simplest?.schedule ?? (o.final === report.min.final ? report.min.schedule : o.final === report.max.final ? report.max.schedule : null);
    const width = Number((BigInt(o.count) * 1000n) / (most === 0n ? 1n : most)) / 10;
    return h(
      'tr',
      { class: o.broken ? 'bad' : 'ok', 'data-final': o.final, 'data-count': o.count },
      h('td', { class: 'num' }, formatInt(o.final)),
      h('td', { class: 'num' }, formatInt(BigInt(o.count))),
      h('td', { class: 'bar' }, h('span', { style: `width: ${width}%` })),
      h('td', {}, o.deadlock ? 'deadlock' : o.broken ? 'broken' : 'holds'),
      h('td', {}, simplest ? `${simplest.fewest} preemption${simplest.fewest === 1 ? '' : 's'}` : ''),
      h('td', {}, schedule ? h('button', { class: 'link', onclick: () => replay(schedule) }, `replay ${writeSchedule(schedule)}`) : ''),
    );
  });
  const brokenCount = BigInt(report.brokenCount);
  return [
    h('table', { class: 'histogram' }, h('thead', {}, h('tr', {}, [report.measure, 'interleavings', '', '', 'fewest', 'its schedule'].map((text) => h('th', {}, text)))), h('tbody', {}, rows)),
    h('p', { id: 'explore-total' }, `${formatInt(total)} interleavings in all, exact, from ${formatInt(report.statesVisited)} states. `, report.broken === 'never' ? `None ${report.brokenMeans}.` : `${formatInt(brokenCount)} of them ${report.brokenMeans}.`),
  ];
}
