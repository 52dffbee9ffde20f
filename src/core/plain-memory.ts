import type { Memory } from './scenario.js';

/**
 * A scenario's memory as plain numbers: the model's, and the schedule checks'. The lock is its holder
 * cell (the one after `lockCell`): 0 when free, else the thread that holds it.
 */
export class PlainMemory implements Memory {
  constructor(
    public values: Int32Array,
    private readonly lockCell: number,
  ) {}

  load(cell: number): number {
    return this.values[cell]!;
  }
  store(cell: number, value: number): void {
    this.values[cell] = value;
  }
  fetchAdd(cell: number, value: number): number {
    const before = this.values[cell]!;
    this.values[cell] = before + value;
    return before;
  }
  compareExchange(cell: number, expected: number, value: number): number {
    const found = this.values[cell]!;
    if (found === expected) this.values[cell] = value;
    return found;
  }
  tryLock(thread: number): boolean {
    if (this.holder() !== 0) return false;
    this.values[this.lockCell] = 1;
    this.values[this.lockCell + 1] = thread;
    return true;
  }
  unlock(): void {
    this.values[this.lockCell] = 0;
    this.values[this.lockCell + 1] = 0;
  }
  holder(): number {
    return this.values[this.lockCell + 1]!;
  }
}
