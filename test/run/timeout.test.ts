import { describe, expect, it } from 'vitest';
import { defaultTimeoutMs } from '../../dist/run/timeout.js';
import { counter } from '../../dist/index.js';
import { reorder } from '../../dist/scenarios/reorder.js';

const mode = (name: string) => counter.modes.find((m) => m.name === name)!;

describe('the default timeout', () => {
  it('fits the slowest run the CLI accepts: 256 spinning threads × 10,000 on 2 CPUs took 44 s here', () => {
    expect(defaultTimeoutMs(mode('spin'), 256, 10_000, 2, false)).toBeGreaterThan(10 * 44_000);
  });

  it('stays short where nothing is slow, so that a real hang is caught soon', () => {
    expect(defaultTimeoutMs(mode('atomic'), 4, 100_000, 2, false)).toBeLessThan(15_000);
  });

  it('allows for threads that meet every round: reorder 2 × 200,000 took up to 8 s a mode with four other processes on both CPUs', () => {
    const unsafe = reorder.modes.find((m) => m.name === 'unsafe')!;
    expect(unsafe.meets).toBe(true);
    expect(defaultTimeoutMs(unsafe, 2, 200_000, 2, false)).toBeGreaterThan(2 * 8_000);
  });

  it('allows for the sleeps of a widened gap', () => {
    expect(defaultTimeoutMs(mode('unsafe'), 2, 1000, 2, true)).toBeGreaterThan(2 * 1000 * 2);
  });
});
