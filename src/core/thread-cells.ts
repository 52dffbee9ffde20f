// The cells each thread of a free run writes once, when its loop ends: part of the contract between a
// scenario's hand-written loops and the runtime, which lays them out (runtime/protocol.ts).

/**
 * What the thread saw of the race: the kind of its costliest sighting (0: none), how many sightings it
 * made, and that one as two numbers (their meaning is the scenario's; see Scenario.describeSighting).
 */
export const Evidence = { kind: 0, count: 1, a: 2, b: 3 } as const;
export const EVIDENCE_CELLS = 4;

/** What it did: operations, then the lock's counts and the retries (the loop fills in what its mode has). */
export const Stat = { operations: 0, acquisitions: 1, contended: 2, spins: 3, sleeps: 4, wakeups: 5, retries: 6 } as const;
export const STAT_CELLS = 8;
