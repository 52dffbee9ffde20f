import { modeNames, type Scenario } from '../core/scenario.js';
import { loadScenario, SCENARIO_NAMES, SCENARIOS } from '../scenarios/registry.js';
import { h, show } from './dom.js';

/** What every view works on: a scenario, its size and a mode, chosen at the top of the page. */
export interface Choice {
  /** How the engines load it: a built-in's name, or an example's URL (workers load it by that). */
  readonly ref: string;
  /** How a terminal names it, for the command that does the same: `counter`, `docs/examples/add-twice.mjs`. */
  readonly shown: string;
  readonly scenario: Scenario;
  readonly threads: number;
  readonly iters: number;
  readonly mode: string;
}

/** Where the page's copy of docs/examples is, and the list of its files that the build writes there. */
const EXAMPLES = 'examples/';

/**
 * The scenario, threads, operations and mode pickers; `changed` is told of every change. The scenarios
 * are the built-ins and the shipped examples (tests written as code, litmus files): an example is loaded
 * when picked, by its URL, as a worker loads it; while it loads, the controls say so (data-loading).
 */
export async function choiceControls(changed: (choice: Choice) => void): Promise<{ element: HTMLElement; current: () => Choice }> {
  const examples = await exampleFiles();
  const scenario = h(
    'select',
    { id: 'scenario' },
    SCENARIO_NAMES.map((name) => h('option', { value: name }, name)),
    examples.length > 0 ? h('optgroup', { label: 'your own code (docs/examples)' }, examples.map((file) => h('option', { value: new URL(EXAMPLES + file, location.href).href }, file))) : null,
  );
  const threads = h('input', { id: 'threads', type: 'number', min: 1, max: 8, value: 2 });
  const iters = h('input', { id: 'iters', type: 'number', min: 1, max: 1_000_000, value: 1 });
  const mode = h('select', { id: 'mode' });
  const problem = h('span', { id: 'scenario-problem', class: 'error' });
  let loaded: { ref: string; scenario: Scenario } = { ref: scenario.value, scenario: SCENARIOS[scenario.value]! };
  const fillModes = () => mode.replaceChildren(...modeNames(loaded.scenario).map((name) => h('option', { value: name }, name)));
  fillModes();
  const current = (): Choice => {
    const chosen = loaded.scenario;
    // A test of a fixed number of threads (reorder, a litmus file): the picker says so instead of letting a run be refused.
    if (chosen.sizeProblem?.({ threads: Number(threads.value), iters: 1 }, 'steps')) threads.value = String(chosen.defaults?.threads ?? 2);
    const shown = Object.hasOwn(SCENARIOS, loaded.ref) ? loaded.ref : `docs/examples/${loaded.ref.slice(new URL(EXAMPLES, location.href).href.length)}`;
    return { ref: loaded.ref, shown, scenario: chosen, threads: clamp(Number(threads.value), 1, 8), iters: clamp(Number(iters.value), 1, 1_000_000), mode: mode.value };
  };
  const element = h('div', { class: 'controls' });
  scenario.addEventListener('change', () => {
    const ref = scenario.value;
    element.dataset.loading = 'true';
    show(problem, '');
    loadScenario(ref).then(
      (chosen) => {
        loaded = { ref, scenario: chosen };
        // A test steps through one round, at its own number of threads: start there.
        if (chosen.defaults?.threads) threads.value = String(chosen.defaults.threads);
        if (chosen.stepIters) iters.value = String(chosen.stepIters);
        fillModes();
        delete element.dataset.loading;
        changed(current());
      },
      (error: unknown) => {
        scenario.value = loaded.ref;
        show(problem, String((error as Error).message));
        delete element.dataset.loading;
      },
    );
  });
  for (const input of [threads, iters, mode]) input.addEventListener('change', () => changed(current()));
  const label = (text: string, control: HTMLElement) => h('label', {}, text, control);
  show(element, label('scenario ', scenario), label('threads ', threads), label('operations each (replay, explore, play) ', iters), label('mode ', mode), problem);
  return { element, current };
}

/** The examples the build copied beside the page, by path under examples/; none where the list is missing. */
async function exampleFiles(): Promise<string[]> {
  const response = await fetch(EXAMPLES + 'index.json').catch(() => null);
  if (!response?.ok) return [];
  const files = (await response.json()) as unknown;
  return Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string') : [];
}

function clamp(value: number, min: number, max: number): number {
  return Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : min;
}
