import { UsageError } from '../errors.js';

/**
 * Fault injection for tests, kept out of --help: RACE_DEMO_FAULT=crash:2 makes thread 2 throw part-way
 * through its increments, exit:2 makes it end quietly (exit code 0) part-way through.
 */
export const FAULT_ENV = 'RACE_DEMO_FAULT';

/** A faulty thread fails after half its increments or this many, whichever comes first. */
export const FAULT_AFTER = 10_000;

const FAULT_KINDS = ['crash', 'exit'] as const;
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
      `${FAULT_ENV} '${spec}' is invalid: expected ${FAULT_KINDS.join(' or ')} and a thread, for example crash:2`,
    );
  }
  return { kind: kind as FaultKind, thread: Number(match[2]) };
}

export function triggerFault(fault: Fault): never {
  if (fault.kind === 'crash') {
    throw new Error(`injected crash (${FAULT_ENV}=crash:${fault.thread})`);
  }
  process.exit(0);
}
