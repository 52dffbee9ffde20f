import { formatInt } from '../core/text.js';
import { currentPlatform } from '../runtime/current-platform.js';

/**
 * The most memory the exact model may take, as the platform allows (Node: a quarter of this machine's
 * memory, at most 1.5 GiB, which the sizes it is meant for never come near: 4 × 6 takes about 150 MB).
 * Past it explore refuses rather than let the heap run out.
 */
export async function memoryBudget(): Promise<number> {
  return (await currentPlatform()).modelMemory();
}

export function mib(bytes: number): string {
  return `${formatInt(Math.ceil(bytes / 2 ** 20))} MiB`;
}
