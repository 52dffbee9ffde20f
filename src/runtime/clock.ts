/**
 * Now, in nanoseconds on a clock every thread of the process shares: Node's monotonic hrtime, or in a
 * browser the page's time origin plus its monotonic clock (each worker has its own origin; their sum is
 * the same time).
 */
export const nowNs: () => bigint =
  typeof process !== 'undefined' && typeof process.hrtime?.bigint === 'function'
    ? () => process.hrtime.bigint()
    : () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
