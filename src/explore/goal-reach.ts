import type { Scenario, Size } from '../core/scenario.js';
import { UsageError } from '../errors.js';
import { exploreInterleavings } from './explore.js';

/** How far play's goal is counted: a test's round takes hundreds of states; past this, nothing is said. */
const GOAL_STATES = 200_000;

/**
 * For a test whose ends are values, play's goal is what the test asks (an end it forbids or finds
 * interesting). Play takes whole steps, so where no interleaving reaches such an end (store buffering's
 * both-zero needs a store buffer) the player is told before trying: a line for under the goal, or null
 * where some order reaches it, the scenario is not such a test, or the model cannot count it here.
 */
export async function unreachableGoalNote(scenario: Scenario, ref: string, mode: string, size: Size, signal?: AbortSignal): Promise<string | null> {
  if (!scenario.ends) return null;
  const verdict = async (memoryModel: string) => {
    try {
      const report = await exploreInterleavings({ scenario: ref, mode, threads: size.threads, iters: size.iters, memoryModel, maxStates: GOAL_STATES, ...(signal ? { signal } : {}) });
      return report.verdict;
    } catch (error) {
      if (error instanceof UsageError) return null;
      throw error;
    }
  };
  if ((await verdict('sc')) !== 'forbidden') return null;
  return (await verdict('tso')) === 'allowed'
    ? 'No order of whole steps gets there (sc forbids it: every interleaving is counted); only a store buffer does, which race-demo run shows on real threads.'
    : 'No order of steps gets there, with store buffers or without (every execution is counted): try, and watch the test hold.';
}
