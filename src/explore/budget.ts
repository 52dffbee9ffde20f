import { formatInt } from '../core/text.js';

/**
 * The most memory the exact model may take: a quarter of this machine's memory, and at most 1.5 GiB,
 * which the sizes it is meant for never come near (4 × 6 takes about 150 MB). Past it explore refuses
 * rather than let Node run out of heap.
 */
export async function memoryBudget(): Promise<number> {
  const { totalmem } = await import('node:os');
  return Math.min(1.5 * 2 ** 30, Math.floor(totalmem() / 4));
}

export function mib(bytes: number): string {
  return `${formatInt(Math.ceil(bytes / 2 ** 20))} MiB`;
}
