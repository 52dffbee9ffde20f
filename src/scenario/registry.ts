import type { Scenario } from './scenario.js';

/**
 * Every scenario, by name, loaded only when used (so `--help` does not load them). A new scenario is
 * its module and one line here.
 */
const SCENARIOS: Readonly<Record<string, () => Promise<Scenario>>> = {
  counter: async () => (await import('./counter.js')).counter,
  list: async () => (await import('./list.js')).list,
  withdraw: async () => (await import('./withdraw.js')).withdraw,
};

export const SCENARIO_NAMES: readonly string[] = Object.keys(SCENARIOS);
export const DEFAULT_SCENARIO = 'counter';

export function isScenarioName(name: string): boolean {
  return Object.hasOwn(SCENARIOS, name);
}

/** The scenario called `name`; the name must be one of SCENARIO_NAMES. */
export async function loadScenario(name: string): Promise<Scenario> {
  const load = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (!load) throw new RangeError(`no scenario called '${name}'`);
  return load();
}
