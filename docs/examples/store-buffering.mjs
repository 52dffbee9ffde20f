// Store buffering (litmus SB), as a test of plain code: each thread writes its own flag, then reads the
// other's. In any interleaving one write comes first and the other thread reads it; on x86 a plain
// store waits in its CPU's store buffer while the read after it goes ahead, so both can read 0.
export const shared = { x: 0, y: 0 };

export const modes = {
  unsafe: [
    (s, r) => { s.x = 1; r.r1 = s.y; },
    (s, r) => { s.y = 1; r.r2 = s.x; },
  ],
  atomic: {
    threads: [
      (s, r, t) => { t.store('x', 1); r.r1 = t.load('y'); },
      (s, r, t) => { t.store('y', 1); r.r2 = t.load('x'); },
    ],
    explanation: 'Atomics.store is sequentially consistent (an XCHG on x86), so the later write is seen',
  },
};

export const outcomes = [
  { when: { r1: 0, r2: 0 }, expect: 'interesting', description: 'both read 0: each store still in its store buffer' },
  { expect: 'allowed', description: 'one thread saw the other\'s write' },
];
