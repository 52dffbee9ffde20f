/**
 * A start barrier on two Int32 cells, opened by the last party to arrive. Invariant: no party passes
 * `arrive()` before all `parties` have arrived. (Waking from Atomics.wait takes 40 µs to over a
 * millisecond on a VM, so released threads still start up to a millisecond apart; spinning until all
 * were awake did not make small races show more often here, so it is not done.)
 */
export class StartBarrier {
  constructor(
    private readonly cells: Int32Array,
    private readonly arrivedAt: number,
    private readonly releaseAt: number,
  ) {}

  /**
   * Worker side. The last to arrive calls `beforeOpen` (to stamp the release time) and releases the
   * others; the rest sleep until released.
   */
  arrive(parties: number, beforeOpen?: () => void): void {
    const arrived = Atomics.add(this.cells, this.arrivedAt, 1) + 1;
    if (arrived === parties) {
      beforeOpen?.();
      Atomics.store(this.cells, this.releaseAt, 1);
      Atomics.notify(this.cells, this.releaseAt);
    } else {
      while (Atomics.load(this.cells, this.releaseAt) === 0) Atomics.wait(this.cells, this.releaseAt, 0);
    }
  }

  /** Coordinator side: resolves once the barrier has opened, without blocking the event loop. */
  async released(): Promise<void> {
    while (Atomics.load(this.cells, this.releaseAt) === 0) {
      const outcome = Atomics.waitAsync(this.cells, this.releaseAt, 0);
      if (outcome.async) await outcome.value;
    }
  }

  arrivedCount(): number {
    return Atomics.load(this.cells, this.arrivedAt);
  }

  /** Wake a coordinator still waiting in `released()` after the run was abandoned. */
  abandon(): void {
    Atomics.notify(this.cells, this.releaseAt);
  }
}
