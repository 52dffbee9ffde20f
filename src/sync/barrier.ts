/**
 * A start barrier on two Int32 cells. Invariant: no party passes `arrive()` before the coordinator
 * has seen every party arrive and called `open()`, and then all pass together.
 */
export class StartBarrier {
  constructor(
    private readonly cells: Int32Array,
    private readonly arrivedAt: number,
    private readonly releaseAt: number,
  ) {}

  /** Worker side: announce arrival, then sleep until released. */
  arrive(): void {
    Atomics.add(this.cells, this.arrivedAt, 1);
    Atomics.notify(this.cells, this.arrivedAt);
    while (Atomics.load(this.cells, this.releaseAt) === 0) {
      Atomics.wait(this.cells, this.releaseAt, 0);
    }
  }

  /** Coordinator side: resolves once `parties` have arrived, without blocking the event loop. */
  async arrivals(parties: number): Promise<void> {
    for (;;) {
      const seen = Atomics.load(this.cells, this.arrivedAt);
      if (seen >= parties) return;
      // Wait on the value we saw: an arrival between the load and the wait makes the wait return at once.
      const outcome = Atomics.waitAsync(this.cells, this.arrivedAt, seen);
      if (outcome.async) await outcome.value;
    }
  }

  arrivedCount(): number {
    return Atomics.load(this.cells, this.arrivedAt);
  }

  /** Coordinator side: release everyone at once. */
  open(): void {
    Atomics.store(this.cells, this.releaseAt, 1);
    Atomics.notify(this.cells, this.releaseAt);
  }

  /** Wake a coordinator still waiting in `arrivals()` after the run was abandoned. */
  abandon(): void {
    Atomics.notify(this.cells, this.arrivedAt);
  }
}
