import type { PlayGoal, Scenario, Size } from './scenario.js';

/** What `play` asks of the player: the scenario's own goal, or an order of steps that breaks its invariant. */
export function playGoalOf(scenario: Scenario, size: Size): PlayGoal {
  return scenario.playGoal?.(size) ?? { text: `find an order of steps in which the threads ${scenario.broken}`, reached: (cells) => scenario.breaks(scenario.measureOf(cells, size), size) };
}
