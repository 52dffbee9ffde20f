import type { Exploration } from '../core/scenario.js';
import { formatInt } from '../core/text.js';
import { InconsistentModelError, InterruptedError, RaceDemoError, StateLimitError, TestError } from '../errors.js';
import { mib } from './budget.js';
import { currentPlatform } from '../runtime/current-platform.js';
import { noteInterruption } from '../runtime/interruption.js';
import type { ModelAnswer, ModelJob } from './model-answer.js';
import type { Preemptions } from './preemptions.js';

/**
 * Runs the model on a worker of its own and waits for its answer. Aborting `signal` terminates it at
 * once; a heap that runs out ends it alone. Both come back as errors, never as a crash of this process.
 */
export async function runModel(job: Omit<ModelJob, 'progress'>, signal: AbortSignal | undefined): Promise<{ exploration: Exploration; model: string; preemptions: Preemptions | null }> {
  const platform = await currentPlatform();
  const progress = new Int32Array(new SharedArrayBuffer(4));
  const worker = platform.spawn('model', { ...job, progress } satisfies ModelJob, Math.ceil(job.maxBytes / 2 ** 20));
  return new Promise((resolve, reject) => {
    const stop = () => {
      const states = Atomics.load(progress, 0);
      reject(noteInterruption(new InterruptedError(typeof signal?.reason === 'string' ? signal.reason : 'abort', { during: 'explore', done: `${formatInt(states)} states found so far; the model was stopped` })));
      void worker.terminate();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop, { once: true });
    const settle = () => signal?.removeEventListener('abort', stop);
    worker.onMessage((message) => {
      const answer = message as ModelAnswer;
      settle();
      if (answer.kind === 'done') resolve({ exploration: answer.exploration, model: answer.model, preemptions: answer.preemptions });
      else if (answer.kind === 'limit') reject(new StateLimitError(answer.limit, answer.allowed, answer.message));
      else if (answer.name === 'TestError') reject(new TestError(answer.message));
      else reject(answer.name === 'InconsistentModelError' ? new InconsistentModelError(answer.message) : new RaceDemoError('ERR_MODEL', `the model failed: ${answer.message}`));
    });
    worker.onError((error) => {
      settle();
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') reject(new StateLimitError('memory', job.maxBytes, `more than ${mib(job.maxBytes)} of memory`));
      else reject(new RaceDemoError('ERR_MODEL', `the model failed: ${error.message}`, { cause: error }));
    });
    worker.onExit((code) => {
      settle();
      reject(new RaceDemoError('ERR_MODEL', `the model's thread exited with code ${code} before answering`));
    });
  });
}
