// What race-demo needs of the machine it runs on, beyond SharedArrayBuffer and Atomics: how to start a
// worker, how many CPUs and how much memory there are, and what it is called. Node's is the default
// (runtime/node-platform.ts); a browser page installs its own before it runs anything
// (runtime/current-platform.ts).

import type { PlatformKind } from '../core/scenario.js';

/** The two kinds of worker: a thread of a scenario (runtime/thread.ts), and the exact model (explore/model-answer.ts). */
export type WorkerKind = 'thread' | 'model';

/** A started worker, as the coordinator watches it. */
export interface PlatformWorker {
  /** An uncaught error; `code` ERR_WORKER_OUT_OF_MEMORY where its heap ran out. */
  onError(listener: (error: Error & { code?: string }) => void): void;
  /** It ended, by itself (code 0: it returned) or not. */
  onExit(listener: (code: number) => void): void;
  onMessage(listener: (message: unknown) => void): void;
  terminate(): Promise<unknown>;
}

export interface Platform {
  /** Node or a browser: what a scenario's hooks may need of it (Hooks.modelRunsOn). */
  readonly kind: PlatformKind;
  /** What the report says it ran on: Node's version ("v20.20.2"), or a browser's name and version. */
  readonly version: string;
  /** CPUs the threads can run on at once. */
  cpus(): number;
  /** The most memory the exact model may take. */
  modelMemory(): number;
  /** Starts a worker of `kind`; `data` is its job (with the SharedArrayBuffer in it); `heapMb` bounds its heap where the platform can. */
  spawn(kind: WorkerKind, data: unknown, heapMb: number): PlatformWorker;
}
