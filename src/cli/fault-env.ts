import { UsageError } from '../errors.js';
import { FAULT_KINDS, type Fault, type FaultKind } from '../runtime/fault.js';

/** Fault injection, kept out of --help: RACE_DEMO_FAULT=crash:2 makes thread 2 fail part-way (docs/troubleshooting.md). */
export const FAULT_ENV = 'RACE_DEMO_FAULT';

/** The fault RACE_DEMO_FAULT asks for; null when it is unset or empty. */
export function faultFromEnv(env: Readonly<Record<string, string | undefined>>): Fault | null {
  const spec = env[FAULT_ENV];
  if (spec === undefined || spec === '') return null;
  const match = /^([a-z]+):([1-9]\d{0,2})$/.exec(spec);
  const kind = match?.[1] ?? '';
  if (!match || !(FAULT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`${FAULT_ENV} '${spec}' is invalid: expected ${FAULT_KINDS.join(', ')} and a thread, for example crash:2`);
  }
  return { kind: kind as FaultKind, thread: Number(match[2]) };
}
