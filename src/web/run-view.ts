import type { Scenario } from '../core/scenario.js';
import { formatInt, plural } from '../core/text.js';
import { runRace, type RunReport } from '../run/run.js';
import { detailsOf, type ModeResult } from '../run/trial.js';
import type { Choice } from './controls.js';
import { h, show } from './dom.js';

/**
 * Run: every mode of the scenario on real Web Workers, side by side, expected against actual, a bar
 * each, what happened in the scenario's words, and its own table where it has one (a test's ends: how
 * often the threads left each, and whether each model of memory allows it).
 */
export function runView(choice: () => Choice): HTMLElement {
  const out = h('div', { class: 'out' });
  const runs = h('input', { id: 'run-iters', type: 'number', min: 1, max: 10_000_000, value: 100_000 });
  const button = h('button', { id: 'run', onclick: () => void go() }, 'Run every mode');
  const go = async () => {
    const { ref, scenario, threads } = choice();
    button.disabled = true;
    show(out, h('p', {}, `Running ${scenario.name} on ${plural(threads, 'thread')}…`));
    try {
      const report = await runRace({ scenario: ref, threads, iters: Number(runs.value) });
      show(out, results(scenario, report));
    } catch (error) {
      show(out, h('p', { class: 'error' }, String((error as Error).message)));
    } finally {
      button.disabled = false;
    }
  };
  return h(
    'section',
    { id: 'run-view' },
    h('p', {}, 'Free-running threads: each mode runs on fresh workers, released together. ', h('label', {}, 'operations per thread (a test’s rounds) ', runs), ' ', button),
    out,
  );
}

function results(scenario: Scenario, report: RunReport): (HTMLElement | null)[] {
  const rows = report.results.map((r) => {
    const ratio = r.expected > 0 ? Math.min(1, r.actual / r.expected) : 1;
    return h(
      'tr',
      { class: r.ok ? 'ok' : 'bad', 'data-mode': r.mode, 'data-ok': String(r.ok), 'data-widened': String(r.widened), 'data-actual': r.actual, 'data-expected': r.expected },
      h('td', {}, r.mode + (r.widened ? ' (gap widened)' : '')),
      h('td', { class: 'num' }, formatInt(r.expected)),
      h('td', { class: 'num' }, formatInt(r.actual)),
      h('td', { class: 'num' }, r.lost === null ? '—' : formatInt(r.lost)),
      h('td', {}, r.ok ? 'held' : 'broken'),
      h('td', { class: 'bar' }, r.expected > 0 ? h('span', { style: `width: ${(ratio * 100).toFixed(1)}%` }) : null),
      h('td', { class: 'num' }, `${r.elapsedMs.toFixed(1)} ms`),
    );
  });
  const table = h('table', { class: 'results' }, h('thead', {}, h('tr', {}, ['mode', 'expected', 'actual', 'lost', 'invariant', 'of expected', 'time'].map((text) => h('th', {}, text)))), h('tbody', {}, rows));
  const tables = report.results.map((r) => scenarioTable(scenario, report, r));
  const why = report.results.filter((r) => !r.ok).map((r) => h('p', { class: 'bad' }, `${r.mode}: ${r.summary.join(' ')}`));
  const fallback = report.fallback.map((f) => h('p', { class: 'note' }, `The plain ${f.mode} race did not show, so ${f.mode} ran again with the gap between each read and its write widened: the table shows the widened run.`));
  return [h('p', {}, `${report.threads} threads × ${plural(report.iters, report.operation)}, on ${report.cpus} CPUs, ${report.node}.`), table, ...tables, ...why, ...fallback];
}

/** The scenario's own table of a mode's result, as the CLI prints it (a test's ends with each model's verdict, reorder's reads). */
function scenarioTable(scenario: Scenario, report: RunReport, result: ModeResult): HTMLElement | null {
  const table = scenario.table?.({ mode: result.mode, details: detailsOf(result), models: result.models ?? null }, { threads: report.threads, iters: result.iters });
  if (!table) return null;
  const align = table.align ?? [];
  return h(
    'table',
    { class: 'scenario-table', 'data-mode': result.mode },
    h('caption', {}, `${result.mode}: ${table.title}`),
    h('thead', {}, h('tr', {}, table.heading.map((text) => h('th', {}, text)))),
    h('tbody', {}, table.rows.map((row) => h('tr', { class: row.bad ? 'bad' : 'ok' }, row.entries.map((text, i) => h('td', align[i] === 'right' ? { class: 'num' } : {}, text))))),
  );
}
