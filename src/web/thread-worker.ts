import type { WorkerJob } from '../runtime/protocol.js';
import { runThread } from '../runtime/thread.js';

// The one thread entry in a browser: a module Web Worker, its job in the first message. An error
// reaches the page as the worker's error event; a thread that returns says so, and ends.
const scope = self as unknown as { onmessage: ((event: MessageEvent<WorkerJob>) => void) | null; postMessage(message: unknown): void; close(): void };
scope.onmessage = (event) => {
  runThread(event.data).then(
    () => {
      scope.postMessage({ exit: 0 });
      scope.close();
    },
    (error: unknown) => {
      // A rejected promise is no error event for the page; thrown from a task, it is.
      setTimeout(() => {
        throw error;
      });
    },
  );
};
