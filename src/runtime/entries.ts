// Where the worker entries are, next to this module: in dist/runtime/ as tsc builds it, and side by side
// in the bundle, which keeps each entry's file name.

/** The one entry every scenario thread runs (worker.ts). */
export const WORKER_ENTRY = new URL('./worker.js', import.meta.url);
