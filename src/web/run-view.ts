import { formatInt, plural } from '../core/text.js';
import { runRace, type RunReport } from '../run/run.js';
import type { Choice } from './controls.js';
import { h, show } from './dom.js';

/**
 * Run: every mode of the scenario on real Web Workers, side by side, expected against actual, a bar
 * each, and what happened in the scenario's words.
 */
export function runView(choice: () => Choice): HTMLElement {
  const out = h('div', { class: 'out' });
  const runs = h('input', { id: 'run-iters', type: 'number', min: 1, max: 10_000_000, value: 100_000 });
  const button = h('button', { id: 'run', onclick: () => void go() }, 'Run every mode');
  const go = async () => {
    const { scenario, threads } = choice();
    button.disabled = true;
    show(out, h('p', {}, `Running ${scenario.name} on ${plural(threads, 'thread')}…`));
    try {
      const report = await runRace({ scenario: scenario.name, threads, iters: Number(runs.value) });
      show(out, results(report));
    } catch (error) {
      show(out, h('p', { class: 'error' }, String((error as Error).message)));
    } finally {
      button.disabled = false;
    }
  };
  return h('section', { id: 'run-view' }, h('p', {}, 'Free-running threads: each mode runs on fresh workers, released together. ', h('label', {}, 'operations per thread ', runs), ' ', button), out);
}

function results(report: RunReport): HTMLElement[] {
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
  const why = report.results.filter((r) => !r.ok).map((r) => h('p', { class: 'bad' }, `${r.mode}: ${r.summary.join(' ')}`));
  const fallback = report.fallback.map((f) => h('p', { class: 'note' }, `The plain ${f.mode} race did not show, so ${f.mode} ran again with the gap between each read and its write widened: the table shows the widened run.`));
  return [h('p', {}, `${report.threads} threads × ${plural(report.iters, report.operation)}, on ${report.cpus} CPUs, ${report.node}.`), table, ...why, ...fallback];
}
