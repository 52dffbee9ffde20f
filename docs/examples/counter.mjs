// The counter as a test of plain code: each thread increments one shared counter, --iters times.
export const shared = { c: 0 };

export const modes = {
  unsafe: (s) => { const v = s.c; s.c = v + 1; },
  atomic: (s, r, t) => { t.add('c', 1); },
  lock: (s, r, t) => { t.lock(); const v = s.c; s.c = v + 1; t.unlock(); },
  cas: (s, r, t) => { for (let v = s.c; t.cas('c', v, v + 1) !== v; v = s.c); },
};

// Every increment counts: the counter ends at threads × iters.
export const expected = ({ threads, iters }) => ({ c: threads * iters });
