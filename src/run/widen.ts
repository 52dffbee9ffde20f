/** When to widen the gap between a read and the write computed from it with a short sleep. */
export const WIDEN_CHOICES = ['never', 'auto', 'always'] as const;
export type Widen = (typeof WIDEN_CHOICES)[number];
