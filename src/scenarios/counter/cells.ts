/** The counter's cells: the counter, then the lock's two (its state, its holder). */
export const COUNTER = 0;
export const LOCK = 1;

/** The sightings its loops record (core/thread-cells.ts Evidence.kind). */
export const WENT_BACK = 1;
export const LATE_WRITE = 2;
