import { workerData } from 'node:worker_threads';
import { newState } from '../scenario/scenario.js';
import { loadScenario } from '../scenario/registry.js';
import { StartBarrier } from '../sync/barrier.js';
import { Cell, finishSlot, RELEASED_AT, startSlot, viewsOf } from './protocol.js';
import { sharedCells } from './shared-cells.js';
import type { ScenarioJob } from './scenario-protocol.js';

// A free-running worker for any scenario but the counter (which has hand-written loops): wait at the
// barrier, then take the scenario's own steps, one after the other, as fast as it can.
const job = workerData as ScenarioJob;
const scenario = await loadScenario(job.scenario);
const { cells: control, times } = viewsOf(job.control, job.threads);
const cells = sharedCells(new Int32Array(job.cells), scenario.lockCell, job.thread, true);
const size = { threads: job.threads, iters: job.iters };
const state = newState();

process.hrtime.bigint();
if (job.barrier) {
  new StartBarrier(control, Cell.arrived, Cell.release).arrive(job.threads, () => {
    times[RELEASED_AT] = process.hrtime.bigint();
  });
}
times[startSlot(job.thread)] = process.hrtime.bigint();
while (!scenario.isDone(job.mode, state, size)) scenario.step(job.mode, job.thread, state, cells, size);
times[finishSlot(job.thread)] = process.hrtime.bigint();
