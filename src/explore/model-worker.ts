import { parentPort, workerData } from 'node:worker_threads';
import { answer, type ModelJob } from './model-answer.js';

// The exact model's entry in Node: a worker_threads Worker, its job in workerData, one answer back.
parentPort!.postMessage(await answer(workerData as ModelJob));
