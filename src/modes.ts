/** The ways the workers can increment the shared counter. */
export const MODES = ['unsafe', 'atomic', 'lock', 'spin', 'cas'] as const;
export type Mode = (typeof MODES)[number];

export function isMode(value: string): value is Mode {
  return (MODES as readonly string[]).includes(value);
}

/** One plain sentence per mode, shown under the report: what each fix does that the race does not. */
export const MODE_EXPLANATIONS: Readonly<Record<Mode, string>> = {
  unsafe:
    'each increment is a read, an add and a write; between one thread\'s read and its write another ' +
    'thread can write, and the late write then puts back an older value, erasing those increments.',
  atomic: 'Atomics.add reads, adds and writes as one indivisible step, so no write can land in between.',
  lock:
    'the mutex lets one thread at a time do its read and write, so no other write can land in between ' +
    '(a thread that finds it taken sleeps in Atomics.wait until the holder notifies it).',
  spin:
    'a spin lock: a thread that finds it taken keeps reading it until it is free, never sleeping; one ' +
    'thread at a time does its read and write, but waiting threads burn CPU the holder may need.',
  cas:
    'lock-free: read the counter, then Atomics.compareExchange writes read + 1 only if the counter still ' +
    'holds what was read; if another write landed in between, it fails and the thread reads again.',
};

/** The modes that take a lock around the read and the write. */
export function isLockMode(mode: Mode): mode is 'lock' | 'spin' {
  return mode === 'lock' || mode === 'spin';
}
