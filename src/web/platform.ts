import type { Platform, PlatformWorker, WorkerKind } from '../runtime/platform.js';

// A browser's side of the platform: Web Workers, the same SharedArrayBuffer (which a page may share
// only when it is cross-origin isolated), and what the browser says of its CPUs. Each worker posts one
// message when it ends: { exit: 0 } from a thread, { answer } from the model.

/** The worker entries, next to this page's script (built by `npm run build` into dist/web/app/). */
const ENTRIES: Readonly<Record<WorkerKind, URL>> = {
  thread: new URL('./thread-worker.js', import.meta.url),
  model: new URL('./model-worker.js', import.meta.url),
};

/** A browser gives no memory figure to rely on; the model's sizes here need far less. */
const MODEL_MEMORY = 512 * 2 ** 20;

export const webPlatform: Platform = {
  kind: 'browser',
  version: browserVersion(),
  cpus: () => navigator.hardwareConcurrency || 1,
  modelMemory: () => MODEL_MEMORY,
  spawn(kind, data): PlatformWorker {
    const worker = new Worker(ENTRIES[kind], { type: 'module', name: kind });
    const exits: ((code: number) => void)[] = [];
    const messages: ((message: unknown) => void)[] = [];
    const errors: ((error: Error & { code?: string }) => void)[] = [];
    let ended = false;
    const end = (code: number) => {
      if (ended) return;
      ended = true;
      for (const listener of exits) listener(code);
    };
    worker.onmessage = (event: MessageEvent<{ exit?: number; answer?: unknown }>) => {
      if (event.data.answer !== undefined) for (const listener of messages) listener(event.data.answer);
      if (event.data.exit !== undefined) end(event.data.exit);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      for (const listener of errors) listener(new Error(event.message.replace(/^Uncaught (Error: )?/, '')));
      end(1);
    };
    worker.postMessage(data);
    return {
      onError: (listener) => errors.push(listener),
      onExit: (listener) => exits.push(listener),
      onMessage: (listener) => messages.push(listener),
      terminate: () => {
        worker.terminate();
        end(1);
        return Promise.resolve();
      },
    };
  },
};

/** "Chrome 131", "Firefox 133": the browser's own name and major version, from its user agent. */
function browserVersion(): string {
  const agent = navigator.userAgent;
  const match = /(Firefox|Edg|Chrome|Version)\/(\d+)/.exec(agent);
  if (!match) return agent;
  const name = match[1] === 'Edg' ? 'Edge' : match[1] === 'Version' ? 'Safari' : match[1]!;
  return `${name} ${match[2]}`;
}
