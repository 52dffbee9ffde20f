import { UsageError } from '../errors.js';

/**
 * A failure injected into one thread, for tests and for seeing what the tool does when a thread fails
 * (the CLI reads it from RACE_DEMO_FAULT). Part-way through its work, in a mode with a lock while it
 * holds the lock, thread N fails: crash throws, exit ends quietly with exit code 0, hang blocks forever,
 * oom allocates until its heap runs out.
 */
export const FAULT_KINDS = ['crash', 'exit', 'hang', 'oom'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  readonly kind: FaultKind;
  readonly thread: number;
}

/** A free-running faulty thread fails after half its operations or this many, whichever comes first. */
export const FAULT_AFTER = 10_000;

export function validateFault(fault: Fault | null, threads: number): void {
  if (fault === null) return;
  if (!FAULT_KINDS.includes(fault.kind)) throw new UsageError(`{fault} kind '${String(fault.kind)}' is invalid: expected ${FAULT_KINDS.join(', ')}`);
  if (!Number.isInteger(fault.thread) || fault.thread < 1 || fault.thread > threads) {
    throw new UsageError(
      `{fault} names thread ${fault.thread}, but there ${threads === 1 ? 'is only thread 1' : `are only threads 1 to ${threads}`}: the fault would never strike`,
    );
  }
}

export function triggerFault(fault: Fault): never {
  switch (fault.kind) {
    case 'crash':
      throw new Error(`injected crash (fault crash:${fault.thread})`);
    case 'exit':
      return process.exit(0);
    case 'hang':
      return hangForever();
    case 'oom':
      return exhaustMemory();
  }
}

function hangForever(): never {
  const nobody = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(nobody, 0, 0);
}

function exhaustMemory(): never {
  const hoard: number[][] = [];
  for (;;) hoard.push(new Array<number>(1 << 20).fill(hoard.length));
}
