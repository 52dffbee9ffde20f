import { answer, type ModelJob } from '../explore/model-answer.js';

// The exact model's entry in a browser: a module Web Worker, its job in the first message, one answer back.
const scope = self as unknown as { onmessage: ((event: MessageEvent<ModelJob>) => void) | null; postMessage(message: unknown): void; close(): void };
scope.onmessage = (event) => {
  void answer(event.data).then((result) => {
    scope.postMessage({ answer: result, exit: 0 });
    scope.close();
  });
};
