import { codeShown, laneText } from '../core/lane-text.js';
import { BLOCKED, modeOf, RETRY, type Scenario, type TraceStep } from '../core/scenario.js';
import { h } from './dom.js';

/** The mode's code, a numbered line per step, with the lines the next steps run marked. */
export function codeBlock(scenario: Scenario, mode: string, next: ReadonlyMap<number, number> = new Map()): HTMLElement | null {
  const shown = codeShown(modeOf(scenario, mode));
  if (shown.length === 0) return null;
  return h(
    'ol',
    { class: 'code', start: shown[0]!.number },
    shown.map((line) => {
      const threads = [...next].filter(([, at]) => at === line.number).map(([thread]) => thread);
      return h('li', { class: threads.length > 0 ? 'next' : '' }, h('code', {}, line.text), threads.length > 0 ? h('span', { class: 'who' }, ` ← next for thread ${threads.join(', ')}`) : null);
    }),
  );
}

/**
 * The steps in lanes, as replay shows them in a terminal: a column per thread with the line each step
 * ran and what it read or wrote, the shared cells after it, and its note. Each row carries the step's
 * fields as data attributes (what the browser tests compare with `race-demo replay --json`).
 */
export function lanesTable(scenario: Scenario, mode: string, threads: number, steps: readonly TraceStep[]): HTMLElement {
  const spec = modeOf(scenario, mode);
  const code = spec?.code ?? null;
  const head = h('tr', {}, h('th', {}, 'step'), Array.from({ length: threads }, (_, i) => h('th', {}, `thread ${i + 1}`)), h('th', {}, 'shared'), h('th', {}, ''));
  const rows = steps.map((step) =>
    h(
      'tr',
      {
        class: step.note?.bad ? 'bad' : step.action === BLOCKED || step.action === RETRY ? 'waits' : '',
        'data-step': step.step,
        'data-thread': step.thread,
        'data-action': step.action,
        'data-value': step.value === null ? 'null' : step.value,
        'data-shared': step.shared,
      },
      h('td', { class: 'num' }, String(step.step)),
      Array.from({ length: threads }, (_, i) => h('td', { class: 'lane' }, i + 1 === step.thread ? laneText(step, code, spec) : '')),
      h('td', { class: 'shared' }, step.shared),
      h('td', { class: 'note' }, step.note?.text ?? ''),
    ),
  );
  return h('table', { class: 'lanes' }, h('thead', {}, head), h('tbody', {}, rows));
}
