import { UsageError } from '../errors.js';

/**
 * Fault injection for tests, kept out of --help. Part-way through its increments (in lock mode, while
 * holding the lock) thread N fails: crash:N throws, exit:N ends quietly with exit code 0, hang:N blocks
 * forever, oom:N allocates until it runs out of memory.
 */
export const FAULT_ENV = 'RACE_DEMO_FAULT';

/** A faulty thread fails after half its increments or this many, whichever comes first. */
export const FAULT_AFTER = 10_000;

const FAULT_KINDS = ['crash', 'exit', 'hang', 'oom'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Fault {
  readonly kind: FaultKind;
  readonly thread: number;
}

export function parseFault(spec: string | undefined): Fault | null {
  if (spec === undefined || spec === '') return null;
  const match = /^([a-z]+):([1-9]\d{0,2})$/.exec(spec);
  const kind = match?.[1];
  if (!match || !(FAULT_KINDS as readonly string[]).includes(kind ?? '')) {
    throw new UsageError(
      `${FAULT_ENV} '${spec}' is invalid: expected ${FAULT_KINDS.join(', ')} and a thread, for example crash:2`,
    );
  }
  return { kind: kind as FaultKind, thread: Number(match[2]) };
}

export function triggerFault(fault: Fault): never {
  switch (fault.kind) {
    case 'crash':
      throw new Error(`injected crash (${FAULT_ENV}=crash:${fault.thread})`);
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
