import { modeNames, type Scenario } from '../core/scenario.js';
import { SCENARIO_NAMES, SCENARIOS } from '../scenarios/registry.js';
import { h } from './dom.js';

/** What every view works on: a scenario, its size and a mode, chosen at the top of the page. */
export interface Choice {
  readonly scenario: Scenario;
  readonly threads: number;
  readonly iters: number;
  readonly mode: string;
}

/** The scenario, threads, operations and mode pickers; `changed` is told of every change. */
export function choiceControls(changed: (choice: Choice) => void): { element: HTMLElement; current: () => Choice } {
  const scenario = h('select', { id: 'scenario' }, SCENARIO_NAMES.map((name) => h('option', { value: name }, name)));
  const threads = h('input', { id: 'threads', type: 'number', min: 1, max: 8, value: 2 });
  const iters = h('input', { id: 'iters', type: 'number', min: 1, max: 1_000_000, value: 1 });
  const mode = h('select', { id: 'mode' });
  const fillModes = () => mode.replaceChildren(...modeNames(SCENARIOS[scenario.value]!).map((name) => h('option', { value: name }, name)));
  fillModes();
  const current = (): Choice => {
    const chosen = SCENARIOS[scenario.value]!;
    // Reorder is a test of exactly two threads: the picker says so instead of letting a run be refused.
    const fixed = chosen.sizeProblem?.({ threads: Number(threads.value), iters: 1 }, 'steps') ? 2 : null;
    if (fixed !== null) threads.value = String(fixed);
    return { scenario: chosen, threads: clamp(Number(threads.value), 1, 8), iters: clamp(Number(iters.value), 1, 1_000_000), mode: mode.value };
  };
  scenario.addEventListener('change', () => {
    fillModes();
    changed(current());
  });
  for (const input of [threads, iters, mode]) input.addEventListener('change', () => changed(current()));
  const label = (text: string, control: HTMLElement) => h('label', {}, text, control);
  return { element: h('div', { class: 'controls' }, label('scenario ', scenario), label('threads ', threads), label('operations each (replay, explore, play) ', iters), label('mode ', mode)), current };
}

function clamp(value: number, min: number, max: number): number {
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : min;
}
