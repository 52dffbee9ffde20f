import type { Mode } from '../modes.js';

/** What a scenario worker is told, free-running or replayed. */
export interface ScenarioJob {
  readonly scenario: string;
  readonly mode: Mode;
  /** 1-based. */
  readonly thread: number;
  readonly threads: number;
  readonly iters: number;
  /** The scenario's cells. */
  readonly cells: SharedArrayBuffer;
  /** Free run: the barrier and the clock stamps (protocol.ts); replay: the turnstile and the trace (replay-protocol.ts). */
  readonly control: SharedArrayBuffer;
  readonly barrier: boolean;
}

/** A step's action in one trace cell: a 31-bit hash of its text, which the coordinator checks against the model's step. */
export function actionCode(action: string): number {
  let hash = 0;
  for (let i = 0; i < action.length; i++) hash = (Math.imul(hash, 31) + action.charCodeAt(i)) | 0;
  return hash;
}
