import type { Loop, Size } from '../../core/scenario.js';
import { Stat } from '../../core/thread-cells.js';
import { TestError } from '../../errors.js';
import { FIRST_GAP_MS, GAP_MS, sleepInGap } from '../../sync/gap.js';
import { TestLayout } from './layout.js';
import { inRounds, type PlainTest, type TestMode, type ThreadTools } from './test.js';

/**
 * A plain test on free-running threads: each operation calls the thread's function once, its `s.x` a
 * plain load or store of the cell itself (so the races are the hardware's), its helpers Atomics and the
 * mode's locks. In rounds, the threads meet at a rendezvous before each round and every round has cells
 * of its own; a round's registers go to its cells when the function returns.
 */
export function freeLoop(test: PlainTest, mode: TestMode, size: Size, widen: boolean): Loop {
  const layout = new TestLayout(test, size);
  const rounds = inRounds(test);
  return (cells, iters, context) => {
    const { thread, stats, memory } = context;
    const run = mode.functions.length === 1 ? mode.functions[0]! : mode.functions[thread - 1]!;
    const registers = test.registers.flatMap((register, j) => (register.thread === thread ? [{ key: register.key, index: j }] : []));
    // The round under way, which the variables' accessors read: a closure's slot, as cheap as a local.
    let round = stats[Stat.operations]!;
    const stride = layout.rounds === 1 ? 0 : 1;
    const cellOf = (name: string): number => {
      const v = test.variables.findIndex((variable) => variable.name === name);
      if (v < 0) throw new TestError(`thread ${thread} of ${test.file} names ${JSON.stringify(name)}, which is not a shared variable`);
      return layout.variable(v, 0);
    };
    const s: Record<string, number> = {};
    let firstGap = true;
    for (const [v, variable] of test.variables.entries()) {
      const base = layout.variable(v, 0);
      Object.defineProperty(s, variable.name, {
        enumerable: true,
        get: widen
          ? () => {
              const value = cells[base + round * stride]!;
              // The widened gap: after each read, a moment for another thread's write to land before this one's.
              sleepInGap(firstGap ? FIRST_GAP_MS : GAP_MS);
              firstGap = false;
              return value;
            }
          : () => cells[base + round * stride]!,
        set: (value: number) => {
          if ((value | 0) !== value) throw new TestError(`thread ${thread} of ${test.file} writes ${String(value)} to s.${variable.name}: shared variables hold 32-bit integers`);
          cells[base + round * stride] = value;
        },
      });
    }
    Object.preventExtensions(s);
    const t: ThreadTools = {
      thread,
      threads: size.threads,
      load: (name) => Atomics.load(cells, cellOf(name) + round * stride),
      store: (name, value) => void Atomics.store(cells, cellOf(name) + round * stride, value),
      add: (name, value) => Atomics.add(cells, cellOf(name) + round * stride, value),
      exchange: (name, value) => Atomics.exchange(cells, cellOf(name) + round * stride, value),
      cas: (name, expected, value) => Atomics.compareExchange(cells, cellOf(name) + round * stride, expected, value),
      fence: () => memory.fence(),
      lock: (lock = 0) => void memory.tryLock(thread, lock),
      unlock: (lock = 0) => memory.unlock(lock),
    };
    const r: Record<string, number> = {};
    for (const { key } of registers) r[key] = 0;
    // A register the thread did not write when it ran alone has no cell: writing one throws.
    Object.preventExtensions(r);
    const to = Math.min(size.iters, round + iters);
    for (; round < to; round++) {
      if (rounds) meet(cells, size.threads, round);
      for (const { key } of registers) r[key] = 0;
      run(s, r, t);
      for (const { key, index } of registers) {
        const value = r[key]!;
        if ((value | 0) !== value) throw new TestError(`thread ${thread} of ${test.file} keeps ${String(value)} in r.${key}: a register holds a 32-bit integer`);
        cells[layout.register(index, round)] = value;
      }
      stats[Stat.operations] = round + 1;
    }
  };
}

/**
 * Loads of the count a thread waiting at the rendezvous makes before it sleeps: on an idle machine the
 * others arrive within a few hundred and the round's accesses race as closely as they can; on a busy one
 * they may not be running at all, and a spinning waiter would burn whole time slices.
 */
const SPINS = 2_000;

/** The rendezvous before round `round`: each thread adds itself, and waits until all `threads` have. */
function meet(cells: Int32Array, threads: number, round: number): void {
  Atomics.add(cells, TestLayout.ARRIVED, 1);
  if (Atomics.load(cells, TestLayout.SLEEPERS) > 0) Atomics.notify(cells, TestLayout.ARRIVED);
  const met = threads * (round + 1);
  for (let spins = 0, now = Atomics.load(cells, TestLayout.ARRIVED); now < met; now = Atomics.load(cells, TestLayout.ARRIVED)) {
    if (++spins < SPINS) continue;
    // Sequentially consistent: a thread that arrives either adds before this wait reads the count (no
    // sleep), or reads the sleepers after this thread counted itself among them, and wakes it.
    Atomics.add(cells, TestLayout.SLEEPERS, 1);
    Atomics.wait(cells, TestLayout.ARRIVED, now);
    Atomics.sub(cells, TestLayout.SLEEPERS, 1);
    spins = 0;
  }
}
