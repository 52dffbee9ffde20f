import { workerData } from 'node:worker_threads';
import { newState } from '../scenario/scenario.js';
import { loadScenario } from '../scenario/registry.js';
import { endTurn, recordStep, waitForTurn } from './replay-protocol.js';
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

while (!scenario.isDone(job.mode, state, size) && waitForTurn(control, job.thread)) {
  const step = scenario.step(job.mode, job.thread, state, cells, size);
  recordStep(control, job.thread, actionCode(step.action), step.value, values[scenario.watch.cell]!);
  endTurn(control);
}
