import { workerData } from 'node:worker_threads';
import { newState } from '../scenario/scenario.js';
import { loadScenario } from '../scenario/registry.js';
import { ReplayCell, STOP, TraceField, traceEntry } from './replay-protocol.js';
import { actionCode, type ScenarioJob } from './scenario-protocol.js';
import { sharedCells } from './shared-cells.js';

// A replay worker for any scenario but the counter: sleeps on the turnstile until named, takes exactly
// one of the scenario's steps on the shared cells, writes it to the trace, and hands the turn back.
const job = workerData as ScenarioJob;
const scenario = await loadScenario(job.scenario);
const control = new Int32Array(job.control);
const values = new Int32Array(job.cells);
const cells = sharedCells(values, scenario.lockCell, job.thread, false);
const size = { threads: job.threads, iters: job.iters };
const state = newState();

while (!scenario.isDone(job.mode, state, size) && waitForTurn()) {
  const entry = traceEntry(control, Atomics.load(control, ReplayCell.step));
  const step = scenario.step(job.mode, job.thread, state, cells, size);
  entry[TraceField.thread] = job.thread;
  entry[TraceField.action] = actionCode(step.action);
  entry[TraceField.hasValue] = step.value === null ? 0 : 1;
  entry[TraceField.value] = step.value ?? 0;
  entry[TraceField.counter] = values[scenario.watch.cell]!;
  Atomics.store(control, ReplayCell.turn, 0);
  Atomics.notify(control, ReplayCell.turn);
}

function waitForTurn(): boolean {
  for (;;) {
    const turn = Atomics.load(control, ReplayCell.turn);
    if (turn === job.thread) return true;
    if (turn === STOP) return false;
    Atomics.wait(control, ReplayCell.turn, turn);
  }
}
