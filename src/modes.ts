/** The ways the workers can increment the shared counter. */
export const MODES = ['unsafe', 'atomic', 'lock'] as const;
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
};
