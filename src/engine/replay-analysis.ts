import type { TraceStep } from './schedule.js';

/**
 * A write computed from a read that the counter no longer matched. It sets the counter to read + 1
 * where the counter stood at `counterBefore`, so it loses counterBefore − read updates; over a whole
 * trace these add up to exactly expected − final.
 */
export interface LateWrite {
  readonly step: number;
  readonly thread: number;
  readonly wrote: number;
  /** The read the write was computed from. */
  readonly read: { readonly step: number; readonly value: number };
  readonly counterBefore: number;
  /** counterBefore − read: updates this write lost (negative when it put back a higher value). */
  readonly lost: number;
  /** Other threads' steps between that read and this write that raised the counter: what it erased. */
  readonly erased: readonly { readonly step: number; readonly thread: number }[];
}

/** Finds every late write in a trace: the lost updates, and whose write erased them. */
export function findLateWrites(steps: readonly TraceStep[]): LateWrite[] {
  const lastRead = new Map<number, TraceStep>();
  const lateWrites: LateWrite[] = [];
  steps.forEach((step, i) => {
    if (step.action === 'read') lastRead.set(step.thread, step);
    const read = lastRead.get(step.thread);
    if (step.action !== 'write' || !read) return;
    const counterBefore = counterBeforeStep(steps, i);
    if (counterBefore === read.value) return;
    const erased = steps
      .slice(read.step, i)
      .filter((s, j) => s.thread !== step.thread && s.counter > counterBeforeStep(steps, read.step + j))
      .map((s) => ({ step: s.step, thread: s.thread }));
    const readValue = read.value ?? 0;
    lateWrites.push({
      step: step.step,
      thread: step.thread,
      wrote: step.value ?? 0,
      read: { step: read.step, value: readValue },
      counterBefore,
      lost: counterBefore - readValue,
      erased,
    });
  });
  return lateWrites;
}

function counterBeforeStep(steps: readonly TraceStep[], index: number): number {
  return index === 0 ? 0 : steps[index - 1]!.counter;
}
