import type { Scenario } from '../core/scenario.js';
import { UsageError } from '../errors.js';
import { counter } from './counter/counter.js';
import { list } from './list.js';
import { withdraw } from './withdraw.js';

/** The built-in scenarios, by name. A new one is its module and one line here. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = { counter, list, withdraw };

export const SCENARIO_NAMES: readonly string[] = Object.keys(SCENARIOS);
export const DEFAULT_SCENARIO = 'counter';

/** The scenario `ref` names; refused, naming the field, when there is none of that name. */
export function loadScenario(ref: string): Promise<Scenario> {
  const scenario = Object.hasOwn(SCENARIOS, ref) ? SCENARIOS[ref] : undefined;
  if (!scenario) return Promise.reject(new UsageError(`{scenario} '${ref}' is not a scenario: expected ${SCENARIO_NAMES.join(', ')}`));
  return Promise.resolve(scenario);
}
