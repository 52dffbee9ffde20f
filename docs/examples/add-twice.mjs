// Two threads each add 1 to x. Do both additions count?
const add = (s) => { s.x = s.x + 1; };
const atomicAdd = (s, r, t) => { t.add('x', 1); };

export const shared = { x: 0 };
export const modes = { unsafe: [add, add], atomic: [atomicAdd, atomicAdd] };
export const outcomes = [
  { when: { x: 2 }, expect: 'allowed', description: 'both additions count' },
  { when: { x: 1 }, expect: 'forbidden', description: 'one addition was lost' },
];
