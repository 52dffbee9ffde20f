import { writeMoves, writeSchedule } from '../core/count-text.js';
import { MEMORY_MODEL_CHOICES, MEMORY_MODEL_NAMES } from '../core/memory/models.js';
import type { Scenario } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { UsageError } from '../errors.js';
import { countAt, endsAcross, schedulesTo } from '../explore/ends-across.js';
import { exploreInterleavings, type ExploreReport } from '../explore/explore.js';
import type { Choice } from './controls.js';
import { h, show } from './dom.js';
import { valuesText } from '../core/end-values.js';

type Replay = (schedule: readonly number[]) => void;

/**
 * Explore: every interleaving counted exactly under each model of memory asked for, by how each ends,
 * with a schedule for each end (the one with the fewest preemptions) that opens in Replay. A test whose
 * ends are values gets them in a table, a column of counts per model, and each model's verdict.
 */
export function exploreView(choice: () => Choice, replay: Replay): HTMLElement {
  const out = h('div', { class: 'out' });
  const model = h('select', { id: 'memory-model' }, h('option', { value: '' }, 'the scenario’s own (as the CLI)'), MEMORY_MODEL_CHOICES.map((name) => h('option', { value: name }, name)));
  const button = h('button', { id: 'explore', onclick: () => void go() }, 'Count every interleaving');
  const go = async () => {
    const { ref, scenario, threads, iters, mode } = choice();
    button.disabled = true;
    show(out, h('p', {}, 'Counting…'));
    try {
      const chosen = model.value || (scenario.storeBuffers ? 'both' : 'sc');
      const reports: ExploreReport[] = [];
      for (const memoryModel of chosen === 'both' ? MEMORY_MODEL_NAMES : [chosen]) reports.push(await exploreInterleavings({ scenario: ref, threads, iters, mode, memoryModel }));
      show(out, scenario.ends ? endsOf(scenario, reports, replay) : reports.flatMap((report) => histogram(report, reports.length > 1, replay)));
    } catch (error) {
      show(out, h('p', { class: 'error' }, error instanceof UsageError ? error.render((field) => field) : String((error as Error).message)));
    } finally {
      button.disabled = false;
    }
  };
  return h('section', { id: 'explore-view' }, h('p', {}, 'The exact model: every interleaving of the threads’ steps, counted. ', h('label', {}, 'memory model ', model), ' ', button), out);
}

function histogram(report: ExploreReport, titled: boolean, replay: Replay): HTMLElement[] {
  const total = BigInt(report.interleavings);
  const most = report.outcomes.reduce((m, o) => (BigInt(o.count) > m ? BigInt(o.count) : m), 0n);
  const rows = report.outcomes.map((o) => {
    const simplest = report.preemptions?.find((end) => end.final === o.final && end.deadlock === o.deadlock);
    const schedule = simplest?.schedule ?? (o.final === report.min.final ? report.min.schedule : o.final === report.max.final ? report.max.schedule : null);
    const width = Number((BigInt(o.count) * 1000n) / (most === 0n ? 1n : most)) / 10;
    return h(
      'tr',
      { class: o.broken ? 'bad' : 'ok', 'data-final': o.final, 'data-count': o.count, 'data-model': report.memoryModel },
      h('td', { class: 'num' }, formatInt(o.final)),
      h('td', { class: 'num' }, formatInt(BigInt(o.count))),
      h('td', { class: 'bar' }, h('span', { style: `width: ${width}%` })),
      h('td', {}, o.deadlock ? 'deadlock' : o.broken ? 'broken' : 'holds'),
      h('td', {}, simplest ? `${simplest.fewest} preemption${simplest.fewest === 1 ? '' : 's'}` : ''),
      // A replay takes whole steps, which only sc counts: another model's schedule is shown, move by move.
      h('td', {}, !schedule ? '' : report.memoryModel === 'sc' ? replayButton(schedule, replay) : writeMoves(schedule)),
    );
  });
  const brokenCount = BigInt(report.brokenCount);
  const title: HTMLElement[] = titled ? [h('h3', {}, `under ${report.memoryModel}`)] : [];
  return [
    ...title,
    h('table', { class: 'histogram', 'data-model': report.memoryModel }, h('thead', {}, h('tr', {}, [report.measure, 'interleavings', '', '', 'fewest', 'its schedule'].map((text) => h('th', {}, text)))), h('tbody', {}, rows)),
    h('p', { class: 'explore-total', 'data-model': report.memoryModel, ...(titled ? {} : { id: 'explore-total' }) }, `${formatInt(total)} interleavings in all${titled ? ` under ${report.memoryModel}` : ''}, exact, from ${formatInt(report.statesVisited)} states. `, report.broken === 'never' ? `None ${report.brokenMeans}.` : `${formatInt(brokenCount)} of them ${report.brokenMeans}.`),
  ];
}

/** A test's ends: their values, how many executions of each model end there, what the test expects, a schedule to each; then each model's verdict. */
function endsOf(scenario: Scenario, reports: readonly ExploreReport[], replay: Replay): HTMLElement[] {
  const names = scenario.ends!.names;
  const rows = endsAcross(reports, names).map((end) => {
    const { steps, flushes } = schedulesTo(reports, end.values, names);
    return h(
      'tr',
      { class: end.broken ? 'bad' : 'ok', 'data-values': valuesText(names, end.values), ...Object.fromEntries(reports.map((r) => [`data-${r.memoryModel}`, String(countAt(r, end.values, names))])) },
      names.map((name) => h('td', { class: 'num' }, formatInt(end.values[name]!))),
      reports.map((report) => h('td', { class: 'num' }, formatInt(countAt(report, end.values, names)))),
      h('td', {}, end.description ? `${end.expect}: ${end.description}` : (end.expect ?? '')),
      h('td', {}, steps ? replayButton(steps, replay) : flushes ? `only with store buffers: ${writeMoves(flushes)}` : ''),
    );
  });
  const heading = [...names, ...reports.map((r) => r.memoryModel), 'the test says', 'a schedule to it'];
  const verdicts = reports.map((report) => {
    const asked = report.outcomes.filter((o) => o.asked).reduce((sum, o) => sum + BigInt(o.count), 0n);
    const all = formatInt(BigInt(report.interleavings));
    return h(
      'p',
      { class: report.verdict === 'allowed' ? 'note' : 'ok', 'data-verdict': report.verdict ?? '', 'data-model': report.memoryModel },
      report.verdict === 'allowed' ? `${report.memoryModel}: allowed. ${formatInt(asked)} of the ${all} executions end where the test asks.` : `${report.memoryModel}: forbidden. None of the ${all} executions end where the test asks.`,
    );
  });
  return [h('table', { class: 'ends' }, h('thead', {}, h('tr', {}, heading.map((text) => h('th', {}, text)))), h('tbody', {}, rows)), ...verdicts];
}

/** A button that opens the schedule in Replay. */
function replayButton(schedule: readonly number[], replay: Replay): HTMLElement {
  return h('button', { class: 'link', onclick: () => replay(schedule) }, `replay ${writeSchedule(schedule)}`);
}
