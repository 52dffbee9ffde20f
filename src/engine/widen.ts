/** When to widen the gap between a read and its write with a short sleep (unsafe and lock). */
export const WIDEN_CHOICES = ['never', 'auto', 'always'] as const;
export type Widen = (typeof WIDEN_CHOICES)[number];
