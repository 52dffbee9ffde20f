export { runRace, type RunOptions, type RunReport } from './engine/run-race.js';
export type { ModeResult, RunEvent } from './engine/run-mode.js';
export { MAX_THREADS, MAX_TOTAL } from './engine/limits.js';
export { checkExpectation, EXPECTATIONS, type Expectation, type Verdict } from './expectation.js';
export { MODES, type Mode } from './modes.js';
export { Mutex } from './sync/mutex.js';
export { StartBarrier } from './sync/barrier.js';
export { RaceDemoError, UsageError, WorkerFailedError, InterruptedError, type PartialProgress } from './errors.js';
