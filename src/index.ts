// The library under the CLI: everything `race-demo` does, callable from code.

export { runRace, type Fallback, type RunOptions, type RunReport } from './run/run.js';
export type { Evidence, ModeResult, RunDeadlock, RunEvent } from './run/trial.js';
export type { TrialsSummary } from './run/trials.js';
export { fairnessOf, type Fairness, type ThreadStats } from './run/thread-stats.js';
export { checkExpectation, EXPECTATIONS, type Expectation, type Verdict } from './run/verdict.js';
export { WIDEN_CHOICES, type Widen } from './run/widen.js';
export { replay, type ReplayOptions, type ReplayReport } from './replay/replay.js';
export { exploreInterleavings, type ExploreOptions, type ExploreReport } from './explore/explore.js';
export { findBreakingSchedule, type BreakingSchedule } from './explore/breaking-schedule.js';

// Scenarios: the contract, the built-in ones, and the registry that names them.
export type { Exploration, FastModel, Hooks, Loop, LoopContext, Memory, ModeSpec, Note, Outcome, Scenario, Sighting, Sightings, Size, StepResult, StepContext, ThreadState, TraceStep } from './core/scenario.js';
export { BLOCKED, RETRY, modeNames, modeOf, newThreadState } from './core/scenario.js';
export { PlainMemory, sc } from './core/memory/sc.js';
export { StoreBufferMemory, STORE_BUFFER_CAPACITY, tso } from './core/memory/tso.js';
export { MEMORY_MODELS, MEMORY_MODEL_NAMES, memoryModelNamed } from './core/memory/models.js';
export type { MemoryModel, ModelMemory } from './core/memory/model.js';
export { Machine } from './core/machine/machine.js';
export { programOf, type Program } from './core/machine/program.js';
export { DEFAULT_ITERS, DEFAULT_MAX_STATES, DEFAULT_THREADS, MAX_THREADS, MAX_TRIALS } from './core/limits.js';
export { MAX_REPLAY_STEPS, defaultSchedule, modelTrace, type ModelTrace } from './core/schedule.js';
export { SCENARIOS, SCENARIO_NAMES, DEFAULT_SCENARIO, loadScenario } from './scenarios/registry.js';
export { counter } from './scenarios/counter/counter.js';
export { list } from './scenarios/list.js';
export { withdraw } from './scenarios/withdraw.js';
export { deadlock } from './scenarios/deadlock.js';
export { reorder } from './scenarios/reorder.js';
export { describeCycle, findAnyCycle, lockName, type Deadlock, type WaitLink } from './core/locks.js';
export { FAULT_KINDS, type Fault, type FaultKind } from './runtime/fault.js';

// Synchronisation primitives, usable on their own.
export { Mutex, type LockStats, type MutexOptions } from './sync/mutex.js';
export { SpinLock } from './sync/spin-lock.js';
export { StartBarrier } from './sync/barrier.js';

export { wilsonInterval } from './core/statistics.js';
export { RaceDemoError, UsageError, TestError, WorkerFailedError, InterruptedError, TimedOutError, StateLimitError, InconsistentModelError, type PartialProgress } from './errors.js';
