import { describe, expect, it } from 'vitest';
import { Evidence } from '../../dist/worker/protocol.js';
import { incrementUnsafeWithEvidence } from '../../dist/worker/increment.js';

/**
 * The evidence loop run on a counter whose reads follow a script, as if other threads were writing
 * between this thread's steps: a deterministic check of what the loop records.
 */
function runScripted(reads: number[]): { evidence: Int32Array; writes: number[] } {
  const writes: number[] = [];
  const script = [...reads];
  const counter = new Proxy(new Int32Array(4), {
    get: (target, key): unknown => (key === '0' ? script.shift() : Reflect.get(target, key)),
    set: (target, key, value: number) => (key === '0' ? (writes.push(value), true) : Reflect.set(target, key, value)),
  });
  const evidence = new Int32Array(4);
  incrementUnsafeWithEvidence(counter, reads.length, { evidence, stats: new Int32Array(8), thread: 1, counting: false, lockSpins: 0 });
  return { evidence, writes };
}

describe('the unsafe loop with evidence', () => {
  it('writes each read plus one, as the plain loop does', () => {
    expect(runScripted([0, 1, 2]).writes).toEqual([1, 2, 3]);
  });

  it('counts each read below its own last write and keeps the largest drop', () => {
    // Wrote 4, then read 1 (a drop of 3); wrote 2, then read 0 (a drop of 2).
    const { evidence } = runScripted([0, 1, 2, 3, 1, 0, 5]);
    expect(evidence[Evidence.count]).toBe(2);
    expect(evidence[Evidence.a]).toBe(4);
    expect(evidence[Evidence.b]).toBe(1);
  });

  it('records nothing when every read follows its own write', () => {
    const { evidence } = runScripted([0, 1, 5, 9, 10]);
    expect(evidence[Evidence.count]).toBe(0);
  });
});
