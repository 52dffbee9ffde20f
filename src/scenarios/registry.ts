import { validateModes, validateSize } from '../core/limits.js';
import type { Scenario, Size } from '../core/scenario.js';
import { UsageError } from '../errors.js';
import { counter } from './counter/counter.js';
import { deadlock } from './deadlock.js';
import { isModuleRef, loadScenarioFile, moduleUrl } from './from-file.js';
import { list } from './list.js';
import { reorder } from './reorder.js';
import { withdraw } from './withdraw.js';

/** The built-in scenarios, by name. A new one is its module and one line here. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = { counter, list, withdraw, deadlock, reorder };

export const SCENARIO_NAMES: readonly string[] = Object.keys(SCENARIOS);
export const DEFAULT_SCENARIO = 'counter';

/**
 * The scenario `ref` names: a built-in one by its name, or the one a module exports, by its path (or
 * file: URL). Refused, naming the field, when there is no such scenario.
 */
export function loadScenario(ref: string): Promise<Scenario> {
  if (Object.hasOwn(SCENARIOS, ref)) return Promise.resolve(SCENARIOS[ref]!);
  if (isModuleRef(ref)) return loadScenarioFile(ref);
  return Promise.reject(
    new UsageError(`{scenario} '${ref}' is not a scenario: expected ${SCENARIO_NAMES.join(', ')}, or the path of a module that exports one (./my-scenario.js)`),
  );
}

/** How a worker loads the scenario `ref` names: by name, or by the module's absolute URL (its directory may differ). */
export function scenarioRefForWorkers(ref: string): Promise<string> {
  return Object.hasOwn(SCENARIOS, ref) ? Promise.resolve(ref) : moduleUrl(ref);
}

/** One scenario at one size in one mode, as replay and explore take it. */
export interface Target {
  readonly scenario: Scenario;
  /** How workers load it (see scenarioRefForWorkers). */
  readonly scenarioRef: string;
  readonly size: Size;
  readonly mode: string;
}

/**
 * The scenario, size and mode `options` name, loaded and checked, as replay, explore and play take them:
 * where not given, 2 threads (or the scenario's own number), `defaultIters` operations (or the one it
 * steps through: a test's round), and its first mode (its race).
 */
export async function loadTarget(options: { readonly scenario?: string; readonly threads?: number; readonly iters?: number; readonly mode?: string }, defaultIters: number): Promise<Target> {
  const ref = options.scenario ?? DEFAULT_SCENARIO;
  const scenario = await loadScenario(ref);
  const scenarioRef = await scenarioRefForWorkers(ref);
  const size: Size = { threads: options.threads ?? scenario.defaults?.threads ?? 2, iters: options.iters ?? scenario.stepIters ?? defaultIters };
  const mode = options.mode ?? scenario.modes[0]!.name;
  validateSize(scenario, size, 'steps');
  validateModes(scenario, [mode], 'mode');
  return { scenario, scenarioRef, size, mode };
}
