import type { EndValues } from './scenario.js';

// A test's end as values by name (registers, shared variables): how two are compared and how one is written.

/** An end's values as text: "r1=0 r2=1 x=1". */
export function valuesText(names: readonly string[], values: EndValues): string {
  return names.map((name) => `${name}=${values[name]}`).join(' ');
}

/** Whether two ends have the same values for these names. */
export function sameValues(names: readonly string[], a: EndValues, b: EndValues): boolean {
  return names.every((name) => a[name] === b[name]);
}
